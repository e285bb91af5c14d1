import type { Ipv6Address, MacAddress } from '@kame/addr';
import {
  emitNdMessage,
  ndMessageLen,
  type NdOption,
  type RouterAdvertRepr,
  type RouterPreference as WirePreference,
} from '@kame/wire';
import type { RouterPreference } from '../config/types';

/** config/types' 2-bit preference (raflags 0x18 >> 3) as the wire codec's name. */
export function wirePreference(p: RouterPreference | 2): WirePreference {
  switch (p) {
    case 1:
      return 'high';
    case 3:
      return 'low';
    case 2:
      return 'reserved';
    default:
      return 'medium';
  }
}

/** One Prefix Information option to send, lifetimes already computed for this instant. */
export interface PacketPrefix {
  readonly prefix: Ipv6Address;
  readonly prefixLength: number;
  readonly onLink: boolean;
  readonly autonomous: boolean;
  readonly routerAddress: boolean;
  readonly validLifetime: number;
  readonly preferredLifetime: number;
}

export interface PacketRoute {
  readonly prefix: Ipv6Address;
  readonly prefixLength: number;
  readonly preference: RouterPreference;
  readonly lifetime: number;
}

/** Everything make_packet() puts in one RA. */
export interface PacketInput {
  readonly curHopLimit: number;
  readonly managed: boolean;
  readonly other: boolean;
  readonly homeAgent: boolean;
  readonly preference: RouterPreference;
  readonly routerLifetime: number;
  readonly reachableTimeMs: number;
  readonly retransTimerMs: number;
  /** undefined = no SLLA option (nolladdr, or not an Ethernet interface). */
  readonly lladdr: MacAddress | undefined;
  /** 0 = no MTU option. */
  readonly linkMtu: number;
  /** MIP6 only: Advertisement Interval (ms) and Home Agent Information. */
  readonly advIntervalMs?: number;
  readonly homeAgentInfo?: { readonly preference: number; readonly lifetime: number };
  /** In advertisement order. */
  readonly prefixes: readonly PacketPrefix[];
  readonly routes: readonly PacketRoute[];
  readonly rdnss: readonly { readonly servers: readonly Ipv6Address[]; readonly lifetime: number }[];
  readonly dnssl: readonly { readonly domains: readonly string[]; readonly lifetime: number }[];
}

/**
 * The RA as KAME's make_packet() lays it out (reference 1.4): header, SLLA,
 * MTU, [MIP6 Adv Interval, HA Info], Prefix Information options, Route
 * Information options, then RDNSS and DNSSL (FreeBSD's additions).
 */
export function raRepr(p: PacketInput): RouterAdvertRepr {
  const options: NdOption[] = [];
  if (p.lladdr) options.push({ kind: 'sourceLinkAddr', linkAddr: p.lladdr });
  if (p.linkMtu !== 0) options.push({ kind: 'mtu', mtu: p.linkMtu });
  if (p.advIntervalMs !== undefined) options.push({ kind: 'advInterval', interval: p.advIntervalMs });
  if (p.homeAgentInfo) {
    options.push({
      kind: 'homeAgentInfo',
      preference: p.homeAgentInfo.preference,
      lifetime: p.homeAgentInfo.lifetime,
    });
  }
  for (const x of p.prefixes) {
    options.push({
      kind: 'prefixInfo',
      prefixLength: x.prefixLength,
      onLink: x.onLink,
      autonomous: x.autonomous,
      routerAddr: x.routerAddress,
      validLifetime: x.validLifetime >>> 0,
      preferredLifetime: x.preferredLifetime >>> 0,
      prefix: x.prefix,
    });
  }
  // RFC 4191 2.3 assigns type 24 (the codec's ND_OPT_ROUTE_INFO); KAME's
  // icmp6.h used 200 while the draft had no number. The codec truncates the
  // prefix to 0/8/16 bytes by prefix length, as KAME's psize does.
  for (const r of p.routes) {
    options.push({
      kind: 'routeInfo',
      prefixLength: r.prefixLength,
      preference: wirePreference(r.preference),
      routeLifetime: r.lifetime >>> 0,
      prefix: r.prefix.mask(r.prefixLength),
    });
  }
  for (const r of p.rdnss) {
    if (r.servers.length > 0)
      options.push({ kind: 'rdnss', lifetime: r.lifetime >>> 0, servers: [...r.servers] });
  }
  for (const d of p.dnssl) {
    if (d.domains.length > 0)
      options.push({ kind: 'dnssl', lifetime: d.lifetime >>> 0, domains: [...d.domains] });
  }
  return {
    kind: 'routerAdvert',
    code: 0,
    curHopLimit: p.curHopLimit & 0xff,
    managed: p.managed,
    other: p.other,
    homeAgent: p.homeAgent,
    preference: wirePreference(p.preference),
    proxy: false,
    routerLifetime: p.routerLifetime & 0xffff,
    reachableTime: p.reachableTimeMs >>> 0,
    retransTimer: p.retransTimerMs >>> 0,
    options,
  };
}

/** The ICMPv6 bytes of the RA (checksum 0: the kernel fills it in on a raw ICMPv6 socket). */
export function makePacket(p: PacketInput): Uint8Array {
  const repr = raRepr(p);
  const buf = new Uint8Array(ndMessageLen(repr));
  emitNdMessage(repr, buf, 0);
  return buf;
}
