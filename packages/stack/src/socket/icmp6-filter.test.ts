import { Icmp6Filter } from './icmp6-filter';

describe('Icmp6Filter (RFC 3542 3.2)', () => {
  it('passes all by default and toggles single types', () => {
    const f = Icmp6Filter.passAll();
    expect(f.willPass(0) && f.willPass(255)).toBe(true);
    f.setBlock(135).setBlock(31).setBlock(32);
    expect([f.willBlock(135), f.willBlock(31), f.willBlock(32), f.willBlock(136)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    f.setPass(135);
    expect(f.willPass(135)).toBe(true);
  });

  it('blocks all, passes only the listed types, clones independently', () => {
    const f = Icmp6Filter.passOnly([133, 134]);
    expect(f.passed()).toEqual([133, 134]);
    const g = f.clone();
    g.setPassAll();
    expect(f.passed()).toEqual([133, 134]);
    expect(g.equals(Icmp6Filter.passAll())).toBe(true);
    expect(() => f.setPass(256)).toThrow(RangeError);
  });
});
