import { DecodeError } from './decode-error';

/**
 * The shape every wire format follows (smoltcp's view + repr):
 *  - parse(bytes, ctx) validates and returns a plain typed repr; it throws
 *    DecodeError and nothing else. Payload fields are zero-copy subarrays.
 *  - bufferLen(repr) is the exact encoded size.
 *  - emit(repr, buf, offset, ctx) writes into buf and returns the bytes written.
 *  - encode(repr, ctx) allocates and emits.
 * `C` is the context a format needs beyond its own bytes (e.g. the IPv6
 * pseudo-header addresses for an ICMPv6 checksum).
 */
export interface Codec<R, C = void> {
  readonly protocol: string;
  parse(bytes: Uint8Array, ctx: C): R;
  bufferLen(repr: R): number;
  emit(repr: R, buf: Uint8Array, offset: number, ctx: C): number;
  encode(repr: R, ctx: C): Uint8Array;
}

/** Throws DecodeError unless bytes[offset, offset+len) is inside the buffer. */
export function ensure(
  bytes: Uint8Array,
  offset: number,
  len: number,
  protocol: string,
  field: string,
): void {
  if (offset + len > bytes.length) {
    throw new DecodeError(
      protocol,
      field,
      offset,
      `truncated: need ${len} byte${len === 1 ? '' : 's'}, have ${Math.max(0, bytes.length - offset)}`,
    );
  }
}

// Unchecked big-endian accessors: call ensure() (or check a view's length) first.
export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
export function u24(b: Uint8Array, o: number): number {
  return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
}
export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8;
  b[o + 1] = v;
}
export function put24(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 16;
  b[o + 1] = v >>> 8;
  b[o + 2] = v;
}
export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}

/** Throws RangeError when an emit target is too small (a caller bug, not input). */
export function ensureRoom(buf: Uint8Array, offset: number, len: number, protocol: string): void {
  if (offset < 0 || offset + len > buf.length) {
    throw new RangeError(`${protocol}: emit needs ${len} bytes at ${offset}, buffer has ${buf.length}`);
  }
}

/** Builds the `encode` half of a Codec from bufferLen and emit. */
export function encodeWith<R, C>(
  bufferLen: (r: R) => number,
  emit: (r: R, b: Uint8Array, o: number, c: C) => number,
): (r: R, c: C) => Uint8Array {
  return (r, c) => {
    const out = new Uint8Array(bufferLen(r));
    emit(r, out, 0, c);
    return out;
  };
}

/** Runs a decoder and returns its value or its DecodeError (never throws a DecodeError). */
export function tryParse<R>(f: () => R): { ok: true; value: R } | { ok: false; error: DecodeError } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, error: e };
    throw e;
  }
}
