import type { Clock, Timer } from './clock';

class VirtualTimer implements Timer {
  pending = true;
  constructor(
    readonly deadline: number,
    readonly seq: number,
    readonly fn: () => void,
    private readonly owner: VirtualClock,
  ) {}
  cancel(): void {
    if (this.pending) {
      this.pending = false;
      this.owner.cancelled++;
    }
  }
}

/**
 * A deterministic clock for tests and virtual-time labs. Timers fire in
 * deadline order, ties in the order they were set, and time only moves in
 * advance()/runUntil(). A binary heap keeps both operations O(log n).
 */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private heap: VirtualTimer[] = [];
  /** Cancelled timers still in the heap (compacted when they dominate). */
  cancelled = 0;
  /** Timers fired so far. */
  fired = 0;

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) throw new RangeError(`bad timer delay: ${delayMs}`);
    const timer = new VirtualTimer(this.t + delayMs, this.seq++, fn, this);
    this.push(timer);
    return timer;
  }

  /** Number of live (not cancelled, not fired) timers. */
  get pendingTimers(): number {
    return this.heap.length - this.cancelled;
  }

  /** The next live deadline, or undefined. */
  nextDeadline(): number | undefined {
    this.dropCancelledTop();
    return this.heap[0]?.deadline;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot advance by ${ms}`);
    this.runUntil(this.t + ms);
  }

  /**
   * Fires timers in order until none is due at or before `time`, then sets
   * now to `time`. Timers set by callbacks for times <= `time` fire too.
   * `maxEvents` bounds a runaway (a timer re-arming itself with delay 0).
   */
  runUntil(time: number, maxEvents = 10_000_000): number {
    let n = 0;
    for (;;) {
      this.dropCancelledTop();
      const top = this.heap[0];
      if (top === undefined || top.deadline > time) break;
      if (++n > maxEvents) throw new Error(`VirtualClock: more than ${maxEvents} events before ${time}`);
      this.pop();
      top.pending = false;
      if (top.deadline > this.t) this.t = top.deadline;
      this.fired++;
      top.fn();
    }
    if (time > this.t) this.t = time;
    return n;
  }

  /** Fires timers until `pred()` holds or `limitMs` of virtual time has passed; returns pred(). */
  runUntilTrue(pred: () => boolean, limitMs: number): boolean {
    const end = this.t + limitMs;
    while (!pred()) {
      const next = this.nextDeadline();
      if (next === undefined || next > end) {
        this.runUntil(end);
        return pred();
      }
      this.runUntil(next);
    }
    return true;
  }

  /** Runs until no timer is pending (or `maxEvents`); returns the events fired. */
  runAll(maxEvents = 10_000_000): number {
    let n = 0;
    for (let next = this.nextDeadline(); next !== undefined; next = this.nextDeadline()) {
      n += this.runUntil(next, maxEvents - n);
    }
    return n;
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && !this.heap[0]!.pending) {
      this.pop();
      this.cancelled--;
    }
    if (this.cancelled > 1024 && this.cancelled * 2 > this.heap.length) this.compact();
  }

  private compact(): void {
    this.heap = this.heap.filter((x) => x.pending);
    this.cancelled = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private less(a: VirtualTimer, b: VirtualTimer): boolean {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
  }

  private push(x: VirtualTimer): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): VirtualTimer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      this.down(0);
    }
    return top;
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
