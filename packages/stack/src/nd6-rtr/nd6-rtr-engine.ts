import { Ipv6Prefix, MacAddress, addressFromInterfaceId, type Ipv6Address } from '@kame/addr';
import type { Clock, Timer } from '@kame/time';
import type {
  MtuOption,
  NdOption,
  PrefixInfoOption,
  RouteInfoOption,
  RouterAdvertRepr,
  RouterPreference,
} from '@kame/wire';
import type { Sysctl } from '../sysctl/index';
import {
  applyTwoHourRule,
  deadlineOf,
  lifetimeSeconds,
  remainingSeconds,
  type ValidLifetimeRule,
} from './lifetime';
import { RA_MIN_LINK_MTU, resolveNd6RtrParams, type Nd6RtrParams } from './params';
import {
  effectivePreference,
  preferenceRank,
  selectDefaultRouter,
  type DefaultRouterPreference,
} from './router-selection';

/** The route owner of everything this engine installs (flush by owner). */
export const ND6_ROUTE_OWNER = 'nd6';

export type Nd6LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'err';

/** A route the engine asks the routing table to hold. */
export interface Nd6Route {
  readonly prefix: Ipv6Prefix;
  /** The router; undefined for an on-link (interface) route. */
  readonly gateway: Ipv6Address | undefined;
  readonly ifindex: number;
  readonly owner: typeof ND6_ROUTE_OWNER;
  /** RFC 4191 preference, for default and Route Information routes. */
  readonly preference?: DefaultRouterPreference;
}

/** Lifetimes in seconds; Infinity for infinite (0xffffffff on the wire). */
export interface AddressLifetimes {
  readonly validLifetime: number;
  readonly preferredLifetime: number;
}

export interface AutoconfAddressOptions extends AddressLifetimes {
  readonly autoconf: true;
}

/** Everything the RA engine asks of the rest of the stack. */
export interface Nd6RtrPort {
  /** RFC 4861 6.3.6 "reachable or probably reachable": a Neighbor Cache entry not INCOMPLETE. */
  isReachable(router: Ipv6Address, ifindex: number): boolean;
  /** RA source with its Source Link-Layer Address option: Neighbor Cache update, IsRouter=TRUE (6.3.4). */
  routerNeighbor?(ifindex: number, router: Ipv6Address, lladdr: MacAddress | undefined): void;
  /** RFC 4861 6.3.4 CurHopLimit (non-zero values only). */
  setCurHopLimit(ifindex: number, hopLimit: number): void;
  /** RFC 4861 6.3.4 BaseReachableTime changed (ms): re-randomize ReachableTime. */
  setBaseReachableTime(ifindex: number, ms: number): void;
  /** RFC 4861 6.3.4 RetransTimer (ms, non-zero values only). */
  setRetransTimer(ifindex: number, ms: number): void;
  /** RFC 4861 6.3.4 MTU option, already bounded to [1280, the link's maximum]. */
  setLinkMtu(ifindex: number, mtu: number): void;
  /**
   * RFC 4862 5.5.3 (d): configure a new tentative address (the caller runs
   * DAD). Returning false means it was not added (e.g. already configured by hand).
   */
  addAddress(
    ifindex: number,
    address: Ipv6Address,
    prefixLength: number,
    opts: AutoconfAddressOptions,
  ): boolean | void;
  /** RFC 4862 5.5.3 (e): new lifetimes of an autoconfigured address. */
  setAddressLifetimes(ifindex: number, address: Ipv6Address, lifetimes: AddressLifetimes): void;
  /** Preferred lifetime expired (deprecated: true), or renewed (false), RFC 4862 5.5.4. */
  setAddressFlags(ifindex: number, address: Ipv6Address, flags: { readonly deprecated: boolean }): void;
  /** Valid lifetime expired: remove the address (RFC 4862 5.5.4). */
  deleteAddress(ifindex: number, address: Ipv6Address): void;
  addRoute(route: Nd6Route): void;
  deleteRoute(route: Nd6Route): void;
  log(level: Nd6LogLevel, message: string): void;
}

/** What the engine needs to know of an interface. */
export interface Nd6RtrInterface {
  readonly name: string;
  /** Largest MTU of the link type (the MTU option may not exceed it), e.g. 1500 for Ethernet. */
  readonly maxMtu: number;
  /** The 64-bit interface identifier (8 bytes); undefined disables SLAAC on the interface. */
  readonly interfaceId?: Uint8Array;
}

export interface Nd6RtrOptions {
  readonly clock: Clock;
  /** accept_rtadv and forwarding, read on every RA (IMPLEMENTATION 1.4.2). */
  readonly sysctl: Sysctl;
  readonly port: Nd6RtrPort;
  readonly params?: Partial<Nd6RtrParams>;
}

/** Extra facts about an RA the caller validated. */
export interface RaMeta {
  /** The RA was authenticated (SEND, RFC 3971): lifts RFC 4862 5.5.3 (e) step 2. */
  readonly authenticated?: boolean;
}

export type RaResult =
  | 'accepted'
  /** accept_rtadv=0 (IMPLEMENTATION 1.4.2 role table). */
  | 'not-accepting'
  | 'unknown-interface'
  /** RFC 4861 6.1.2: the source must be link-local. */
  | 'bad-source';

/** One row of `ndp -r`. */
export interface RouterInfo {
  readonly address: Ipv6Address;
  readonly ifindex: number;
  readonly ifname: string;
  /** RA flags as ndp prints them: M (managed), O (other). */
  readonly flags: string;
  readonly preference: DefaultRouterPreference;
  /** Absolute Clock time of expiry (router lifetimes are finite). */
  readonly expire: number;
  /** True for the router the default route points at. */
  readonly installed: boolean;
}

export interface AdvertisingRouter {
  readonly address: Ipv6Address;
  readonly ifindex: number;
  readonly reachable: boolean;
}

/** One entry of `ndp -p`. */
export interface PrefixInfo {
  readonly prefix: Ipv6Prefix;
  readonly ifindex: number;
  readonly ifname: string;
  /** L (on-link) and A (autonomous) as ndp prints them. */
  readonly flags: string;
  readonly onLink: boolean;
  readonly autonomous: boolean;
  /** Seconds left, Infinity for infinite. */
  readonly validLifetime: number;
  readonly preferredLifetime: number;
  /** Absolute Clock time of expiry, undefined for infinite. */
  readonly expire: number | undefined;
  readonly advertisedBy: readonly AdvertisingRouter[];
}

/** An address this engine autoconfigured (RFC 4862 5.5.3). */
export interface AutoconfAddressInfo {
  readonly address: Ipv6Address;
  readonly ifindex: number;
  readonly prefixLength: number;
  readonly validLifetime: number;
  readonly preferredLifetime: number;
  readonly deprecated: boolean;
  /** Which 5.5.3 (e) branch set the valid lifetime last, undefined until the first update. */
  readonly lastRule: ValidLifetimeRule | undefined;
}

/** A Route Information (RFC 4191) route as learned. */
export interface RouteInfoEntry {
  readonly prefix: Ipv6Prefix;
  readonly router: Ipv6Address;
  readonly ifindex: number;
  readonly preference: DefaultRouterPreference;
  readonly expire: number | undefined;
  readonly installed: boolean;
}

/** Per-interface ND variables learned from RAs (RFC 4861 6.3.2). */
export interface InterfaceNdState {
  curHopLimit: number | undefined;
  baseReachableTime: number | undefined;
  retransTimer: number | undefined;
  linkMtu: number;
}

export interface Nd6RtrStats {
  received: number;
  /** RAs dropped for accept_rtadv=0. */
  notAccepting: number;
  /** RAs taken while forwarding=1 too (the 1/1 "experimental" row). */
  experimental: number;
  badSource: number;
  routerListFull: number;
  prefixListFull: number;
  routeInfoFull: number;
  routersExpired: number;
  prefixesExpired: number;
  addressesDeprecated: number;
  addressesExpired: number;
  /** Options ignored: preferred > valid, link-local prefix, bad MTU, bad lengths, reserved preference... */
  optionsIgnored: number;
}

interface RouterEntry {
  readonly key: string;
  readonly address: Ipv6Address;
  readonly ifindex: number;
  preference: DefaultRouterPreference;
  managed: boolean;
  other: boolean;
  expire: number;
  timer: Timer | undefined;
}

interface PrefixEntry {
  readonly key: string;
  readonly prefix: Ipv6Prefix;
  readonly ifindex: number;
  onLink: boolean;
  autonomous: boolean;
  validUntil: number;
  preferredUntil: number;
  readonly advertisedBy: Map<string, { address: Ipv6Address; ifindex: number }>;
  timer: Timer | undefined;
}

interface AddressEntry {
  readonly key: string;
  readonly address: Ipv6Address;
  readonly ifindex: number;
  readonly prefixLength: number;
  validUntil: number;
  preferredUntil: number;
  deprecated: boolean;
  lastRule: ValidLifetimeRule | undefined;
  validTimer: Timer | undefined;
  preferredTimer: Timer | undefined;
}

interface RouteInfoState {
  readonly key: string;
  readonly prefix: Ipv6Prefix;
  readonly router: Ipv6Address;
  readonly ifindex: number;
  preference: DefaultRouterPreference;
  expire: number;
  timer: Timer | undefined;
}

interface IfState {
  readonly info: Nd6RtrInterface;
  readonly nd: InterfaceNdState;
}

const routerKey = (ifindex: number, a: Ipv6Address): string => `${ifindex}%${a.toString()}`;
const prefixKey = (ifindex: number, p: Ipv6Prefix): string => `${ifindex}%${p.toString()}`;

/**
 * The host side of Router Discovery (RFC 4861 6.3.4, 6.3.5, 6.3.6, RFC 4191)
 * and stateless address autoconfiguration (RFC 4862 5.5.3, 5.5.4) for one
 * node: the role KAME's nd6_rtr.c plays. Sans-I/O: addresses, routes and ND
 * variables change through `port`; lifetimes run on `clock`.
 */
export class Nd6RtrEngine {
  readonly params: Nd6RtrParams;
  readonly stats: Nd6RtrStats = {
    received: 0,
    notAccepting: 0,
    experimental: 0,
    badSource: 0,
    routerListFull: 0,
    prefixListFull: 0,
    routeInfoFull: 0,
    routersExpired: 0,
    prefixesExpired: 0,
    addressesDeprecated: 0,
    addressesExpired: 0,
    optionsIgnored: 0,
  };

  private readonly clock: Clock;
  private readonly sysctl: Sysctl;
  private readonly port: Nd6RtrPort;
  private readonly ifs = new Map<number, IfState>();
  /** The Default Router List, in arrival order (round-robin order). */
  private readonly routerList: RouterEntry[] = [];
  private readonly prefixList = new Map<string, PrefixEntry>();
  private readonly addrs = new Map<string, AddressEntry>();
  private readonly rtinfo = new Map<string, RouteInfoState>();
  /** Route Information prefix -> the entry whose route is installed. */
  private readonly rtinfoInstalled = new Map<string, RouteInfoState>();
  private installed: RouterEntry | undefined;
  private defaultIf = 0;

  constructor(opts: Nd6RtrOptions) {
    this.params = resolveNd6RtrParams(opts.params);
    this.clock = opts.clock;
    this.sysctl = opts.sysctl;
    this.port = opts.port;
  }

  // ---- interfaces ----------------------------------------------------------

  addInterface(ifindex: number, info: Nd6RtrInterface): void {
    if (!Number.isInteger(ifindex) || ifindex <= 0) throw new RangeError(`nd6-rtr: bad ifindex ${ifindex}`);
    if (info.interfaceId !== undefined && info.interfaceId.length !== 8) {
      throw new RangeError(`nd6-rtr: ${info.name}: interface identifier must be 64 bits`);
    }
    this.ifs.set(ifindex, {
      info,
      nd: {
        curHopLimit: undefined,
        baseReachableTime: undefined,
        retransTimer: undefined,
        linkMtu: info.maxMtu,
      },
    });
  }

  /** Interface detached: forget its routers, prefixes, routes and autoconfigured addresses. */
  removeInterface(ifindex: number): void {
    for (const r of this.routerList.filter((x) => x.ifindex === ifindex)) this.removeRouter(r);
    for (const p of [...this.prefixList.values()]) if (p.ifindex === ifindex) this.removePrefix(p);
    for (const a of [...this.addrs.values()]) if (a.ifindex === ifindex) this.dropAddress(a);
    for (const ri of [...this.rtinfo.values()]) if (ri.ifindex === ifindex) this.removeRouteInfo(ri);
    if (this.defaultIf === ifindex) this.defaultIf = 0;
    this.ifs.delete(ifindex);
  }

  interfaceNdState(ifindex: number): Readonly<InterfaceNdState> | undefined {
    const s = this.ifs.get(ifindex);
    return s === undefined ? undefined : { ...s.nd };
  }

  /** `ndp -I ifname` (0: `ndp -I delete`): the interface assumed on-link while no router is known. */
  setDefaultInterface(ifindex: number): void {
    if (ifindex !== 0 && !this.ifs.has(ifindex)) throw new RangeError(`nd6-rtr: no interface ${ifindex}`);
    this.defaultIf = ifindex;
  }

  get defaultInterface(): number {
    return this.defaultIf;
  }

  // ---- input ---------------------------------------------------------------

  /**
   * RFC 4861 6.3.4: a Router Advertisement that passed 6.1.2 validation, from
   * link-local `source`, with `options` already cut to nd6_maxndopt by the
   * caller (IMPLEMENTATION 1.2).
   */
  onRouterAdvertisement(
    ifindex: number,
    source: Ipv6Address,
    ra: RouterAdvertRepr,
    options: readonly NdOption[] = ra.options,
    meta: RaMeta = {},
  ): RaResult {
    this.stats.received++;
    const role = this.sysctl.nodeRole();
    if (!role.acceptsRA) {
      this.stats.notAccepting++;
      return 'not-accepting';
    }
    // 1/1 is "invalid, or experimental"; KAME still takes the RA (IMPLEMENTATION 1.4.2).
    if (!role.withinSpec) this.stats.experimental++;
    const ifs = this.ifs.get(ifindex);
    if (ifs === undefined) return 'unknown-interface';
    if (!source.isLinkLocal()) {
      this.stats.badSource++;
      return 'bad-source';
    }

    const slla = options.find((o) => o.kind === 'sourceLinkAddr');
    if (this.port.routerNeighbor !== undefined) {
      const ll =
        slla?.kind === 'sourceLinkAddr' && slla.linkAddr instanceof MacAddress ? slla.linkAddr : undefined;
      this.port.routerNeighbor(ifindex, source, ll);
    }

    this.updateRouter(ifindex, source, ra);
    this.updateNdVariables(ifindex, ifs, ra);

    for (const o of options) {
      switch (o.kind) {
        case 'prefixInfo':
          this.onPrefixInfo(ifindex, ifs, source, o, meta.authenticated === true);
          break;
        case 'mtu':
          this.onMtu(ifindex, ifs, o);
          break;
        case 'routeInfo':
          this.onRouteInfo(ifindex, source, o);
          break;
        default:
          break;
      }
    }
    return 'accepted';
  }

  /** The caller removed an autoconfigured address (e.g. `ifconfig delete`): stop tracking it. */
  forgetAddress(ifindex: number, address: Ipv6Address): boolean {
    const a = this.addrs.get(routerKey(ifindex, address));
    if (a === undefined) return false;
    this.cancelAddrTimers(a);
    this.addrs.delete(a.key);
    return true;
  }

  /**
   * RFC 4861 6.3.6: re-run default router selection, e.g. when NUD changed a
   * router's reachability. When no router is reachable this advances the
   * round-robin. Returns the router now installed.
   */
  reselectDefaultRouter(): RouterInfo | undefined {
    this.select(true);
    return this.installed === undefined ? undefined : this.routerInfo(this.installed);
  }

  /** RFC 4861 7.2.5: a neighbor stopped being a router: drop it from the Default Router List. */
  routerGone(ifindex: number, address: Ipv6Address): boolean {
    const r = this.findRouter(ifindex, address);
    if (r === undefined) return false;
    this.removeRouter(r);
    return true;
  }

  /** `ndp -R` (SIOCSRTRFLUSH_IN6): empties the Default Router List; returns how many went. */
  flushRouters(): number {
    const all = [...this.routerList];
    for (const r of all) this.removeRouter(r);
    return all.length;
  }

  /**
   * `ndp -P` (SIOCSPFXFLUSH_IN6): empties the Prefix List. As in KAME, the
   * addresses autoconfigured from a prefix are removed with it.
   */
  flushPrefixes(): number {
    const all = [...this.prefixList.values()];
    for (const p of all) {
      for (const a of [...this.addrs.values()]) {
        if (a.ifindex !== p.ifindex || !p.prefix.contains(a.address)) continue;
        this.dropAddress(a);
        this.port.deleteAddress(a.ifindex, a.address);
      }
      this.removePrefix(p);
    }
    return all.length;
  }

  // ---- queries -------------------------------------------------------------

  /**
   * RFC 4861 5.2 on-link determination as KAME implements it: link-local
   * addresses, addresses covered by an on-link prefix of the interface and,
   * while the Default Router List is empty, every address on the `ndp -I`
   * default interface (the RFC 2461 5.2 rule IMPLEMENTATION 1.2 describes;
   * RFC 4861 dropped it, so it only applies once a default interface is set).
   */
  isOnLink(addr: Ipv6Address, ifindex: number): boolean {
    if (addr.isLinkLocal()) return true;
    for (const p of this.prefixList.values()) {
      if (p.onLink && p.ifindex === ifindex && p.prefix.contains(addr)) return true;
    }
    return this.routerList.length === 0 && this.defaultIf !== 0 && ifindex === this.defaultIf;
  }

  /** The router the default route points at. */
  get defaultRouter(): RouterInfo | undefined {
    return this.installed === undefined ? undefined : this.routerInfo(this.installed);
  }

  /** `ndp -r`: the Default Router List in list order. */
  routers(): RouterInfo[] {
    return this.routerList.map((r) => this.routerInfo(r));
  }

  /** `ndp -p`: the Prefix List, by interface then prefix. */
  prefixes(): PrefixInfo[] {
    const now = this.clock.now();
    return [...this.prefixList.values()]
      .sort((a, b) => a.ifindex - b.ifindex || a.prefix.compare(b.prefix))
      .map((p) => ({
        prefix: p.prefix,
        ifindex: p.ifindex,
        ifname: this.ifname(p.ifindex),
        flags: `${p.onLink ? 'L' : ''}${p.autonomous ? 'A' : ''}`,
        onLink: p.onLink,
        autonomous: p.autonomous,
        validLifetime: remainingSeconds(now, p.validUntil),
        preferredLifetime: remainingSeconds(now, p.preferredUntil),
        expire: p.validUntil === Infinity ? undefined : p.validUntil,
        advertisedBy: [...p.advertisedBy.values()].map((r) => ({
          address: r.address,
          ifindex: r.ifindex,
          reachable: this.port.isReachable(r.address, r.ifindex),
        })),
      }));
  }

  autoconfAddresses(): AutoconfAddressInfo[] {
    const now = this.clock.now();
    return [...this.addrs.values()].map((a) => ({
      address: a.address,
      ifindex: a.ifindex,
      prefixLength: a.prefixLength,
      validLifetime: remainingSeconds(now, a.validUntil),
      preferredLifetime: remainingSeconds(now, a.preferredUntil),
      deprecated: a.deprecated,
      lastRule: a.lastRule,
    }));
  }

  routeInfos(): RouteInfoEntry[] {
    return [...this.rtinfo.values()].map((r) => ({
      prefix: r.prefix,
      router: r.router,
      ifindex: r.ifindex,
      preference: r.preference,
      expire: r.expire === Infinity ? undefined : r.expire,
      installed: this.rtinfoInstalled.get(r.prefix.toString()) === r,
    }));
  }

  // ---- Default Router List (RFC 4861 6.3.4, RFC 4191 2.2) -----------------

  private updateRouter(ifindex: number, source: Ipv6Address, ra: RouterAdvertRepr): void {
    const existing = this.findRouter(ifindex, source);
    if (ra.routerLifetime === 0) {
      // "If the address is already present ... and the received Router Lifetime is zero, immediately time-out the entry."
      if (existing !== undefined) this.removeRouter(existing);
      return;
    }
    const pref = effectivePreference(ra.preference);
    const expire = this.clock.now() + ra.routerLifetime * 1000;
    if (existing !== undefined) {
      const prefChanged = existing.preference !== pref;
      existing.preference = pref;
      existing.managed = ra.managed;
      existing.other = ra.other;
      this.armRouter(existing, expire);
      if (prefChanged) this.select(false);
      return;
    }
    if (this.routerList.length >= this.params.maxDefaultRouters) {
      this.stats.routerListFull++;
      return;
    }
    const r: RouterEntry = {
      key: routerKey(ifindex, source),
      address: source,
      ifindex,
      preference: pref,
      managed: ra.managed,
      other: ra.other,
      expire,
      timer: undefined,
    };
    this.routerList.push(r);
    this.armRouter(r, expire);
    this.select(false);
  }

  private armRouter(r: RouterEntry, expire: number): void {
    r.timer?.cancel();
    r.expire = expire;
    r.timer = this.clock.setTimer(expire - this.clock.now(), () => {
      if (this.routerList.includes(r)) {
        this.stats.routersExpired++;
        this.removeRouter(r);
      }
    });
  }

  private findRouter(ifindex: number, a: Ipv6Address): RouterEntry | undefined {
    const key = routerKey(ifindex, a);
    return this.routerList.find((r) => r.key === key);
  }

  private removeRouter(r: RouterEntry): void {
    const at = this.routerList.indexOf(r);
    if (at < 0) return;
    r.timer?.cancel();
    r.timer = undefined;
    this.routerList.splice(at, 1);
    for (const p of this.prefixList.values()) p.advertisedBy.delete(r.key);
    if (this.installed === r) {
      this.port.deleteRoute(this.defaultRoute(r));
      this.installed = undefined;
      // Round-robin continues with the router that followed the removed one.
      this.select(false, at);
    }
  }

  private select(rotate: boolean, removedAt?: number): void {
    const list = this.routerList;
    const cands = list.map((r) => ({
      preference: r.preference,
      reachable: this.port.isReachable(r.address, r.ifindex),
    }));
    const cur = this.installed === undefined ? removedAt : list.indexOf(this.installed);
    const idx = selectDefaultRouter(cands, cur, rotate && this.installed !== undefined);
    const next = idx === undefined ? undefined : list[idx];
    if (next === this.installed) {
      return;
    }
    if (this.installed !== undefined) this.port.deleteRoute(this.defaultRoute(this.installed));
    this.installed = next;
    if (next !== undefined) this.port.addRoute(this.defaultRoute(next));
  }

  private defaultRoute(r: RouterEntry): Nd6Route {
    return {
      prefix: Ipv6Prefix.DEFAULT,
      gateway: r.address,
      ifindex: r.ifindex,
      owner: ND6_ROUTE_OWNER,
      preference: r.preference,
    };
  }

  private routerInfo(r: RouterEntry): RouterInfo {
    return {
      address: r.address,
      ifindex: r.ifindex,
      ifname: this.ifname(r.ifindex),
      flags: `${r.managed ? 'M' : ''}${r.other ? 'O' : ''}`,
      preference: r.preference,
      expire: r.expire,
      installed: this.installed === r,
    };
  }

  // ---- ND variables (RFC 4861 6.3.4) ---------------------------------------

  private updateNdVariables(ifindex: number, ifs: IfState, ra: RouterAdvertRepr): void {
    if (ra.curHopLimit !== 0 && ra.curHopLimit !== ifs.nd.curHopLimit) {
      ifs.nd.curHopLimit = ra.curHopLimit;
      this.port.setCurHopLimit(ifindex, ra.curHopLimit);
    }
    if (ra.reachableTime !== 0 && ra.reachableTime !== ifs.nd.baseReachableTime) {
      ifs.nd.baseReachableTime = ra.reachableTime;
      this.port.setBaseReachableTime(ifindex, ra.reachableTime);
    }
    if (ra.retransTimer !== 0 && ra.retransTimer !== ifs.nd.retransTimer) {
      ifs.nd.retransTimer = ra.retransTimer;
      this.port.setRetransTimer(ifindex, ra.retransTimer);
    }
  }

  private onMtu(ifindex: number, ifs: IfState, o: MtuOption): void {
    if (o.mtu < RA_MIN_LINK_MTU || o.mtu > ifs.info.maxMtu) {
      this.stats.optionsIgnored++;
      this.port.log(
        'info',
        `nd6_ra_input: bogus mtu option mtu=${o.mtu} sent from ${ifs.info.name}, ignoring (allowed ${RA_MIN_LINK_MTU}..${ifs.info.maxMtu})`,
      );
      return;
    }
    if (o.mtu === ifs.nd.linkMtu) return;
    ifs.nd.linkMtu = o.mtu;
    this.port.setLinkMtu(ifindex, o.mtu);
  }

  // ---- Prefix List and SLAAC (RFC 4861 6.3.4, RFC 4862 5.5.3) -------------

  private onPrefixInfo(
    ifindex: number,
    ifs: IfState,
    router: Ipv6Address,
    o: PrefixInfoOption,
    authenticated: boolean,
  ): void {
    if (!Number.isInteger(o.prefixLength) || o.prefixLength < 0 || o.prefixLength > 128) {
      this.stats.optionsIgnored++;
      return;
    }
    // RFC 4861 6.3.4 / RFC 4862 5.5.3 (b): the link-local prefix is ignored.
    if (o.prefix.isLinkLocal()) {
      this.stats.optionsIgnored++;
      return;
    }
    const valid = lifetimeSeconds(o.validLifetime);
    const preferred = lifetimeSeconds(o.preferredLifetime);
    // RFC 4862 5.5.3 (c): preferred > valid: silently ignore the option.
    if (preferred > valid) {
      this.stats.optionsIgnored++;
      return;
    }
    if (!o.onLink && !o.autonomous) return;
    const prefix = Ipv6Prefix.of(o.prefix, o.prefixLength);
    const listed = this.updatePrefixList(ifindex, router, prefix, o, valid, preferred);
    if (o.autonomous) this.autoconf(ifindex, ifs, prefix, valid, preferred, authenticated, listed);
  }

  /** Returns false when a new prefix could not be listed (list full). */
  private updatePrefixList(
    ifindex: number,
    router: Ipv6Address,
    prefix: Ipv6Prefix,
    o: PrefixInfoOption,
    valid: number,
    preferred: number,
  ): boolean {
    const key = prefixKey(ifindex, prefix);
    const now = this.clock.now();
    const p = this.prefixList.get(key);
    if (p !== undefined) {
      // L=0 says nothing about on-link (6.3.4): it neither clears L nor touches the on-link timer.
      const sets = o.onLink || !p.onLink;
      if (o.autonomous) p.autonomous = true;
      if (sets && valid === 0) {
        this.removePrefix(p);
        return true;
      }
      if (o.onLink && !p.onLink) {
        p.onLink = true;
        this.port.addRoute(this.prefixRoute(p));
      }
      if (sets) this.armPrefix(p, deadlineOf(now, valid), deadlineOf(now, preferred));
      this.addAdvertiser(p, router, ifindex);
      return true;
    }
    if (valid === 0) return true; // nothing to time out; SLAAC (e) may still apply
    if (this.prefixList.size >= this.params.maxPrefixes) {
      this.stats.prefixListFull++;
      return false;
    }
    const n: PrefixEntry = {
      key,
      prefix,
      ifindex,
      onLink: o.onLink,
      autonomous: o.autonomous,
      validUntil: Infinity,
      preferredUntil: Infinity,
      advertisedBy: new Map(),
      timer: undefined,
    };
    this.prefixList.set(key, n);
    this.armPrefix(n, deadlineOf(now, valid), deadlineOf(now, preferred));
    this.addAdvertiser(n, router, ifindex);
    if (n.onLink) this.port.addRoute(this.prefixRoute(n));
    return true;
  }

  private addAdvertiser(p: PrefixEntry, router: Ipv6Address, ifindex: number): void {
    const k = routerKey(ifindex, router);
    if (p.advertisedBy.has(k) || p.advertisedBy.size >= this.params.maxAdvertisingRouters) return;
    p.advertisedBy.set(k, { address: router, ifindex });
  }

  private armPrefix(p: PrefixEntry, validUntil: number, preferredUntil: number): void {
    p.timer?.cancel();
    p.timer = undefined;
    p.validUntil = validUntil;
    p.preferredUntil = preferredUntil;
    if (validUntil === Infinity) return;
    p.timer = this.clock.setTimer(validUntil - this.clock.now(), () => {
      if (this.prefixList.get(p.key) === p) {
        this.stats.prefixesExpired++;
        this.removePrefix(p);
      }
    });
  }

  private removePrefix(p: PrefixEntry): void {
    p.timer?.cancel();
    p.timer = undefined;
    if (this.prefixList.get(p.key) !== p) return;
    this.prefixList.delete(p.key);
    if (p.onLink) this.port.deleteRoute(this.prefixRoute(p));
  }

  private prefixRoute(p: PrefixEntry): Nd6Route {
    return { prefix: p.prefix, gateway: undefined, ifindex: p.ifindex, owner: ND6_ROUTE_OWNER };
  }

  private autoconf(
    ifindex: number,
    ifs: IfState,
    prefix: Ipv6Prefix,
    valid: number,
    preferred: number,
    authenticated: boolean,
    listed: boolean,
  ): void {
    const iid = ifs.info.interfaceId;
    if (iid === undefined) return; // no 64-bit interface identifier on this link
    // RFC 4862 5.5.3 (d): prefix length + interface identifier length must be 128.
    if (prefix.length + 64 !== 128) {
      this.stats.optionsIgnored++;
      this.port.log(
        'info',
        `in6_ifadd: ${ifs.info.name}: prefix ${prefix.toString()} length ${prefix.length} + ` +
          `interface identifier 64 != 128, not autoconfiguring`,
      );
      return;
    }
    const address = addressFromInterfaceId(prefix.address, iid);
    const key = routerKey(ifindex, address);
    const now = this.clock.now();
    const a = this.addrs.get(key);
    if (a !== undefined) {
      // RFC 4862 5.5.3 (e): the two-hour rule for the valid lifetime.
      const remaining = remainingSeconds(now, a.validUntil);
      const u = applyTwoHourRule(valid, remaining, authenticated);
      a.lastRule = u.rule;
      const validUntil = u.rule === 'ignored' ? a.validUntil : deadlineOf(now, u.validLifetime);
      // "the preferred lifetime of the address is reset to the Preferred Lifetime in the
      // received advertisement"; it cannot outlive the (possibly kept) valid lifetime.
      const preferredUntil = Math.min(deadlineOf(now, preferred), validUntil);
      this.armAddress(a, validUntil, preferredUntil);
      this.port.setAddressLifetimes(ifindex, address, {
        validLifetime: remainingSeconds(now, validUntil),
        preferredLifetime: remainingSeconds(now, preferredUntil),
      });
      return;
    }
    if (valid === 0 || !listed) return;
    if (this.addrs.size >= this.params.maxPrefixes) {
      this.stats.prefixListFull++;
      return;
    }
    const added = this.port.addAddress(ifindex, address, 64, {
      autoconf: true,
      validLifetime: valid,
      preferredLifetime: preferred,
    });
    if (added === false) return;
    const e: AddressEntry = {
      key,
      address,
      ifindex,
      prefixLength: 64,
      validUntil: Infinity,
      preferredUntil: Infinity,
      deprecated: false,
      lastRule: undefined,
      validTimer: undefined,
      preferredTimer: undefined,
    };
    this.addrs.set(key, e);
    this.armAddress(e, deadlineOf(now, valid), deadlineOf(now, preferred));
  }

  private armAddress(a: AddressEntry, validUntil: number, preferredUntil: number): void {
    this.cancelAddrTimers(a);
    const now = this.clock.now();
    a.validUntil = validUntil;
    a.preferredUntil = preferredUntil;
    if (preferredUntil <= now) {
      this.deprecate(a);
    } else {
      if (a.deprecated) {
        a.deprecated = false;
        this.port.setAddressFlags(a.ifindex, a.address, { deprecated: false });
      }
      if (preferredUntil !== Infinity) {
        a.preferredTimer = this.clock.setTimer(preferredUntil - now, () => {
          a.preferredTimer = undefined;
          if (this.addrs.get(a.key) === a) this.deprecate(a);
        });
      }
    }
    if (validUntil !== Infinity) {
      a.validTimer = this.clock.setTimer(Math.max(0, validUntil - now), () => {
        a.validTimer = undefined;
        if (this.addrs.get(a.key) !== a) return;
        this.stats.addressesExpired++;
        this.dropAddress(a);
        this.port.deleteAddress(a.ifindex, a.address);
      });
    }
  }

  private deprecate(a: AddressEntry): void {
    if (a.deprecated) return;
    a.deprecated = true;
    this.stats.addressesDeprecated++;
    this.port.setAddressFlags(a.ifindex, a.address, { deprecated: true });
  }

  private cancelAddrTimers(a: AddressEntry): void {
    a.validTimer?.cancel();
    a.preferredTimer?.cancel();
    a.validTimer = undefined;
    a.preferredTimer = undefined;
  }

  private dropAddress(a: AddressEntry): void {
    this.cancelAddrTimers(a);
    if (this.addrs.get(a.key) === a) this.addrs.delete(a.key);
  }

  // ---- Route Information (RFC 4191 3, type C host) -------------------------

  private onRouteInfo(ifindex: number, router: Ipv6Address, o: RouteInfoOption): void {
    if (this.params.maxRouteInfo === 0) return; // type A/B host
    // RFC 4191 2.3: a reserved preference makes the option ignored. ::/0 is left to
    // the Default Router List (the RA header's lifetime and preference), documented.
    if (
      o.preference === 'reserved' ||
      o.prefixLength === 0 ||
      o.prefixLength > this.params.maxRouteInfoPrefixLength ||
      o.prefixLength > 128
    ) {
      this.stats.optionsIgnored++;
      return;
    }
    const prefix = Ipv6Prefix.of(o.prefix, o.prefixLength);
    const key = `${routerKey(ifindex, router)}>${prefix.toString()}`;
    const lifetime = lifetimeSeconds(o.routeLifetime);
    const existing = this.rtinfo.get(key);
    if (lifetime === 0) {
      if (existing !== undefined) this.removeRouteInfo(existing);
      return;
    }
    const pref = o.preference as Exclude<RouterPreference, 'reserved'>;
    let e = existing;
    if (e === undefined) {
      if (this.rtinfo.size >= this.params.maxRouteInfo) {
        this.stats.routeInfoFull++;
        return;
      }
      e = { key, prefix, router, ifindex, preference: pref, expire: Infinity, timer: undefined };
      this.rtinfo.set(key, e);
    } else if (e.preference !== pref) {
      const wasInstalled = this.rtinfoInstalled.get(prefix.toString()) === e;
      if (wasInstalled) {
        this.port.deleteRoute(this.rtinfoRoute(e));
        this.rtinfoInstalled.delete(prefix.toString());
      }
      e.preference = pref;
    }
    const entry = e;
    entry.timer?.cancel();
    entry.timer = undefined;
    entry.expire = deadlineOf(this.clock.now(), lifetime);
    if (entry.expire !== Infinity) {
      entry.timer = this.clock.setTimer(entry.expire - this.clock.now(), () => {
        if (this.rtinfo.get(entry.key) === entry) this.removeRouteInfo(entry);
      });
    }
    this.pickRouteInfo(prefix);
  }

  private removeRouteInfo(e: RouteInfoState): void {
    e.timer?.cancel();
    e.timer = undefined;
    this.rtinfo.delete(e.key);
    const pk = e.prefix.toString();
    if (this.rtinfoInstalled.get(pk) === e) {
      this.port.deleteRoute(this.rtinfoRoute(e));
      this.rtinfoInstalled.delete(pk);
    }
    this.pickRouteInfo(e.prefix);
  }

  /** One route per prefix: the highest preference, earliest learned on ties (RFC 4191 3.2). */
  private pickRouteInfo(prefix: Ipv6Prefix): void {
    const pk = prefix.toString();
    let best: RouteInfoState | undefined;
    for (const r of this.rtinfo.values()) {
      if (!r.prefix.equals(prefix)) continue;
      if (best === undefined || preferenceRank(r.preference) > preferenceRank(best.preference)) best = r;
    }
    const cur = this.rtinfoInstalled.get(pk);
    if (cur === best || (cur !== undefined && best !== undefined && cur.preference === best.preference))
      return;
    if (cur !== undefined) this.port.deleteRoute(this.rtinfoRoute(cur));
    if (best === undefined) {
      this.rtinfoInstalled.delete(pk);
      return;
    }
    this.rtinfoInstalled.set(pk, best);
    this.port.addRoute(this.rtinfoRoute(best));
  }

  private rtinfoRoute(e: RouteInfoState): Nd6Route {
    return {
      prefix: e.prefix,
      gateway: e.router,
      ifindex: e.ifindex,
      owner: ND6_ROUTE_OWNER,
      preference: e.preference,
    };
  }

  private ifname(ifindex: number): string {
    return this.ifs.get(ifindex)?.info.name ?? `if${ifindex}`;
  }
}
