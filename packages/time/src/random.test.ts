import { SeededRandom } from './random';

describe('SeededRandom', () => {
  it('the same seed gives the same sequence; another seed another one', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const sa = Array.from({ length: 8 }, () => a.uint32());
    expect(Array.from({ length: 8 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.uint32())).not.toEqual(sa);
  });

  it('int(min, max) stays inclusive in range and hits both ends', () => {
    const r = new SeededRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(-2, 2);
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThanOrEqual(2);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2].sort());
  });

  it('is roughly uniform: 100,000 draws in 10 buckets within 3% of the mean', () => {
    const r = new SeededRandom(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(r.next() * 10)]!++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(300);
  });

  it('uniform(min, max) is in [min, max)', () => {
    const r = new SeededRandom(3);
    for (let i = 0; i < 1000; i++) {
      const v = r.uniform(0.5, 1.5);
      expect(v).toBeGreaterThanOrEqual(0.5);
      expect(v).toBeLessThan(1.5);
    }
  });

  it('bytes() fills odd lengths and forks are independent but reproducible', () => {
    const r = new SeededRandom(9);
    const b = r.bytes(new Uint8Array(7));
    expect(b.some((x) => x !== 0)).toBe(true);
    const f1 = new SeededRandom(9).fork().uint32();
    const f2 = new SeededRandom(9).fork().uint32();
    expect(f1).toBe(f2);
  });

  it('rejects a bad integer range', () => {
    expect(() => new SeededRandom(0).int(3, 2)).toThrow(RangeError);
  });
});
