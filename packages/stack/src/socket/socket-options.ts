import type { Ipv6Address } from '@kame/addr';
import type { Icmp6Filter } from './icmp6-filter';

/** struct ipv6_mreq (RFC 3493 5.2): ifindex 0 lets the kernel choose the interface. */
export interface Ipv6Mreq {
  readonly group: Ipv6Address;
  readonly ifindex: number;
}

/**
 * Every option the socket layer knows, by name, with its value type:
 * SOL_SOCKET ones, RFC 3493 5.2 / 5.3, RFC 3542 3.1 (IPV6_CHECKSUM),
 * 3.2 (ICMP6_FILTER), 6.1 / 6.3 / 6.5 (IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT,
 * IPV6_TCLASS).
 */
export interface SocketOptionValues {
  SO_REUSEADDR: boolean;
  SO_REUSEPORT: boolean;
  /** Receive buffer in bytes (queued datagram payloads). */
  SO_RCVBUF: number;
  /** Largest datagram payload send accepts (EMSGSIZE above). */
  SO_SNDBUF: number;
  IPV6_V6ONLY: boolean;
  /** -1..255; -1 = the kernel default. */
  IPV6_UNICAST_HOPS: number;
  /** Interface index; 0 = routing decides. */
  IPV6_MULTICAST_IF: number;
  /** -1..255; -1 = the default, 1. */
  IPV6_MULTICAST_HOPS: number;
  IPV6_MULTICAST_LOOP: boolean;
  IPV6_JOIN_GROUP: Ipv6Mreq;
  IPV6_LEAVE_GROUP: Ipv6Mreq;
  IPV6_RECVPKTINFO: boolean;
  IPV6_RECVHOPLIMIT: boolean;
  /** -1..255; -1 = the default, 0. */
  IPV6_TCLASS: number;
  /** Raw sockets: checksum offset, -1 = none (fixed at 2 for ICMPv6). */
  IPV6_CHECKSUM: number;
  /** Raw ICMPv6 sockets only. */
  ICMP6_FILTER: Icmp6Filter;
}

export type SocketOptionName = keyof SocketOptionValues;

/** Options getsockopt reads (the membership ones are set-only). */
export type GettableSocketOption = Exclude<SocketOptionName, 'IPV6_JOIN_GROUP' | 'IPV6_LEAVE_GROUP'>;

/** BSD udp_recvspace: 40 datagrams of 1024 bytes plus a sockaddr_in6 each. */
export const UDP6_RECVSPACE = 40 * (1024 + 28);
/** BSD udp_sendspace (net.inet.udp.maxdgram). */
export const UDP6_SENDSPACE = 9216;
/** KAME rip6_recvspace / rip6_sendspace. */
export const RIP6_RECVSPACE = 8192;
export const RIP6_SENDSPACE = 8192;
/** kern.ipc.maxsockbuf: larger SO_RCVBUF / SO_SNDBUF values fail with ENOBUFS. */
export const SB_MAX = 256 * 1024;
/** RFC 3493 5.2: IPV6_MULTICAST_HOPS default. */
export const DEFAULT_MULTICAST_HOPS = 1;
/** IPV6_MAX_MEMBERSHIPS: groups one socket may join. */
export const IPV6_MAX_MEMBERSHIPS = 20;

/** A hop-limit-like value: an integer -1..255 (RFC 3493 5.1, RFC 3542 6.3). */
export function validHopValue(v: number): boolean {
  return Number.isInteger(v) && v >= -1 && v <= 255;
}
