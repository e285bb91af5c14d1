import { AddrParseError } from './parse-error';
import { Ipv4Address, parseDottedQuad } from './ipv4';
import { checkPrefixLength, hostBitsZero, netmaskBytes, samePrefix } from './bits';
import { parsePrefixLength } from './prefix-length';
import type { PrefixOptions } from './ipv6-prefix';

/** An IPv4 prefix (RFC 4632 3.1 CIDR): a network address and a length 0..32. Immutable. */
export class Ipv4Prefix {
  /** 0.0.0.0/0, the default route. */
  static readonly DEFAULT = new Ipv4Prefix(Ipv4Address.ANY, 0);

  /** The network address: host bits are always zero. */
  readonly address: Ipv4Address;
  /** Prefix length in bits, 0..32. */
  readonly length: number;

  private constructor(address: Ipv4Address, length: number) {
    this.address = address;
    this.length = length;
  }

  /**
   * Builds a prefix from an address and length. With `strict`, non-zero host
   * bits throw RangeError; otherwise they are cleared.
   */
  static of(address: Ipv4Address, length: number, options: PrefixOptions = {}): Ipv4Prefix {
    checkPrefixLength(length, 32);
    if (options.strict && !hostBitsZero(address.bytes, length)) {
      throw new RangeError(`${address.toString()}/${length} has host bits set`);
    }
    return new Ipv4Prefix(address.mask(length), length);
  }

  /** The netmask with the first `len` bits set, e.g. mask(24) = 255.255.255.0. */
  static mask(len: number): Ipv4Address {
    return Ipv4Address.fromBytes(netmaskBytes(4, len));
  }

  /**
   * Parses `address/length` (RFC 4632 3.1). The address is a full dotted quad; the length is required and must be
   * decimal 0..32. Errors are AddrParseError with the offending position.
   */
  static parse(text: string, options: PrefixOptions = {}): Ipv4Prefix {
    const { address, length } = Ipv4Prefix.parseCidr(text);
    if (options.strict && !hostBitsZero(address.bytes, length)) {
      throw new AddrParseError(
        'IPv4 prefix',
        text,
        text.indexOf('/'),
        `host bits after /${length} are not zero`,
      );
    }
    return new Ipv4Prefix(address.mask(length), length);
  }

  static tryParse(text: string, options: PrefixOptions = {}): Ipv4Prefix | undefined {
    try {
      return Ipv4Prefix.parse(text, options);
    } catch (e) {
      if (e instanceof AddrParseError) return undefined;
      throw e;
    }
  }

  /**
   * Parses `address/length` without touching host bits, for interface
   * configuration such as "192.0.2.1/24" where both halves matter.
   */
  static parseCidr(text: string): { address: Ipv4Address; length: number } {
    const slash = text.indexOf('/');
    const addrEnd = slash < 0 ? text.length : slash;
    const out = new Uint8Array(4);
    const err = parseDottedQuad(text, 0, addrEnd, out, 0);
    if (err) throw new AddrParseError('IPv4 prefix', text, err.position, err.reason);
    if (slash < 0)
      throw new AddrParseError('IPv4 prefix', text, text.length, "missing '/' and prefix length");
    const len = parsePrefixLength(text, slash + 1, text.length, 32);
    if ('position' in len) throw new AddrParseError('IPv4 prefix', text, len.position, len.reason);
    return { address: Ipv4Address.fromBytes(out), length: len.value };
  }

  /** Same as `address`: the first address of the prefix. */
  get network(): Ipv4Address {
    return this.address;
  }

  /** The netmask of this prefix. */
  get netmask(): Ipv4Address {
    return Ipv4Prefix.mask(this.length);
  }

  /** The last address in the prefix (all host bits set; the directed broadcast for subnets). */
  get lastAddress(): Ipv4Address {
    const m = netmaskBytes(4, this.length);
    const b = this.address.bytes.map((x, i) => x | (~m[i]! & 0xff));
    return Ipv4Address.fromBytes(b);
  }

  /** True when the first `length` bits of `addr` match this prefix. */
  contains(addr: Ipv4Address): boolean {
    return samePrefix(this.address.bytes, addr.bytes, this.length);
  }

  /** True when `other` is this prefix or a more specific one inside it. */
  containsPrefix(other: Ipv4Prefix): boolean {
    return other.length >= this.length && this.contains(other.address);
  }

  /** Orders by network address, then shorter (less specific) first. */
  compare(other: Ipv4Prefix): number {
    return this.address.compare(other.address) || Math.sign(this.length - other.length);
  }

  equals(other: Ipv4Prefix): boolean {
    return this.length === other.length && this.address.equals(other.address);
  }

  /** `192.0.2.0/24`. */
  toString(): string {
    return `${this.address.toString()}/${this.length}`;
  }
}
