import type { Clock, Timer } from '@kame/time';

/**
 * A Clock that remembers the timers armed through it, so a lab can cancel
 * every protocol timer of its kernels, links and daemons on down(); after
 * close(), new timers are born cancelled. (apps/kernel has the same idea in
 * engine/timer-scope.ts; a shared one would belong in @kame/time.)
 */
export class ScopedClock implements Clock {
  private readonly pending = new Set<Timer>();
  private closed = false;

  constructor(private readonly clock: Clock) {}

  now(): number {
    return this.clock.now();
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    if (this.closed) return { pending: false, deadline: this.clock.now() + delayMs, cancel: () => undefined };
    const t: Timer = this.clock.setTimer(delayMs, () => {
      this.pending.delete(t);
      fn();
    });
    this.pending.add(t);
    const pending = this.pending;
    return {
      get pending() {
        return t.pending;
      },
      deadline: t.deadline,
      cancel() {
        pending.delete(t);
        t.cancel();
      },
    };
  }

  /** Timers armed and not yet fired or cancelled. */
  get size(): number {
    return this.pending.size;
  }

  /** Cancels every pending timer and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const t of this.pending) t.cancel();
    this.pending.clear();
  }
}
