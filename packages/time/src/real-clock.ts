import type { Clock, Timer } from './clock';

/**
 * The host's clock for live mode: performance.now() for a monotonic time
 * line and host timers. The only place in the libraries that arms real timers.
 */
export class RealClock implements Clock {
  now(): number {
    return performance.now();
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const deadline = this.now() + delayMs;
    let pending = true;
    const h = setTimeout(() => {
      pending = false;
      fn();
    }, delayMs);
    // A pending protocol timer must not keep a finished process alive on its own.
    h.unref?.();
    return {
      get pending() {
        return pending;
      },
      deadline,
      cancel() {
        if (pending) {
          pending = false;
          clearTimeout(h);
        }
      },
    };
  }
}
