import { TWO_HOURS, applyTwoHourRule, lifetimeSeconds, remainingSeconds } from './lifetime';
import { selectDefaultRouter } from './router-selection';

describe('RFC 4862 5.5.3 e: applyTwoHourRule table', () => {
  const cases: Array<[number, number, boolean, number, string]> = [
    [TWO_HOURS + 1, 10 * TWO_HOURS, false, TWO_HOURS + 1, 'advertised'],
    [100, 50, false, 100, 'advertised'],
    [Infinity, 10, false, Infinity, 'advertised'],
    [10, TWO_HOURS, false, TWO_HOURS, 'ignored'],
    [TWO_HOURS, TWO_HOURS, false, TWO_HOURS, 'ignored'],
    [10, 100, true, 10, 'authenticated'],
    [10, TWO_HOURS + 1, false, TWO_HOURS, 'two-hours'],
    [TWO_HOURS, Infinity, false, TWO_HOURS, 'two-hours'],
  ];
  it.each(cases)(
    'RFC 4862 5.5.3 e: received %p, remaining %p, auth %p -> %p (%s)',
    (rx, rem, auth, v, rule) => {
      expect(applyTwoHourRule(rx, rem, auth)).toEqual({ validLifetime: v, rule });
    },
  );

  it('lifetime helpers: 0xffffffff is infinity; remaining seconds round up and never go negative', () => {
    expect(lifetimeSeconds(0xffffffff)).toBe(Infinity);
    expect(remainingSeconds(0, 1500)).toBe(2);
    expect(remainingSeconds(5000, 1000)).toBe(0);
  });
});

describe('RFC 4861 6.3.6: selectDefaultRouter table', () => {
  const r = (preference: 'high' | 'medium' | 'low', reachable: boolean) => ({ preference, reachable });
  const cases: Array<[string, ReturnType<typeof r>[], number | undefined, boolean, number | undefined]> = [
    ['empty list', [], undefined, false, undefined],
    ['reachable beats preference', [r('high', false), r('low', true)], undefined, false, 1],
    ['highest preference among reachable', [r('low', true), r('high', true), r('medium', true)], 0, false, 1],
    ['keep current among equals', [r('medium', true), r('medium', true)], 1, true, 1],
    ['none reachable, keep current', [r('high', false), r('low', false)], 1, false, 1],
    ['none reachable, rotate', [r('high', false), r('low', false)], 1, true, 0],
    ['none reachable, no current', [r('low', false), r('high', false)], undefined, false, 0],
  ];
  it.each(cases)('RFC 4861 6.3.6: %s', (_n, list, cur, rotate, want) => {
    expect(selectDefaultRouter(list, cur, rotate)).toBe(want);
  });
});
