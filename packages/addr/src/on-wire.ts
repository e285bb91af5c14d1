import type { Ipv6Address } from './ipv6';

/**
 * True for addresses KAME refuses to see in an IPv6 header (IMPLEMENTATION
 * 1.14): IPv4-mapped ::ffff:0:0/96 (RFC 4291 2.5.5.2, an API-only form, see
 * also RFC 4038 and RFC 6890's "not valid as source or destination") and the
 * deprecated IPv4-compatible ::/96 (RFC 4291 2.5.5.1), both of which can be
 * abused to spoof IPv4 peers through translators. `::` and `::1` are not
 * IPv4-compatible and are judged elsewhere.
 */
export function isInvalidOnWire(addr: Ipv6Address): boolean {
  return addr.isV4Mapped() || addr.isV4Compatible();
}
