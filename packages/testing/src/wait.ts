import { VirtualClock, type Clock } from '@kame/time';

export interface RunUntilOptions {
  /** Real-time poll interval in ms (default 20). */
  intervalMs?: number;
}

/**
 * Waits until `pred()` holds or `deadlineMs` (clock time) has passed and
 * resolves with the last value of `pred()`. On a VirtualClock it fires the
 * clock's timers up to the deadline (no real waiting); on any other clock it
 * polls every `intervalMs` of host time, letting I/O run in between.
 */
export async function runUntil(
  clock: Clock,
  pred: () => boolean | Promise<boolean>,
  deadlineMs: number,
  opts: RunUntilOptions = {},
): Promise<boolean> {
  if (clock instanceof VirtualClock) {
    const end = clock.now() + deadlineMs;
    for (;;) {
      if (await pred()) return true;
      const next = clock.nextDeadline();
      if (next === undefined || next > end) {
        clock.runUntil(end);
        return pred();
      }
      clock.runUntil(next);
    }
  }
  const end = clock.now() + deadlineMs;
  const interval = opts.intervalMs ?? 20;
  for (;;) {
    if (await pred()) return true;
    const left = end - clock.now();
    if (left <= 0) return pred();
    await sleep(Math.min(interval, left));
  }
}

/**
 * runUntil that rejects with "timed out after N ms waiting for <what>"
 * (plus `detail()` when given) instead of resolving false.
 */
export async function waitUntil(
  clock: Clock,
  what: string,
  pred: () => boolean | Promise<boolean>,
  deadlineMs: number,
  opts: RunUntilOptions & { detail?: () => string | Promise<string> } = {},
): Promise<void> {
  if (await runUntil(clock, pred, deadlineMs, opts)) return;
  const detail = opts.detail ? `\n${await opts.detail()}` : '';
  throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${detail}`);
}

/** Host-time delay (a referenced timer, so a script keeps running while waiting). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
