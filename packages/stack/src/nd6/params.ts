/**
 * Neighbor Discovery host constants and per-interface variables
 * (RFC 4861 section 10 and 6.3.2). Times are in milliseconds.
 */

/** RFC 4861 10: MAX_MULTICAST_SOLICIT. */
export const MAX_MULTICAST_SOLICIT = 3;
/** RFC 4861 10: MAX_UNICAST_SOLICIT. */
export const MAX_UNICAST_SOLICIT = 3;
/** RFC 4861 10: REACHABLE_TIME, 30 000 ms. */
export const REACHABLE_TIME = 30_000;
/** RFC 4861 10: RETRANS_TIMER, 1 000 ms. */
export const RETRANS_TIMER = 1_000;
/** RFC 4861 10: DELAY_FIRST_PROBE_TIME, 5 s. */
export const DELAY_FIRST_PROBE_TIME = 5_000;
/** RFC 4861 10: MIN_RANDOM_FACTOR. */
export const MIN_RANDOM_FACTOR = 0.5;
/** RFC 4861 10: MAX_RANDOM_FACTOR. */
export const MAX_RANDOM_FACTOR = 1.5;
/**
 * RFC 4861 6.3.4: ReachableTime is re-randomized "at least every few hours".
 * Two hours, as KAME's ND_RECALC_REACHTM_INTERVAL.
 */
export const RECALC_REACHABLE_TIME_INTERVAL = 2 * 60 * 60 * 1000;

export interface NeighborCacheParams {
  /** BaseReachableTime (RFC 4861 6.3.2), ms; 0 means "keep the default". */
  readonly baseReachableTime: number;
  /** RetransTimer (RFC 4861 6.3.2), ms between NS retransmissions. */
  readonly retransTimer: number;
  readonly delayFirstProbeTime: number;
  readonly maxMulticastSolicit: number;
  readonly maxUnicastSolicit: number;
  /** Bound on entries; eviction prefers least recently used STALE entries. */
  readonly maxEntries: number;
  /**
   * Packets held per INCOMPLETE entry (RFC 4861 7.2.2: "at least one").
   * KAME's nd6 held exactly one (ln_hold); the default keeps that.
   */
  readonly maxQueuedPerEntry: number;
  /** How often ReachableTime is re-randomized even if the base is unchanged. */
  readonly recalcReachableTimeInterval: number;
  /**
   * False on media without link-layer addresses (PPP, tunnels). Entries then
   * exist only for NUD and the IsRouter flag (IMPLEMENTATION 1.2 case (2)).
   */
  readonly linkHasAddresses: boolean;
}

export const DEFAULT_NEIGHBOR_CACHE_PARAMS: NeighborCacheParams = {
  baseReachableTime: REACHABLE_TIME,
  retransTimer: RETRANS_TIMER,
  delayFirstProbeTime: DELAY_FIRST_PROBE_TIME,
  maxMulticastSolicit: MAX_MULTICAST_SOLICIT,
  maxUnicastSolicit: MAX_UNICAST_SOLICIT,
  maxEntries: 1024,
  maxQueuedPerEntry: 1,
  recalcReachableTimeInterval: RECALC_REACHABLE_TIME_INTERVAL,
  linkHasAddresses: true,
};

function check(ok: boolean, key: string, expected: string, value: unknown): void {
  if (!ok) throw new RangeError(`nd6: ${key}: must be ${expected}, got ${String(value)}`);
}

/** Fills defaults and rejects values that would break the state machine. */
export function resolveNeighborCacheParams(p: Partial<NeighborCacheParams> = {}): NeighborCacheParams {
  const r: NeighborCacheParams = { ...DEFAULT_NEIGHBOR_CACHE_PARAMS, ...p };
  const posInt = (key: keyof NeighborCacheParams, min: number): void => {
    const v = r[key];
    check(typeof v === 'number' && Number.isInteger(v) && v >= min, key, `an integer >= ${min}`, v);
  };
  posInt('baseReachableTime', 1);
  posInt('retransTimer', 1);
  posInt('delayFirstProbeTime', 0);
  posInt('maxMulticastSolicit', 1);
  posInt('maxUnicastSolicit', 1);
  posInt('maxEntries', 1);
  posInt('maxQueuedPerEntry', 1);
  posInt('recalcReachableTimeInterval', 1);
  return r;
}
