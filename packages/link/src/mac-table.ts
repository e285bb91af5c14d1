import type { Clock, Timer } from '@kame/time';

/** IEEE 802.1D's default aging time: 300 s. */
export const DEFAULT_MAC_AGING_MS = 300_000;
export const DEFAULT_MAC_TABLE_SIZE = 4096;

export interface MacTableOptions {
  /** An entry not refreshed for this long is removed (default 300 000 ms). */
  agingMs?: number;
  /** Bound on entries; when full (after removing aged ones) new addresses are not learned. Default 4096. */
  maxEntries?: number;
}

/** What learn() did. */
export type LearnResult = 'learned' | 'refreshed' | 'moved' | 'full';

interface Entry<P> {
  port: P;
  expires: number;
}

/** A MAC address from 6 bytes at `offset` as an exact integer key (48 bits fit a double). */
export function macTableKey(bytes: Uint8Array, offset = 0): number {
  let k = 0;
  for (let i = 0; i < 6; i++) k = k * 256 + (bytes[offset + i] ?? 0);
  return k;
}

function keyToString(k: number): string {
  return k
    .toString(16)
    .padStart(12, '0')
    .replace(/(..)(?!$)/g, '$1:');
}

/**
 * A bridge's filtering database: MAC → port with aging on the clock.
 * Entries are kept in a Map in last-refresh order (refresh = delete + set),
 * so the oldest is always first and one timer at its expiry ages them out.
 */
export class MacTable<P> {
  readonly agingMs: number;
  readonly maxEntries: number;
  /** Entries removed by aging so far. */
  agedOut = 0;
  private readonly table = new Map<number, Entry<P>>();
  private timer: Timer | undefined;

  constructor(
    private readonly clock: Clock,
    opts: MacTableOptions = {},
    /** Told how many entries each sweep aged out (when > 0). */
    private readonly onAgedOut?: (count: number) => void,
  ) {
    this.agingMs = opts.agingMs ?? DEFAULT_MAC_AGING_MS;
    this.maxEntries = opts.maxEntries ?? DEFAULT_MAC_TABLE_SIZE;
    if (!(Number.isFinite(this.agingMs) && this.agingMs > 0)) {
      throw new RangeError(`MAC aging time ${this.agingMs} ms must be > 0 (802.1D default 300000)`);
    }
    if (!(Number.isInteger(this.maxEntries) && this.maxEntries >= 1)) {
      throw new RangeError(`MAC table size ${this.maxEntries} must be an integer >= 1 (default 4096)`);
    }
  }

  get size(): number {
    return this.table.size;
  }

  /** Records that `key` was seen on `port` now. */
  learn(key: number, port: P): LearnResult {
    const expires = this.clock.now() + this.agingMs;
    const old = this.table.get(key);
    if (old !== undefined) {
      this.table.delete(key);
      this.table.set(key, { port, expires });
      return old.port === port ? 'refreshed' : 'moved';
    }
    if (this.table.size >= this.maxEntries) {
      this.sweep();
      if (this.table.size >= this.maxEntries) return 'full';
    }
    this.table.set(key, { port, expires });
    this.arm();
    return 'learned';
  }

  /** The port `key` was last seen on, unless it has aged out. */
  lookup(key: number): P | undefined {
    const e = this.table.get(key);
    if (e === undefined) return undefined;
    if (e.expires <= this.clock.now()) {
      this.sweep();
      return undefined;
    }
    return e.port;
  }

  /** Forgets every address learned on `port` (the port went away). */
  removePort(port: P): number {
    let n = 0;
    for (const [k, e] of this.table) {
      if (e.port === port) {
        this.table.delete(k);
        n++;
      }
    }
    return n;
  }

  /** Removes aged entries; returns how many. */
  sweep(): number {
    const now = this.clock.now();
    let n = 0;
    for (const [k, e] of this.table) {
      if (e.expires > now) break;
      this.table.delete(k);
      n++;
    }
    if (n > 0) {
      this.agedOut += n;
      this.onAgedOut?.(n);
    }
    return n;
  }

  /** A snapshot for display: address, port, ms until it ages out. */
  entries(): Array<{ mac: string; port: P; expiresInMs: number }> {
    const now = this.clock.now();
    return [...this.table].map(([k, e]) => ({
      mac: keyToString(k),
      port: e.port,
      expiresInMs: e.expires - now,
    }));
  }

  clear(): void {
    this.table.clear();
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** One timer at the oldest entry's expiry; it sweeps and re-arms while entries remain. */
  private arm(): void {
    if (this.timer?.pending) return;
    const first = this.table.values().next();
    if (first.done) return;
    const delay = Math.max(0, first.value.expires - this.clock.now());
    this.timer = this.clock.setTimer(delay, () => {
      this.timer = undefined;
      this.sweep();
      this.arm();
    });
  }
}
