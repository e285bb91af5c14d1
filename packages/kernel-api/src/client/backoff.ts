/** Reconnect backoff: the first retry after initialMs, then times factor, capped at maxMs. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 30_000, factor: 2 };

export class Backoff {
  private attempt = 0;

  constructor(readonly options: BackoffOptions = DEFAULT_BACKOFF) {
    const { initialMs, maxMs, factor } = options;
    if (!(initialMs >= 0) || !Number.isFinite(initialMs)) throw new RangeError(`bad initialMs ${initialMs}`);
    if (!(maxMs >= initialMs) || !Number.isFinite(maxMs)) throw new RangeError(`bad maxMs ${maxMs}`);
    if (!(factor >= 1) || !Number.isFinite(factor)) throw new RangeError(`bad factor ${factor}`);
  }

  /** Retries done since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next retry (and counts it). */
  next(): number {
    const { initialMs, maxMs, factor } = this.options;
    const d = Math.min(maxMs, initialMs * Math.pow(factor, this.attempt));
    this.attempt++;
    return d;
  }

  reset(): void {
    this.attempt = 0;
  }
}
