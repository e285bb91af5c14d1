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
    const fire = () => {
      pending = false;
      fn();
    };
    // setTimeout clamps 0 to >= 1 ms; "next turn" work (lo0 loopback, deferred
    // delivery) goes through setImmediate so live nodes are not paced at 1 kHz.
    const immediate = delayMs <= 0;
    const h = immediate ? setImmediate(fire) : setTimeout(fire, delayMs);
    // A pending protocol timer must not keep a finished process alive on its
    // own. (An immediate runs on the next turn anyway; unref'd immediates are
    // not run while nothing else holds the loop, so they stay ref'd.)
    if (!immediate) (h as NodeJS.Timeout).unref();
    return {
      get pending() {
        return pending;
      },
      deadline,
      cancel() {
        if (pending) {
          pending = false;
          if (immediate) clearImmediate(h as NodeJS.Immediate);
          else clearTimeout(h as NodeJS.Timeout);
        }
      },
    };
  }
}
