import { Ipv6Address } from './ipv6';
import type { MacAddress } from './mac';

/**
 * The modified EUI-64 interface identifier of a 48-bit MAC (RFC 4291 2.5.1 and
 * Appendix A, RFC 2464 4): insert ff:fe between the OUI and the rest, then
 * invert the universal/local bit (0x02 of the first byte). 8 bytes.
 */
export function eui64FromMac(mac: MacAddress): Uint8Array {
  const m = mac.bytes;
  return new Uint8Array([m[0]! ^ 0x02, m[1]!, m[2]!, 0xff, 0xfe, m[3]!, m[4]!, m[5]!]);
}

/**
 * An address made of the first 64 bits of `prefix` and the 8-byte interface
 * identifier `iid` (RFC 4291 2.5.4: global unicast outside 000/3 uses 64-bit IIDs).
 */
export function addressFromInterfaceId(prefix: Ipv6Address, iid: Uint8Array): Ipv6Address {
  if (iid.length !== 8) throw new RangeError(`interface identifier must be 8 bytes, got ${iid.length}`);
  const b = new Uint8Array(16);
  b.set(prefix.bytes.subarray(0, 8), 0);
  b.set(iid, 8);
  return Ipv6Address.fromBytes(b);
}

const LINK_LOCAL_PREFIX = Ipv6Address.fromGroups([0xfe80, 0, 0, 0, 0, 0, 0, 0]);

/** fe80::/64 plus the modified EUI-64 of `mac` (RFC 4862 5.3, RFC 2464 5). */
export function linkLocalFromMac(mac: MacAddress): Ipv6Address {
  return addressFromInterfaceId(LINK_LOCAL_PREFIX, eui64FromMac(mac));
}
