import fc from 'fast-check';
import { Ipv4Address } from './ipv4';
import { Ipv6Address } from './ipv6';
import { formatHostPort, parseHostPort } from './host-port';
import { parseErrorOf, parsesOrAddrParseError } from '../test/parse-error-of';
import { addressishText, ipv4Arb, ipv6Arb } from '../test/arbitraries';

describe('parseHostPort (RFC 2732, RFC 3986 3.2.2, RFC 6874)', () => {
  it('RFC 2732 2: [2001:db8::1]:80', () => {
    const r = parseHostPort('[2001:db8::1]:80');
    expect(r.address).toBeInstanceOf(Ipv6Address);
    expect(r.address.toString()).toBe('2001:db8::1');
    expect(r.port).toBe(80);
    expect(r.zone).toBeUndefined();
  });

  it('RFC 2732 2: examples from the RFC', () => {
    expect(parseHostPort('[FEDC:BA98:7654:3210:FEDC:BA98:7654:3210]:80').address.toString()).toBe(
      'fedc:ba98:7654:3210:fedc:ba98:7654:3210',
    );
    expect(parseHostPort('[1080:0:0:0:8:800:200C:417A]').address.toString()).toBe('1080::8:800:200c:417a');
    expect(parseHostPort('[3ffe:2a00:100:7031::1]').port).toBeUndefined();
    expect(parseHostPort('[::192.9.5.5]').address.toString()).toBe('::c009:505');
    expect(parseHostPort('[::FFFF:129.144.52.38]:80').address.toString()).toBe('::ffff:129.144.52.38');
  });

  it('RFC 6874 2: [fe80::1%25eth0] carries the zone, "%25" encoding "%"', () => {
    expect(parseHostPort('[fe80::1%25eth0]')).toEqual({
      address: Ipv6Address.parse('fe80::1'),
      zone: 'eth0',
    });
    expect(parseHostPort('[fe80::a%25en1]:8080')).toMatchObject({ zone: 'en1', port: 8080 });
    expect(parseHostPort('[fe80::1%252]').zone).toBe(2);
  });

  it('RFC 6874 2: the URI ZoneID may use %XX escapes', () => {
    expect(parseHostPort('[fe80::1%25en%31]').zone).toBe('en1');
    expect(parseHostPort('[fe80::1%252525x]').zone).toBe('2525x');
    expect(parseHostPort('[fe80::1%2525x]').zone).toBe('25x');
  });

  it('RFC 6874 4: a bare "%" is accepted leniently', () => {
    expect(parseHostPort('[fe80::1%eth0]:80')).toMatchObject({ zone: 'eth0', port: 80 });
    expect(parseHostPort('[fe80::1%3]').zone).toBe(3);
  });

  it('RFC 3986 3.2.2: IPv4 with and without port', () => {
    const r = parseHostPort('1.2.3.4:80');
    expect(r.address).toBeInstanceOf(Ipv4Address);
    expect(r.address.toString()).toBe('1.2.3.4');
    expect(r.port).toBe(80);
    expect(parseHostPort('1.2.3.4').port).toBeUndefined();
  });

  it('RFC 3986 3.2.3: ports 0 and 65535 are the bounds', () => {
    expect(parseHostPort('[::1]:0').port).toBe(0);
    expect(parseHostPort('[::1]:65535').port).toBe(65535);
    expect(parseHostPort('1.2.3.4:00080').port).toBe(80);
  });

  it.each([
    ['[::1]:65536', 6, /65536 > 65535/],
    ['[::1]:', 6, /missing port/],
    ['[::1]:8a', 7, /decimal digits, found 'a'/],
    ['[::1]:-1', 6, /decimal digits, found '-'/],
    ['[::1]x', 5, /unexpected 'x' after host/],
    ['[::1', 4, /missing '\]'/],
    ['2001:db8::1', 0, /enclosed in '\[' '\]'/],
    ['2001:db8::1:80', 0, /enclosed/],
    ['[fe80::1%]', 9, /empty zone/],
    ['[fe80::1%25]', 11, /empty zone/],
    ['[fe80::1%25a%2Fb]', 11, /'\/' in zone \(after decoding\)/],
    ['[fe80::1%25abcdefghijklmnop]', 11, /max 15/],
    ['[fe80::1%25eth 0]', 14, /percent-encoded/],
    ['[fe80::1%25eth%2]', 14, /%XX escape/],
    ['[fe80::1%25%ff]', 11, /UTF-8/],
    ['[fe80::1%eth/0]', 12, /'\/'/],
    ['[fe80::1%abcdefghijklmnop]', 9, /max 15/],
    ['[fe80::1zz]', 8, /unexpected character 'z'/],
    ['[1.2.3.4]', 1, /IPv4 part needs 6 groups/],
    ['1.2.3.256:80', 6, /256 > 255/],
    ['1.2.3.4:99999', 8, /> 65535/],
    ['', 0, /missing IPv4 part/],
  ])('RFC 3986 3.2.2: rejects %j at offset %d', (text, pos, reason) => {
    const err = parseErrorOf(() => parseHostPort(text));
    expect(err.position).toBe(pos);
    expect(err.reason).toMatch(reason);
  });
});

describe('formatHostPort (RFC 6874 2, RFC 5952 6)', () => {
  it('RFC 5952 6: brackets around IPv6, then the port', () => {
    expect(formatHostPort(Ipv6Address.parse('2001:DB8::1'), undefined, 80)).toBe('[2001:db8::1]:80');
    expect(formatHostPort(Ipv6Address.parse('2001:db8::1'))).toBe('[2001:db8::1]');
  });

  it('RFC 6874 2: the zone is introduced by %25 and escaped', () => {
    expect(formatHostPort(Ipv6Address.parse('fe80::1'), 'eth0', 80)).toBe('[fe80::1%25eth0]:80');
    expect(formatHostPort(Ipv6Address.parse('fe80::1'), 2)).toBe('[fe80::1%252]');
    expect(formatHostPort(Ipv6Address.parse('fe80::1'), "a:b(c)'")).toBe('[fe80::1%25a%3Ab%28c%29%27]');
  });

  it('RFC 3986 3.2.2: IPv4 takes no zone; RFC 3986 3.2.3: ports are 0..65535', () => {
    expect(formatHostPort(Ipv4Address.parse('1.2.3.4'), undefined, 80)).toBe('1.2.3.4:80');
    expect(() => formatHostPort(Ipv4Address.parse('1.2.3.4'), 'eth0')).toThrow(RangeError);
    expect(() => formatHostPort(Ipv6Address.LOOPBACK, undefined, 65536)).toThrow(RangeError);
    expect(() => formatHostPort(Ipv6Address.LOOPBACK, undefined, -1)).toThrow(RangeError);
    expect(() => formatHostPort(Ipv6Address.LOOPBACK, 'bad zone')).toThrow(RangeError);
  });

  it('RFC 6874 2 property: parseHostPort(formatHostPort(...)) round trips', () => {
    const zone = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.stringMatching(/^[a-zA-Z][\w.:()!~*'-]{0,14}$/),
    );
    const port = fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined });
    fc.assert(
      fc.property(ipv6Arb, zone, port, (a, z, p) => {
        const r = parseHostPort(formatHostPort(a, z, p));
        expect(r.address.equals(a as never)).toBe(true);
        expect(r.zone).toBe(z);
        expect(r.port).toBe(p);
      }),
    );
    fc.assert(
      fc.property(ipv4Arb, port, (a, p) => {
        const r = parseHostPort(formatHostPort(a, undefined, p));
        expect(r.address.equals(a as never)).toBe(true);
        expect(r.port).toBe(p);
      }),
    );
  });

  it('RFC 3986 3.2.2 property: any text parses or throws AddrParseError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          addressishText,
          addressishText.map((s) => `[${s}`),
        ),
        (t) => {
          expect(parsesOrAddrParseError(() => parseHostPort(t))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
