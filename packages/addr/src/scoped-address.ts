import { AddrParseError } from './parse-error';
import { Ipv6Address, parseIpv6Into } from './ipv6';
import { checkZone, parseZone, type Zone } from './zone';

/**
 * An IPv6 address with an optional zone (RFC 4007 11): `fe80::1%eth0`,
 * `fe80::1%2`. The zone is kept as given: a name (string) or an index (number).
 *
 * Two text forms are read:
 * - `parse`: the RFC 4007 11.2 form `<address>%<zone_id>`;
 * - `parseLegacy`: the old KAME command-line form `<ifname>%<address>`
 *   (e.g. `ne0%fe80::1`), kept separate so that `parse` never has to guess
 *   which side of the '%' is the address.
 */
export class ScopedAddress {
  readonly address: Ipv6Address;
  readonly zone: Zone | undefined;

  constructor(address: Ipv6Address, zone?: Zone) {
    if (zone !== undefined) checkZone(zone);
    this.address = address;
    this.zone = zone;
  }

  /**
   * `<address>` or `<address>%<zone_id>` (RFC 4007 11.2). An all-digit zone is
   * a zone index and becomes a number; a '%' with nothing after it is an error.
   */
  static parse(text: string): ScopedAddress {
    const pct = text.indexOf('%');
    const addrEnd = pct < 0 ? text.length : pct;
    const out = new Uint8Array(16);
    const err = parseIpv6Into(text, 0, addrEnd, out);
    if (err) throw new AddrParseError('scoped IPv6 address', text, err.position, err.reason);
    const address = Ipv6Address.fromBytes(out);
    if (pct < 0) return new ScopedAddress(address);
    const z = parseZone(text, pct + 1, text.length);
    if ('reason' in z) throw new AddrParseError('scoped IPv6 address', text, z.position, z.reason);
    return new ScopedAddress(address, z.zone);
  }

  static tryParse(text: string): ScopedAddress | undefined {
    try {
      return ScopedAddress.parse(text);
    } catch (e) {
      if (e instanceof AddrParseError) return undefined;
      throw e;
    }
  }

  /**
   * The KAME legacy form `<zone>%<address>` (IMPLEMENTATION 1.3.3), e.g.
   * `ne0%fe80::1` or `2%fe80::1`. The zone is required here.
   */
  static parseLegacy(text: string): ScopedAddress {
    const pct = text.indexOf('%');
    if (pct < 0) {
      throw new AddrParseError('legacy scoped IPv6 address', text, text.length, "missing '%' after the zone");
    }
    const z = parseZone(text, 0, pct);
    if ('reason' in z) throw new AddrParseError('legacy scoped IPv6 address', text, z.position, z.reason);
    const out = new Uint8Array(16);
    const err = parseIpv6Into(text, pct + 1, text.length, out);
    if (err) throw new AddrParseError('legacy scoped IPv6 address', text, err.position, err.reason);
    return new ScopedAddress(Ipv6Address.fromBytes(out), z.zone);
  }

  equals(other: ScopedAddress): boolean {
    return this.zone === other.zone && this.address.equals(other.address);
  }

  /** `fe80::1%eth0` (RFC 4007 11.2), address in RFC 5952 form; no '%' without a zone. */
  toString(): string {
    const a = this.address.toString();
    return this.zone === undefined ? a : `${a}%${this.zone}`;
  }
}
