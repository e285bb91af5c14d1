import type { Clock } from '@kame/time';

export interface LearningTableOptions {
  /** Entries kept at most; when full the least recently seen entry goes (default 4096). */
  maxEntries?: number;
  /** An entry not refreshed for this long is forgotten (default 300,000 ms, as Linux vxlan). */
  agingMs?: number;
}

export interface LearnedEntry<R> {
  /** The MAC address as "02:00:00:00:00:01". */
  mac: string;
  remote: R;
  /** Milliseconds since the entry was last refreshed. */
  ageMs: number;
}

interface Slot<R> {
  remote: R;
  seen: number;
}

/** A 48-bit MAC address as a number (exact: below 2^53). */
export function macKey(frame: Uint8Array, offset: number): number {
  const hi = (frame[offset]! << 8) | frame[offset + 1]!;
  const lo =
    ((frame[offset + 2]! << 24) |
      (frame[offset + 3]! << 16) |
      (frame[offset + 4]! << 8) |
      frame[offset + 5]!) >>>
    0;
  return hi * 0x1_0000_0000 + lo;
}

export function formatMacKey(key: number): string {
  return key
    .toString(16)
    .padStart(12, '0')
    .replace(/(..)(?!$)/g, '$1:');
}

/**
 * MAC address -> remote table of a VXLAN segment (RFC 7348 4.1: learn the
 * inner source MAC against the outer source). Bounded, aged lazily on the
 * injected clock: no timers are armed, an entry older than agingMs is
 * ignored and removed when it is next looked at.
 */
export class LearningTable<R> {
  readonly maxEntries: number;
  readonly agingMs: number;
  private readonly slots = new Map<number, Slot<R>>();

  constructor(
    private readonly clock: Clock,
    options: LearningTableOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 4096;
    this.agingMs = options.agingMs ?? 300_000;
    if (!(this.maxEntries >= 1)) throw new RangeError('LearningTable: maxEntries must be >= 1');
    if (!(this.agingMs > 0)) throw new RangeError('LearningTable: agingMs must be > 0');
  }

  get size(): number {
    return this.slots.size;
  }

  /** Records (or refreshes) `mac` behind `remote`; returns true for a new or moved entry. */
  learn(mac: number, remote: R): boolean {
    const now = this.clock.now();
    const slot = this.slots.get(mac);
    if (slot) {
      const moved = slot.remote !== remote || now - slot.seen > this.agingMs;
      slot.remote = remote;
      slot.seen = now;
      return moved;
    }
    if (this.slots.size >= this.maxEntries) this.evict(now);
    this.slots.set(mac, { remote, seen: now });
    return true;
  }

  /** The live entry for `mac`, or undefined (expired entries are dropped here). */
  lookup(mac: number): R | undefined {
    const slot = this.slots.get(mac);
    if (!slot) return undefined;
    if (this.clock.now() - slot.seen > this.agingMs) {
      this.slots.delete(mac);
      return undefined;
    }
    return slot.remote;
  }

  /** Forgets every entry whose remote matches; returns how many went. */
  purge(match: (remote: R) => boolean): number {
    let n = 0;
    for (const [mac, slot] of this.slots) {
      if (match(slot.remote)) {
        this.slots.delete(mac);
        n++;
      }
    }
    return n;
  }

  clear(): void {
    this.slots.clear();
  }

  /** Live entries (expired ones are removed first). */
  entries(): LearnedEntry<R>[] {
    const now = this.clock.now();
    this.expire(now);
    return [...this.slots].map(([mac, s]) => ({
      mac: formatMacKey(mac),
      remote: s.remote,
      ageMs: now - s.seen,
    }));
  }

  private expire(now: number): void {
    for (const [mac, slot] of this.slots) if (now - slot.seen > this.agingMs) this.slots.delete(mac);
  }

  /** Makes room for one entry: expired entries first, else the least recently seen. */
  private evict(now: number): void {
    this.expire(now);
    if (this.slots.size < this.maxEntries) return;
    let oldestMac = -1;
    let oldest = Infinity;
    for (const [mac, slot] of this.slots) {
      if (slot.seen < oldest) {
        oldest = slot.seen;
        oldestMac = mac;
      }
    }
    this.slots.delete(oldestMac);
  }
}
