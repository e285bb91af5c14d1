import fc from 'fast-check';
import { Ipv6Address } from './ipv6';
import { Ipv6Prefix } from './ipv6-prefix';
import { parseErrorOf, parsesOrAddrParseError } from '../test/parse-error-of';
import { addressishText, ipv6Arb } from '../test/arbitraries';

const P = (s: string) => Ipv6Prefix.parse(s);
const A = (s: string) => Ipv6Address.parse(s);

describe('Ipv6Prefix (RFC 4291 2.3)', () => {
  it.each([
    '2001:0DB8:0000:CD30:0000:0000:0000:0000/60',
    '2001:0DB8::CD30:0:0:0:0/60',
    '2001:0DB8:0:CD30::/60',
  ])('RFC 4291 2.3: %s is a legal form of 2001:db8:0:cd30::/60', (text) => {
    const p = P(text);
    expect(p.toString()).toBe('2001:db8:0:cd30::/60');
    expect(p.length).toBe(60);
    expect(p.address.equals(A('2001:db8:0:cd30::'))).toBe(true);
  });

  it('RFC 4291 2.3: 2001:0DB8:0:CD3/60 is not legal (trailing zeros may not be dropped)', () => {
    expect(parseErrorOf(() => P('2001:0DB8:0:CD3/60')).reason).toMatch(/4 groups, need 8/);
  });

  it('RFC 4291 2.3: 2001:0DB8::CD30/60 expands to a different address, caught by strict', () => {
    expect(P('2001:0DB8::CD30/60').toString()).toBe('2001:db8::/60');
    const err = parseErrorOf(() => Ipv6Prefix.parse('2001:0DB8::CD30/60', { strict: true }));
    expect(err.reason).toMatch(/host bits/);
    expect(err.position).toBe(15);
  });

  it('RFC 4291 2.3: node address and prefix written together', () => {
    const { address, length } = Ipv6Prefix.parseCidr('2001:0DB8:0:CD30:123:4567:89AB:CDEF/60');
    expect(address.toString()).toBe('2001:db8:0:cd30:123:4567:89ab:cdef');
    expect(length).toBe(60);
    expect(Ipv6Prefix.parse('2001:0DB8:0:CD30:123:4567:89AB:CDEF/60').toString()).toBe(
      '2001:db8:0:cd30::/60',
    );
  });

  it.each([
    ['2001:db8::/129', 11, /129 > 128/],
    ['2001:db8::/-1', 11, /decimal digits, found '-'/],
    ['2001:db8::/0x10', 12, /decimal digits, found 'x'/],
    ['2001:db8::/ 32', 11, /decimal digits/],
    ['2001:db8::/032', 11, /leading zero/],
    ['2001:db8::/', 11, /missing prefix length/],
    ['2001:db8::', 10, /missing '\/'/],
    ['2001:db8::/32/1', 13, /decimal digits, found '\/'/],
    ['2001:db8:::/32', 8, /':::'/],
  ])('RFC 4291 2.3: rejects %j at offset %d', (text, pos, reason) => {
    const err = parseErrorOf(() => P(text));
    expect(err.position).toBe(pos);
    expect(err.reason).toMatch(reason);
    expect(err.kind).toBe('IPv6 prefix');
    expect(Ipv6Prefix.tryParse(text)).toBeUndefined();
  });

  it('RFC 4291 2.3: /0 and /128 are valid', () => {
    expect(P('::/0').equals(Ipv6Prefix.DEFAULT)).toBe(true);
    expect(P('::/0').contains(A('2001:db8::1'))).toBe(true);
    expect(P('::1/128').contains(A('::1'))).toBe(true);
    expect(P('::1/128').contains(A('::2'))).toBe(false);
  });

  it('RFC 4291 2.3: of() masks or, with strict, refuses host bits', () => {
    expect(Ipv6Prefix.of(A('2001:db8::1'), 64).toString()).toBe('2001:db8::/64');
    expect(() => Ipv6Prefix.of(A('2001:db8::1'), 64, { strict: true })).toThrow(RangeError);
    expect(Ipv6Prefix.of(A('2001:db8::'), 64, { strict: true }).toString()).toBe('2001:db8::/64');
    expect(() => Ipv6Prefix.of(A('::'), 129)).toThrow(RangeError);
  });

  it('RFC 4291 2.3: mask, netmask, network, lastAddress', () => {
    expect(Ipv6Prefix.mask(32).toString()).toBe('ffff:ffff::');
    expect(Ipv6Prefix.mask(0).toString()).toBe('::');
    expect(Ipv6Prefix.mask(65).toString()).toBe('ffff:ffff:ffff:ffff:8000::');
    const p = P('2001:db8:1::/48');
    expect(p.netmask.toString()).toBe('ffff:ffff:ffff::');
    expect(p.network.toString()).toBe('2001:db8:1::');
    expect(p.lastAddress.toString()).toBe('2001:db8:1:ffff:ffff:ffff:ffff:ffff');
  });

  it('RFC 4291 2.3: contains / containsPrefix / compare / equals', () => {
    const p32 = P('2001:db8::/32');
    const p48 = P('2001:db8:1::/48');
    expect(p32.contains(A('2001:db8:ffff::1'))).toBe(true);
    expect(p32.contains(A('2001:db9::1'))).toBe(false);
    expect(p32.containsPrefix(p48)).toBe(true);
    expect(p48.containsPrefix(p32)).toBe(false);
    expect(p32.containsPrefix(p32)).toBe(true);
    expect(P('fe80::/10').contains(A('febf::1'))).toBe(true);
    expect(P('fe80::/10').contains(A('fec0::1'))).toBe(false);
    expect(p32.compare(p48)).toBe(-1);
    expect(p48.compare(p32)).toBe(1);
    expect(p32.compare(P('2001:db8::/33'))).toBe(-1);
    expect(p32.compare(P('2001:db8::/32'))).toBe(0);
    expect(p32.equals(P('2001:db8::/32'))).toBe(true);
    expect(p32.equals(P('2001:db8::/33'))).toBe(false);
  });

  it('RFC 4291 2.3 property: a prefix contains its own network and last address; masking is idempotent', () => {
    fc.assert(
      fc.property(ipv6Arb, fc.integer({ min: 0, max: 128 }), (a, len) => {
        const p = Ipv6Prefix.of(a, len);
        expect(p.contains(p.network)).toBe(true);
        expect(p.contains(p.lastAddress)).toBe(true);
        expect(p.contains(a)).toBe(true);
        expect(p.network.mask(len).equals(p.network)).toBe(true);
        expect(Ipv6Prefix.of(p.network, len, { strict: true }).equals(p)).toBe(true);
        expect(Ipv6Prefix.parse(p.toString()).equals(p)).toBe(true);
      }),
    );
  });

  it('RFC 4291 2.3 property: containsPrefix agrees with containment of both ends', () => {
    fc.assert(
      fc.property(
        ipv6Arb,
        fc.integer({ min: 0, max: 128 }),
        ipv6Arb,
        fc.integer({ min: 0, max: 128 }),
        (a, i, b, j) => {
          const p = Ipv6Prefix.of(a, i);
          const q = Ipv6Prefix.of(b, j);
          const inside = p.contains(q.network) && p.contains(q.lastAddress);
          expect(p.containsPrefix(q)).toBe(inside);
        },
      ),
    );
  });

  it('RFC 4291 2.3 property: any text parses or throws AddrParseError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), addressishText), (t) => {
        expect(parsesOrAddrParseError(() => Ipv6Prefix.parse(t))).toBe(true);
        expect(parsesOrAddrParseError(() => Ipv6Prefix.parse(t, { strict: true }))).toBe(true);
      }),
    );
  });
});
