import fc from 'fast-check';
import { Ipv4Address } from './ipv4';
import { Ipv4Prefix } from './ipv4-prefix';
import { parseErrorOf, parsesOrAddrParseError } from '../test/parse-error-of';
import { addressishText, ipv4Arb } from '../test/arbitraries';

const P = (s: string) => Ipv4Prefix.parse(s);
const A = (s: string) => Ipv4Address.parse(s);

describe('Ipv4Prefix (RFC 4632 3.1)', () => {
  it('RFC 4632 3.1: parses address/length and masks host bits', () => {
    expect(P('10.1.2.3/8').toString()).toBe('10.0.0.0/8');
    expect(P('192.0.2.0/24').contains(A('192.0.2.255'))).toBe(true);
    expect(P('192.0.2.0/24').contains(A('192.0.3.0'))).toBe(false);
    expect(P('0.0.0.0/0').equals(Ipv4Prefix.DEFAULT)).toBe(true);
  });

  it('RFC 4632 3.1: strict refuses host bits', () => {
    const err = parseErrorOf(() => Ipv4Prefix.parse('10.1.0.0/8', { strict: true }));
    expect(err.position).toBe(8);
    expect(err.reason).toMatch(/host bits/);
  });

  it.each([
    ['10.0.0.0/33', 9, /33 > 32/],
    ['10.0.0.0/-1', 9, /decimal/],
    ['10.0.0.0', 8, /missing '\/'/],
    ['10/8', 2, /only 1 IPv4 parts/],
    ['10.0.0.256/8', 7, /256 > 255/],
  ])('RFC 4632 3.1: rejects %j at offset %d', (text, pos, reason) => {
    const err = parseErrorOf(() => P(text));
    expect(err.position).toBe(pos);
    expect(err.reason).toMatch(reason);
    expect(Ipv4Prefix.tryParse(text)).toBeUndefined();
  });

  it('RFC 4632 3.1: mask, netmask, lastAddress, containsPrefix, compare', () => {
    expect(Ipv4Prefix.mask(20).toString()).toBe('255.255.240.0');
    const p = P('172.16.0.0/12');
    expect(p.netmask.toString()).toBe('255.240.0.0');
    expect(p.lastAddress.toString()).toBe('172.31.255.255');
    expect(p.containsPrefix(P('172.20.0.0/16'))).toBe(true);
    expect(P('172.20.0.0/16').containsPrefix(p)).toBe(false);
    expect(p.compare(P('172.16.0.0/16'))).toBe(-1);
    expect(P('10.0.0.0/8').compare(p)).toBe(-1);
    const { address, length } = Ipv4Prefix.parseCidr('192.0.2.1/24');
    expect(address.toString()).toBe('192.0.2.1');
    expect(length).toBe(24);
  });

  it('RFC 4632 3.1 property: a prefix contains its own network; masking is idempotent; text round trips', () => {
    fc.assert(
      fc.property(ipv4Arb, fc.integer({ min: 0, max: 32 }), (a, len) => {
        const p = Ipv4Prefix.of(a, len);
        expect(p.contains(p.network)).toBe(true);
        expect(p.contains(a)).toBe(true);
        expect(p.network.mask(len).equals(p.network)).toBe(true);
        expect(Ipv4Prefix.parse(p.toString(), { strict: true }).equals(p)).toBe(true);
      }),
    );
  });

  it('RFC 4632 3.1 property: any text parses or throws AddrParseError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), addressishText), (t) => {
        expect(parsesOrAddrParseError(() => Ipv4Prefix.parse(t))).toBe(true);
      }),
    );
  });
});
