import type { Clock, Timer } from './clock';

/** The longest delay setTimeout accepts (2^31-1 ms); Node fires longer ones after 1 ms. */
export const MAX_TIMEOUT_MS = 0x7fffffff;

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
    let immediate: NodeJS.Immediate | undefined;
    let timeout: NodeJS.Timeout | undefined;
    const fire = () => {
      pending = false;
      fn();
    };
    // setTimeout takes at most 2^31-1 ms (24.8 days) and fires at once above it
    // (an RFC 4861 30-day valid lifetime would expire immediately): longer
    // delays are slept in steps until the deadline.
    const arm = (left: number) => {
      timeout = setTimeout(
        () => {
          const rest = deadline - this.now();
          if (rest > 0 && left > MAX_TIMEOUT_MS) arm(rest);
          else fire();
        },
        Math.min(left, MAX_TIMEOUT_MS),
      );
      // A pending protocol timer must not keep a finished process alive on its own.
      timeout.unref();
    };
    // setTimeout clamps 0 to >= 1 ms; "next turn" work (lo0 loopback, deferred
    // delivery) goes through setImmediate so live nodes are not paced at 1 kHz.
    // (Unref'd immediates are not run while nothing else holds the loop, so they stay ref'd.)
    if (delayMs <= 0) immediate = setImmediate(fire);
    else arm(delayMs);
    return {
      get pending() {
        return pending;
      },
      deadline,
      cancel() {
        if (!pending) return;
        pending = false;
        if (immediate) clearImmediate(immediate);
        if (timeout) clearTimeout(timeout);
      },
    };
  }
}
