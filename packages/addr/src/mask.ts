import type { Ipv4Address } from './ipv4';
import type { Ipv6Address } from './ipv6';
import { commonPrefixBits } from './bits';

/**
 * Longest common prefix of two addresses of the same family, in bits
 * (0..128 for IPv6, 0..32 for IPv4). Used by source address selection
 * (RFC 6724 2.2 CommonPrefixLen) and by routing lookups.
 */
export function commonPrefixLength(a: Ipv6Address, b: Ipv6Address): number;
export function commonPrefixLength(a: Ipv4Address, b: Ipv4Address): number;
export function commonPrefixLength(a: Ipv6Address | Ipv4Address, b: Ipv6Address | Ipv4Address): number {
  if (a.bytes.length !== b.bytes.length) throw new TypeError('commonPrefixLength: mixed address families');
  return commonPrefixBits(a.bytes, b.bytes);
}

/** The address with every bit after the first `len` cleared; same as `addr.mask(len)`. */
export function maskAddress(addr: Ipv6Address, len: number): Ipv6Address;
export function maskAddress(addr: Ipv4Address, len: number): Ipv4Address;
export function maskAddress(addr: Ipv6Address | Ipv4Address, len: number): Ipv6Address | Ipv4Address {
  return addr.mask(len);
}
