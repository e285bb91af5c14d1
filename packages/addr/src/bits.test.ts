import fc from 'fast-check';
import { commonPrefixBits, hostBitsZero, maskBytes, netmaskBytes, samePrefix } from './bits';

const bit = (b: Uint8Array, i: number) => (b[i >> 3]! >> (7 - (i & 7))) & 1;

describe('bit helpers (RFC 4291 2.3 leftmost bits)', () => {
  it('RFC 4291 2.3: netmask of 0, 1, 9 and all bits', () => {
    expect(Array.from(netmaskBytes(4, 0))).toEqual([0, 0, 0, 0]);
    expect(Array.from(netmaskBytes(4, 1))).toEqual([0x80, 0, 0, 0]);
    expect(Array.from(netmaskBytes(4, 9))).toEqual([0xff, 0x80, 0, 0]);
    expect(Array.from(netmaskBytes(4, 32))).toEqual([0xff, 0xff, 0xff, 0xff]);
  });

  it('RFC 4291 2.3 property: agrees with a bit-by-bit definition', () => {
    const pair = fc
      .integer({ min: 1, max: 16 })
      .chain((n) =>
        fc.tuple(
          fc.uint8Array({ minLength: n, maxLength: n }),
          fc.uint8Array({ minLength: n, maxLength: n }),
          fc.integer({ min: 0, max: n * 8 }),
        ),
      );
    fc.assert(
      fc.property(pair, ([a, b, len]) => {
        let common = 0;
        while (common < a.length * 8 && bit(a, common) === bit(b, common)) common++;
        expect(commonPrefixBits(a, b)).toBe(common);
        expect(samePrefix(a, b, len)).toBe(common >= len);
        const m = maskBytes(a, len);
        for (let i = 0; i < a.length * 8; i++) expect(bit(m, i)).toBe(i < len ? bit(a, i) : 0);
        expect(hostBitsZero(m, len)).toBe(true);
        expect(hostBitsZero(a, len)).toBe(m.every((x, i) => x === a[i]));
      }),
    );
  });
});
