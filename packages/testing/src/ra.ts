import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { IN6_IFF_DUPLICATED, IN6_IFF_TENTATIVE, icmp6Send, type KernelNode } from '@kame/stack';
import type { Timer } from '@kame/time';
import type { NdOption, RouterAdvertRepr } from '@kame/wire';

export interface RaPrefix {
  /** e.g. "2001:db8:77::/64". */
  prefix: Ipv6Prefix | string;
  /** L flag, default true. */
  onLink?: boolean;
  /** A flag, default true. */
  autonomous?: boolean;
  /** Seconds, default 86400. */
  validLifetime?: number;
  /** Seconds, default 14400. */
  preferredLifetime?: number;
}

export interface RouterAdvertOptions {
  prefixes?: RaPrefix[];
  /** Seconds; 0 = not a default router. Default 1800. */
  routerLifetime?: number;
  curHopLimit?: number;
  /** MTU option, when given. */
  mtu?: number;
  reachableTime?: number;
  retransTimer?: number;
}

const ALL_NODES = Ipv6Address.parse('ff02::1');

/** The RA message (with SLLA, PIOs and MTU) for interface `ifname`. */
export function routerAdvert(
  node: KernelNode,
  ifname: string,
  o: RouterAdvertOptions = {},
): RouterAdvertRepr {
  const ifp = node.mustIfnet(ifname);
  const options: NdOption[] = [];
  if (ifp.lladdr) options.push({ kind: 'sourceLinkAddr', linkAddr: ifp.lladdr });
  if (o.mtu !== undefined) options.push({ kind: 'mtu', mtu: o.mtu });
  for (const p of o.prefixes ?? []) {
    const prefix = typeof p.prefix === 'string' ? Ipv6Prefix.parse(p.prefix) : p.prefix;
    options.push({
      kind: 'prefixInfo',
      prefixLength: prefix.length,
      onLink: p.onLink ?? true,
      autonomous: p.autonomous ?? true,
      routerAddr: false,
      validLifetime: p.validLifetime ?? 86400,
      preferredLifetime: p.preferredLifetime ?? 14400,
      prefix: prefix.network,
    });
  }
  return {
    kind: 'routerAdvert',
    code: 0,
    curHopLimit: o.curHopLimit ?? 64,
    managed: false,
    other: false,
    homeAgent: false,
    preference: 'medium',
    proxy: false,
    routerLifetime: o.routerLifetime ?? 1800,
    reachableTime: o.reachableTime ?? 0,
    retransTimer: o.retransTimer ?? 0,
    options,
  };
}

/**
 * Sends one RA on `ifname` to ff02::1 (or `dst`) from the interface's usable
 * link-local address, hop limit 255 (RFC 4861 6.2.3). Returns an errno name,
 * or 'no link-local' while the link-local is still tentative.
 */
export function sendRouterAdvert(
  node: KernelNode,
  ifname: string,
  o: RouterAdvertOptions = {},
  dst: Ipv6Address = ALL_NODES,
): string | undefined {
  const ifp = node.mustIfnet(ifname);
  const ll = ifp.addresses.find(
    (a) => a.address.isLinkLocal() && !(a.flags & (IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED)),
  );
  if (!ll) return 'no link-local';
  return icmp6Send(node, {
    src: ll.address,
    dst,
    ifindex: ifp.index,
    hopLimit: 255,
    message: routerAdvert(node, ifname, o),
  });
}

export interface RaSender {
  /** RAs sent so far (periodic and solicited). */
  readonly sent: number;
  stop(): void;
}

/**
 * A tiny test router advertiser (not rtadvd): an RA every `intervalMs` on the
 * node's clock and an immediate one for each Router Solicitation received on
 * the interface. The node should have net.inet6.ip6.forwarding=1.
 */
export function startRaSender(
  node: KernelNode,
  ifname: string,
  o: RouterAdvertOptions & { intervalMs?: number } = {},
): RaSender {
  const ifp = node.mustIfnet(ifname);
  const interval = o.intervalMs ?? 1000;
  let sent = 0;
  let stopped = false;
  let timer: Timer | undefined;
  const send = () => {
    if (!sendRouterAdvert(node, ifname, o)) sent++;
  };
  const tick = () => {
    if (stopped) return;
    send();
    timer = node.clock.setTimer(interval, tick);
  };
  const untap = node.tapIcmp6((ctx, m) => {
    if (!stopped && m.kind === 'routerSolicit' && ctx.ifp === ifp) send();
  });
  // Solicitations go to all-routers (RFC 4861 6.3.7): listen there, as rtadvd does.
  const allRouters = Ipv6Address.parse('ff02::2');
  node.joinGroup(ifp, allRouters);
  tick();
  return {
    get sent() {
      return sent;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      timer?.cancel();
      untap();
      node.leaveGroup(ifp, allRouters);
    },
  };
}
