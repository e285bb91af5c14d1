import { type Ipv6Address, scopeOf } from '@kame/addr';
import type { Clock } from '@kame/time';
import type { Icmp6Stat } from '../stats/icmp6stat';
import { IPV6_MMTU, PMTU_CACHE_MAX_ENTRIES, PMTU_EXPIRE_MS } from './constants';

export interface PathMtuCacheOptions {
  readonly clock: Clock;
  /** RFC 8201 5.3: how long a learned PMTU lives before the link MTU is tried again. Default 10 min. */
  readonly expireMs?: number;
  /** Entries kept; the least recently used goes first. Default 1024. */
  readonly maxEntries?: number;
  /** When given, every PMTU decrease bumps icp6s_pmtuchg here. */
  readonly stats?: Icmp6Stat;
}

export interface PathMtuEntry {
  readonly dst: Ipv6Address;
  /** Interface index for link-scoped destinations; 0 otherwise. */
  readonly zone: number;
  readonly mtu: number;
  /** Clock time the estimate was last lowered. */
  readonly updatedAt: number;
  /** Clock time at which it ages out (RFC 8201 5.3). */
  readonly expiresAt: number;
}

/** What `update` did with a Packet Too Big report. */
export type PathMtuUpdate =
  /** The estimate was lowered to `mtu` (clamped to 1280 when the report was lower). */
  | { readonly result: 'lowered'; readonly mtu: number; readonly clamped: boolean }
  /** RFC 8201 4: a report above the link MTU is not believed. */
  | { readonly result: 'above-link-mtu'; readonly mtu: number }
  /** RFC 8201 4: a PTB never raises (or keeps) the estimate. */
  | { readonly result: 'not-lower'; readonly mtu: number };

export interface PathMtuCacheStats {
  lowered: number;
  /** Reports below 1280 raised to 1280 (RFC 8201 4). */
  clamped: number;
  ignored: number;
  expired: number;
  evictions: number;
}

interface Entry {
  readonly dst: Ipv6Address;
  readonly zone: number;
  mtu: number;
  updatedAt: number;
  expiresAt: number;
}

/**
 * The Path MTU cache, RFC 8201: per destination (and interface, for
 * link-scoped destinations, whose address alone is ambiguous: IMPLEMENTATION
 * 1.3), learned from Packet Too Big messages, aged out after `expireMs` so
 * that larger MTUs are discovered again (5.3), bounded with LRU eviction.
 * Expiry is lazy (checked on access and by `purge`): no timers to cancel.
 */
export class PathMtuCache {
  readonly stats: PathMtuCacheStats = { lowered: 0, clamped: 0, ignored: 0, expired: 0, evictions: 0 };
  readonly expireMs: number;
  readonly maxEntries: number;
  private readonly clock: Clock;
  private readonly icmp6stat: Icmp6Stat | undefined;
  /** Insertion order is recency order (oldest first). */
  private readonly map = new Map<string, Entry>();

  constructor(options: PathMtuCacheOptions) {
    this.clock = options.clock;
    this.expireMs = options.expireMs ?? PMTU_EXPIRE_MS;
    this.maxEntries = options.maxEntries ?? PMTU_CACHE_MAX_ENTRIES;
    if (!(this.expireMs > 0)) throw new RangeError(`PathMtuCache: expireMs ${this.expireMs} must be > 0`);
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError(`PathMtuCache: maxEntries ${this.maxEntries} must be a positive integer`);
    }
    this.icmp6stat = options.stats;
  }

  get size(): number {
    return this.map.size;
  }

  /** The learned PMTU toward `dst`, or undefined (use the route / link MTU). */
  get(dst: Ipv6Address, zone = 0): number | undefined {
    const key = keyOf(dst, zone);
    const e = this.live(key);
    if (e === undefined) return undefined;
    // Touch for LRU.
    this.map.delete(key);
    this.map.set(key, e);
    return e.mtu;
  }

  /**
   * Applies a Packet Too Big report of `mtu` for `dst`, sent over a link of
   * `linkMtu` (RFC 8201 4): a report below 1280 is raised to 1280, one above
   * the link MTU is ignored, and the estimate only ever goes down.
   */
  update(dst: Ipv6Address, mtu: number, linkMtu: number, zone = 0): PathMtuUpdate {
    if (mtu > linkMtu) {
      this.stats.ignored++;
      return { result: 'above-link-mtu', mtu: this.get(dst, zone) ?? linkMtu };
    }
    const clamped = mtu < IPV6_MMTU;
    const reported = clamped ? IPV6_MMTU : mtu;
    const key = keyOf(dst, zone);
    const e = this.live(key);
    const current = e?.mtu ?? linkMtu;
    if (reported >= current) {
      this.stats.ignored++;
      return { result: 'not-lower', mtu: current };
    }
    const now = this.clock.now();
    if (e !== undefined) this.map.delete(key);
    this.map.set(key, {
      dst,
      zone: zoneOf(dst, zone),
      mtu: reported,
      updatedAt: now,
      expiresAt: now + this.expireMs,
    });
    this.stats.lowered++;
    if (clamped) this.stats.clamped++;
    if (this.icmp6stat !== undefined) this.icmp6stat.icp6s_pmtuchg++;
    this.evict();
    return { result: 'lowered', mtu: reported, clamped };
  }

  /** Forgets `dst` (e.g. its route changed). */
  delete(dst: Ipv6Address, zone = 0): boolean {
    return this.map.delete(keyOf(dst, zone));
  }

  /** Drops every expired entry; returns how many. */
  purge(): number {
    const now = this.clock.now();
    let n = 0;
    for (const [key, e] of this.map) {
      if (now >= e.expiresAt) {
        this.map.delete(key);
        n++;
      }
    }
    this.stats.expired += n;
    return n;
  }

  /** Live entries, least recently used first. */
  entries(): PathMtuEntry[] {
    this.purge();
    return [...this.map.values()].map((e) => ({ ...e }));
  }

  private live(key: string): Entry | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    if (this.clock.now() >= e.expiresAt) {
      this.map.delete(key);
      this.stats.expired++;
      return undefined;
    }
    return e;
  }

  private evict(): void {
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next();
      if (oldest.done === true) return;
      this.map.delete(oldest.value);
      this.stats.evictions++;
    }
  }
}

/** The zone matters only for link-scoped destinations (link-local unicast, scope <= 2 multicast). */
function zoneOf(dst: Ipv6Address, zone: number): number {
  return scopeOf(dst) <= 2 ? zone : 0;
}

function keyOf(dst: Ipv6Address, zone: number): string {
  return `${dst.toString()}%${zoneOf(dst, zone)}`;
}
