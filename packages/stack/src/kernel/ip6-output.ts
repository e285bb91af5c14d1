import { type Ipv6Address, type MacAddress, extractScope, multicastMac } from '@kame/addr';
import { ETHERTYPE_IPV6, IPPROTO_HOPOPTS, ethernet, ipv6 } from '@kame/wire';
import { fragment } from '../frag6/fragment';
import { RTF_BLACKHOLE, RTF_REJECT } from '../route/rtflags';
import type { Ifnet } from './ifnet';
import type { KernelNode } from './kernel-node';
import { ip6Input } from './ip6-input';

/** How ip6_output can fail (errno names, as sendmsg(2) would return them). */
export type Ip6OutputErrno = 'ENETUNREACH' | 'EHOSTUNREACH' | 'EADDRNOTAVAIL' | 'EMSGSIZE';

/** What a caller of ip6_output asks for. */
export interface Ip6OutputRequest {
  /** Explicit source (rule 1 of IMPLEMENTATION 1.6); selected when absent. */
  src?: Ipv6Address;
  dst: Ipv6Address;
  /** Outgoing interface: the zone of a scoped destination, or IPV6_MULTICAST_IF. */
  ifindex?: number;
  /** The first Next Header value (58, 17, or 0 when `payload` starts with Hop-by-Hop). */
  nextHeader: number;
  /**
   * The bytes after the IPv6 header, or a function building them once the
   * source is known (upper-layer checksums cover the pseudo-header).
   */
  payload: Uint8Array | ((src: Ipv6Address, dst: Ipv6Address) => Uint8Array);
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
  /** IPV6_MULTICAST_LOOP (default on, RFC 3493 5.2). */
  multicastLoop?: boolean;
  /** IPV6_DONTFRAG: EMSGSIZE instead of fragmenting. */
  dontFragment?: boolean;
}

/**
 * ip6_output: route lookup, source selection, header build, fragmentation
 * when larger than the path MTU, multicast loopback, then nd6 output.
 * Returns an errno name on failure, undefined on success.
 */
export function ip6Output(node: KernelNode, req: Ip6OutputRequest): Ip6OutputErrno | undefined {
  const { dst } = req;
  let ifp: Ifnet | undefined;
  let nexthop = dst;
  let localIa;
  if (dst.isMulticast()) {
    ifp = req.ifindex !== undefined ? node.ifnet(req.ifindex) : defaultMulticastIf(node, dst);
    if (!ifp) return noRoute(node);
  } else if (
    (localIa = node.findAddress(dst, req.ifindex !== undefined ? node.ifnet(req.ifindex) : undefined))
  ) {
    // A local destination goes through lo0, as KAME's local routes do; the
    // source comes from the interface that holds the address.
    ifp = node.lo0;
  } else {
    const scoped = dst.isLinkLocal();
    if (scoped && req.ifindex === undefined) return noRoute(node);
    const rt = node.routes.lookup(scoped ? node.routeKey(dst, req.ifindex!) : dst);
    const defaultIf = node.nd6.defaultInterface;
    if (!rt && defaultIf !== 0 && node.nd6.routers().length === 0) {
      // IMPLEMENTATION 1.2 / RFC 4861 5.2 as KAME did it: with an empty router
      // list, everything is on-link through the default interface (`ndp -I`).
      ifp = node.ifnet(defaultIf);
    } else if (!rt) {
      node.routes.miss(dst);
      return noRoute(node);
    } else {
      if (rt.flags & RTF_BLACKHOLE) return undefined;
      if (rt.flags & RTF_REJECT) return 'EHOSTUNREACH';
      ifp = node.ifnet(rt.ifindex);
      if (rt.gateway.kind === 'inet6') nexthop = extractScope(rt.gateway.address).address;
    }
    if (!ifp) return noRoute(node);
  }
  if (!ifp.running) return 'ENETUNREACH';

  const src = req.src ?? node.selectSource(dst, localIa ? localIa.ifindex : ifp.index);
  if (!src) return 'EADDRNOTAVAIL';
  let payload = typeof req.payload === 'function' ? req.payload(src, dst) : req.payload;
  let nextHeader = req.nextHeader;
  if (payload.length > IPV6_MAXPACKET) {
    // RFC 2675: a jumbogram carries its length in a Hop-by-Hop Jumbo Payload
    // option and is never fragmented (IMPLEMENTATION 1.7: only lo0 with a
    // large MTU can carry one).
    if (nextHeader === IPPROTO_HOPOPTS || 40 + 8 + payload.length > ifp.linkMtu) return 'EMSGSIZE';
    payload = withJumboPayload(nextHeader, payload);
    nextHeader = IPPROTO_HOPOPTS;
  }
  const hopLimit =
    req.hopLimit ??
    (dst.isMulticast()
      ? node.sysctl.get('net.inet6.ip6.defmcasthlim')
      : ifp.nd.chlim || node.sysctl.get('net.inet6.ip6.hlim'));
  const repr = {
    trafficClass: req.trafficClass ?? 0,
    flowLabel: req.flowLabel ?? 0,
    nextHeader,
    hopLimit,
    src,
    dst,
    payload,
  };
  node.ip6stat.ip6s_localout++;
  const pmtu = node.pmtu.get(dst, dst.isLinkLocal() ? ifp.index : 0);
  const mtu = pmtu !== undefined ? Math.min(pmtu, ifp.linkMtu) : ifp.linkMtu;
  let packets: Uint8Array[];
  if (40 + payload.length <= mtu) {
    packets = [ipv6.encode(repr)];
  } else {
    if (req.dontFragment) return 'EMSGSIZE';
    try {
      packets = fragment(repr, mtu, node.random.uint32());
    } catch {
      node.ip6stat.ip6s_cantfrag++;
      return 'EMSGSIZE';
    }
    node.ip6stat.ip6s_fragmented++;
    node.ip6stat.ip6s_ofragments += packets.length;
  }
  const loop = dst.isMulticast() && req.multicastLoop !== false && node.isMember(ifp, dst) && !ifp.isLoopback;
  for (const p of packets) {
    if (loop) loopback(node, ifp, p);
    nd6Output(node, ifp, p, nexthop);
  }
  return undefined;
}

const IPV6_MAXPACKET = 65535;

/** Prepends a Hop-by-Hop header holding a Jumbo Payload option (type 0xC2, RFC 2675 2). */
function withJumboPayload(nextHeader: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const len = out.length;
  out.set([nextHeader, 0, 0xc2, 4, len >>> 24, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff]);
  out.set(payload, 8);
  return out;
}

/** nd6_output: resolve the next hop on `ifp` and hand the frame to the driver. */
export function nd6Output(node: KernelNode, ifp: Ifnet, packet: Uint8Array, nexthop: Ipv6Address): void {
  if (ifp.isLoopback) {
    loopback(node, ifp, packet);
    return;
  }
  if (nexthop.isMulticast()) {
    ifOutput(node, ifp, packet, multicastMac(nexthop));
    return;
  }
  const nc = ifp.neighbors;
  if (!nc) {
    ifOutput(node, ifp, packet, undefined);
    return;
  }
  const r = nc.resolve(nexthop, packet);
  if (r.status === 'send') ifOutput(node, ifp, packet, r.lladdr);
}

/** if_output for Ethernet: frame the packet and give it to the driver. */
export function ifOutput(
  node: KernelNode,
  ifp: Ifnet,
  packet: Uint8Array,
  lladdr: MacAddress | undefined,
): void {
  if (!ifp.running || !ifp.driver || !ifp.lladdr || !lladdr) {
    ifp.counters.oerrors++;
    node.ip6stat.ip6s_odropped++;
    return;
  }
  const frame = ethernet.encode({ dst: lladdr, src: ifp.lladdr, etherType: ETHERTYPE_IPV6, payload: packet });
  ifp.counters.opackets++;
  ifp.counters.obytes += frame.length;
  ifp.driver.output(frame);
}

/** Loops a packet back to this node's input (lo0, multicast loop), never synchronously. */
function loopback(node: KernelNode, ifp: Ifnet, packet: Uint8Array): void {
  node.clock.setTimer(0, () => ip6Input(node, ifp, packet, false, undefined));
}

function defaultMulticastIf(node: KernelNode, dst: Ipv6Address): Ifnet | undefined {
  const rt = node.routes.lookup(dst);
  if (rt) return node.ifnet(rt.ifindex);
  return node.interfaces().find((i) => !i.isLoopback && i.running);
}

function noRoute(node: KernelNode): Ip6OutputErrno {
  node.ip6stat.ip6s_noroute++;
  return 'ENETUNREACH';
}
