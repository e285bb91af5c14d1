import type { Clock, Timer } from '@kame/time';

/** IEEE 802.1D's default aging time: 300 s (also Linux vxlan's default). */
export const DEFAULT_MAC_AGING_MS = 300_000;
export const DEFAULT_MAC_TABLE_SIZE = 4096;

/** What learning a new address does when the table is full (after aged entries are removed). */
export type MacTableFullPolicy =
  /** Existing entries stay, the new address is not learned (a switch whose CAM table overflowed). */
  | 'keep'
  /** The least recently seen entry is dropped to make room (a VXLAN fdb). */
  | 'evict-oldest';

export interface MacTableOptions {
  /** An entry not refreshed for this long is removed (default 300 000 ms). */
  agingMs?: number;
  /** Bound on entries (default 4096); what happens when full is `whenFull`. */
  maxEntries?: number;
  /** When full: 'keep' existing entries and report 'full' (default), or 'evict-oldest'. */
  whenFull?: MacTableFullPolicy;
  /**
   * Arm one timer on the clock that ages entries out as they expire (default true).
   * False: no timers at all, aged entries are only dropped lazily when the table is
   * read or written (lookup, learn, entries, sweep).
   */
  agingTimer?: boolean;
}

/** What learn() did. */
export type LearnResult = 'learned' | 'refreshed' | 'moved' | 'full';

/** One entry as listed by entries(). */
export interface MacTableEntry<P> {
  /** The MAC address as "02:00:00:00:00:01". */
  mac: string;
  port: P;
  /** Milliseconds until the entry ages out unless refreshed. */
  expiresInMs: number;
}

interface Entry<P> {
  port: P;
  expires: number;
}

/** A MAC address from 6 bytes at `offset` as an exact integer key (48 bits fit a double). */
export function macTableKey(bytes: Uint8Array, offset = 0): number {
  const hi = (bytes[offset]! << 8) | bytes[offset + 1]!;
  const lo =
    ((bytes[offset + 2]! << 24) |
      (bytes[offset + 3]! << 16) |
      (bytes[offset + 4]! << 8) |
      bytes[offset + 5]!) >>>
    0;
  return hi * 0x1_0000_0000 + lo;
}

/** A key from macTableKey() as "02:00:00:00:00:01". */
export function formatMacKey(key: number): string {
  return key
    .toString(16)
    .padStart(12, '0')
    .replace(/(..)(?!$)/g, '$1:');
}

/**
 * A filtering database: MAC → port (a switch port, a VXLAN remote, ...) with
 * aging on the injected clock and a size bound. Used by LearningSwitch and
 * by VxlanSegment (RFC 7348 4.1: inner source MAC → outer source).
 *
 * Entries are kept in a Map in last-refresh order (refresh = delete + set), so
 * the oldest is always first: aging removes from the front, the least recently
 * seen entry is the first one, and (with `agingTimer`) one timer at the oldest
 * entry's expiry ages them out. Lookups also age lazily on clock.now(), so an
 * expired entry is never returned even before its timer has run.
 */
export class MacTable<P> {
  readonly agingMs: number;
  readonly maxEntries: number;
  readonly whenFull: MacTableFullPolicy;
  readonly agingTimer: boolean;
  /** Entries removed by aging so far. */
  agedOut = 0;
  /** Entries dropped to make room (whenFull 'evict-oldest') so far. */
  evicted = 0;
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
    this.whenFull = opts.whenFull ?? 'keep';
    this.agingTimer = opts.agingTimer ?? true;
    if (!(Number.isFinite(this.agingMs) && this.agingMs > 0)) {
      throw new RangeError(`MAC aging time ${this.agingMs} ms must be > 0 (802.1D default 300000)`);
    }
    if (!(Number.isInteger(this.maxEntries) && this.maxEntries >= 1)) {
      throw new RangeError(`MAC table size ${this.maxEntries} must be an integer >= 1 (default 4096)`);
    }
  }

  /** Entries held, including any aged ones not yet removed (agingTimer false). */
  get size(): number {
    return this.table.size;
  }

  /** Records that `key` was seen on `port` now. */
  learn(key: number, port: P): LearnResult {
    const now = this.clock.now();
    const expires = now + this.agingMs;
    let old = this.table.get(key);
    if (old !== undefined && old.expires <= now) {
      // Aged out but not yet removed: this is a new entry.
      this.sweep();
      old = undefined;
    }
    if (old !== undefined) {
      this.table.delete(key);
      this.table.set(key, { port, expires });
      return old.port === port ? 'refreshed' : 'moved';
    }
    if (this.table.size >= this.maxEntries) {
      this.sweep();
      if (this.table.size >= this.maxEntries) {
        if (this.whenFull === 'keep') return 'full';
        const oldest = this.table.keys().next();
        if (!oldest.done) {
          this.table.delete(oldest.value);
          this.evicted++;
        }
      }
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

  /** Forgets every address learned on `port` (the port or remote went away); returns how many. */
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

  /** A snapshot of the live entries for display, least recently seen first (aged ones are removed first). */
  entries(): MacTableEntry<P>[] {
    this.sweep();
    const now = this.clock.now();
    return [...this.table].map(([k, e]) => ({
      mac: formatMacKey(k),
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
    if (!this.agingTimer || this.timer?.pending) return;
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
