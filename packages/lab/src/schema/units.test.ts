import { formatDuration, formatRate, parseDuration, parsePercent, parseRate } from './units';

describe('lab units', () => {
  it('durations: ms, s, m, h, decimals and sums, in milliseconds', () => {
    expect(parseDuration('500ms')).toEqual({ ok: true, value: 500 });
    expect(parseDuration('10s')).toEqual({ ok: true, value: 10_000 });
    expect(parseDuration('1.5s')).toEqual({ ok: true, value: 1500 });
    expect(parseDuration('2m')).toEqual({ ok: true, value: 120_000 });
    expect(parseDuration('1h')).toEqual({ ok: true, value: 3_600_000 });
    expect(parseDuration('1m30s')).toEqual({ ok: true, value: 90_000 });
    expect(parseDuration('0s')).toEqual({ ok: true, value: 0 });
  });

  it('durations: refuses missing units, unknown units, signs, empty text and more than a week', () => {
    const bad = (s: string): string => {
      const p = parseDuration(s);
      return p.ok ? 'ok' : p.reason;
    };
    expect(bad('10')).toBe('must be a duration like 500ms, 10s, 2m or 1h');
    expect(bad('10 s')).toBe('must be a duration like 500ms, 10s, 2m or 1h');
    expect(bad('1y')).toBe('must be a duration like 500ms, 10s, 2m or 1h');
    expect(bad('-1s')).toBe('must be a duration like 500ms, 10s, 2m or 1h');
    expect(bad('s')).toBe('must be a duration like 500ms, 10s, 2m or 1h');
    expect(bad('')).toBe('empty duration');
    expect(bad('169h')).toBe('must be at most 168h');
    expect(bad('168h')).toBe('ok');
  });

  it('rates: bit, kbit, mbit, gbit with decimal multipliers (tc(8)), in bits per second', () => {
    expect(parseRate('64kbit')).toEqual({ ok: true, value: 64_000 });
    expect(parseRate('10mbit')).toEqual({ ok: true, value: 10_000_000 });
    expect(parseRate('1.5Mbit')).toEqual({ ok: true, value: 1_500_000 });
    expect(parseRate('1gbit')).toEqual({ ok: true, value: 1e9 });
    expect(parseRate('800bit')).toEqual({ ok: true, value: 800 });
    expect(parseRate('10mbps')).toEqual({ ok: false, reason: 'must be a rate like 64kbit, 10mbit or 1gbit' });
    expect(parseRate('0kbit')).toEqual({ ok: false, reason: 'must be at least 1bit' });
    expect(parseRate('2000gbit')).toEqual({ ok: false, reason: 'must be at most 1000gbit' });
  });

  it('loss: 0..100 percent', () => {
    expect(parsePercent('1%')).toEqual({ ok: true, value: 1 });
    expect(parsePercent('0.5%')).toEqual({ ok: true, value: 0.5 });
    expect(parsePercent('100%')).toEqual({ ok: true, value: 100 });
    expect(parsePercent('100.1%')).toEqual({ ok: false, reason: 'must be 0..100%' });
    expect(parsePercent('0.01')).toEqual({ ok: false, reason: 'must be a percentage like 1% or 0.5%' });
    expect(parsePercent('-1%')).toEqual({ ok: false, reason: 'must be a percentage like 1% or 0.5%' });
  });

  it('formats back in the largest exact unit', () => {
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(120_000)).toBe('2m');
    expect(formatDuration(1500)).toBe('1500ms');
    expect(formatDuration(7_200_000)).toBe('2h');
    expect(formatDuration(0)).toBe('0s');
    expect(formatRate(10_000_000)).toBe('10mbit');
    expect(formatRate(64_000)).toBe('64kbit');
    expect(formatRate(1500)).toBe('1500bit');
  });
});
