import { Ipv4Address, Ipv6Address, Ipv6Prefix, Scope, extractScope, scopeOf } from '@kame/addr';
import type { Logger } from '@kame/daemon';
import {
  type Datagram,
  type KernelClient,
  type KernelSocket,
  type MirrorInterface,
  ipFromBytes,
  prefixToProto,
  v1,
} from '@kame/kernel-api';
import type { Clock, Random } from '@kame/time';
import { RIPNG_GROUP, RIPNG_HOP_LIMIT, RIPNG_PORT } from '@kame/wire';
import type {
  FibRoute,
  KernelRouteView,
  Route6dDatagram,
  Route6dHost,
  Route6dIfAddress,
  Route6dInterface,
} from './engine/index';
import {
  IFF_UP,
  IFF_LOOPBACK,
  IFF_POINTOPOINT,
  IN6_IFF_TENTATIVE,
  IN6_IFF_DUPLICATED,
  IN6_IFF_DETACHED,
  RTF_UP,
  RTF_GATEWAY,
  RTF_REJECT,
  RTF_DYNAMIC,
  RTF_CLONING,
  RTF_XRESOLVE,
  RTF_LLINFO,
  RTF_STATIC,
  RTF_BLACKHOLE,
} from '@kame/kernel-api';
export {
  IFF_UP,
  IFF_LOOPBACK,
  IFF_POINTOPOINT,
  IN6_IFF_TENTATIVE,
  IN6_IFF_DUPLICATED,
  IN6_IFF_DETACHED,
  RTF_UP,
  RTF_GATEWAY,
  RTF_REJECT,
  RTF_DYNAMIC,
  RTF_CLONING,
  RTF_XRESOLVE,
  RTF_LLINFO,
  RTF_STATIC,
  RTF_BLACKHOLE,
} from '@kame/kernel-api';

export const IPPROTO_UDP = 17;
export const ROUTE6D_OWNER = 'route6d';

/** The client mirror's view of an interface, as route6d looks at it. */
export function ifViewOf(client: KernelClient, i: MirrorInterface): Route6dInterface {
  let linkLocal: Ipv6Address | undefined;
  const addresses: Route6dIfAddress[] = [];
  for (const a of client.addresses(i.index)) {
    if (!(a.address instanceof Ipv6Address)) continue;
    // Unusable addresses are not advertised (KAME ifconfig1 skips them too).
    if (a.flags & (IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED | IN6_IFF_DETACHED)) continue;
    if (a.address.isLinkLocal()) {
      linkLocal ??= a.address;
      continue;
    }
    addresses.push({ address: a.address, prefixLength: a.prefixLength });
  }
  return {
    name: i.name,
    index: i.index,
    up: (i.flags & IFF_UP) !== 0,
    loopback: (i.flags & IFF_LOOPBACK) !== 0,
    p2p: (i.flags & IFF_POINTOPOINT) !== 0,
    mtu: i.mtu,
    linkLocal,
    addresses,
  };
}

/** A kernel route as route6d considers it (KAME rt_entry filters), or undefined when ignored. */
export function kernelRouteView(client: KernelClient, r: v1.Route.$Properties): KernelRouteView | undefined {
  const flags = r.flags ?? 0;
  if (!(flags & RTF_UP)) return undefined;
  if (flags & (RTF_CLONING | RTF_XRESOLVE | RTF_LLINFO | RTF_DYNAMIC)) return undefined;
  if (!r.dst?.addr || r.dst.addr.length !== 16) return undefined;
  let prefix: Ipv6Prefix;
  try {
    prefix = Ipv6Prefix.of(extractScope(Ipv6Address.fromBytes(r.dst.addr)).address, r.dst.length ?? 0);
  } catch {
    return undefined;
  }
  let gateway: Ipv6Address | undefined;
  if (r.gateway?.address && r.gateway.address.length === 16) {
    const g = ipFromBytes(r.gateway.address, 'gateway');
    if (!(g instanceof Ipv4Address)) gateway = extractScope(g).address;
  }
  const ifname = client.interface(r.ifindex ?? 0)?.name ?? '';
  return {
    prefix,
    gateway,
    ifname,
    static: (flags & RTF_STATIC) !== 0,
    reject: (flags & RTF_REJECT) !== 0,
    blackhole: (flags & RTF_BLACKHOLE) !== 0,
    hopcount: r.metric ?? 0,
    owner: r.owner ?? '',
  };
}

export interface KernelHostOptions {
  readonly client: KernelClient;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** -R: where route log lines go. */
  readonly routeLog?: (line: string) => void;
  /** Epoch milliseconds for HH:MM:SS stamps (default: clock.now(), an epoch clock in the program). */
  readonly wallTime?: () => number;
}

/**
 * Route6dHost over a KernelClient: the interface mirror, a UDP socket on port
 * 521 (pktinfo + hop limit on input, hop limit 255 and multicast loop off on
 * output, ff02::9 joined on every interface route6d uses), routes through
 * the routing socket with owner "route6d".
 */
export class KernelRoute6dHost implements Route6dHost {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly routeLog?: (line: string) => void;
  private readonly client: KernelClient;
  private readonly wall: (() => number) | undefined;
  private sock: KernelSocket | undefined;
  private kroutes: KernelRouteView[] = [];
  private readonly joined = new Set<number>();
  private readonly inflight = new Set<Promise<void>>();
  private onDatagram: ((d: Route6dDatagram) => void) | undefined;

  constructor(o: KernelHostOptions) {
    this.client = o.client;
    this.clock = o.clock;
    this.random = o.random;
    this.logger = o.logger;
    this.wall = o.wallTime;
    if (o.routeLog) this.routeLog = o.routeLog;
  }

  wallTime(): number {
    return this.wall ? this.wall() : this.clock.now();
  }

  /** Opens and sets up the RIPng socket, reads the kernel routes. */
  async open(deliver: (d: Route6dDatagram) => void): Promise<void> {
    this.onDatagram = deliver;
    const sock = await this.client.socket('dgram', IPPROTO_UDP);
    sock.on('datagram', (d) => this.deliver(d));
    await sock.bind({ address: Ipv6Address.UNSPECIFIED, port: RIPNG_PORT });
    await sock.setsockopt({ ipv6Recvpktinfo: true });
    await sock.setsockopt({ ipv6Recvhoplimit: true });
    // RFC 2080 2.4.2 / KAME: hop limit 255, and our own multicasts are not looped back.
    await sock.setsockopt({ ipv6MulticastHops: RIPNG_HOP_LIMIT });
    await sock.setsockopt({ ipv6UnicastHops: RIPNG_HOP_LIMIT });
    await sock.setsockopt({ ipv6MulticastLoop: false });
    this.sock = sock;
    await this.joinAll();
    await this.readKernelRoutes();
  }

  async readKernelRoutes(): Promise<void> {
    const list = await this.client.routeList({ family: 6 });
    this.kroutes = list
      .map((r) => kernelRouteView(this.client, r))
      .filter((r): r is KernelRouteView => r !== undefined);
  }

  /** IPV6_JOIN_GROUP ff02::9 on every up, non-loopback interface not yet joined. */
  async joinAll(): Promise<void> {
    const sock = this.sock;
    if (!sock) return;
    for (const i of this.interfaces()) {
      if (!i.up || i.loopback || i.linkLocal === undefined || this.joined.has(i.index)) continue;
      this.joined.add(i.index);
      try {
        await sock.setsockopt({ ipv6JoinGroup: { group: RIPNG_GROUP.bytes.slice(), ifindex: i.index } });
      } catch (e) {
        this.joined.delete(i.index);
        this.logger.warning(`join ff02::9 on ${i.name}: ${(e as Error).message}`);
      }
    }
    for (const idx of [...this.joined]) if (!this.client.interface(idx)) this.joined.delete(idx);
  }

  private deliver(d: Datagram): void {
    if (!d.from || !this.onDatagram) return;
    this.onDatagram({
      ifindex: d.pktinfo?.ifindex ?? 0,
      src: d.from.address,
      srcPort: d.from.port,
      dst: d.pktinfo?.address ?? Ipv6Address.UNSPECIFIED,
      hopLimit: d.hoplimit,
      data: d.data,
    });
  }

  interfaces(): readonly Route6dInterface[] {
    return this.client.interfaces().map((i) => ifViewOf(this.client, i));
  }

  send(ifname: string, dst: Ipv6Address, port: number, bytes: Uint8Array): void {
    const sock = this.sock;
    const ifp = this.client.interface(ifname);
    if (!sock || sock.closed || !ifp) {
      this.logger.debug(`send to ${dst.toString()} on ${ifname}: no socket or interface`);
      return;
    }
    const zoned = scopeOf(dst) <= Scope.LinkLocal;
    this.track(
      sock
        .sendmsg(bytes, {
          to: zoned ? { address: dst, port, zone: ifp.index } : { address: dst, port },
          pktinfo: { ifindex: ifp.index },
          hoplimit: RIPNG_HOP_LIMIT,
        })
        .then(
          () => undefined,
          (e: unknown) =>
            this.logger.warning(`sendmsg to ${dst.toString()} on ${ifname}: ${(e as Error).message}`),
        ),
    );
  }

  /** Remembers a request in flight until it settles (for drain()). */
  private track(p: Promise<unknown>): void {
    const q = p.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(q);
    void q.then(() => this.inflight.delete(q));
  }

  /** Resolves once every send and route request made so far has been answered. */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  private routeProto(r: FibRoute): v1.Route.$Properties {
    const ifindex = this.client.interface(r.ifname)?.index ?? 0;
    return {
      dst: prefixToProto(r.prefix),
      gateway: { address: r.gateway.bytes.slice() },
      ifindex,
      flags: r.reject ? RTF_REJECT : RTF_GATEWAY,
      owner: ROUTE6D_OWNER,
    };
  }

  installRoute(r: FibRoute): void {
    this.track(
      this.client.routeAdd(this.routeProto(r)).catch((e: unknown) => {
        const m = (e as Error).message;
        this.routeLog?.(`ADD: Route already exists or failed: ${r.prefix.toString()}: ${m}\n`);
        this.logger.warning(`ADD ${r.prefix.toString()} gw ${r.gateway.toString()}: ${m}`);
      }),
    );
  }

  changeRoute(r: FibRoute): void {
    const p = this.routeProto(r);
    this.track(
      this.client
        .routeChange({ dst: p.dst ?? null, gateway: p.gateway ?? null, ifindex: p.ifindex ?? 0 })
        .catch(() =>
          // Not there (deleted by someone else): add it.
          this.installRoute(r),
        ),
    );
  }

  deleteRoute(r: FibRoute): void {
    this.track(
      this.client.routeDelete(r.prefix, { owner: ROUTE6D_OWNER }).catch((e: unknown) => {
        const m = (e as Error).message;
        this.routeLog?.(`RTDEL: Route does not exist: ${r.prefix.toString()}: ${m}\n`);
        this.logger.debug(`DEL ${r.prefix.toString()}: ${m}`);
      }),
    );
  }

  kernelRoutes(): readonly KernelRouteView[] {
    return this.kroutes;
  }

  /** The kernel view of a routing message about a route, or undefined. */
  routeOfRtm(m: v1.RtMsg.$Properties): KernelRouteView | undefined {
    return kernelRouteView(this.client, {
      dst: m.dst ?? null,
      gateway: m.gateway ?? null,
      ifindex: m.ifindex ?? 0,
      flags: m.flags ?? 0,
      owner: m.owner ?? '',
      metric: m.metric ?? 0,
    });
  }

  close(): void {
    const s = this.sock;
    this.sock = undefined;
    this.onDatagram = undefined;
    if (s && !s.closed) s.close().catch(() => undefined);
  }
}
