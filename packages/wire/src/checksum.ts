import type { Ipv4Address, Ipv6Address } from '@kame/addr';
import { u16 } from './codec';
import { DecodeError } from './decode-error';

/**
 * The Internet checksum (RFC 1071): one's-complement sum of 16-bit words.
 * `sum` accumulates a partial sum so that pseudo-headers and data chain.
 */
export function onesSum(bytes: Uint8Array, start = 0, end = bytes.length, sum = 0): number {
  let i = start;
  const last = end - 1;
  for (; i < last; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i === last) sum += bytes[i]! << 8;
  // Fold often enough that the accumulator stays an exact integer.
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** Folds a partial sum to 16 bits and complements it. */
export function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/**
 * RFC 8200 8.1 pseudo-header sum: source, destination, upper-layer packet
 * length (32 bits, so a jumbogram's length above 65535 fits: RFC 2675 4) and
 * next header.
 */
export function ipv6PseudoHeaderSum(
  src: Ipv6Address,
  dst: Ipv6Address,
  upperLength: number,
  nextHeader: number,
): number {
  let sum = onesSum(src.bytes) + onesSum(dst.bytes);
  sum += Math.floor(upperLength / 0x10000) + (upperLength & 0xffff);
  sum += nextHeader;
  return sum;
}

/** RFC 768 / RFC 793 IPv4 pseudo-header sum. */
export function ipv4PseudoHeaderSum(
  src: Ipv4Address,
  dst: Ipv4Address,
  length: number,
  protocol: number,
): number {
  return onesSum(src.bytes) + onesSum(dst.bytes) + protocol + length;
}

/** Checksum of bytes[start,end) over a precomputed pseudo-header sum. */
export function checksumWith(pseudoSum: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  return finishChecksum(onesSum(bytes, start, end, pseudoSum));
}

/** True when data that includes its checksum field sums to 0xffff. */
export function checksumValid(pseudoSum: number, bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  return finishChecksum(onesSum(bytes, start, end, pseudoSum)) === 0;
}

/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443 2.3) both keep a 16-bit checksum at
 * offset 2 of the message: throws a DecodeError naming the value it should
 * have had unless the message sums correctly over `pseudoSum`.
 */
export function verifyChecksumAt2(protocol: string, bytes: Uint8Array, pseudoSum: number): void {
  if (checksumValid(pseudoSum, bytes)) return;
  const want = finishChecksum(onesSum(bytes, 4, bytes.length, onesSum(bytes, 0, 2, pseudoSum)));
  throw new DecodeError(
    protocol,
    'checksum',
    2,
    `0x${u16(bytes, 2).toString(16).padStart(4, '0')} is wrong (want 0x${want.toString(16).padStart(4, '0')})`,
  );
}

/**
 * What an upper-layer codec (ICMPv6, UDP, TCP) needs from the IP layer: the
 * pseudo-header addresses. On parse the checksum is verified unless
 * `verifyChecksum` is false (captures with offloaded, partial checksums).
 * Emit always writes a correct checksum.
 */
export interface PseudoHeader {
  src: Ipv6Address | Ipv4Address;
  dst: Ipv6Address | Ipv4Address;
  verifyChecksum?: boolean;
  /**
   * UDP over IPv6 only: accept a zero checksum ("none computed") on parse.
   * RFC 8200 8.1 makes it an error, which stays the default; RFC 6935 and
   * RFC 6936 allow it for tunnel protocols (e.g. VXLAN, GRE-in-UDP) on ports
   * configured for it. Ignored over IPv4 (RFC 768 always allows zero) and by
   * every other codec; emit always writes a checksum.
   */
  allowZeroChecksum?: boolean;
}

/** True when the pseudo-header carries IPv6 addresses. */
export function isIpv6PseudoHeader(ctx: PseudoHeader): boolean {
  return ctx.src.bytes.length === 16;
}

/**
 * The pseudo-header partial sum for an upper-layer packet of `length` octets:
 * RFC 8200 8.1 (32-bit length, so jumbograms work) over IPv6, RFC 768 / RFC
 * 9293 3.1 over IPv4. The family is taken from `src`.
 */
export function transportPseudoSum(ctx: PseudoHeader, length: number, protocol: number): number {
  return isIpv6PseudoHeader(ctx)
    ? ipv6PseudoHeaderSum(ctx.src as Ipv6Address, ctx.dst as Ipv6Address, length, protocol)
    : ipv4PseudoHeaderSum(ctx.src as Ipv4Address, ctx.dst as Ipv4Address, length, protocol);
}
