import { KAME_PLATFORMS, defaultV6only, mappedAddressBehaviour } from './platform';

describe('IMPLEMENTATION 1.12 mapped address table', () => {
  it('matches the listening/initiating summary table', () => {
    const rows = KAME_PLATFORMS.map((p) => {
      const b = mappedAddressBehaviour(p);
      return [p, b.listening, b.listeningDefaultEnabled, b.initiating];
    });
    expect(rows).toEqual([
      ['bsdi3', 'not-supported', false, false],
      ['freebsd228', 'not-supported', false, false],
      ['freebsd3x', 'configurable', true, true],
      ['netbsd', 'configurable', false, true],
      ['bsdi4', 'enabled', true, true],
      ['openbsd', 'not-supported', false, false],
    ]);
    expect(mappedAddressBehaviour('bsdi4').separatePortSpace).toBe(false);
    expect(defaultV6only('netbsd')).toBe(1);
  });
});
