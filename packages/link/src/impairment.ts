import { validateMtu } from './frame-length';

/**
 * What can go wrong on one direction of one endpoint, in the spirit of
 * Linux netem/tbf. Every field is optional; an empty object is a clean wire.
 * Randomness comes from the injected Random, time from the injected Clock,
 * so the same seed and configuration give the same run.
 *
 * Order a frame meets them in: MTU, loss, duplication, rate limit (queue and
 * serialization), then delay + jitter + reordering hold-back.
 */
export interface Impairment {
  /** Fixed one-way delay in ms. */
  delayMs?: number;
  /** Uniform jitter in ms: each frame's delay is delayMs ± jitterMs (never below 0). Like netem, may reorder. */
  jitterMs?: number;
  /** Probability (0..1) that a frame is lost. */
  loss?: number;
  /** Probability (0..1) that a frame is sent twice. */
  duplicate?: number;
  /** Probability (0..1) that a frame is held back by reorderDelayMs so later frames overtake it. */
  reorder?: number;
  /** Extra hold-back for a reordered frame in ms (default 10). */
  reorderDelayMs?: number;
  /** Rate limit in bits per second (frame bytes × 8; no preamble/FCS/IFG). Unset: unlimited. */
  rateBitsPerSecond?: number;
  /** Frames that may wait behind the one being serialized before new ones are dropped (default 1000, like txqueuelen). */
  queueFrames?: number;
  /** Payload MTU: frames longer than mtu + 14 (+ 4 if 802.1Q-tagged) are dropped. */
  mtu?: number;
}

/** Impairments for both directions of an endpoint: egress = frames it sends, ingress = frames delivered to it. */
export interface ImpairmentConfig {
  egress?: Impairment;
  ingress?: Impairment;
}

export type Direction = 'egress' | 'ingress';

/** Something that can be impaired and have its cable cut. */
export interface Impairable {
  /**
   * Sets the impairment of each direction named in `config` (a direction
   * given as undefined or {} is cleared); directions not named are kept.
   */
  impair(config: ImpairmentConfig): void;
  /** Current impairments. */
  readonly impairments: Readonly<ImpairmentConfig>;
  /** Cuts (false) or restores (true) this endpoint's cable. */
  setCarrier(up: boolean): void;
}

export const DEFAULT_REORDER_DELAY_MS = 10;
export const DEFAULT_QUEUE_FRAMES = 1000;

function ms(v: number | undefined, field: string): void {
  if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
    throw new RangeError(`impairment ${field}: ${v} must be a finite number of milliseconds >= 0`);
  }
}

function probability(v: number | undefined, field: string): void {
  if (v !== undefined && !(v >= 0 && v <= 1)) {
    throw new RangeError(`impairment ${field}: ${v} must be a probability in 0..1 (e.g. 0.01 for 1%)`);
  }
}

/** Throws a RangeError naming the field unless every value is in range; returns a frozen copy. */
export function validateImpairment(imp: Impairment): Readonly<Impairment> {
  ms(imp.delayMs, 'delayMs');
  ms(imp.jitterMs, 'jitterMs');
  ms(imp.reorderDelayMs, 'reorderDelayMs');
  probability(imp.loss, 'loss');
  probability(imp.duplicate, 'duplicate');
  probability(imp.reorder, 'reorder');
  const rate = imp.rateBitsPerSecond;
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) {
    throw new RangeError(`impairment rateBitsPerSecond: ${rate} must be > 0 bits/s (omit it for no limit)`);
  }
  const q = imp.queueFrames;
  if (q !== undefined && !(Number.isInteger(q) && q >= 0)) {
    throw new RangeError(
      `impairment queueFrames: ${q} must be an integer >= 0 (default ${DEFAULT_QUEUE_FRAMES})`,
    );
  }
  if (imp.mtu !== undefined) validateMtu(imp.mtu, 'impairment mtu');
  return Object.freeze({ ...imp });
}

/** True when the impairment changes nothing (no field set to an effective value). */
export function isCleanImpairment(imp: Impairment | undefined): boolean {
  if (imp === undefined) return true;
  return (
    !imp.delayMs &&
    !imp.jitterMs &&
    !imp.loss &&
    !imp.duplicate &&
    !imp.reorder &&
    imp.rateBitsPerSecond === undefined &&
    imp.mtu === undefined
  );
}
