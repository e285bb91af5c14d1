import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import type { Timer } from '@kame/time';
import {
  RIPNG_GROUP,
  RIPNG_HEADER_LEN,
  RIPNG_METRIC_INFINITY,
  RIPNG_METRIC_NEXTHOP,
  RIPNG_PORT,
  RIPNG_RTE_LEN,
  type RipngRepr,
  type RipngRte,
  isWholeTableRequest,
  ripng,
  ripngPacket,
  ripngResponseProblem,
  ripngRteProblem,
  tryParse,
} from '@kame/wire';
import type { FibRoute, KernelRouteView, Route6dDatagram, Route6dHost, Route6dInterface } from './host';
import { type Route6dFilter, type Route6dOptions, defaultOptions } from './options';
import { formatDump, formatRouteLogAdd, formatRouteLogDel } from './format';

// RFC 2080 2.3 / KAME route6d.h
export const SUPPLY_INTERVAL6 = 30_000;
export const RIP_LIFETIME = 180_000;
export const RIP_HOLDDOWN = 120_000;
export const INIT_INTERVAL6 = 10_000;
// RFC 2080 2.5.1
export const RIP_TRIG_INT6_MIN = 1_000;
export const RIP_TRIG_INT6_MAX = 5_000;
/** KAME IFMINMTU: the size used for requesters that are not on-link. */
export const IFMINMTU = 1280;
const IPV6_HEADER_LEN = 40;
const UDP_HEADER_LEN = 8;
const SITE_LOCAL = Ipv6Prefix.parse('fec0::/10');

export type RouteKind = 'rip' | 'interface' | 'static' | 'aggregate';

/** One routing table entry (KAME struct riprt). */
export interface RibEntry {
  readonly prefix: Ipv6Prefix;
  metric: number;
  tag: number;
  /** Link-local next hop for learned routes; :: for interface routes; ::1 for aggregates. */
  gateway: Ipv6Address;
  /** The interface the route was learned on / belongs to. */
  ifname: string | undefined;
  kind: RouteKind;
  /** Clock time of the last refresh; undefined for routes that never age (KAME rrt_t == 0). */
  updated: number | undefined;
  changed: boolean;
  noAdvertise: boolean;
  /** Static route whose gateway is not link-local (KAME RRTF_NH_NOT_LLADDR): no next-hop RTE. */
  nhNotLinkLocal: boolean;
  reject: boolean;
  /** True while route6d has it in the kernel FIB. */
  installed: boolean;
}

/** Drop and event counters; every reason a packet or RTE is ignored has its own. */
export interface Route6dStats {
  rxPackets: number;
  rxMalformed: number;
  rxOversize: number;
  rxUnknownInterface: number;
  rxNoUseInterface: number;
  rxFromSelf: number;
  rxBadPort: number;
  rxNotLinkLocal: number;
  rxNoHopLimit: number;
  rxBadHopLimit: number;
  rxRequests: number;
  rxResponses: number;
  rteBadMetric: number;
  rteBadPrefixLength: number;
  rteBadNextHop: number;
  rteInvalidNextHop: number;
  rteMulticast: number;
  rteLinkLocal: number;
  rteLoopback: number;
  rteSiteLocal: number;
  rteFiltered: number;
  rteTableFull: number;
  routesAdded: number;
  routesChanged: number;
  routesTimedOut: number;
  routesDeleted: number;
  txPackets: number;
  txRoutes: number;
  periodicUpdates: number;
  triggeredUpdates: number;
  requestsAnswered: number;
}

function zeroStats(): Route6dStats {
  return {
    rxPackets: 0,
    rxMalformed: 0,
    rxOversize: 0,
    rxUnknownInterface: 0,
    rxNoUseInterface: 0,
    rxFromSelf: 0,
    rxBadPort: 0,
    rxNotLinkLocal: 0,
    rxNoHopLimit: 0,
    rxBadHopLimit: 0,
    rxRequests: 0,
    rxResponses: 0,
    rteBadMetric: 0,
    rteBadPrefixLength: 0,
    rteBadNextHop: 0,
    rteInvalidNextHop: 0,
    rteMulticast: 0,
    rteLinkLocal: 0,
    rteLoopback: 0,
    rteSiteLocal: 0,
    rteFiltered: 0,
    rteTableFull: 0,
    routesAdded: 0,
    routesChanged: 0,
    routesTimedOut: 0,
    routesDeleted: 0,
    txPackets: 0,
    txRoutes: 0,
    periodicUpdates: 0,
    triggeredUpdates: 0,
    requestsAnswered: 0,
  };
}

/** An RTE with the next hop it should be advertised with (:: = ourselves). */
interface OutRte {
  rte: RipngRte;
  nexthop: Ipv6Address;
}

const key = (p: Ipv6Prefix): string => `${p.address.key()}/${p.length}`;

function inFilter(f: Route6dFilter, p: Ipv6Prefix): boolean {
  // KAME -L: ::/0 means exactly the default route.
  if (f.prefix.length === 0) return p.length === 0;
  return p.length >= f.prefix.length && f.prefix.contains(p.address);
}

/**
 * The route6d engine (RIPng, RFC 2080, with KAME route6d's options), sans I/O:
 * time, randomness, sockets and the kernel come through a Route6dHost.
 */
export class Route6dEngine {
  readonly options: Route6dOptions;
  readonly stats: Route6dStats = zeroStats();
  private readonly rib = new Map<string, RibEntry>();
  /** The interfaces route6d currently uses, by name. */
  private ifs = new Map<string, Route6dInterface>();
  private periodicTimer: Timer | undefined;
  private triggerHold: Timer | undefined;
  private triggerPending = false;
  private nextPeriodic = 0;
  private started = false;
  private readonly noLinkLocalWarned = new Set<string>();
  private stopped = false;
  private readonly startedAt: number;

  constructor(
    private readonly host: Route6dHost,
    options: Partial<Route6dOptions> = {},
  ) {
    this.options = { ...defaultOptions(), ...options };
    this.startedAt = host.clock.now();
  }

  // ---------------------------------------------------------------- lifecycle

  /** Reads interfaces and kernel routes, installs -A routes, sends REQUESTs, arms the first update (10 s ±50 %). */
  start(): void {
    if (this.started) return;
    this.started = true;
    const log = this.host.logger;
    if (this.host.interfaces().every((i) => !i.loopback)) log.warning('no loopback interface found');
    for (const a of this.options.aggregates) this.addAggregate(a);
    this.syncInterfaces(true);
    for (const r of this.host.kernelRoutes()) this.kernelRouteAdded(r, true);
    for (const e of this.rib.values()) e.changed = false;
    this.armPeriodic(this.jitter(INIT_INTERVAL6));
  }

  /**
   * SIGTERM: advertise every route with metric 16 on every interface, take the
   * -A reject routes out of the kernel, stop all timers (KAME "**** Terminated ****").
   */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.periodicTimer?.cancel();
    this.triggerHold?.cancel();
    if (!this.options.listenOnly) {
      for (const ifc of this.ifs.values()) {
        const out = this.collect(ifc, { changedOnly: false, sendAnyway: false, splitHorizon: true });
        for (const o of out) o.rte.metric = RIPNG_METRIC_INFINITY;
        this.sendRtes(ifc, RIPNG_GROUP, RIPNG_PORT, out, ifc.mtu);
      }
    }
    for (const e of this.rib.values()) if (e.kind === 'aggregate' && e.installed) this.fibDelete(e);
    this.host.logger.notice('**** Terminated ****');
    await Promise.resolve();
  }

  get running(): boolean {
    return this.started && !this.stopped;
  }

  // ---------------------------------------------------------------- views

  routes(): readonly RibEntry[] {
    return [...this.rib.values()];
  }

  route(prefix: Ipv6Prefix | string): RibEntry | undefined {
    return this.rib.get(key(typeof prefix === 'string' ? Ipv6Prefix.parse(prefix) : prefix));
  }

  /** SIGUSR1: the interface and routing table dump (KAME ifdump/rtdump format). */
  dump(): string {
    return formatDump({
      wallTime: this.wallTime(),
      now: this.host.clock.now(),
      interfaces: this.host.interfaces(),
      used: new Set(this.ifs.keys()),
      options: this.options,
      routes: this.routes(),
    });
  }

  // ---------------------------------------------------------------- input

  /** A datagram from the RIPng socket. Never throws on bad input: drops are counted in stats. */
  receive(d: Route6dDatagram): void {
    if (this.stopped) return;
    this.stats.rxPackets++;
    if (d.data.length > this.options.maxPacket) {
      this.stats.rxOversize++;
      return;
    }
    const parsed = tryParse(() => ripng.parse(d.data));
    if (!parsed.ok) {
      this.stats.rxMalformed++;
      this.host.logger.debug(`riprecv: ${parsed.error.message} from ${d.src.toString()}`);
      return;
    }
    const pkt = parsed.value;
    const ifc = this.ifByIndex(d.ifindex);
    if (!ifc) {
      // Not one route6d uses: -N, or down, loopback, without a link-local address, or unknown.
      const known = this.host.interfaces().find((i) => i.index === d.ifindex);
      if (known && this.options.noUse.includes(known.name)) {
        this.stats.rxNoUseInterface++;
        return;
      }
    }
    if (pkt.command === 'request') {
      this.stats.rxRequests++;
      this.answerRequest(pkt, d, ifc);
      return;
    }
    this.stats.rxResponses++;
    const problem = ripngResponseProblem(d);
    if (problem !== undefined) {
      if (problem === 'bad-port') this.stats.rxBadPort++;
      else if (problem === 'not-link-local') this.stats.rxNotLinkLocal++;
      else if (problem === 'no-hoplimit') this.stats.rxNoHopLimit++;
      else this.stats.rxBadHopLimit++;
      return;
    }
    if (!ifc) {
      this.stats.rxUnknownInterface++;
      return;
    }
    if (ifc.linkLocal?.equals(d.src)) {
      this.stats.rxFromSelf++;
      return;
    }
    this.processResponse(pkt, d.src, ifc);
  }

  private processResponse(pkt: RipngRepr, src: Ipv6Address, ifc: Route6dInterface): void {
    const now = this.host.clock.now();
    const ifmetric = ifc.metric ?? 0;
    const filters = this.options.inputFilters.filter((f) => f.ifnames.includes(ifc.name));
    let nexthop = src;
    let changed = false;
    for (const e of pkt.rtes) {
      const problem = ripngRteProblem(e);
      if (e.metric === RIPNG_METRIC_NEXTHOP) {
        if (problem !== undefined) {
          this.stats.rteBadNextHop++;
          continue;
        }
        // RFC 2080 2.1.1: :: means the originator; a non-link-local next hop is ignored.
        if (e.prefix.isUnspecified()) nexthop = src;
        else if (e.prefix.isLinkLocal()) nexthop = e.prefix;
        else {
          this.stats.rteInvalidNextHop++;
          this.host.logger.debug(`Invalid Nexthop ${e.prefix.toString()} from ${src.toString()}`);
          nexthop = src;
        }
        continue;
      }
      if (problem === 'prefix-length') {
        this.stats.rteBadPrefixLength++;
        continue;
      }
      if (problem !== undefined) {
        this.stats.rteBadMetric++;
        continue;
      }
      const prefix = Ipv6Prefix.of(e.prefix, e.prefixLength);
      const a = prefix.address;
      if (a.isMulticast()) {
        this.stats.rteMulticast++;
        continue;
      }
      if (a.isLinkLocal()) {
        this.stats.rteLinkLocal++;
        continue;
      }
      if (a.isLoopback() && prefix.length === 128) {
        this.stats.rteLoopback++;
        continue;
      }
      if (!this.options.siteLocal && SITE_LOCAL.contains(a) && prefix.length >= 10) {
        this.stats.rteSiteLocal++;
        continue;
      }
      if (filters.length > 0 && !filters.some((f) => inFilter(f, prefix))) {
        this.stats.rteFiltered++;
        continue;
      }
      const metric = Math.min(RIPNG_METRIC_INFINITY, e.metric + 1 + ifmetric);
      if (this.update(prefix, metric, e.routeTag, nexthop, ifc, now)) changed = true;
    }
    if (changed) this.triggerUpdate(ifc.name);
  }

  /** RFC 2080 2.4.2 route update rules, with KAME's refinements. Returns true when the entry changed. */
  private update(
    prefix: Ipv6Prefix,
    metric: number,
    tag: number,
    gw: Ipv6Address,
    ifc: Route6dInterface,
    now: number,
  ): boolean {
    const k = key(prefix);
    const cur = this.rib.get(k);
    if (!cur) {
      if (metric >= RIPNG_METRIC_INFINITY) return false;
      if (this.rib.size >= this.options.maxRoutes) {
        this.stats.rteTableFull++;
        return false;
      }
      const e: RibEntry = {
        prefix,
        metric,
        tag,
        gateway: gw,
        ifname: ifc.name,
        kind: 'rip',
        updated: now,
        changed: true,
        noAdvertise: false,
        nhNotLinkLocal: false,
        reject: false,
        installed: false,
      };
      this.rib.set(k, e);
      this.stats.routesAdded++;
      this.fibAdd(e);
      return true;
    }
    // Routes that do not age (KAME rrt_t == 0: interface, static unless -a, aggregate) always win;
    // once withdrawn (ageing towards garbage collection) they may be replaced.
    if (cur.kind !== 'rip' && cur.updated === undefined) return false;
    const sameGw = cur.gateway.equals(gw) && cur.ifname === ifc.name;
    if (sameGw) {
      if (metric !== cur.metric) {
        const wasUsable = cur.metric < RIPNG_METRIC_INFINITY;
        cur.metric = metric;
        cur.tag = tag;
        cur.changed = true;
        this.stats.routesChanged++;
        if (metric >= RIPNG_METRIC_INFINITY) {
          // RFC 2080 2.4.2: deletion process: garbage collection starts now.
          cur.updated = now - RIP_LIFETIME;
          if (wasUsable) this.fibDelete(cur);
        } else {
          cur.updated = now;
          if (!wasUsable) this.fibAdd(cur);
        }
        return true;
      }
      if (metric < RIPNG_METRIC_INFINITY) {
        cur.updated = now;
        if (tag !== cur.tag) {
          cur.tag = tag;
          cur.changed = true;
          return true;
        }
      }
      return false;
    }
    const better = metric < cur.metric;
    // RFC 2080 2.4.2 heuristic: an equal metric from another router replaces a route half-way to timeout.
    const stale =
      metric === cur.metric &&
      metric < RIPNG_METRIC_INFINITY &&
      cur.updated !== undefined &&
      now - cur.updated > RIP_LIFETIME / 2;
    if (!better && !stale) return false;
    const wasUsable = cur.metric < RIPNG_METRIC_INFINITY && cur.installed;
    const oldGw = cur.gateway;
    cur.metric = metric;
    cur.tag = tag;
    cur.gateway = gw;
    cur.ifname = ifc.name;
    cur.kind = 'rip';
    cur.updated = now;
    cur.changed = true;
    this.stats.routesChanged++;
    if (wasUsable) this.fibChange(cur, oldGw);
    else this.fibAdd(cur);
    return true;
  }

  // ---------------------------------------------------------------- requests

  private answerRequest(pkt: RipngRepr, d: Route6dDatagram, ifc: Route6dInterface | undefined): void {
    // -q listens only, but a diagnostic query (rip6query, not from port 521) is still answered.
    if (this.options.listenOnly && d.srcPort === RIPNG_PORT) return;
    const mtu = ifc && d.src.isLinkLocal() ? ifc.mtu : IFMINMTU;
    const out: OutRte[] = [];
    if (isWholeTableRequest(pkt)) {
      // RFC 2080 2.4.1: the whole table, as in an update (split horizon and filters apply).
      if (ifc) out.push(...this.collect(ifc, { changedOnly: false, sendAnyway: true, splitHorizon: true }));
      else
        for (const e of this.rib.values())
          if (!e.noAdvertise) out.push({ rte: this.rteOf(e, e.metric), nexthop: Ipv6Address.UNSPECIFIED });
    } else {
      // RFC 2080 2.4.1: specific entries: our metric or 16, no split horizon.
      for (const q of pkt.rtes) {
        if (q.metric === RIPNG_METRIC_NEXTHOP || q.prefixLength > 128) continue;
        const e = this.rib.get(key(Ipv6Prefix.of(q.prefix, q.prefixLength)));
        out.push({
          rte: { ...q, metric: e && !e.noAdvertise ? e.metric : RIPNG_METRIC_INFINITY },
          nexthop: Ipv6Address.UNSPECIFIED,
        });
      }
    }
    const via = ifc ?? this.host.interfaces().find((i) => i.index === d.ifindex);
    if (!via) {
      this.stats.rxUnknownInterface++;
      return;
    }
    this.stats.requestsAnswered++;
    this.sendRtes(via, d.src, d.srcPort, out, mtu, true);
  }

  // ---------------------------------------------------------------- output

  private rteOf(e: RibEntry, metric: number): RipngRte {
    return { prefix: e.prefix.address, routeTag: e.tag, prefixLength: e.prefix.length, metric };
  }

  /** KAME out_filter: -A suppression and placement, -O restriction. */
  private outFilter(ifc: Route6dInterface, e: RibEntry): boolean {
    for (const a of this.options.aggregates) {
      const onIf = a.ifnames.includes(ifc.name);
      if (e.kind === 'aggregate' && e.prefix.equals(a.prefix)) return onIf;
      if (onIf && a.prefix.containsPrefix(e.prefix) && e.prefix.length > a.prefix.length) return false;
    }
    const outs = this.options.outputFilters.filter((f) => f.ifnames.includes(ifc.name));
    if (outs.length > 0 && !outs.some((f) => f.prefix.containsPrefix(e.prefix))) return false;
    return true;
  }

  /**
   * The RTEs to advertise on `ifc` (KAME ripsend/tobeadv). Split horizon as
   * configured; a route learned on `ifc` from a link-local gateway is sent with
   * that gateway as next hop when it is advertised there at all.
   */
  private collect(
    ifc: Route6dInterface,
    o: { changedOnly: boolean; sendAnyway: boolean; splitHorizon: boolean },
  ): OutRte[] {
    const self = Ipv6Address.UNSPECIFIED;
    if (this.options.defaultOnly.includes(ifc.name)) {
      // -T: only a default route, metric 1 + ifmetric.
      if (o.changedOnly) return [];
      const rte = {
        prefix: Ipv6Address.UNSPECIFIED,
        routeTag: this.options.routeTag,
        prefixLength: 0,
        metric: Math.min(RIPNG_METRIC_INFINITY, 1 + (ifc.metric ?? 0)),
      };
      return [{ rte, nexthop: self }];
    }
    const mine: OutRte[] = [];
    const viaGw: OutRte[] = [];
    for (const e of this.rib.values()) {
      if (o.changedOnly && !e.changed) continue;
      if (e.noAdvertise) continue;
      if (!this.outFilter(ifc, e)) continue;
      const sameIf = e.ifname === ifc.name;
      if (e.kind === 'static') {
        if (e.reject) continue;
        if (this.options.advertiseStatic === 'none') continue;
        if (this.options.advertiseStatic === 'split' && sameIf) continue;
        mine.push({ rte: this.rteOf(e, e.metric), nexthop: self });
        continue;
      }
      if (e.kind === 'aggregate') {
        mine.push({ rte: this.rteOf(e, e.metric), nexthop: self });
        continue;
      }
      if (sameIf && o.splitHorizon) {
        const sh = this.options.splitHorizon;
        if (sh === 'plain') continue;
        if (sh === 'poisoned') {
          // RFC 2080 2.6: poisoned reverse.
          mine.push({ rte: this.rteOf(e, RIPNG_METRIC_INFINITY), nexthop: self });
          continue;
        }
      }
      if (sameIf && e.kind === 'rip' && e.gateway.isLinkLocal() && e.metric < RIPNG_METRIC_INFINITY) {
        viaGw.push({ rte: this.rteOf(e, e.metric), nexthop: e.gateway });
      } else {
        mine.push({ rte: this.rteOf(e, e.metric), nexthop: self });
      }
    }
    viaGw.sort((a, b) => a.nexthop.compare(b.nexthop));
    return [...mine, ...viaGw];
  }

  /** Packs RTEs into packets of at most maxrte = (mtu - 40 - 8 - 4) / 20 entries, emitting next-hop RTEs. */
  private sendRtes(
    ifc: Route6dInterface,
    dst: Ipv6Address,
    port: number,
    out: readonly OutRte[],
    mtu: number,
    evenIfEmpty = false,
  ): void {
    if (out.length === 0 && !evenIfEmpty) return;
    const maxrte = Math.max(
      2,
      Math.floor((mtu - IPV6_HEADER_LEN - UDP_HEADER_LEN - RIPNG_HEADER_LEN) / RIPNG_RTE_LEN),
    );
    let cur: RipngRte[] = [];
    let nh = Ipv6Address.UNSPECIFIED;
    const flush = (): void => {
      this.emit(ifc, dst, port, cur);
      cur = [];
      nh = Ipv6Address.UNSPECIFIED;
    };
    for (const o of out) {
      const needNh = !o.nexthop.equals(nh);
      if (cur.length + (needNh ? 2 : 1) > maxrte) flush();
      if (!o.nexthop.equals(nh)) {
        cur.push({ prefix: o.nexthop, routeTag: 0, prefixLength: 0, metric: RIPNG_METRIC_NEXTHOP });
        nh = o.nexthop;
      }
      cur.push(o.rte);
    }
    if (cur.length > 0 || (evenIfEmpty && out.length === 0)) flush();
  }

  private emit(ifc: Route6dInterface, dst: Ipv6Address, port: number, rtes: RipngRte[]): void {
    const bytes = ripng.encode(ripngPacket('response', rtes));
    this.stats.txPackets++;
    this.stats.txRoutes += rtes.filter((r) => r.metric !== RIPNG_METRIC_NEXTHOP).length;
    this.host.send(ifc.name, dst, port, bytes);
  }

  private sendRequest(ifc: Route6dInterface): void {
    if (this.options.listenOnly) return;
    const rte = {
      prefix: Ipv6Address.UNSPECIFIED,
      routeTag: 0,
      prefixLength: 0,
      metric: RIPNG_METRIC_INFINITY,
    };
    this.stats.txPackets++;
    this.host.send(ifc.name, RIPNG_GROUP, RIPNG_PORT, ripng.encode(ripngPacket('request', [rte])));
  }

  private advertiseOn(ifc: Route6dInterface, changedOnly: boolean): void {
    if (this.options.listenOnly) return;
    const out = this.collect(ifc, { changedOnly, sendAnyway: false, splitHorizon: true });
    this.sendRtes(ifc, RIPNG_GROUP, RIPNG_PORT, out, ifc.mtu);
  }

  // ---------------------------------------------------------------- timers

  /** timer ± timer/2 (KAME ripinterval, RIPRANDDEV 1.0). */
  private jitter(base: number): number {
    return Math.round(this.host.random.uniform(base / 2, base + base / 2));
  }

  private armPeriodic(delay: number): void {
    this.periodicTimer?.cancel();
    this.nextPeriodic = this.host.clock.now() + delay;
    this.periodicTimer = this.host.clock.setTimer(delay, () => this.periodic());
  }

  /** KAME ripalarm: age routes, send the whole table on every interface, re-arm 15-45 s. */
  private periodic(): void {
    if (this.stopped) return;
    this.age();
    this.stats.periodicUpdates++;
    for (const ifc of this.ifs.values()) this.advertiseOn(ifc, false);
    for (const e of this.rib.values()) e.changed = false;
    this.triggerPending = false;
    this.armPeriodic(this.jitter(SUPPLY_INTERVAL6));
  }

  /** RFC 2080 2.3: timeout (180 s) sets metric 16; garbage collection (120 s more) deletes. */
  private age(): void {
    const now = this.host.clock.now();
    for (const [k, e] of this.rib) {
      if (e.updated === undefined) continue;
      if (e.kind !== 'rip' && !(e.kind === 'static' && this.options.ageStatic) && e.kind !== 'interface')
        continue;
      const age = now - e.updated;
      if (age >= RIP_LIFETIME + RIP_HOLDDOWN) {
        if (e.installed) this.fibDelete(e);
        this.rib.delete(k);
        this.stats.routesDeleted++;
      } else if (age >= RIP_LIFETIME && e.metric < RIPNG_METRIC_INFINITY) {
        e.metric = RIPNG_METRIC_INFINITY;
        e.changed = true;
        this.stats.routesTimedOut++;
        if (e.installed) this.fibDelete(e);
      }
    }
  }

  /**
   * A change worth telling neighbours about. 'kame': at once, changed routes on
   * every other interface, unless the periodic update is within 5 s.
   * 'rfc': RFC 2080 2.5.1, then a random 1-5 s hold during which further
   * changes are batched into one update.
   */
  private triggerUpdate(except: string | undefined): void {
    if (this.stopped || !this.started) return;
    const now = this.host.clock.now();
    if (this.options.triggered === 'kame') {
      if (this.nextPeriodic - now <= RIP_TRIG_INT6_MAX) return;
      this.sendTriggered(except);
      return;
    }
    if (this.triggerHold?.pending) {
      this.triggerPending = true;
      return;
    }
    this.sendTriggered(undefined);
    this.armTriggerHold();
  }

  private armTriggerHold(): void {
    const hold = Math.round(this.host.random.uniform(RIP_TRIG_INT6_MIN, RIP_TRIG_INT6_MAX));
    this.triggerHold = this.host.clock.setTimer(hold, () => {
      if (this.stopped || !this.triggerPending) return;
      this.triggerPending = false;
      // RFC 2080 2.5.1: suppressed when the regular update is due anyway.
      if (this.nextPeriodic <= this.host.clock.now()) return;
      this.sendTriggered(undefined);
      this.armTriggerHold();
    });
  }

  private sendTriggered(except: string | undefined): void {
    this.stats.triggeredUpdates++;
    for (const ifc of this.ifs.values()) if (ifc.name !== except) this.advertiseOn(ifc, true);
    for (const e of this.rib.values()) e.changed = false;
  }

  // ---------------------------------------------------------------- interfaces

  /** The host's interface list changed (link up/down, addresses added or removed). */
  interfacesChanged(): void {
    if (!this.running) return;
    if (this.syncInterfaces(false)) this.triggerUpdate(undefined);
  }

  private ifByIndex(index: number): Route6dInterface | undefined {
    for (const i of this.ifs.values()) if (i.index === index) return i;
    return undefined;
  }

  private usable(i: Route6dInterface): boolean {
    return i.up && !i.loopback && i.linkLocal !== undefined && !this.options.noUse.includes(i.name);
  }

  /** Interface routes of one interface (KAME ifrt / ifrt_p2p): every non-link-local prefix; p2p: both /128s. */
  private ifRoutes(i: Route6dInterface): Ipv6Prefix[] {
    const out: Ipv6Prefix[] = [];
    for (const a of i.addresses) {
      if (a.address.isLinkLocal() || a.address.isMulticast() || a.address.isLoopback()) continue;
      if (!this.options.siteLocal && a.address.isSiteLocal()) continue;
      if (i.p2p) {
        out.push(Ipv6Prefix.of(a.address, 128));
        if (a.peer && !a.peer.isLinkLocal()) out.push(Ipv6Prefix.of(a.peer, 128));
      } else {
        out.push(Ipv6Prefix.of(a.address, a.prefixLength));
      }
    }
    return out;
  }

  private syncInterfaces(atStart: boolean): boolean {
    const now = this.host.clock.now();
    let changed = false;
    const seen = new Set<string>();
    for (const i of this.host.interfaces()) {
      if (!this.usable(i)) {
        if (i.up && !i.loopback && i.linkLocal === undefined && !this.noLinkLocalWarned.has(i.name)) {
          this.noLinkLocalWarned.add(i.name);
          this.host.logger.warning(`No ifindex found at ${i.name} (no link-local address?)`);
        }
        continue;
      }
      this.noLinkLocalWarned.delete(i.name);
      seen.add(i.name);
      const was = this.ifs.get(i.name);
      this.ifs.set(i.name, i);
      const wanted = new Set<string>();
      for (const p of this.ifRoutes(i)) {
        wanted.add(key(p));
        if (this.addInterfaceRoute(p, i)) changed = true;
      }
      // Addresses removed from a live interface.
      for (const e of this.rib.values())
        if (e.kind === 'interface' && e.ifname === i.name && !wanted.has(key(e.prefix))) {
          if (this.startDeletion(e, now)) changed = true;
        }
      if (!was) {
        this.host.logger.info(`${i.name}: interface up`);
        this.sendRequest(i);
        if (!atStart) this.advertiseOn(i, false);
      }
    }
    for (const [name] of this.ifs) {
      if (seen.has(name)) continue;
      this.ifs.delete(name);
      this.host.logger.info(`${name}: interface down`);
      for (const e of this.rib.values())
        if (e.ifname === name && (e.kind === 'rip' || e.kind === 'interface')) {
          if (this.startDeletion(e, now)) changed = true;
        }
    }
    return changed;
  }

  private addInterfaceRoute(p: Ipv6Prefix, i: Route6dInterface): boolean {
    const k = key(p);
    const cur = this.rib.get(k);
    if (cur && (cur.kind === 'interface' || cur.kind === 'aggregate')) {
      if (cur.kind === 'interface' && cur.ifname === i.name && cur.metric >= RIPNG_METRIC_INFINITY) {
        cur.metric = 1 + (i.metric ?? 0);
        cur.updated = undefined;
        cur.changed = true;
        return true;
      }
      return false;
    }
    if (cur?.installed) this.fibDelete(cur);
    if (!cur && this.rib.size >= this.options.maxRoutes) {
      this.stats.rteTableFull++;
      return false;
    }
    const e: RibEntry = {
      prefix: p,
      metric: Math.min(RIPNG_METRIC_INFINITY, 1 + (i.metric ?? 0)),
      tag: this.options.routeTag,
      gateway: Ipv6Address.UNSPECIFIED,
      ifname: i.name,
      kind: 'interface',
      updated: undefined,
      changed: true,
      noAdvertise: false,
      nhNotLinkLocal: false,
      reject: false,
      installed: false,
    };
    this.rib.set(k, e);
    return true;
  }

  /** Metric 16 and the garbage-collection timer (RFC 2080 2.4.2 deletion process). */
  private startDeletion(e: RibEntry, now: number): boolean {
    if (e.metric >= RIPNG_METRIC_INFINITY) return false;
    e.metric = RIPNG_METRIC_INFINITY;
    e.updated = now - RIP_LIFETIME;
    e.changed = true;
    if (e.installed) this.fibDelete(e);
    return true;
  }

  private addAggregate(a: Route6dFilter): void {
    const lo = this.host.interfaces().find((i) => i.loopback);
    const e: RibEntry = {
      prefix: a.prefix,
      metric: 1,
      tag: this.options.routeTag,
      gateway: Ipv6Address.LOOPBACK,
      ifname: lo?.name,
      kind: 'aggregate',
      updated: undefined,
      changed: true,
      noAdvertise: false,
      nhNotLinkLocal: false,
      reject: true,
      installed: false,
    };
    this.rib.set(key(a.prefix), e);
    this.fibAdd(e);
  }

  // ---------------------------------------------------------------- kernel routes

  /** A route appeared in the kernel (routing socket RTM_ADD, or the initial read). */
  kernelRouteAdded(r: KernelRouteView, atStart = false): void {
    if (r.owner === 'route6d' || !r.static) return;
    const a = r.prefix.address;
    if (a.isLinkLocal() || a.isMulticast() || (a.isLoopback() && r.prefix.length === 128)) return;
    const k = key(r.prefix);
    const cur = this.rib.get(k);
    if (cur && cur.kind !== 'rip' && cur.kind !== 'static') return;
    if (!cur && this.rib.size >= this.options.maxRoutes) {
      this.stats.rteTableFull++;
      return;
    }
    const nhNotLinkLocal = r.gateway !== undefined && !r.gateway.isLinkLocal();
    if (nhNotLinkLocal)
      this.host.logger.debug(`${r.prefix.toString()}: gateway not link-local: Not optimized`);
    // A route of ours the static one replaces: the kernel holds the static one now.
    if (cur?.kind === 'rip' && cur.installed)
      this.host.logger.debug(`${r.prefix.toString()}: replaced by a static route`);
    const e: RibEntry = {
      prefix: r.prefix,
      metric: Math.min(RIPNG_METRIC_INFINITY, Math.max(1, r.hopcount ?? 1)),
      tag: this.options.routeTag,
      gateway: r.gateway ?? Ipv6Address.UNSPECIFIED,
      ifname: r.ifname,
      kind: 'static',
      updated: this.options.ageStatic ? this.host.clock.now() : undefined,
      changed: true,
      noAdvertise: false,
      nhNotLinkLocal,
      reject: r.reject === true || r.blackhole === true,
      installed: false,
    };
    this.rib.set(k, e);
    if (!atStart) this.triggerUpdate(undefined);
  }

  /** A route disappeared from the kernel (RTM_DELETE). */
  kernelRouteDeleted(r: KernelRouteView): void {
    if (r.owner === 'route6d') return;
    const e = this.rib.get(key(r.prefix));
    if (!e || e.kind !== 'static') return;
    if (this.startDeletion(e, this.host.clock.now())) {
      e.updated = this.host.clock.now() - RIP_LIFETIME;
      e.kind = 'rip'; // ages out like a withdrawn route
      this.triggerUpdate(undefined);
    }
  }

  // ---------------------------------------------------------------- kernel FIB

  private wallTime(): number {
    return this.host.wallTime ? this.host.wallTime() : this.host.clock.now();
  }

  private fibRoute(e: RibEntry, gateway = e.gateway): FibRoute {
    const r: FibRoute = { prefix: e.prefix, gateway, ifname: e.ifname ?? '', owner: 'route6d' };
    if (e.reject) r.reject = true;
    return r;
  }

  private fibAdd(e: RibEntry): void {
    if (e.metric >= RIPNG_METRIC_INFINITY) return;
    const ifa = e.ifname ? this.ifs.get(e.ifname)?.linkLocal : undefined;
    this.host.routeLog?.(formatRouteLogAdd(this.wallTime(), e, ifa));
    e.installed = true;
    if (this.options.noKernel) return;
    this.host.installRoute(this.fibRoute(e));
  }

  private fibChange(e: RibEntry, oldGw: Ipv6Address): void {
    this.host.routeLog?.(formatRouteLogDel(this.wallTime(), e.prefix, oldGw));
    const ifa = e.ifname ? this.ifs.get(e.ifname)?.linkLocal : undefined;
    this.host.routeLog?.(formatRouteLogAdd(this.wallTime(), e, ifa));
    e.installed = true;
    if (this.options.noKernel) return;
    this.host.changeRoute(this.fibRoute(e));
  }

  private fibDelete(e: RibEntry): void {
    this.host.routeLog?.(formatRouteLogDel(this.wallTime(), e.prefix, e.gateway));
    e.installed = false;
    if (this.options.noKernel) return;
    this.host.deleteRoute(this.fibRoute(e));
  }

  /** Milliseconds since start (for tests and the dump). */
  get uptime(): number {
    return this.host.clock.now() - this.startedAt;
  }
}
