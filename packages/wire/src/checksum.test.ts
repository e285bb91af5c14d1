import fc from 'fast-check';
import { Ipv6Address } from '@kame/addr';
import { checksumValid, checksumWith, finishChecksum, ipv6PseudoHeaderSum, onesSum } from './checksum';

describe('Internet checksum (RFC 1071)', () => {
  it('RFC 1071 3: the worked example sums 00 01 f2 03 f4 f5 f6 f7 to 0xddf2', () => {
    const b = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(onesSum(b)).toBe(0xddf2);
    expect(finishChecksum(onesSum(b))).toBe(0x220d);
  });

  it('pads an odd trailing byte with zero (RFC 1071 4.1)', () => {
    expect(onesSum(Uint8Array.of(0x12, 0x34, 0x56))).toBe(0x1234 + 0x5600);
  });

  it('chains partial sums: sum(a ++ b) = sum(a) + sum(b) for even-length a', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (a0, b) => {
        const a = a0.length % 2 ? a0.subarray(1) : a0;
        const ab = new Uint8Array(a.length + b.length);
        ab.set(a);
        ab.set(b, a.length);
        expect(finishChecksum(onesSum(b, 0, b.length, onesSum(a)))).toBe(finishChecksum(onesSum(ab)));
      }),
    );
  });

  it('a buffer carrying its own checksum verifies; any single bit flip is caught', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 200 }), fc.nat(), (data, bit) => {
        const b = Uint8Array.from(data);
        b[0] = 0;
        b[1] = 0;
        const c = checksumWith(0, b);
        b[0] = c >> 8;
        b[1] = c & 0xff;
        expect(checksumValid(0, b)).toBe(true);
        const i = bit % (b.length * 8);
        b[i >> 3]! ^= 1 << (i & 7);
        expect(checksumValid(0, b)).toBe(false);
      }),
    );
  });

  it('RFC 2675 4: the IPv6 pseudo-header carries a 32-bit upper-layer length (jumbogram)', () => {
    const src = Ipv6Address.parse('::1');
    const dst = Ipv6Address.parse('::1');
    // 70000 = 0x00011170: the high and low 16-bit halves both enter the sum.
    expect(ipv6PseudoHeaderSum(src, dst, 70000, 17)).toBe(1 + 1 + 0x0001 + 0x1170 + 17);
  });
});
