import fc from 'fast-check';
import { AddrParseError } from './parse-error';
import { Ipv4Address } from './ipv4';
import { Ipv6Address, formatIpv6, parseIpv6Into } from './ipv6';
import { parseErrorOf, parsesOrAddrParseError } from '../test/parse-error-of';
import { addressishText, ipv6Arb, sparseIpv6Arb } from '../test/arbitraries';

describe('Ipv6Address text forms (RFC 4291 2.2, RFC 5952)', () => {
  it.each([
    ['ABCD:EF01:2345:6789:ABCD:EF01:2345:6789', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'],
    ['2001:DB8:0:0:8:800:200C:417A', '2001:db8::8:800:200c:417a'],
    ['FF01:0:0:0:0:0:0:101', 'ff01::101'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['2001:DB8::8:800:200C:417A', '2001:db8::8:800:200c:417a'],
    ['FF01::101', 'ff01::101'],
    ['0:0:0:0:0:0:13.1.68.3', '::d01:4403'],
    ['0:0:0:0:0:FFFF:129.144.52.38', '::ffff:129.144.52.38'],
    ['::13.1.68.3', '::d01:4403'],
    ['::FFFF:129.144.52.38', '::ffff:129.144.52.38'],
  ])('RFC 4291 2.2: %s is %s', (input, canonical) => {
    expect(Ipv6Address.parse(input).toString()).toBe(canonical);
  });

  it.each([
    '2001:db8:0:0:1:0:0:1',
    '2001:0db8:0:0:1:0:0:1',
    '2001:db8::1:0:0:1',
    '2001:db8::0:1:0:0:1',
    '2001:0db8::1:0:0:1',
    '2001:db8:0:0:1::1',
    '2001:db8:0000:0:1::1',
    '2001:DB8:0:0:1::1',
  ])('RFC 5952 1: %s is one of many spellings of 2001:db8::1:0:0:1', (input) => {
    expect(Ipv6Address.parse(input).toString()).toBe('2001:db8::1:0:0:1');
  });

  it('RFC 5952 4.1: leading zeros are suppressed', () => {
    expect(Ipv6Address.parse('2001:0db8::0001').toString()).toBe('2001:db8::1');
    expect(Ipv6Address.parse('2001:db8:00aa:0::0a0:000b').toString()).toBe('2001:db8:aa::a0:b');
  });

  it('RFC 5952 4.2.1: "::" is used to its maximum capability', () => {
    expect(Ipv6Address.parse('2001:db8:0:0:0:0:2:1').toString()).toBe('2001:db8::2:1');
    expect(Ipv6Address.parse('2001:db8::0:1').toString()).toBe('2001:db8::1');
  });

  it('RFC 5952 4.2.2: a single zero group is not compressed', () => {
    expect(Ipv6Address.parse('2001:db8:0:1:1:1:1:1').toString()).toBe('2001:db8:0:1:1:1:1:1');
    expect(Ipv6Address.parse('2001:db8::1:1:1:1:1').toString()).toBe('2001:db8:0:1:1:1:1:1');
    expect(Ipv6Address.parse('1:2:3:4:5:6:7::').toString()).toBe('1:2:3:4:5:6:7:0');
  });

  it('RFC 5952 4.2.3: the longest zero run is compressed, the first on a tie', () => {
    expect(Ipv6Address.parse('2001:0:0:1:0:0:0:1').toString()).toBe('2001:0:0:1::1');
    expect(Ipv6Address.parse('2001:db8:0:0:1:0:0:1').toString()).toBe('2001:db8::1:0:0:1');
    expect(Ipv6Address.parse('0:0:1:0:0:1:0:0').toString()).toBe('::1:0:0:1:0:0');
  });

  it('RFC 5952 4.3: hex digits are lower case', () => {
    expect(Ipv6Address.parse('2001:DB8::ABCD:EF').toString()).toBe('2001:db8::abcd:ef');
  });

  it('RFC 5952 5: IPv4-mapped addresses use the mixed notation', () => {
    expect(Ipv6Address.parse('0:0:0:0:0:ffff:c000:0201').toString()).toBe('::ffff:192.0.2.1');
    expect(Ipv6Address.v4Mapped(Ipv4Address.parse('192.0.2.1')).toString()).toBe('::ffff:192.0.2.1');
  });

  it('RFC 4291 2.2: "::" may stand for a single zero group when parsing', () => {
    expect(Ipv6Address.parse('1::3:4:5:6:7:8').groups()).toEqual([1, 0, 3, 4, 5, 6, 7, 8]);
  });

  it('RFC 4291 2.5.5: v4Mapped / v4Compatible / lowIpv4', () => {
    const v4 = Ipv4Address.parse('192.0.2.33');
    expect(Ipv6Address.v4Mapped(v4).isV4Mapped()).toBe(true);
    expect(Ipv6Address.v4Compatible(v4).isV4Compatible()).toBe(true);
    expect(Ipv6Address.v4Mapped(v4).lowIpv4().equals(v4)).toBe(true);
    expect(Ipv6Address.LOOPBACK.isV4Compatible()).toBe(false);
    expect(Ipv6Address.UNSPECIFIED.isV4Compatible()).toBe(false);
  });

  it('RFC 4291 2.3: mask keeps only the leftmost bits', () => {
    const a = Ipv6Address.parse('2001:db8:0:cd30:123:4567:89ab:cdef');
    expect(a.mask(60).toString()).toBe('2001:db8:0:cd30::');
    expect(a.mask(0).toString()).toBe('::');
    expect(a.mask(128).equals(a)).toBe(true);
    expect(a.mask(1).toString()).toBe('::');
    expect(a.mask(3).toString()).toBe('2000::');
    expect(() => a.mask(129)).toThrow(RangeError);
    expect(() => a.mask(-1)).toThrow(RangeError);
    expect(() => a.mask(1.5)).toThrow(RangeError);
  });

  it('RFC 5952 4: formatIpv6 and parseIpv6Into work on slices of a buffer', () => {
    const buf = new Uint8Array(20);
    buf.set(Ipv6Address.parse('2001:db8::1').bytes, 4);
    expect(formatIpv6(buf, 4)).toBe('2001:db8::1');
    const out = new Uint8Array(16);
    expect(parseIpv6Into('[fe80::1]', 1, 8, out)).toBeUndefined();
    expect(formatIpv6(out)).toBe('fe80::1');
  });

  it('RFC 4291 2.2: compare orders addresses as 128-bit numbers', () => {
    const a = Ipv6Address.parse('::1');
    const b = Ipv6Address.parse('::2');
    expect(a.compare(b)).toBe(-1);
    expect(b.compare(a)).toBe(1);
    expect(a.compare(a)).toBe(0);
  });
});

describe('Ipv6Address parse errors say what and where (RFC 4291 2.2)', () => {
  it.each([
    ['2001:db8::1zz', 11, /unexpected character 'z'/],
    [':::1', 2, /':::'/],
    ['1:::2', 1, /':::'/],
    ['0x10::1', 1, /unexpected character 'x'/],
    ['1::2::3', 4, /second '::'/],
    ['1:2:3:4:5:6:7:8:9', 16, /more than 8 groups/],
    ['1:2:3:4:5:6:7', 13, /7 groups, need 8/],
    ['1:2:3:4::5:6:7:8', 7, /8 groups/],
    ['::1.2.3.256', 8, /256 > 255/],
    ['::1.2.3', 7, /3 IPv4 parts/],
    ['::01.2.3.4', 2, /leading zero/],
    ['1:2:3:4:5:1.2.3.4', 10, /needs 6 groups/],
    ['12345::', 0, /more than 4 hex digits/],
    ['1:', 1, /trailing colon/],
    [':1', 0, /leading ':'/],
    ['', 0, /empty/],
    ['fe80::1%eth0', 7, /zone/],
    ['2001:db8::/32', 10, /unexpected character '\/'/],
  ])('RFC 4291 2.2: rejects %j at offset %d', (input, pos, reason) => {
    const err = parseErrorOf(() => Ipv6Address.parse(input));
    expect(err).toBeInstanceOf(AddrParseError);
    expect(err.input).toBe(input);
    expect(err.position).toBe(pos);
    expect(err.reason).toMatch(reason);
    expect(err.message).toContain(`offset ${pos}`);
    expect(Ipv6Address.tryParse(input)).toBeUndefined();
  });
});

describe('Ipv6Address properties (RFC 5952)', () => {
  it('RFC 5952 4: parse(toString(a)) equals a for any 16 bytes', () => {
    fc.assert(
      fc.property(fc.oneof(ipv6Arb, sparseIpv6Arb), (a) => {
        expect(Ipv6Address.parse(a.toString()).equals(a)).toBe(true);
      }),
    );
  });

  it('RFC 5952 4: the canonical form is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(ipv6Arb, sparseIpv6Arb), (a) => {
        const s = a.toString();
        expect(Ipv6Address.parse(s).toString()).toBe(s);
      }),
    );
  });

  it('RFC 4291 2.2: every valid text form parses to the same address as its canonical form', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const a = Ipv6Address.parse(text);
        expect(Ipv6Address.parse(a.toString()).equals(a)).toBe(true);
      }),
    );
  });

  it('RFC 5952 4.2.3: agrees with the WHATWG URL serializer outside the RFC 5952 5 mapped form', () => {
    fc.assert(
      fc.property(fc.oneof(ipv6Arb, sparseIpv6Arb), (a) => {
        fc.pre(!a.isV4Mapped());
        expect(a.toString()).toBe(new URL(`http://[${a.toString()}]/`).hostname.slice(1, -1));
      }),
    );
  });

  it('RFC 4291 2.2: any text either parses or throws AddrParseError, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), addressishText), (text) => {
        expect(parsesOrAddrParseError(() => Ipv6Address.parse(text))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Ipv6Address.key', () => {
  it('is equal exactly when the addresses are equal', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (x, y) => {
          const a = Ipv6Address.fromBytes(x);
          const b = Ipv6Address.fromBytes(y);
          expect(a.key() === b.key()).toBe(a.equals(b));
          expect(a.key()).toBe(Ipv6Address.fromBytes(x).key());
        },
      ),
    );
  });
});
