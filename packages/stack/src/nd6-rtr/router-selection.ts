import type { RouterPreference } from '@kame/wire';

/** Default router preference as used for selection: RFC 4191 2.2 reads reserved (10) as medium. */
export type DefaultRouterPreference = 'high' | 'medium' | 'low';

export function effectivePreference(p: RouterPreference): DefaultRouterPreference {
  return p === 'reserved' ? 'medium' : p;
}

export function preferenceRank(p: DefaultRouterPreference): number {
  return p === 'high' ? 2 : p === 'medium' ? 1 : 0;
}

export interface RouterCandidate {
  readonly preference: DefaultRouterPreference;
  /** "Reachable or probably reachable" (RFC 4861 6.3.6): NUD state not INCOMPLETE/unknown. */
  readonly reachable: boolean;
}

/**
 * RFC 4861 6.3.6 with RFC 4191 2.2 preferences, over the Default Router List
 * in its order. Returns the index to install, or undefined for an empty list.
 *
 * - Among routers that are reachable or probably reachable, the highest
 *   preference wins; the current router is kept while it is one of the best
 *   (no flapping between equals), else the first best in list order.
 * - When none is known to be reachable, routers are chosen round-robin
 *   regardless of preference: with `rotate`, the one after `current` (the
 *   caller asks for that when the current router proved unreachable);
 *   without, the current router stays (list updates must not rotate).
 */
export function selectDefaultRouter(
  routers: readonly RouterCandidate[],
  current: number | undefined,
  rotate: boolean,
): number | undefined {
  if (routers.length === 0) return undefined;
  let best = -1;
  for (let i = 0; i < routers.length; i++) {
    const r = routers[i]!;
    if (r.reachable && (best < 0 || preferenceRank(r.preference) > preferenceRank(routers[best]!.preference)))
      best = i;
  }
  if (best >= 0) {
    const cur = current === undefined ? undefined : routers[current];
    if (
      cur !== undefined &&
      cur.reachable &&
      preferenceRank(cur.preference) === preferenceRank(routers[best]!.preference)
    ) {
      return current;
    }
    return best;
  }
  if (current === undefined || current >= routers.length) return 0;
  return rotate ? (current + 1) % routers.length : current;
}
