import { Ipv6Address } from './ipv6';

/**
 * KAME's kernel-internal scoped form (IMPLEMENTATION 1.3.1): inside the kernel
 * the zone index of a link-scoped address is stored in bytes 2-3 (the second
 * 16-bit group), e.g. fe80::1 on interface 1 is kept as fe80:1::1. Those bits
 * are zero on the wire for these addresses (RFC 4291 2.5.6 and 2.7), so they
 * are free, but the form must be cleared before a packet leaves the node.
 */

/**
 * True for addresses that carry an embedded zone in KAME: link-local unicast
 * fe80::/10, and interface-local or link-local multicast (scop 1 or 2).
 * Multicast with the P flag (RFC 3306 4, RFC 4489) is excluded: its bytes 2-3
 * hold reserved bits and plen, so embedding would destroy them.
 */
export function needsScope(addr: Ipv6Address): boolean {
  const b = addr.bytes;
  if (b[0] === 0xfe) return (b[1]! & 0xc0) === 0x80;
  if (b[0] !== 0xff) return false;
  const scop = b[1]! & 0x0f;
  return (scop === 1 || scop === 2) && (b[1]! & 0x20) === 0;
}

/**
 * Writes `ifindex` (0..65535) into bytes 2-3 of a link-scoped address;
 * any value already there is replaced. Other addresses come back unchanged.
 */
export function embedScope(addr: Ipv6Address, ifindex: number): Ipv6Address {
  if (!Number.isInteger(ifindex) || ifindex < 0 || ifindex > 0xffff) {
    throw new RangeError(`embedded interface index must be 0..65535, got ${ifindex}`);
  }
  if (!needsScope(addr)) return addr;
  const b = addr.bytes.slice();
  b[2] = ifindex >> 8;
  b[3] = ifindex & 0xff;
  return Ipv6Address.fromBytes(b);
}

/**
 * Splits a kernel-form address into the wire address (bytes 2-3 cleared) and
 * the interface index found there. Other addresses come back unchanged with
 * ifindex 0 (RFC 4007 6: zone index 0 means "no zone given").
 */
export function extractScope(addr: Ipv6Address): { address: Ipv6Address; ifindex: number } {
  if (!needsScope(addr)) return { address: addr, ifindex: 0 };
  const b = addr.bytes.slice();
  const ifindex = (b[2]! << 8) | b[3]!;
  b[2] = 0;
  b[3] = 0;
  return { address: Ipv6Address.fromBytes(b), ifindex };
}
