import type { Ipv6Address } from '@kame/addr';
import type { SocketErrno } from './socket-errno';

/**
 * One datagram for ip6_output. The socket layer has already chosen the source
 * (so that it could compute the UDP / ICMPv6 / IPV6_CHECKSUM checksum) and the
 * outgoing interface constraint; the kernel does routing, ND, fragmentation.
 */
export interface SocketOutputRequest {
  readonly src: Ipv6Address;
  readonly dst: Ipv6Address;
  /**
   * Outgoing interface, when one is imposed: IPV6_PKTINFO ipi6_ifindex, else
   * IPV6_MULTICAST_IF for a multicast destination, else the destination's zone
   * (RFC 3542 6.7 order). Undefined: the kernel routes.
   */
  readonly ifindex?: number;
  /** Upper-layer protocol (17 UDP, 58 ICMPv6, a raw socket's protocol). */
  readonly nextHeader: number;
  /** Undefined: the kernel's default (net.inet6.ip6.hlim or the RA's Cur Hop Limit). */
  readonly hopLimit?: number;
  /** Upper-layer bytes, checksum filled in. */
  readonly payload: Uint8Array;
  /** Multicast destinations only: loop a copy back if this node is a member (IPV6_MULTICAST_LOOP). */
  readonly multicastLoop?: boolean;
  /** IPV6_TCLASS (RFC 3542 6.5); undefined: 0. */
  readonly trafficClass?: number;
}

/** The socket layer's view of the rest of the kernel (sans-I/O, as NeighborCacheOutput). */
export interface SocketLayerPort {
  /** Hands a datagram to ip6_output: 'ok' or the errno to return from send (ENETUNREACH, EHOSTUNREACH, EMSGSIZE, ENOBUFS ...). */
  output(req: SocketOutputRequest): SocketErrno | 'ok';
  /** Source address selection (RFC 6724 / KAME in6_selectsrc) for an unbound socket; an errno when none (EADDRNOTAVAIL, ENETUNREACH). */
  selectSource(dst: Ipv6Address, ifindex: number | undefined): Ipv6Address | SocketErrno;
  /** True when `addr` is a unicast address of this node (on `ifindex` for zone-scoped ones; 0 = any). */
  isLocalAddress(addr: Ipv6Address, ifindex: number): boolean;
  /** MLD: the node joins `group` on `ifindex` (called once per group and interface, on the first socket join). */
  joinGroup(ifindex: number, group: Ipv6Address): SocketErrno | 'ok';
  /** MLD: the last socket left `group` on `ifindex`. */
  leaveGroup(ifindex: number, group: Ipv6Address): void;
  /** if_nametoindex; undefined for unknown names. */
  ifindexByName(name: string): number | undefined;
  /** True when an interface has this index. */
  hasInterface(ifindex: number): boolean;
  /** if_indextoname, for netstat rows; optional (indices are printed otherwise). */
  ifnameByIndex?(ifindex: number): string | undefined;
  /** Interface for IPV6_JOIN_GROUP with ifindex 0 (RFC 3493 5.2: "the kernel chooses"); optional, EADDRNOTAVAIL without it. */
  defaultMulticastInterface?(group: Ipv6Address): number | undefined;
}
