import type { Clock, Random, Timer } from '@kame/time';
import { maxFrameLength } from './frame-length';
import {
  DEFAULT_QUEUE_FRAMES,
  DEFAULT_REORDER_DELAY_MS,
  type Impairment,
  type ImpairmentConfig,
  isCleanImpairment,
  validateImpairment,
} from './impairment';

export type DropReason = 'mtu' | 'loss' | 'queue' | 'flush';

export interface PipelineHooks {
  /** A frame leaves the pipeline (on a timer, or synchronously when allowed). */
  deliver(frame: Uint8Array): void;
  /** A frame was dropped by an impairment or by flush(). */
  drop(reason: DropReason, frame: Uint8Array): void;
  /** The duplication impairment made one extra copy. */
  duplicated(): void;
}

/**
 * One direction's impairments as a pipeline: MTU → loss → duplication →
 * rate limit (bounded queue, serialization delay) → delay ± jitter (+ reorder
 * hold-back) → deliver. With `alwaysAsync` every frame leaves on a clock
 * timer (at least one tick later); otherwise an unimpaired frame passes
 * through synchronously.
 */
export class ImpairmentPipeline {
  private imp: Readonly<Impairment> | undefined;
  private readonly timers = new Map<Timer, Uint8Array>();
  /** Frames in the rate limiter that have not finished serializing (incl. the one on the wire). */
  private rateInFlight = 0;
  /** When the rate limiter's transmitter is free again (clock ms). */
  private busyUntil = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly hooks: PipelineHooks,
    private readonly alwaysAsync: boolean,
  ) {}

  get impairment(): Readonly<Impairment> | undefined {
    return this.imp;
  }

  /** Replaces the impairment (validated; undefined or {} clears). Frames already inside keep their schedule. */
  set(imp: Impairment | undefined): void {
    this.imp = isCleanImpairment(imp) ? undefined : validateImpairment(imp!);
  }

  /** Frames inside the pipeline (waiting in the rate queue or in flight on a delay). */
  get pending(): number {
    return this.timers.size;
  }

  push(frame: Uint8Array): void {
    const imp = this.imp;
    if (imp === undefined) {
      this.leave(frame, 0);
      return;
    }
    if (imp.mtu !== undefined && frame.length > maxFrameLength(imp.mtu, frame)) {
      this.hooks.drop('mtu', frame);
      return;
    }
    if (imp.loss && this.random.next() < imp.loss) {
      this.hooks.drop('loss', frame);
      return;
    }
    let copies = 1;
    if (imp.duplicate && this.random.next() < imp.duplicate) {
      copies = 2;
      this.hooks.duplicated();
    }
    for (let i = 0; i < copies; i++) this.shape(imp, frame);
  }

  /** Drops every frame inside (cable cut, close); returns how many. */
  flush(): number {
    const held = [...this.timers];
    this.timers.clear();
    for (const [t, frame] of held) {
      t.cancel();
      this.hooks.drop('flush', frame);
    }
    this.rateInFlight = 0;
    this.busyUntil = this.clock.now();
    return held.length;
  }

  private shape(imp: Readonly<Impairment>, frame: Uint8Array): void {
    const rate = imp.rateBitsPerSecond;
    if (rate === undefined) {
      this.propagate(imp, frame);
      return;
    }
    // One transmitter and a FIFO queue: a frame waits for the ones before it, then takes len*8/rate.
    const limit = (imp.queueFrames ?? DEFAULT_QUEUE_FRAMES) + 1;
    if (this.rateInFlight >= limit) {
      this.hooks.drop('queue', frame);
      return;
    }
    const now = this.clock.now();
    const start = Math.max(now, this.busyUntil);
    const done = start + (frame.length * 8 * 1000) / rate;
    this.busyUntil = done;
    this.rateInFlight++;
    this.schedule(done - now, frame, () => {
      this.rateInFlight--;
      // The impairment may have changed while the frame was queued; use the current one.
      const cur = this.imp;
      if (cur === undefined) this.leave(frame, 0);
      else this.propagate(cur, frame);
    });
  }

  private propagate(imp: Readonly<Impairment>, frame: Uint8Array): void {
    let d = imp.delayMs ?? 0;
    if (imp.jitterMs) d += this.random.uniform(-imp.jitterMs, imp.jitterMs);
    if (imp.reorder && this.random.next() < imp.reorder) d += imp.reorderDelayMs ?? DEFAULT_REORDER_DELAY_MS;
    this.leave(frame, Math.max(0, d));
  }

  private leave(frame: Uint8Array, delayMs: number): void {
    if (delayMs === 0 && !this.alwaysAsync) {
      this.hooks.deliver(frame);
      return;
    }
    this.schedule(delayMs, frame, () => this.hooks.deliver(frame));
  }

  private schedule(delayMs: number, frame: Uint8Array, fn: () => void): void {
    const t: Timer = this.clock.setTimer(delayMs, () => {
      this.timers.delete(t);
      fn();
    });
    this.timers.set(t, frame);
  }
}

/**
 * Applies an ImpairmentConfig to an egress/ingress pair: named directions are
 * replaced (undefined or {} clears), others kept. Both are validated before
 * either changes, so a bad config changes nothing.
 */
export function configurePipelines(
  egress: ImpairmentPipeline,
  ingress: ImpairmentPipeline,
  config: ImpairmentConfig,
): void {
  const e = 'egress' in config ? config.egress : egress.impairment;
  const i = 'ingress' in config ? config.ingress : ingress.impairment;
  if (e !== undefined) validateImpairment(e);
  if (i !== undefined) validateImpairment(i);
  egress.set(e);
  ingress.set(i);
}

/** The current impairments of an egress/ingress pair (directions without any are absent). */
export function currentImpairments(
  egress: ImpairmentPipeline,
  ingress: ImpairmentPipeline,
): ImpairmentConfig {
  const out: ImpairmentConfig = {};
  if (egress.impairment) out.egress = egress.impairment;
  if (ingress.impairment) out.ingress = ingress.impairment;
  return out;
}
