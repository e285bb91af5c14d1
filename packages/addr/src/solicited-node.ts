import { Ipv6Address } from './ipv6';

/**
 * The solicited-node multicast address of `addr` (RFC 4291 2.7.1):
 * ff02::1:ff00:0/104 followed by the low-order 24 bits of the address.
 */
export function solicitedNodeMulticast(addr: Ipv6Address): Ipv6Address {
  const b = new Uint8Array(16);
  b[0] = 0xff;
  b[1] = 0x02;
  b[11] = 0x01;
  b[12] = 0xff;
  b.set(addr.bytes.subarray(13, 16), 13);
  return Ipv6Address.fromBytes(b);
}

/** True for ff02::1:ff00:0/104 (RFC 4291 2.7.1). */
export function isSolicitedNodeMulticast(addr: Ipv6Address): boolean {
  const b = addr.bytes;
  if (b[0] !== 0xff || b[1] !== 0x02) return false;
  for (let i = 2; i < 11; i++) if (b[i] !== 0) return false;
  return b[11] === 0x01 && b[12] === 0xff;
}
