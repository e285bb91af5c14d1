import * as api from '@kame/kernel-api';
import * as stack from '@kame/stack';

describe('the ABI flag bits are the kernel flag bits', () => {
  it('every IFF_*, IN6_IFF_* and RTF_* that kernel-api exports equals the stack value of the same name', () => {
    const names = Object.keys(api).filter((k) => /^(IFF|IN6_IFF|RTF)_[A-Z]+$/.test(k));
    expect(names.length).toBeGreaterThan(25);
    const table = stack as unknown as Record<string, unknown>;
    const apiTable = api as unknown as Record<string, unknown>;
    const inStack = names.filter((n) => n in table);
    expect(inStack.length).toBeGreaterThan(20);
    for (const n of inStack) expect({ [n]: apiTable[n] }).toEqual({ [n]: table[n] });
  });
});
