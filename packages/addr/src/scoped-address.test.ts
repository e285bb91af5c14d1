import fc from 'fast-check';
import { Ipv6Address } from './ipv6';
import { ScopedAddress } from './scoped-address';
import { parseErrorOf, parsesOrAddrParseError } from '../test/parse-error-of';
import { addressishText, ipv6Arb } from '../test/arbitraries';

describe('ScopedAddress (RFC 4007 11)', () => {
  it('RFC 4007 11.2: <address>%<zone_id> with an interface name', () => {
    const s = ScopedAddress.parse('fe80::1%eth0');
    expect(s.address.toString()).toBe('fe80::1');
    expect(s.zone).toBe('eth0');
    expect(s.toString()).toBe('fe80::1%eth0');
  });

  it('RFC 4007 11.2: a numeric zone is a zone index (number)', () => {
    const s = ScopedAddress.parse('fe80::1%2');
    expect(s.zone).toBe(2);
    expect(s.toString()).toBe('fe80::1%2');
  });

  it('RFC 4007 11.2: names with - and . are fine', () => {
    expect(ScopedAddress.parse('fe80::1%br-lan').zone).toBe('br-lan');
    expect(ScopedAddress.parse('ff02::1%eth0.100').zone).toBe('eth0.100');
  });

  it('RFC 4007 11.2: no zone is allowed, and toString then has no %', () => {
    const s = ScopedAddress.parse('FE80:0::1');
    expect(s.zone).toBeUndefined();
    expect(s.toString()).toBe('fe80::1');
  });

  it.each([
    ['fe80::1%', 8, /empty zone/],
    ['fe80::1%eth/0', 11, /'\/'/],
    ['fe80::1%eth 0', 11, /white space/],
    ['fe80::1%abcdefghijklmnop', 8, /max 15/],
    ['fe80::1%a%b', 9, /'%'/],
    ['fe80::1zz%eth0', 7, /unexpected character 'z'/],
    ['%eth0', 0, /empty address/],
  ])('RFC 4007 11.2: rejects %j at offset %d', (text, pos, reason) => {
    const err = parseErrorOf(() => ScopedAddress.parse(text));
    expect(err.position).toBe(pos);
    expect(err.reason).toMatch(reason);
    expect(ScopedAddress.tryParse(text)).toBeUndefined();
  });

  it('KAME IMPLEMENTATION 1.3.3: legacy <zone>%<address> form via parseLegacy', () => {
    const s = ScopedAddress.parseLegacy('ne0%fe80::1');
    expect(s.zone).toBe('ne0');
    expect(s.address.toString()).toBe('fe80::1');
    expect(s.toString()).toBe('fe80::1%ne0');
    expect(ScopedAddress.parseLegacy('3%ff02::1').zone).toBe(3);
    expect(parseErrorOf(() => ScopedAddress.parseLegacy('fe80::1')).reason).toMatch(/missing '%'/);
    expect(parseErrorOf(() => ScopedAddress.parseLegacy('%fe80::1')).reason).toMatch(/empty zone/);
    expect(parseErrorOf(() => ScopedAddress.parseLegacy('ne0%fe80::1x')).position).toBe(11);
    // parse() never guesses: the legacy order is an error there.
    expect(parseErrorOf(() => ScopedAddress.parse('ne0%fe80::1')).position).toBe(0);
  });

  it('RFC 4007 11.2: the constructor validates the zone; equals compares both halves', () => {
    const a = Ipv6Address.parse('fe80::1');
    expect(() => new ScopedAddress(a, '')).toThrow(RangeError);
    expect(() => new ScopedAddress(a, -1)).toThrow(RangeError);
    expect(new ScopedAddress(a, 'eth0').equals(ScopedAddress.parse('fe80::1%eth0'))).toBe(true);
    expect(new ScopedAddress(a, 1).equals(ScopedAddress.parse('fe80::1%eth0'))).toBe(false);
    expect(new ScopedAddress(a).equals(ScopedAddress.parse('fe80::1'))).toBe(true);
  });

  it('RFC 4007 11.2 property: parse(toString(s)) equals s', () => {
    const zone = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.stringMatching(/^[a-z][a-z0-9.\-_]{0,14}$/),
    );
    fc.assert(
      fc.property(ipv6Arb, zone, (a, z) => {
        const s = new ScopedAddress(a, z);
        expect(ScopedAddress.parse(s.toString()).equals(s)).toBe(true);
      }),
    );
  });

  it('RFC 4007 11.2 property: any text parses or throws AddrParseError (both forms)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), addressishText), (t) => {
        expect(parsesOrAddrParseError(() => ScopedAddress.parse(t))).toBe(true);
        expect(parsesOrAddrParseError(() => ScopedAddress.parseLegacy(t))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
