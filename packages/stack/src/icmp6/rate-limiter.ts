import type { Clock } from '@kame/time';
import type { Icmp6Stat } from '../stats/icmp6stat';
import { ICMP6_ERRPPSLIMIT_DEFAULT } from './constants';

export interface Icmp6RateLimiterOptions {
  readonly clock: Clock;
  /**
   * Errors per second (net.inet6.icmp6.errppslimit), read on every check so
   * a sysctl change applies at once: pass a number or a getter such as
   * `() => sysctl.get('net.inet6.icmp6.errppslimit')`. Default 100.
   */
  readonly limit?: number | (() => number);
  /** When given, every suppressed error bumps icp6s_toofreq here. */
  readonly stats?: Icmp6Stat;
}

export interface Icmp6RateLimiterStats {
  allowed: number;
  /** Errors refused by the limit (KAME icp6s_toofreq). */
  suppressed: number;
}

/**
 * The ICMPv6 error rate limit, RFC 4443 2.4 (f), which recommends a token
 * bucket: one global bucket (KAME limits errors from the node as a whole,
 * not per destination) holding at most `limit` tokens, refilled continuously
 * at `limit` tokens per second on the injected Clock, so a burst of `limit`
 * errors is allowed and then `limit` per second.
 *
 * errppslimit semantics (as KAME's sysctl documents it): a negative value
 * means unlimited; 0 means no error is ever sent (every one is counted as
 * too frequent).
 */
export class Icmp6RateLimiter {
  readonly stats: Icmp6RateLimiterStats = { allowed: 0, suppressed: 0 };
  private readonly clock: Clock;
  private readonly limitOf: () => number;
  private readonly icmp6stat: Icmp6Stat | undefined;
  private tokens: number;
  private last: number;
  private lastLimit: number;

  constructor(options: Icmp6RateLimiterOptions) {
    this.clock = options.clock;
    const limit = options.limit ?? ICMP6_ERRPPSLIMIT_DEFAULT;
    this.limitOf = typeof limit === 'function' ? limit : () => limit;
    this.icmp6stat = options.stats;
    this.lastLimit = this.limitOf();
    this.tokens = Math.max(0, this.lastLimit);
    this.last = this.clock.now();
  }

  /** The current errppslimit. */
  get limit(): number {
    return this.limitOf();
  }

  /** Tokens available now (Infinity when unlimited). */
  available(): number {
    const limit = this.limitOf();
    this.refill(limit);
    return limit < 0 ? Infinity : this.tokens;
  }

  /**
   * Takes a token: true when the error may be sent now, false (and counted
   * as too frequent) when the limit is exhausted.
   */
  allow(): boolean {
    const limit = this.limitOf();
    this.refill(limit);
    if (limit < 0) {
      this.stats.allowed++;
      return true;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.stats.allowed++;
      return true;
    }
    this.stats.suppressed++;
    if (this.icmp6stat !== undefined) this.icmp6stat.icp6s_toofreq++;
    return false;
  }

  private refill(limit: number): void {
    const now = this.clock.now();
    if (limit < 0) {
      this.lastLimit = limit;
      this.last = now;
      return;
    }
    if (limit !== this.lastLimit) {
      // A changed limit never leaves more tokens than the new bucket holds;
      // leaving "unlimited" starts with a full bucket.
      this.tokens = this.lastLimit < 0 ? limit : Math.min(this.tokens, limit);
      this.lastLimit = limit;
    }
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(limit, this.tokens + (elapsed * limit) / 1000);
  }
}
