import { AddrParseError } from './parse-error';
import { maskBytes } from './bits';

/** An IPv4 address: 4 bytes, immutable. */
export class Ipv4Address {
  static readonly LENGTH = 4;
  static readonly ANY = new Ipv4Address(new Uint8Array(4));
  static readonly BROADCAST = new Ipv4Address(new Uint8Array([255, 255, 255, 255]));

  /** The 4 bytes in network order. Never mutate. */
  readonly bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** Copies 4 bytes starting at `offset`. */
  static fromBytes(src: Uint8Array, offset = 0): Ipv4Address {
    if (offset < 0 || offset + 4 > src.length) {
      throw new RangeError(`Ipv4Address.fromBytes: need 4 bytes at offset ${offset}, have ${src.length}`);
    }
    return new Ipv4Address(src.slice(offset, offset + 4));
  }

  static fromNumber(n: number): Ipv4Address {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`not a 32-bit value: ${n}`);
    return new Ipv4Address(new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]));
  }

  /** Dotted-quad only (inet_pton semantics): four decimal parts 0..255, no leading zeros. */
  static parse(text: string): Ipv4Address {
    const out = new Uint8Array(4);
    const r = parseDottedQuad(text, 0, text.length, out, 0);
    if (r !== null) throw new AddrParseError('IPv4 address', text, r.position, r.reason);
    return new Ipv4Address(out);
  }

  static tryParse(text: string): Ipv4Address | undefined {
    const out = new Uint8Array(4);
    return parseDottedQuad(text, 0, text.length, out, 0) === null ? new Ipv4Address(out) : undefined;
  }

  toNumber(): number {
    const b = this.bytes;
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }

  equals(other: Ipv4Address): boolean {
    const a = this.bytes;
    const b = other.bytes;
    return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
  }

  compare(other: Ipv4Address): number {
    return Math.sign(this.toNumber() - other.toNumber());
  }

  isUnspecified(): boolean {
    return this.toNumber() === 0;
  }
  isLoopback(): boolean {
    return this.bytes[0] === 127;
  }
  isMulticast(): boolean {
    return (this.bytes[0]! & 0xf0) === 0xe0;
  }
  isBroadcast(): boolean {
    return this.toNumber() === 0xffffffff;
  }
  isLinkLocal(): boolean {
    return this.bytes[0] === 169 && this.bytes[1] === 254;
  }

  /** This address with all but the first `len` bits cleared. RangeError unless 0..32. */
  mask(len: number): Ipv4Address {
    return new Ipv4Address(maskBytes(this.bytes, len));
  }

  toString(): string {
    const b = this.bytes;
    return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  }
}

/**
 * Parses a dotted quad in text[start, end) into out[at..at+4).
 * Returns null on success, else the failing position and reason.
 * Shared by the IPv6 parser for embedded IPv4 (RFC 4291 2.2 form 3).
 */
export function parseDottedQuad(
  text: string,
  start: number,
  end: number,
  out: Uint8Array,
  at: number,
): { position: number; reason: string } | null {
  let part = 0;
  let i = start;
  while (part < 4) {
    const partStart = i;
    let value = 0;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      i++;
      if (i - partStart > 3) return { position: partStart, reason: 'IPv4 part has more than 3 digits' };
    }
    if (i === partStart) {
      return { position: i, reason: i < end ? `unexpected character '${text[i]}'` : 'missing IPv4 part' };
    }
    if (i - partStart > 1 && text.charCodeAt(partStart) === 48) {
      return { position: partStart, reason: 'IPv4 part has a leading zero' };
    }
    if (value > 255) return { position: partStart, reason: `IPv4 part ${value} > 255` };
    out[at + part] = value;
    part++;
    if (part < 4) {
      if (i >= end) return { position: i, reason: `only ${part} IPv4 parts, need 4` };
      if (text.charCodeAt(i) !== 46) return { position: i, reason: `unexpected character '${text[i]}'` };
      i++;
    }
  }
  if (i !== end) return { position: i, reason: `unexpected character '${text[i]}' after IPv4 address` };
  return null;
}
