import fc from 'fast-check';
import { Ipv4Address } from './ipv4';
import { Ipv6Address } from './ipv6';
import { commonPrefixLength, maskAddress } from './mask';
import { ipv4Arb, ipv6Arb } from '../test/arbitraries';

describe('commonPrefixLength / maskAddress (RFC 6724 2.2 CommonPrefixLen)', () => {
  it('RFC 6724 2.2: counts leading equal bits', () => {
    const a = Ipv6Address.parse('2001:db8::1');
    expect(commonPrefixLength(a, a)).toBe(128);
    expect(commonPrefixLength(a, Ipv6Address.parse('2001:db8::'))).toBe(127);
    expect(commonPrefixLength(a, Ipv6Address.parse('2001:db9::1'))).toBe(31);
    expect(commonPrefixLength(a, Ipv6Address.parse('a001:db8::1'))).toBe(0);
    expect(commonPrefixLength(Ipv4Address.parse('10.0.0.1'), Ipv4Address.parse('10.128.0.1'))).toBe(8);
    expect(commonPrefixLength(Ipv4Address.parse('10.0.0.1'), Ipv4Address.parse('10.0.0.1'))).toBe(32);
  });

  it('RFC 6724 2.2: CommonPrefixLen is only defined within one family', () => {
    expect(() =>
      commonPrefixLength(Ipv6Address.LOOPBACK as never, Ipv4Address.parse('127.0.0.1') as never),
    ).toThrow(TypeError);
  });

  it('RFC 6724 2.2 property: both addresses masked to the common length are equal, one bit more is not', () => {
    fc.assert(
      fc.property(ipv6Arb, ipv6Arb, (a, b) => {
        const n = commonPrefixLength(a, b);
        expect(maskAddress(a, n).equals(maskAddress(b, n))).toBe(true);
        if (n < 128) expect(maskAddress(a, n + 1).equals(maskAddress(b, n + 1))).toBe(false);
      }),
    );
    fc.assert(
      fc.property(ipv4Arb, ipv4Arb, (a, b) => {
        const n = commonPrefixLength(a, b);
        expect(maskAddress(a, n).equals(maskAddress(b, n))).toBe(true);
        if (n < 32) expect(maskAddress(a, n + 1).equals(maskAddress(b, n + 1))).toBe(false);
      }),
    );
  });

  it('RFC 4291 2.3 property: masking is idempotent and narrowing', () => {
    fc.assert(
      fc.property(ipv6Arb, fc.integer({ min: 0, max: 128 }), fc.integer({ min: 0, max: 128 }), (a, i, j) => {
        expect(a.mask(i).mask(i).equals(a.mask(i))).toBe(true);
        expect(
          a
            .mask(i)
            .mask(j)
            .equals(a.mask(Math.min(i, j))),
        ).toBe(true);
      }),
    );
  });
});
