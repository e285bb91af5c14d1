import type { Ipv6Address } from '@kame/addr';
import { checksumValid, checksumWith, IPPROTO_ICMPV6, ipv6PseudoHeaderSum } from '@kame/wire';
import type { SocketErrno } from './socket-errno';

/** RFC 4443 2.3: the ICMPv6 checksum is at offset 2 of the message. */
export const ICMPV6_CHECKSUM_OFFSET = 2;

/** IPV6_CHECKSUM value meaning "the kernel does not touch the checksum" (RFC 3542 3.1). */
export const CHECKSUM_DISABLED = -1;

/** The IPV6_CHECKSUM a new raw socket of `protocol` starts with (RFC 3542 3.1). */
export function defaultChecksumOffset(protocol: number): number {
  return protocol === IPPROTO_ICMPV6 ? ICMPV6_CHECKSUM_OFFSET : CHECKSUM_DISABLED;
}

/**
 * Checks a setsockopt(IPV6_CHECKSUM) value (RFC 3542 3.1): -1 disables, any
 * other value is the even offset of a 16-bit checksum in the upper-layer
 * data. On a raw ICMPv6 socket the kernel always computes it at offset 2 and
 * an application may not change that: EINVAL.
 */
export function checkChecksumOffset(protocol: number, offset: number): SocketErrno | undefined {
  if (protocol === IPPROTO_ICMPV6) return 'EINVAL';
  if (!Number.isInteger(offset) || offset < CHECKSUM_DISABLED) return 'EINVAL';
  if (offset !== CHECKSUM_DISABLED && offset % 2 !== 0) return 'EINVAL';
  if (offset > 0xffff) return 'EINVAL';
  return undefined;
}

/**
 * A copy of `payload` with the RFC 8200 8.1 checksum (pseudo-header + data)
 * stored at `offset`; EINVAL when the data is too short to hold it (RFC 3542
 * 3.1). The caller's buffer is not modified.
 */
export function fillChecksum(
  src: Ipv6Address,
  dst: Ipv6Address,
  nextHeader: number,
  payload: Uint8Array,
  offset: number,
): Uint8Array | SocketErrno {
  if (offset + 2 > payload.length) return 'EINVAL';
  const out = payload.slice();
  out[offset] = 0;
  out[offset + 1] = 0;
  const sum = checksumWith(ipv6PseudoHeaderSum(src, dst, out.length, nextHeader), out);
  out[offset] = sum >>> 8;
  out[offset + 1] = sum & 0xff;
  return out;
}

/** Input side of IPV6_CHECKSUM: true when the data (checksum included) verifies. */
export function verifyChecksum(
  src: Ipv6Address,
  dst: Ipv6Address,
  nextHeader: number,
  payload: Uint8Array,
  offset: number,
): boolean {
  if (offset + 2 > payload.length) return false;
  return checksumValid(ipv6PseudoHeaderSum(src, dst, payload.length, nextHeader), payload);
}
