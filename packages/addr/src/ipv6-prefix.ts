import { AddrParseError } from './parse-error';
import { Ipv6Address, parseIpv6Into } from './ipv6';
import { checkPrefixLength, hostBitsZero, netmaskBytes, samePrefix } from './bits';
import { parsePrefixLength } from './prefix-length';

/** How to treat bits after the prefix length when building a prefix. */
export interface PrefixOptions {
  /**
   * true: host bits must be zero, else error ("2001:db8::1/32" is rejected).
   * false (default): host bits are cleared, like route(8) does.
   */
  strict?: boolean;
}

/** An IPv6 prefix (RFC 4291 2.3): a network address and a length 0..128. Immutable. */
export class Ipv6Prefix {
  /** ::/0, the default route. */
  static readonly DEFAULT = new Ipv6Prefix(Ipv6Address.UNSPECIFIED, 0);

  /** The network address: host bits are always zero. */
  readonly address: Ipv6Address;
  /** Prefix length in bits, 0..128. */
  readonly length: number;

  private constructor(address: Ipv6Address, length: number) {
    this.address = address;
    this.length = length;
  }

  /**
   * Builds a prefix from an address and length. With `strict`, non-zero host
   * bits throw RangeError; otherwise they are cleared.
   */
  static of(address: Ipv6Address, length: number, options: PrefixOptions = {}): Ipv6Prefix {
    checkPrefixLength(length, 128);
    if (options.strict && !hostBitsZero(address.bytes, length)) {
      throw new RangeError(`${address.toString()}/${length} has host bits set`);
    }
    return new Ipv6Prefix(address.mask(length), length);
  }

  /** The netmask with the first `len` bits set, e.g. mask(32) = ffff:ffff::. */
  static mask(len: number): Ipv6Address {
    return Ipv6Address.fromBytes(netmaskBytes(16, len));
  }

  /**
   * Parses `address/length` (RFC 4291 2.3). The length is required and must be
   * decimal 0..128. Errors are AddrParseError with the offending position.
   */
  static parse(text: string, options: PrefixOptions = {}): Ipv6Prefix {
    const { address, length } = Ipv6Prefix.parseCidr(text);
    if (options.strict && !hostBitsZero(address.bytes, length)) {
      throw new AddrParseError(
        'IPv6 prefix',
        text,
        text.indexOf('/'),
        `host bits after /${length} are not zero`,
      );
    }
    return new Ipv6Prefix(address.mask(length), length);
  }

  static tryParse(text: string, options: PrefixOptions = {}): Ipv6Prefix | undefined {
    try {
      return Ipv6Prefix.parse(text, options);
    } catch (e) {
      if (e instanceof AddrParseError) return undefined;
      throw e;
    }
  }

  /**
   * Parses `address/length` without touching host bits, for interface
   * configuration such as "2001:db8::1/64" where both halves matter.
   */
  static parseCidr(text: string): { address: Ipv6Address; length: number } {
    const slash = text.indexOf('/');
    const addrEnd = slash < 0 ? text.length : slash;
    const out = new Uint8Array(16);
    const err = parseIpv6Into(text, 0, addrEnd, out);
    if (err) throw new AddrParseError('IPv6 prefix', text, err.position, err.reason);
    if (slash < 0)
      throw new AddrParseError('IPv6 prefix', text, text.length, "missing '/' and prefix length");
    const len = parsePrefixLength(text, slash + 1, text.length, 128);
    if ('position' in len) throw new AddrParseError('IPv6 prefix', text, len.position, len.reason);
    return { address: Ipv6Address.fromBytes(out), length: len.value };
  }

  /** Same as `address`: the first address of the prefix. */
  get network(): Ipv6Address {
    return this.address;
  }

  /** The netmask of this prefix. */
  get netmask(): Ipv6Address {
    return Ipv6Prefix.mask(this.length);
  }

  /** The last address in the prefix (all host bits set). */
  get lastAddress(): Ipv6Address {
    const m = netmaskBytes(16, this.length);
    const b = this.address.bytes.map((x, i) => x | (~m[i]! & 0xff));
    return Ipv6Address.fromBytes(b);
  }

  /** True when the first `length` bits of `addr` match this prefix. */
  contains(addr: Ipv6Address): boolean {
    return samePrefix(this.address.bytes, addr.bytes, this.length);
  }

  /** True when `other` is this prefix or a more specific one inside it. */
  containsPrefix(other: Ipv6Prefix): boolean {
    return other.length >= this.length && this.contains(other.address);
  }

  /** Orders by network address, then shorter (less specific) first. */
  compare(other: Ipv6Prefix): number {
    return this.address.compare(other.address) || Math.sign(this.length - other.length);
  }

  equals(other: Ipv6Prefix): boolean {
    return this.length === other.length && this.address.equals(other.address);
  }

  /** `2001:db8::/32`, with the address in RFC 5952 form (RFC 5952 does not cover the length). */
  toString(): string {
    return `${this.address.toString()}/${this.length}`;
  }
}
