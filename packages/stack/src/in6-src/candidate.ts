import type { Ipv6Address } from '@kame/addr';

/** in6_ifaddr flags that matter to source selection (ifconfig(8) names). */
export interface SourceAddressFlags {
  /** DAD still running: the address is not ready (IMPLEMENTATION 1.2). */
  tentative?: boolean;
  /** DAD failed: the address must never be used (IMPLEMENTATION 1.2). */
  duplicated?: boolean;
  /** Preferred lifetime expired (RFC 2462 5.5.4, IMPLEMENTATION 1.6). */
  deprecated?: boolean;
  /** Anycast addresses are never used as sources (RFC 2373 2.6 era rule). */
  anycast?: boolean;
  /** Prefix no longer advertised by any reachable router: not selected. */
  detached?: boolean;
  /** RFC 3041 temporary address (used by the RFC 6724 policy, rule 7). */
  temporary?: boolean;
}

/** One address assigned to one interface. */
export interface SourceCandidate {
  /** Kernel form: link-scoped addresses may carry the KAME embedded ifindex. */
  address: Ipv6Address;
  ifindex: number;
  prefixLength: number;
  flags?: SourceAddressFlags;
}

export interface SourceSelectionInput {
  destination: Ipv6Address;
  /**
   * Outgoing interface from the route lookup. When absent, a link-scoped
   * destination in KAME kernel form (fe80:1::...) supplies it (IMPLEMENTATION 1.3.1).
   */
  outgoingIfindex?: number;
  candidates: readonly SourceCandidate[];
  /** net.inet6.ip6.use_deprecated (any non-zero number or true allows). */
  useDeprecated: boolean | number;
  /** Rule 1: a source given by the user (bind(2), IPV6_PKTINFO). `::` means none. */
  explicitSource?: Ipv6Address;
  /** Rule 4: the address of the routing table entry for the destination (its ifa). */
  routeSource?: Ipv6Address;
}

/** Which rule chose the source (KAME rules of IMPLEMENTATION 1.6; RFC 6724 policy reports 0). */
export type SourceRule = 0 | 1 | 2 | 3 | 4;

export type SourceSelection =
  | {
      ok: true;
      address: Ipv6Address;
      candidate: SourceCandidate;
      rule: SourceRule;
      /** A deprecated address was used (last resort, or explicitly given). */
      deprecated: boolean;
    }
  | { ok: false; errno: 'EADDRNOTAVAIL' };

/** Tentative, duplicated, anycast and detached addresses are never selected. */
export function isSelectableSource(c: SourceCandidate): boolean {
  const f = c.flags ?? {};
  return !(f.tentative === true || f.duplicated === true || f.anycast === true || f.detached === true);
}

export function isDeprecatedSource(c: SourceCandidate): boolean {
  return c.flags?.deprecated === true;
}
