import { SeededRandom, VirtualClock } from '@kame/time';
import { MAX_RANDOM_FACTOR, MIN_RANDOM_FACTOR } from './params';
import { computeReachableTime, ReachableTime } from './reachable-time';

describe('RFC 4861 6.3.2: ReachableTime', () => {
  it('RFC 4861 6.3.2: stays within [MIN_RANDOM_FACTOR, MAX_RANDOM_FACTOR] x base over many draws', () => {
    const r = new SeededRandom(42);
    const draws = Array.from({ length: 1000 }, () => computeReachableTime(30_000, r));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(MIN_RANDOM_FACTOR * 30_000);
    expect(Math.max(...draws)).toBeLessThanOrEqual(MAX_RANDOM_FACTOR * 30_000);
    expect(new Set(draws).size).toBeGreaterThan(100);
  });

  it('RFC 4861 6.3.4: re-randomized after the recompute interval even with the same base', () => {
    const clock = new VirtualClock();
    const rt = new ReachableTime(clock, new SeededRandom(3), 30_000, 7_200_000);
    const first = rt.value;
    clock.advance(7_199_999);
    expect(rt.value).toBe(first);
    clock.advance(1);
    expect(rt.value).not.toBe(first);
  });
});
