/**
 * Time, injected. Engines and the stack never read the wall clock or arm
 * host timers themselves: they are handed a Clock (CONVENTIONS "Time is a
 * parameter"), so a VirtualClock can run 30 simulated minutes in milliseconds.
 */
export interface Timer {
  /** Cancels the timer; cancelling twice or after it fired is harmless. */
  cancel(): void;
  /** True until the timer fires or is cancelled. */
  readonly pending: boolean;
  /** The absolute time (Clock.now() units, ms) at which it fires. */
  readonly deadline: number;
}

export interface Clock {
  /** Milliseconds on a monotonic time line (not necessarily the Unix epoch). */
  now(): number;
  /** Calls `fn` once, `delayMs` (>= 0) from now. */
  setTimer(delayMs: number, fn: () => void): Timer;
}
