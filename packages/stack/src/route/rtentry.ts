import type { Ipv4Address, Ipv4Prefix, Ipv6Address, Ipv6Prefix, MacAddress } from '@kame/addr';

/** Address family of a routing table (rt_tables[AF_INET6] / rt_tables[AF_INET]). */
export type RouteFamily = 'inet6' | 'inet';

export type RouteDestination = Ipv6Prefix | Ipv4Prefix;

/**
 * Where a route sends packets. An IPv6 gateway is in kernel form: a
 * link-local next hop carries its interface index in bytes 2-3
 * (IMPLEMENTATION 1.3.1, fe80:1::1), exactly as route6d reads it from the
 * routing socket. A `link` gateway is a connected route (netstat shows
 * "link#N"): the destination is on that interface; `mac` is set for
 * RTF_LLINFO entries.
 */
export type Gateway =
  | { readonly kind: 'inet6'; readonly address: Ipv6Address }
  | { readonly kind: 'inet'; readonly address: Ipv4Address }
  | { readonly kind: 'link'; readonly ifindex: number; readonly mac?: MacAddress };

/** One route (BSD struct rtentry). Immutable: a change replaces the object. */
export interface Rtentry {
  readonly family: RouteFamily;
  readonly dst: RouteDestination;
  readonly gateway: Gateway;
  /** Outgoing interface (rt_ifp); 0 when not known yet. */
  readonly ifindex: number;
  /** RTF_* bits. */
  readonly flags: number;
  /** Who installed it: 'kernel', 'route6d', 'rtadvd', ... (flush by owner). */
  readonly owner: string;
  /** rmx_hopcount-like preference; informational for the kernel. */
  readonly metric: number;
  /** Absolute Clock time (ms) at which the route is removed (rmx_expire); undefined = never. */
  readonly expire: number | undefined;
}

/** What a caller asks for in `RoutingTable.add`. */
export interface RouteSpec {
  dst: RouteDestination;
  gateway: Gateway;
  /** Needed for a link-local gateway without an embedded index. */
  ifindex?: number;
  /** Extra RTF_* bits (STATIC, REJECT, BLACKHOLE, CLONING, ...). UP, GATEWAY and HOST are derived. */
  flags?: number;
  owner?: string;
  metric?: number;
  expire?: number;
}

/** Fields `RoutingTable.change` may replace (RTM_CHANGE: gateway, flags, metrics). */
export interface RouteChange {
  gateway?: Gateway;
  ifindex?: number;
  flags?: number;
  metric?: number;
  /** A time, or null to clear the expiry. */
  expire?: number | null;
  owner?: string;
}
