import fc from 'fast-check';
import { Ipv4Address } from './ipv4';
import { parseErrorOf, parsesOrAddrParseError } from '../test/parse-error-of';
import { addressishText, ipv4Arb } from '../test/arbitraries';

describe('Ipv4Address (RFC 791, inet_pton dotted quad)', () => {
  it('RFC 791 3.2: parses and prints dotted decimal', () => {
    const a = Ipv4Address.parse('192.0.2.33');
    expect(a.toString()).toBe('192.0.2.33');
    expect(a.toNumber()).toBe(0xc0000221);
    expect(Ipv4Address.fromNumber(0xc0000221).equals(a)).toBe(true);
  });

  it.each([
    ['1.2.3.256', 6, /256 > 255/],
    ['1.2.3', 5, /only 3 IPv4 parts/],
    ['1.2.3.4.5', 7, /after IPv4 address/],
    ['01.2.3.4', 0, /leading zero/],
    ['1.2.3.1234', 6, /more than 3 digits/],
    ['1..3.4', 2, /unexpected character '.'/],
    ['0x1.2.3.4', 1, /unexpected character 'x'/],
    ['', 0, /missing IPv4 part/],
  ])('RFC 791: rejects %j at offset %d', (input, pos, reason) => {
    const err = parseErrorOf(() => Ipv4Address.parse(input));
    expect(err.position).toBe(pos);
    expect(err.reason).toMatch(reason);
    expect(Ipv4Address.tryParse(input)).toBeUndefined();
  });

  it('RFC 1122 3.2.1.3 / RFC 1112 4: classification', () => {
    expect(Ipv4Address.parse('127.0.0.1').isLoopback()).toBe(true);
    expect(Ipv4Address.parse('224.0.0.1').isMulticast()).toBe(true);
    expect(Ipv4Address.parse('239.255.255.255').isMulticast()).toBe(true);
    expect(Ipv4Address.parse('240.0.0.1').isMulticast()).toBe(false);
    expect(Ipv4Address.BROADCAST.isBroadcast()).toBe(true);
    expect(Ipv4Address.ANY.isUnspecified()).toBe(true);
    expect(Ipv4Address.parse('169.254.1.1').isLinkLocal()).toBe(true);
  });

  it('RFC 4632 3.1: mask clears host bits', () => {
    const a = Ipv4Address.parse('192.0.2.130');
    expect(a.mask(25).toString()).toBe('192.0.2.128');
    expect(a.mask(0).toString()).toBe('0.0.0.0');
    expect(a.mask(32).equals(a)).toBe(true);
    expect(() => a.mask(33)).toThrow(RangeError);
  });

  it('RFC 791 3.2: compare orders addresses as 32-bit numbers', () => {
    expect(Ipv4Address.parse('10.0.0.1').compare(Ipv4Address.parse('9.255.255.255'))).toBe(1);
    expect(Ipv4Address.parse('255.0.0.0').compare(Ipv4Address.parse('1.0.0.0'))).toBe(1);
  });

  it('RFC 791 3.2 property: parse(toString(a)) equals a', () => {
    fc.assert(fc.property(ipv4Arb, (a) => expect(Ipv4Address.parse(a.toString()).equals(a)).toBe(true)));
  });

  it('RFC 791 3.2 property: any text parses or throws AddrParseError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), addressishText, fc.ipV4()), (t) => {
        expect(parsesOrAddrParseError(() => Ipv4Address.parse(t))).toBe(true);
      }),
    );
  });
});
