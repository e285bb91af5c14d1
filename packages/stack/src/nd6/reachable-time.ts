import type { Clock, Random } from '@kame/time';
import { MAX_RANDOM_FACTOR, MIN_RANDOM_FACTOR } from './params';

/** RFC 4861 6.3.2: uniform in [MIN_RANDOM_FACTOR, MAX_RANDOM_FACTOR) x base. */
export function computeReachableTime(baseReachableTime: number, random: Random): number {
  return Math.max(1, Math.round(random.uniform(MIN_RANDOM_FACTOR, MAX_RANDOM_FACTOR) * baseReachableTime));
}

/**
 * The randomized ReachableTime of one interface. Re-randomized when the base
 * changes (RFC 4861 6.3.4) and lazily once `recalcInterval` has passed since
 * the last draw ("at least every few hours"), so it needs no timer of its own.
 */
export class ReachableTime {
  private baseMs: number;
  private valueMs: number;
  private computedAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    baseReachableTime: number,
    private readonly recalcInterval: number,
  ) {
    this.baseMs = baseReachableTime;
    this.valueMs = computeReachableTime(baseReachableTime, random);
    this.computedAt = clock.now();
  }

  get base(): number {
    return this.baseMs;
  }

  /** The current ReachableTime, re-drawn first if it is older than the interval. */
  get value(): number {
    if (this.clock.now() - this.computedAt >= this.recalcInterval) this.recompute();
    return this.valueMs;
  }

  /**
   * RFC 4861 6.3.4: a non-zero Reachable Time from an RA becomes the base; a
   * different value re-randomizes. Zero means unspecified and is ignored.
   */
  setBase(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`nd6: BaseReachableTime: bad value ${ms}`);
    if (ms === 0 || ms === this.baseMs) return;
    this.baseMs = ms;
    this.recompute();
  }

  recompute(): void {
    this.valueMs = computeReachableTime(this.baseMs, this.random);
    this.computedAt = this.clock.now();
  }
}
