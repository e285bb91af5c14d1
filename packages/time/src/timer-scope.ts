import type { Clock, Timer } from './clock';

/**
 * A Clock that remembers the timers armed through it, so whoever hosts
 * nodes and daemons (kame-kernel, a lab) can cancel every protocol timer on
 * stop; after close(), new timers are born cancelled.
 */
export class TimerScope implements Clock {
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
