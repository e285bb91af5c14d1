import type { Ipv4Address } from './ipv4';
import type { Ipv6Address } from './ipv6';
import { MacAddress } from './mac';

/**
 * Ethernet destination for an IPv6 multicast address (RFC 2464 7):
 * 33:33 followed by the last four bytes of the address.
 */
export function multicastMac(addr: Ipv6Address): MacAddress {
  if (!addr.isMulticast()) throw new RangeError(`${addr.toString()} is not a multicast address`);
  const b = addr.bytes;
  return MacAddress.fromBytes(new Uint8Array([0x33, 0x33, b[12]!, b[13]!, b[14]!, b[15]!]));
}

/**
 * Ethernet destination for an IPv4 multicast address (RFC 1112 6.4):
 * 01:00:5e followed by the low-order 23 bits of the address.
 */
export function ipv4MulticastMac(addr: Ipv4Address): MacAddress {
  if (!addr.isMulticast()) throw new RangeError(`${addr.toString()} is not a multicast address`);
  const b = addr.bytes;
  return MacAddress.fromBytes(new Uint8Array([0x01, 0x00, 0x5e, b[1]! & 0x7f, b[2]!, b[3]!]));
}
