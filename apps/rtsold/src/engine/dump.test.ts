import { formatDump, sec2str } from './dump';
import { initialVars } from './state';

describe('rtsold dump format (reference 2.4)', () => {
  it.each([
    [0, '0s'],
    [59, '59s'],
    [65, '1m5s'],
    [3601, '1h0m1s'],
    [90061, '1d1h1m1s'],
    [86400, '1d0h0m0s'],
  ])('sec2str(%d) = %s', (s, text) => {
    expect(sec2str(s)).toBe(text);
  });

  it('a timer whose deadline is in an earlier second than now is "expired"', () => {
    const text = formatDump(
      [{ ifname: 'em0', vars: initialVars(), timerIntervalMs: 1000, timerExpire: 4999 }],
      5000,
    );
    expect(text).toContain('  timer: interval=1:0, expire=expired\n');
    expect(text).toContain('  rtsold status: DOWN\n');
  });

  it('no interfaces: empty dump', () => {
    expect(formatDump([], 0)).toBe('');
  });
});
