/**
 * Shared fast-check scaffolding for the codec tests: "random bytes throw only
 * DecodeError", "mutations and truncations of a valid encoding throw only
 * DecodeError" and "repr → encode → parse round trip", plus the byte helpers
 * every test file wants.
 */
import { Ipv4Address, Ipv6Address, MacAddress } from '@kame/addr';
import fc from 'fast-check';
import type { PseudoHeader } from '../../src/checksum';
import { DecodeError } from '../../src/decode-error';

/** Bytes from hex text; white space is ignored. */
export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
/** Lower-case hex text of the bytes. */
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** An IPv6 address from its text form. */
export const a6 = (s: string): Ipv6Address => Ipv6Address.parse(s);
/** An IPv6 pseudo-header from two addresses in text form. */
export const ph = (src: string, dst: string): PseudoHeader => ({ src: a6(src), dst: a6(dst) });

/** A deep copy fit for toEqual: bytes as hex text, addresses as their text form. */
export function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return toHex(v);
  if (v instanceof Ipv6Address || v instanceof Ipv4Address || v instanceof MacAddress) return v.toString();
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/** Runs f; a DecodeError is swallowed, anything else thrown fails the test. */
export function onlyDecodeError(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
}

export interface HostileBytesOptions<E> {
  /** Longest random input. */
  maxLength: number;
  numRuns?: number;
  /** A second value drawn for each case (a context, a flag, an offset) and handed to parse. */
  extra?: fc.Arbitrary<E>;
}

/**
 * Property: parse on random bytes returns or throws a DecodeError, nothing else.
 * parse may first bias the bytes (e.g. set a version field) to get deeper.
 */
export function hostileBytes<E = undefined>(
  parse: (b: Uint8Array, extra: E) => unknown,
  opts: HostileBytesOptions<E>,
): void {
  const bytes = fc.uint8Array({ maxLength: opts.maxLength });
  const params = opts.numRuns === undefined ? {} : { numRuns: opts.numRuns };
  if (opts.extra === undefined) {
    fc.assert(
      fc.property(bytes, (b) => onlyDecodeError(() => parse(b, undefined as E))),
      params,
    );
  } else {
    fc.assert(
      fc.property(bytes, opts.extra, (b, e) => onlyDecodeError(() => parse(b, e))),
      params,
    );
  }
}

/** Keeps the first `cut % (n + 1)` bytes. */
export const keepPrefix = (b: Uint8Array, cut: number): Uint8Array => b.subarray(0, cut % (b.length + 1));
/** Drops the last `cut % (n + 1)` bytes. */
export const dropSuffix = (b: Uint8Array, cut: number): Uint8Array =>
  b.subarray(0, b.length - (cut % (b.length + 1)));

export interface HostileMutationsOptions<T> {
  /** Fewest and most single-byte overwrites per case (at index % length). */
  minMutations?: number;
  maxMutations: number;
  numRuns?: number;
  /** How a case's cut shortens the mutated bytes (default keepPrefix). */
  truncate?: (b: Uint8Array, cut: number) => Uint8Array;
  /** Parsers run on the truncated bytes (default: parse). */
  truncated?: ReadonlyArray<(b: Uint8Array, v: T) => unknown>;
  /** Parsers run on the whole mutated bytes (default: parse; [] for none). */
  whole?: ReadonlyArray<(b: Uint8Array, v: T) => unknown>;
}

/**
 * Property: a valid encoding with byte overwrites, truncated and whole, parses
 * or throws a DecodeError, nothing else. encode must return fresh bytes (they
 * are mutated in place); parse also sees the drawn value (for its context).
 */
export function hostileMutations<T>(
  valid: fc.Arbitrary<T>,
  encode: (v: T) => Uint8Array,
  parse: (b: Uint8Array, v: T) => unknown,
  opts: HostileMutationsOptions<T>,
): void {
  const truncate = opts.truncate ?? keepPrefix;
  const onTruncated = opts.truncated ?? [parse];
  const onWhole = opts.whole ?? [parse];
  fc.assert(
    fc.property(
      valid,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
        minLength: opts.minMutations ?? 0,
        maxLength: opts.maxMutations,
      }),
      fc.nat(),
      (v, muts, cut) => {
        const b = encode(v);
        for (const [i, x] of muts) b[i % b.length] = x;
        const t = truncate(b, cut);
        for (const p of onTruncated) onlyDecodeError(() => p(t, v));
        for (const p of onWhole) onlyDecodeError(() => p(b, v));
      },
    ),
    opts.numRuns === undefined ? {} : { numRuns: opts.numRuns },
  );
}

export interface RoundTripOptions<R, C> {
  /** What toEqual compares (default: the repr itself). */
  normalize?: (r: R) => unknown;
  /** When given, the encoding must be exactly this long. */
  bufferLen?: (r: R) => number;
  /** A context drawn for each case (e.g. pseudo-header addresses) for encode and parse. */
  ctx?: fc.Arbitrary<C>;
}

/** Property: repr → encode → parse gives the repr back (after normalize). */
export function roundTrip<R, C = undefined>(
  arb: fc.Arbitrary<R>,
  encode: (r: R, ctx: C) => Uint8Array,
  parse: (b: Uint8Array, ctx: C) => R,
  opts: RoundTripOptions<R, C> = {},
): void {
  const norm = opts.normalize ?? ((r: R): unknown => r);
  const check = (r: R, ctx: C): void => {
    const b = encode(r, ctx);
    if (opts.bufferLen) expect(b.length).toBe(opts.bufferLen(r));
    expect(norm(parse(b, ctx))).toEqual(norm(r));
  };
  if (opts.ctx === undefined) fc.assert(fc.property(arb, (r) => check(r, undefined as C)));
  else fc.assert(fc.property(arb, opts.ctx, check));
}
