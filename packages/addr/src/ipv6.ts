import { AddrParseError } from './parse-error';
import { Ipv4Address, parseDottedQuad } from './ipv4';
import { maskBytes } from './bits';

const HEX = '0123456789abcdef';

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/** An IPv6 address: 16 bytes, immutable, without a zone (see ScopedAddress for zones). */
export class Ipv6Address {
  static readonly LENGTH = 16;
  /** :: */
  static readonly UNSPECIFIED = new Ipv6Address(new Uint8Array(16));
  /** ::1 */
  static readonly LOOPBACK = new Ipv6Address(Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? 1 : 0)));

  /** The 16 bytes in network order. Never mutate. */
  readonly bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** Copies 16 bytes starting at `offset`. */
  static fromBytes(src: Uint8Array, offset = 0): Ipv6Address {
    if (offset < 0 || offset + 16 > src.length) {
      throw new RangeError(`Ipv6Address.fromBytes: need 16 bytes at offset ${offset}, have ${src.length}`);
    }
    return new Ipv6Address(src.slice(offset, offset + 16));
  }

  /** From eight 16-bit groups. */
  static fromGroups(groups: readonly number[]): Ipv6Address {
    if (groups.length !== 8) throw new RangeError(`need 8 groups, got ${groups.length}`);
    const b = new Uint8Array(16);
    groups.forEach((g, i) => {
      if (!Number.isInteger(g) || g < 0 || g > 0xffff) throw new RangeError(`group ${i} out of range: ${g}`);
      b[2 * i] = g >> 8;
      b[2 * i + 1] = g & 0xff;
    });
    return new Ipv6Address(b);
  }

  /**
   * Parses every RFC 4291 2.2 text form: full, `::`-compressed, and with an
   * embedded dotted-quad IPv4 tail. No zone (`%`), no brackets, no prefix length.
   */
  static parse(text: string): Ipv6Address {
    const out = new Uint8Array(16);
    const err = parseIpv6Into(text, 0, text.length, out);
    if (err) throw new AddrParseError('IPv6 address', text, err.position, err.reason);
    return new Ipv6Address(out);
  }

  static tryParse(text: string): Ipv6Address | undefined {
    const out = new Uint8Array(16);
    return parseIpv6Into(text, 0, text.length, out) ? undefined : new Ipv6Address(out);
  }

  /** IPv4-mapped ::ffff:a.b.c.d (RFC 4291 2.5.5.2). */
  static v4Mapped(v4: Ipv4Address): Ipv6Address {
    const b = new Uint8Array(16);
    b[10] = 0xff;
    b[11] = 0xff;
    b.set(v4.bytes, 12);
    return new Ipv6Address(b);
  }

  /** IPv4-compatible ::a.b.c.d (RFC 4291 2.5.5.1, deprecated). */
  static v4Compatible(v4: Ipv4Address): Ipv6Address {
    const b = new Uint8Array(16);
    b.set(v4.bytes, 12);
    return new Ipv6Address(b);
  }

  /** 16-bit group i (0..7). */
  group(i: number): number {
    return (this.bytes[2 * i]! << 8) | this.bytes[2 * i + 1]!;
  }

  groups(): number[] {
    return [0, 1, 2, 3, 4, 5, 6, 7].map((i) => this.group(i));
  }

  equals(other: Ipv6Address): boolean {
    const a = this.bytes;
    const b = other.bytes;
    for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** Numeric order: negative, 0 or positive. */
  compare(other: Ipv6Address): number {
    const a = this.bytes;
    const b = other.bytes;
    for (let i = 0; i < 16; i++) {
      const d = a[i]! - b[i]!;
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return 0;
  }

  isUnspecified(): boolean {
    return this.bytes.every((x) => x === 0);
  }
  isLoopback(): boolean {
    return this.equals(Ipv6Address.LOOPBACK);
  }
  isMulticast(): boolean {
    return this.bytes[0] === 0xff;
  }
  /** fe80::/10 */
  isLinkLocal(): boolean {
    return this.bytes[0] === 0xfe && (this.bytes[1]! & 0xc0) === 0x80;
  }
  /** fec0::/10 (deprecated by RFC 3879; KAME still knows it) */
  isSiteLocal(): boolean {
    return this.bytes[0] === 0xfe && (this.bytes[1]! & 0xc0) === 0xc0;
  }
  /** fc00::/7 (RFC 4193) */
  isUniqueLocal(): boolean {
    return (this.bytes[0]! & 0xfe) === 0xfc;
  }
  /** ::ffff:0:0/96 (RFC 4291 2.5.5.2) */
  isV4Mapped(): boolean {
    const b = this.bytes;
    for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
    return b[10] === 0xff && b[11] === 0xff;
  }
  /** ::/96 less :: and ::1 (RFC 4291 2.5.5.1; IMPLEMENTATION 1.14) */
  isV4Compatible(): boolean {
    const b = this.bytes;
    for (let i = 0; i < 12; i++) if (b[i] !== 0) return false;
    return !(b[12] === 0 && b[13] === 0 && b[14] === 0 && (b[15] === 0 || b[15] === 1));
  }

  /** This address with all but the first `len` bits cleared (RFC 4291 2.3). RangeError unless 0..128. */
  mask(len: number): Ipv6Address {
    return new Ipv6Address(maskBytes(this.bytes, len));
  }

  /** The IPv4 address in the low 32 bits (for mapped/compatible forms). */
  lowIpv4(): Ipv4Address {
    return Ipv4Address.fromBytes(this.bytes, 12);
  }

  /**
   * A compact map key: the eight 16-bit groups as one 8-character string.
   * Not for display (use toString); cheaper to build on packet paths.
   */
  key(): string {
    const b = this.bytes;
    return String.fromCharCode(
      (b[0]! << 8) | b[1]!,
      (b[2]! << 8) | b[3]!,
      (b[4]! << 8) | b[5]!,
      (b[6]! << 8) | b[7]!,
      (b[8]! << 8) | b[9]!,
      (b[10]! << 8) | b[11]!,
      (b[12]! << 8) | b[13]!,
      (b[14]! << 8) | b[15]!,
    );
  }

  /** Canonical text per RFC 5952 (lower case, longest zero run compressed, mapped as ::ffff:a.b.c.d). */
  toString(): string {
    // Immutable, and used as a Map key on packet paths: format once. A side
    // table rather than a field keeps instances structurally equal.
    let t = TEXT.get(this);
    if (t === undefined) {
      t = formatIpv6(this.bytes);
      TEXT.set(this, t);
    }
    return t;
  }
}

const TEXT = new WeakMap<Ipv6Address, string>();

/** RFC 5952 section 4 and 5 formatting of 16 bytes at `offset`. */
export function formatIpv6(b: Uint8Array, offset = 0): string {
  const g = new Array<number>(8);
  for (let i = 0; i < 8; i++) g[i] = (b[offset + 2 * i]! << 8) | b[offset + 2 * i + 1]!;
  // RFC 5952 5: IPv4-mapped addresses use the mixed notation.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${b[offset + 12]}.${b[offset + 13]}.${b[offset + 14]}.${b[offset + 15]}`;
  }
  // RFC 5952 4.2: the longest run of two or more zero groups; the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s.length > 0 && !s.endsWith(':')) s += ':';
    s += hex16(g[i]!);
  }
  return s;
}

function hex16(v: number): string {
  if (v === 0) return '0';
  let s = '';
  let started = false;
  for (let shift = 12; shift >= 0; shift -= 4) {
    const d = (v >> shift) & 0xf;
    if (d !== 0 || started) {
      s += HEX[d];
      started = true;
    }
  }
  return s;
}

/**
 * Parses text[start, end) as an IPv6 address into out (16 bytes).
 * Returns undefined on success, else the failing position and reason.
 */
export function parseIpv6Into(
  text: string,
  start: number,
  end: number,
  out: Uint8Array,
): { position: number; reason: string } | undefined {
  if (start === end) return { position: start, reason: 'empty address' };
  const groups: number[] = [];
  let gapAt = -1; // index in groups where '::' stands
  let gapPos = start; // text offset of that '::', for error reports
  let i = start;
  if (text.charCodeAt(i) === 58 /* : */) {
    if (text.charCodeAt(i + 1) !== 58 || i + 1 >= end) {
      return { position: i, reason: "a leading ':' must be part of '::'" };
    }
    gapAt = 0;
    i += 2;
    if (i === end) {
      out.fill(0);
      return undefined;
    }
    if (text.charCodeAt(i) === 58) return { position: i, reason: "':::' is not allowed" };
  }
  while (i < end) {
    const gStart = i;
    let value = 0;
    let digits = 0;
    while (i < end) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = (value << 4) | h;
      digits++;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 46 /* . */) {
      // Embedded IPv4 tail (RFC 4291 2.2 form 3): only as the last 32 bits.
      if (groups.length > 6) return { position: gStart, reason: 'too many groups before the IPv4 part' };
      if (gapAt < 0 && groups.length !== 6) {
        return { position: gStart, reason: `IPv4 part needs 6 groups before it, got ${groups.length}` };
      }
      const v4 = new Uint8Array(4);
      const err = parseDottedQuad(text, gStart, end, v4, 0);
      if (err) return err;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      break;
    }
    if (digits === 0) {
      const c = text[i];
      if (c === ':')
        return { position: i, reason: gapAt >= 0 ? "a second '::' is not allowed" : 'empty group' };
      if (c === '%') return { position: i, reason: 'unexpected zone; parse it as a scoped address' };
      return { position: i, reason: c === undefined ? 'trailing colon' : `unexpected character '${c}'` };
    }
    if (digits > 4) return { position: gStart, reason: 'group has more than 4 hex digits' };
    groups.push(value);
    if (groups.length > 8) return { position: gStart, reason: 'more than 8 groups' };
    if (i === end) break;
    const c = text.charCodeAt(i);
    if (c === 37) return { position: i, reason: 'unexpected zone; parse it as a scoped address' };
    if (c !== 58) return { position: i, reason: `unexpected character '${text[i]}'` };
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gapAt >= 0) return { position: i - 1, reason: "a second '::' is not allowed" };
      gapAt = groups.length;
      gapPos = i - 1;
      i++;
      if (i < end && text.charCodeAt(i) === 58) return { position: i - 2, reason: "':::' is not allowed" };
      if (i === end) break;
    } else if (i === end) {
      return { position: i - 1, reason: 'trailing colon' };
    }
  }
  if (gapAt < 0) {
    if (groups.length !== 8) return { position: end, reason: `${groups.length} groups, need 8 (or '::')` };
  } else if (groups.length > 7) {
    return { position: gapPos, reason: "'::' with 8 groups stands for no zero group" };
  }
  out.fill(0);
  const tail = gapAt < 0 ? 0 : groups.length - gapAt;
  for (let k = 0; k < groups.length; k++) {
    const slot = gapAt < 0 || k < gapAt ? k : 8 - tail + (k - gapAt);
    out[2 * slot] = groups[k]! >> 8;
    out[2 * slot + 1] = groups[k]! & 0xff;
  }
  return undefined;
}
