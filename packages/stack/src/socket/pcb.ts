import type { Ipv6Address } from '@kame/addr';
import type { Icmp6Filter } from './icmp6-filter';
import { ReceiveQueue } from './receive-queue';
import { UNSPECIFIED_ZONED, type SockaddrIn6, type ZonedAddress } from './sockaddr-in6';

/** SOCK_DGRAM over UDP, or SOCK_RAW with a protocol number. */
export type SocketType = 'udp' | 'raw';

/** RFC 3542 6.1 struct in6_pktinfo as recvmsg reports it: the datagram's destination and arrival interface. */
export interface In6Pktinfo {
  readonly address: Ipv6Address;
  readonly ifindex: number;
}

/** One datagram from recvmsg, with ancillary data only where the socket asked for it. */
export interface ReceivedDatagram {
  /** UDP payload, or for raw sockets the upper-layer message (no IPv6 header, RFC 3542 3). */
  readonly data: Uint8Array;
  /** The peer; `zone` carries the arrival interface for link-local peers. Port 0 on raw sockets. */
  readonly from: SockaddrIn6;
  /** IPV6_PKTINFO, present when IPV6_RECVPKTINFO was on at arrival (RFC 3542 6.1). */
  readonly pktinfo?: In6Pktinfo;
  /** IPV6_HOPLIMIT, present when IPV6_RECVHOPLIMIT was on at arrival (RFC 3542 6.3). */
  readonly hoplimit?: number;
}

/** The per-socket options (struct in6pcb / ip6_pktopts / ip6_moptions fields). */
export interface PcbOptions {
  reuseaddr: boolean;
  reuseport: boolean;
  sndbuf: number;
  v6only: boolean;
  unicastHops: number;
  multicastIf: number;
  multicastHops: number;
  multicastLoop: boolean;
  recvPktinfo: boolean;
  recvHoplimit: boolean;
  tclass: number;
}

/** A protocol control block: one socket's addresses, options and receive queue. */
export class Pcb {
  /** Local address; unspecified = wildcard. */
  local: ZonedAddress = UNSPECIFIED_ZONED;
  /** Local address as bind(2) set it (connect may fill `local`; disconnect restores this). */
  boundLocal: ZonedAddress = UNSPECIFIED_ZONED;
  lport = 0;
  foreign: ZonedAddress = UNSPECIFIED_ZONED;
  fport = 0;
  connected = false;
  /** Memberships of this socket, by membershipKey. */
  readonly memberships = new Map<string, { ifindex: number; group: Ipv6Address }>();
  readonly queue: ReceiveQueue<ReceivedDatagram>;
  /** Raw sockets: IPV6_CHECKSUM offset (-1 none). */
  checksumOffset: number;
  /** Raw ICMPv6 sockets: ICMP6_FILTER. */
  filter: Icmp6Filter | undefined;

  constructor(
    readonly fd: number,
    readonly type: SocketType,
    /** 17 for UDP; the raw socket's protocol (0 = every protocol). */
    readonly protocol: number,
    readonly privileged: boolean,
    readonly options: PcbOptions,
    rcvbuf: number,
    checksumOffset: number,
    filter: Icmp6Filter | undefined,
  ) {
    this.queue = new ReceiveQueue(rcvbuf);
    this.checksumOffset = checksumOffset;
    this.filter = filter;
  }

  /** Bound to a port or an address (bind or an implicit bind). */
  get isBound(): boolean {
    return this.lport !== 0 || !this.local.address.isUnspecified();
  }
}
