/**
 * Bit helpers shared by addresses and prefixes. Addresses are big-endian byte
 * strings, so "the first n bits" are the high bits of the first bytes
 * (RFC 4291 2.3: the prefix is the leftmost contiguous bits).
 */

/** Throws RangeError unless len is an integer in 0..max. */
export function checkPrefixLength(len: number, max: number): void {
  if (!Number.isInteger(len) || len < 0 || len > max) {
    throw new RangeError(`prefix length must be an integer 0..${max}, got ${len}`);
  }
}

/** A copy of `src` with every bit after the first `len` cleared. */
export function maskBytes(src: Uint8Array, len: number): Uint8Array {
  checkPrefixLength(len, src.length * 8);
  const out = src.slice();
  const full = len >> 3;
  const rem = len & 7;
  if (full < out.length) {
    out[full] = out[full]! & ((0xff << (8 - rem)) & 0xff);
    out.fill(0, full + 1);
  }
  return out;
}

/** A netmask of `size` bytes with the first `len` bits set. */
export function netmaskBytes(size: number, len: number): Uint8Array {
  checkPrefixLength(len, size * 8);
  const out = new Uint8Array(size);
  out.fill(0xff, 0, len >> 3);
  if (len & 7) out[len >> 3] = (0xff << (8 - (len & 7))) & 0xff;
  return out;
}

/** True when a and b agree on their first `len` bits. */
export function samePrefix(a: Uint8Array, b: Uint8Array, len: number): boolean {
  const full = len >> 3;
  for (let i = 0; i < full; i++) if (a[i] !== b[i]) return false;
  const rem = len & 7;
  if (rem === 0) return true;
  const m = (0xff << (8 - rem)) & 0xff;
  return (a[full]! & m) === (b[full]! & m);
}

/** Number of leading bits a and b share (both the same length). */
export function commonPrefixBits(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! ^ b[i]!;
    // Math.clz32 counts from bit 31; a byte sits in the low 8 bits.
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return a.length * 8;
}

/** True when every bit after the first `len` is zero. */
export function hostBitsZero(b: Uint8Array, len: number): boolean {
  const full = len >> 3;
  const rem = len & 7;
  if (full < b.length && (b[full]! & (0xff >> rem)) !== 0) return false;
  for (let i = full + 1; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}
