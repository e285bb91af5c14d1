import type { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import type { Clock, Random } from '@kame/time';

/** The logging the engine needs: a subset of @kame/daemon's Logger, so either fits. */
export interface Route6dLogger {
  err(m: string): void;
  warning(m: string): void;
  notice(m: string): void;
  info(m: string): void;
  debug(m: string): void;
}

export interface Route6dIfAddress {
  address: Ipv6Address;
  prefixLength: number;
  /** The other end of a point-to-point link (KAME ifrt_p2p). */
  peer?: Ipv6Address;
}

/** One interface as the engine sees it (a mirror of the kernel's view). */
export interface Route6dInterface {
  name: string;
  index: number;
  up: boolean;
  loopback: boolean;
  p2p: boolean;
  mtu: number;
  /** The interface metric added to received metrics (KAME ifc_metric); default 0. */
  metric?: number;
  /** The link-local address route6d sends from; an interface without one is not used. */
  linkLocal: Ipv6Address | undefined;
  addresses: readonly Route6dIfAddress[];
}

/** A route to put into, change in, or take out of the kernel FIB. */
export interface FibRoute {
  prefix: Ipv6Prefix;
  gateway: Ipv6Address;
  ifname: string;
  /** -A aggregates are RTF_REJECT routes via ::1 (KAME). */
  reject?: boolean;
  owner: 'route6d';
}

/** A route read from the kernel (KAME krtread/rt_entry), already stripped of cloned/ND entries by the host. */
export interface KernelRouteView {
  prefix: Ipv6Prefix;
  gateway: Ipv6Address | undefined;
  ifname: string;
  /** RTF_STATIC. */
  static: boolean;
  reject?: boolean;
  blackhole?: boolean;
  /** rmx_hopcount: the metric to advertise (min 1). */
  hopcount?: number;
  /** The owner tag; routes owned by route6d itself are ignored. */
  owner?: string;
}

/** A datagram received on the RIPng socket, with its ancillary data. */
export interface Route6dDatagram {
  /** IPV6_PKTINFO interface index. */
  ifindex: number;
  src: Ipv6Address;
  srcPort: number;
  /** IPV6_PKTINFO destination address. */
  dst: Ipv6Address;
  /** IPV6_HOPLIMIT; undefined when missing. */
  hopLimit: number | undefined;
  data: Uint8Array;
}

/** Everything the engine does to the outside world goes through this port. */
export interface Route6dHost {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Route6dLogger;
  /** Wall-clock milliseconds since the epoch, for HH:MM:SS stamps (default: clock.now()). */
  wallTime?(): number;
  interfaces(): readonly Route6dInterface[];
  /** UDP from port 521, hop limit 255, out of `ifname`. */
  send(ifname: string, dst: Ipv6Address, port: number, bytes: Uint8Array): void;
  installRoute(r: FibRoute): void;
  changeRoute(r: FibRoute): void;
  deleteRoute(r: FibRoute): void;
  kernelRoutes(): readonly KernelRouteView[];
  /** -R: one line of the route log. */
  routeLog?(line: string): void;
}
