/** Bounds of the host's RA state (DoS protection: IMPLEMENTATION 1.2's spirit). */
export interface Nd6RtrParams {
  /** Default Router List entries, all interfaces together; new routers beyond it are ignored. */
  readonly maxDefaultRouters: number;
  /** Prefix List entries (and so autoconfigured addresses), all interfaces together. */
  readonly maxPrefixes: number;
  /** Routers remembered per prefix in its "advertised by" list. */
  readonly maxAdvertisingRouters: number;
  /**
   * Route Information routes (RFC 4191 3, type C host) kept, like Linux's
   * accept_ra_rt_info knobs; 0 makes the host type A/B (options ignored).
   */
  readonly maxRouteInfo: number;
  /** Longest Route Information prefix accepted (RFC 4191 3.1 host knob). */
  readonly maxRouteInfoPrefixLength: number;
}

export const DEFAULT_ND6_RTR_PARAMS: Nd6RtrParams = {
  maxDefaultRouters: 16,
  maxPrefixes: 64,
  maxAdvertisingRouters: 16,
  maxRouteInfo: 32,
  maxRouteInfoPrefixLength: 128,
};

/** IPv6 minimum link MTU (RFC 8200 5); an RA MTU option below it is ignored. */
export const RA_MIN_LINK_MTU = 1280;

export function resolveNd6RtrParams(p: Partial<Nd6RtrParams> = {}): Nd6RtrParams {
  const r: Nd6RtrParams = { ...DEFAULT_ND6_RTR_PARAMS, ...p };
  for (const [k, min] of [
    ['maxDefaultRouters', 1],
    ['maxPrefixes', 1],
    ['maxAdvertisingRouters', 1],
    ['maxRouteInfo', 0],
    ['maxRouteInfoPrefixLength', 0],
  ] as const) {
    const v = r[k];
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`nd6-rtr: ${k}: must be an integer >= ${min}, got ${v}`);
  }
  if (r.maxRouteInfoPrefixLength > 128)
    throw new RangeError('nd6-rtr: maxRouteInfoPrefixLength: must be <= 128');
  return r;
}
