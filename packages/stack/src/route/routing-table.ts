import {
  Ipv4Address,
  Ipv4Prefix,
  Ipv6Address,
  Ipv6Prefix,
  embedScope,
  extractScope,
  needsScope,
} from '@kame/addr';
import type { Clock, Timer } from '@kame/time';
import { Ipv4PrefixTable } from './ipv4-prefix-table';
import { Ipv6PrefixTable } from './ipv6-prefix-table';
import { RouteError } from './route-error';
import { RtMessageBus, type RtListener } from './rt-msg-bus';
import type { RtRouteMsg, RtmRouteType } from './rt-msg';
import { RTF_DONE, RTF_DYNAMIC, RTF_GATEWAY, RTF_HOST, RTF_MODIFIED, RTF_UP } from './rtflags';
import type { Gateway, RouteChange, RouteDestination, RouteFamily, RouteSpec, Rtentry } from './rtentry';

export interface RoutingTableOptions {
  clock: Clock;
  /** Most routes over both families; RTM_ADD beyond it fails with ENOBUFS. Default unbounded. */
  maxEntries?: number;
  /** Share a bus with interface/address code so listeners see one ordered stream. */
  bus?: RtMessageBus;
  /** Passed to the tries (see RadixTrieOptions.indexThreshold). */
  indexThreshold?: number;
}

/**
 * Who asked, for a request that came over a routing socket. With a context,
 * the reply carries the requester's pid and seq, and a failed request is also
 * announced with rtm_errno before the error is thrown (route(4): replies go to
 * every routing socket). Kernel-internal calls pass none.
 */
export interface RequestContext {
  pid: number;
  seq: number;
  owner?: string;
}

const KERNEL = 'kernel';

/**
 * The kernel's routing tables (one per address family) with BSD rtrequest
 * semantics: RTM_ADD / RTM_DELETE / RTM_CHANGE / RTM_GET, longest-prefix
 * lookup for ip6_output and ip6_forward, route expiry on the injected Clock,
 * and every change announced as a routing-socket message.
 */
export class RoutingTable {
  readonly bus: RtMessageBus;
  readonly maxEntries: number;
  private readonly clock: Clock;
  private readonly inet6: Ipv6PrefixTable<Rtentry>;
  private readonly inet: Ipv4PrefixTable<Rtentry>;
  private readonly timers = new Map<Rtentry, Timer>();

  constructor(options: RoutingTableOptions) {
    this.clock = options.clock;
    this.bus = options.bus ?? new RtMessageBus();
    this.maxEntries = options.maxEntries ?? Infinity;
    const trieOptions = { maxEntries: this.maxEntries, indexThreshold: options.indexThreshold };
    this.inet6 = new Ipv6PrefixTable<Rtentry>(trieOptions);
    this.inet = new Ipv4PrefixTable<Rtentry>(trieOptions);
  }

  /** Routes in both families. */
  get size(): number {
    return this.inet6.size + this.inet.size;
  }

  subscribe(listener: RtListener): () => void {
    return this.bus.subscribe(listener);
  }

  /** RTM_ADD. EEXIST if the destination is present, ENOBUFS if full, EINVAL if malformed. */
  add(spec: RouteSpec, ctx?: RequestContext): Rtentry {
    return this.request('RTM_ADD', spec.dst, ctx, () => {
      const entry = this.build(spec);
      if (this.size >= this.maxEntries) {
        throw new RouteError('ENOBUFS', `routing table full (${this.maxEntries} routes)`);
      }
      this.insert(entry);
      this.arm(entry);
      return entry;
    });
  }

  /** RTM_DELETE. ESRCH if absent. */
  delete(dst: RouteDestination, ctx?: RequestContext): Rtentry {
    return this.request('RTM_DELETE', dst, ctx, () => {
      const entry = this.mustGet(dst);
      this.remove(entry);
      return entry;
    });
  }

  /** RTM_CHANGE: replaces gateway, interface, flags, metric, expiry or owner. ESRCH if absent. */
  change(dst: RouteDestination, changes: RouteChange, ctx?: RequestContext): Rtentry {
    return this.request('RTM_CHANGE', dst, ctx, () => {
      const old = this.mustGet(dst);
      const entry = this.build({
        dst: old.dst,
        gateway: changes.gateway ?? old.gateway,
        ifindex: changes.ifindex ?? (changes.gateway !== undefined ? undefined : old.ifindex),
        flags: changes.flags ?? old.flags,
        owner: changes.owner ?? old.owner,
        metric: changes.metric ?? old.metric,
        expire: changes.expire === null ? undefined : (changes.expire ?? old.expire),
      });
      this.disarm(old);
      this.replace(entry);
      this.arm(entry);
      return entry;
    });
  }

  /** RTM_GET with an exact destination. */
  get(dst: RouteDestination): Rtentry | undefined {
    return dst instanceof Ipv6Prefix ? this.inet6.get(dst) : this.inet.get(dst);
  }

  /**
   * Longest-prefix match (rtalloc). undefined means no route: the caller
   * answers ENETUNREACH / ICMPv6 no-route and calls `miss`.
   */
  lookup(addr: Ipv6Address | Ipv4Address): Rtentry | undefined {
    return addr instanceof Ipv6Address ? this.inet6.lookup(addr) : this.inet.lookup(addr);
  }

  /** Longest-prefix match on an IPv6 address in place (e.g. a header's destination); no allocation. */
  lookup6(bytes: Uint8Array, offset: number): Rtentry | undefined {
    return this.inet6.lookupBytes(bytes, offset);
  }

  /** Longest-prefix match on an IPv4 address in place. */
  lookup4(bytes: Uint8Array, offset: number): Rtentry | undefined {
    return this.inet.lookupBytes(bytes, offset);
  }

  /** Announces RTM_MISS for a destination with no route (route(4): "lookup failed on this address"). */
  miss(addr: Ipv6Address | Ipv4Address, ctx?: RequestContext): void {
    const dst = addr instanceof Ipv6Address ? Ipv6Prefix.of(addr, 128) : Ipv4Prefix.of(addr, 32);
    this.bus.publish({
      type: 'RTM_MISS',
      seq: ctx?.seq,
      pid: ctx?.pid ?? 0,
      owner: ctx?.owner ?? KERNEL,
      flags: 0,
      dst,
      ifindex: 0,
    });
  }

  /**
   * Applies an ICMPv6 Redirect (RFC 4861 8.3): traffic to `dst` now goes to
   * `gateway` (the target; a link gateway when the target is the destination
   * itself, on-link). An existing dynamic host route is modified
   * (RTF_MODIFIED); otherwise a host route RTF_DYNAMIC is created (a
   * redirect never overrides a static host route: EEXIST). Announced as
   * RTM_REDIRECT with the redirecting router as author.
   */
  redirect(
    dst: Ipv6Address,
    gateway: Gateway,
    options: { ifindex?: number; author?: Ipv6Address; expire?: number } = {},
  ): Rtentry {
    const host = Ipv6Prefix.of(dst, 128);
    const old = this.inet6.get(host);
    let entry: Rtentry;
    if (old !== undefined) {
      if ((old.flags & RTF_DYNAMIC) === 0) {
        throw new RouteError('EEXIST', `${host.toString()} is a non-dynamic host route`);
      }
      entry = this.build({
        dst: host,
        gateway,
        ifindex: options.ifindex,
        flags: old.flags | RTF_MODIFIED,
        owner: old.owner,
        metric: old.metric,
        expire: options.expire ?? old.expire,
      });
      this.disarm(old);
      this.replace(entry);
    } else {
      entry = this.build({
        dst: host,
        gateway,
        ifindex: options.ifindex,
        flags: RTF_DYNAMIC,
        owner: KERNEL,
        expire: options.expire,
      });
      if (this.size >= this.maxEntries) {
        throw new RouteError('ENOBUFS', `routing table full (${this.maxEntries} routes)`);
      }
      this.insert(entry);
    }
    this.arm(entry);
    this.announce('RTM_REDIRECT', entry, undefined, options.author);
    return entry;
  }

  /**
   * Deletes every route of `owner` (e.g. route6d's on exit, `route flush`),
   * announcing an RTM_DELETE for each in prefix order. Returns how many went.
   */
  flush(owner: string, family?: RouteFamily): number {
    const doomed = this.list(family).filter((r) => r.owner === owner);
    for (const r of doomed) {
      this.remove(r);
      this.announce('RTM_DELETE', r, undefined);
    }
    return doomed.length;
  }

  /** Routes in `netstat -rn` order: IPv6 then IPv4 (or one family), by address, shorter first. */
  list(family?: RouteFamily): Rtentry[] {
    const out: Rtentry[] = [];
    if (family !== 'inet') for (const [, r] of this.inet6.entries()) out.push(r);
    if (family !== 'inet6') for (const [, r] of this.inet.entries()) out.push(r);
    return out;
  }

  /** Cancels expiry timers (the node is going away). */
  dispose(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  // --- internals -------------------------------------------------------------

  /** Runs a request; announces its result (or, for socket requests, its failure). */
  private request(
    type: RtmRouteType,
    dst: RouteDestination,
    ctx: RequestContext | undefined,
    op: () => Rtentry,
  ): Rtentry {
    let entry: Rtentry;
    try {
      entry = op();
    } catch (e) {
      if (ctx !== undefined && e instanceof RouteError) {
        this.bus.publish({
          type,
          seq: ctx.seq,
          pid: ctx.pid,
          owner: ctx.owner ?? KERNEL,
          errno: e.errno,
          flags: 0,
          dst,
          ifindex: 0,
        });
      }
      throw e;
    }
    this.announce(type, entry, ctx);
    return entry;
  }

  private announce(
    type: RtmRouteType,
    r: Rtentry,
    ctx: RequestContext | undefined,
    author?: Ipv6Address | Ipv4Address,
  ): void {
    const msg: Omit<RtRouteMsg, 'seq'> & { seq?: number } = {
      type,
      seq: ctx?.seq,
      pid: ctx?.pid ?? 0,
      owner: ctx?.owner ?? r.owner,
      flags: r.flags | RTF_DONE,
      dst: r.dst,
      gateway: r.gateway,
      ifindex: r.ifindex,
      metric: r.metric,
    };
    if (r.expire !== undefined) msg.expire = r.expire;
    if (author !== undefined) msg.author = author;
    this.bus.publish(msg);
  }

  private mustGet(dst: RouteDestination): Rtentry {
    const r = this.get(dst);
    if (r === undefined) throw new RouteError('ESRCH', `no route to ${dst.toString()}`);
    return r;
  }

  private insert(r: Rtentry): void {
    if (r.dst instanceof Ipv6Prefix) this.inet6.insert(r.dst, r);
    else this.inet.insert(r.dst, r);
  }

  private replace(r: Rtentry): void {
    if (r.dst instanceof Ipv6Prefix) this.inet6.replace(r.dst, r);
    else this.inet.replace(r.dst, r);
  }

  private remove(r: Rtentry): void {
    this.disarm(r);
    if (r.dst instanceof Ipv6Prefix) this.inet6.delete(r.dst);
    else this.inet.delete(r.dst);
  }

  private arm(r: Rtentry): void {
    if (r.expire === undefined) return;
    const t = this.clock.setTimer(Math.max(0, r.expire - this.clock.now()), () => this.expire(r));
    this.timers.set(r, t);
  }

  private disarm(r: Rtentry): void {
    this.timers.get(r)?.cancel();
    this.timers.delete(r);
  }

  /** rmx_expire reached: the route goes and RTM_DELETE tells the listeners (pid 0: the kernel did it). */
  private expire(r: Rtentry): void {
    this.timers.delete(r);
    if (this.get(r.dst) !== r) return;
    this.remove(r);
    this.announce('RTM_DELETE', r, undefined);
  }

  /** Validates a spec and derives UP, GATEWAY, HOST and the interface (EINVAL on nonsense). */
  private build(spec: RouteSpec): Rtentry {
    const family: RouteFamily = spec.dst instanceof Ipv6Prefix ? 'inet6' : 'inet';
    const full = family === 'inet6' ? 128 : 32;
    const gw = spec.gateway;
    let ifindex = spec.ifindex ?? 0;
    if (!isIfindex(ifindex)) throw new RouteError('EINVAL', `bad interface index ${ifindex}`);
    let gateway = gw;
    if (gw.kind === 'link') {
      if (!isIfindex(gw.ifindex) || gw.ifindex === 0) {
        throw new RouteError('EINVAL', `link gateway needs an interface index, got ${gw.ifindex}`);
      }
      if (ifindex !== 0 && ifindex !== gw.ifindex) {
        throw new RouteError('EINVAL', `link#${gw.ifindex} gateway on interface ${ifindex}`);
      }
      ifindex = gw.ifindex;
    } else if (gw.kind !== family) {
      throw new RouteError('EINVAL', `${gw.kind} gateway for an ${family} destination`);
    } else if (gw.kind === 'inet6' && needsScope(gw.address)) {
      // IMPLEMENTATION 1.3.1: a link-local next hop is ambiguous without its
      // zone, so the kernel keeps it embedded (fe80:IFINDEX::...).
      const embedded = extractScope(gw.address).ifindex;
      if (embedded === 0 && ifindex === 0) {
        throw new RouteError('EINVAL', `link-local gateway ${gw.address.toString()} without an interface`);
      }
      if (embedded !== 0 && ifindex !== 0 && embedded !== ifindex) {
        throw new RouteError('EINVAL', `gateway zone ${embedded} differs from interface ${ifindex}`);
      }
      if (embedded === 0) gateway = { kind: 'inet6', address: embedScope(gw.address, ifindex) };
      else ifindex = embedded;
    }
    const metric = spec.metric ?? 0;
    if (!Number.isInteger(metric) || metric < 0) throw new RouteError('EINVAL', `bad metric ${metric}`);
    const expire = spec.expire;
    if (expire !== undefined && !(Number.isFinite(expire) && expire > this.clock.now())) {
      throw new RouteError('EINVAL', `expiry ${expire} is not after now (${this.clock.now()})`);
    }
    let flags = ((spec.flags ?? 0) | RTF_UP) & ~(RTF_GATEWAY | RTF_HOST | RTF_DONE);
    if (gateway.kind !== 'link') flags |= RTF_GATEWAY;
    if (spec.dst.length === full) flags |= RTF_HOST;
    return {
      family,
      dst: spec.dst,
      gateway,
      ifindex,
      flags,
      owner: spec.owner ?? KERNEL,
      metric,
      expire,
    };
  }
}

function isIfindex(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff;
}
