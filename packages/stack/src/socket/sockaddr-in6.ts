import { Ipv6Address, Scope, scopeOf, type Zone } from '@kame/addr';
import type { SocketErrno } from './socket-errno';

/**
 * A sockaddr_in6 as callers give it (RFC 3493 3.3): address, port and, for
 * scoped addresses, the zone (RFC 4007 11: interface name or index, the
 * sin6_scope_id of IMPLEMENTATION 1.3.2).
 */
export interface SockaddrIn6Input {
  readonly address: Ipv6Address;
  readonly port?: number;
  readonly zone?: Zone;
}

/**
 * A sockaddr_in6 as the socket layer reports it (recvmsg `from`,
 * getsockname, getpeername): `zone` is the interface index, present only for
 * addresses whose scope is smaller than global (link-local peers carry it).
 */
export interface SockaddrIn6 {
  readonly address: Ipv6Address;
  readonly port: number;
  readonly zone?: number;
}

/** An address with its zone resolved to an index; 0 = no zone (RFC 4007 6: the default zone). */
export interface ZonedAddress {
  readonly address: Ipv6Address;
  readonly zone: number;
}

export const UNSPECIFIED_ZONED: ZonedAddress = { address: Ipv6Address.UNSPECIFIED, zone: 0 };

/**
 * True for addresses whose zone is an interface: link-local unicast and
 * interface/link-local multicast (RFC 4007 5, 6). KAME ties ::1 to the
 * loopback interface implicitly, so it needs no zone here.
 */
export function isZoneScoped(a: Ipv6Address): boolean {
  if (a.isMulticast()) {
    const s = scopeOf(a);
    return s === Scope.InterfaceLocal || s === Scope.LinkLocal;
  }
  return a.isLinkLocal();
}

/** Resolves a zone (name or index) to an index with the port's interface list. */
export function resolveZone(
  zone: Zone | undefined,
  ifindexByName: (name: string) => number | undefined,
  hasInterface: (ifindex: number) => boolean,
): number | SocketErrno {
  if (zone === undefined || zone === 0) return 0;
  if (typeof zone === 'number') return hasInterface(zone) ? zone : 'ENXIO';
  return ifindexByName(zone) ?? 'ENXIO';
}

/** Zone of an arriving packet's address: the arrival interface when scoped, else 0. */
export function zoneOnArrival(a: Ipv6Address, ifindex: number): number {
  return isZoneScoped(a) ? ifindex : 0;
}

/** Same address and zone; a zone of 0 on the socket side matches any (the socket did not pin one). */
export function zonedMatches(sock: ZonedAddress, addr: Ipv6Address, zone: number): boolean {
  return sock.address.equals(addr) && (sock.zone === 0 || sock.zone === zone);
}

export function zonedEquals(a: ZonedAddress, b: ZonedAddress): boolean {
  return a.zone === b.zone && a.address.equals(b.address);
}

/** The reported form: the zone appears only for zone-scoped addresses. */
export function toSockaddr(a: ZonedAddress, port: number): SockaddrIn6 {
  return a.zone !== 0 && isZoneScoped(a.address)
    ? { address: a.address, port, zone: a.zone }
    : { address: a.address, port };
}

/** A port number is an integer 0..65535. */
export function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 0xffff;
}
