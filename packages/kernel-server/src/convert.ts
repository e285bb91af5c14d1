import { Ipv4Address, Ipv6Address, extractScope, needsScope, type MacAddress } from '@kame/addr';
import { errnoNumber, ND6_INFINITE_LIFETIME, prefixToProto, v1 } from '@kame/kernel-api';
import type { Gateway, In6Ifaddr, Ifnet, KernelNode, RtMessage, Rtentry } from '@kame/stack';

/**
 * Stack values as ABI messages (the server's output direction). Addresses
 * in routes and routing messages stay in kernel form (embedded scope), as
 * the proto's conventions say; interface addresses are plain.
 */

const LINK_TYPES: Record<Ifnet['linkType'], v1.LinkType> = {
  ether: v1.LinkType.LINK_ETHER,
  loop: v1.LinkType.LINK_LOOP,
  gif: v1.LinkType.LINK_GIF,
  faith: v1.LinkType.LINK_FAITH,
};

/** ND6_IFF_PERFORMNUD: the interface resolves neighbors. */
export const ND6_IFF_PERFORMNUD = 0x1;
/** ND6_IFF_ACCEPT_RTADV: RAs are processed on the interface (here: the node-wide accept_rtadv, KAME's knob). */
export const ND6_IFF_ACCEPT_RTADV = 0x2;

function bytes(a: Ipv6Address | Ipv4Address | MacAddress): Uint8Array {
  return a.bytes.slice();
}

/** Seconds left until an absolute Clock time, ND6_INFINITE_LIFETIME for none. */
export function secondsLeft(until: number | undefined, now: number): number {
  if (until === undefined) return ND6_INFINITE_LIFETIME;
  return Math.max(0, Math.ceil((until - now) / 1000));
}

/** Milliseconds left until an absolute time, 0 = never. */
export function msLeft(until: number | undefined, now: number): number {
  if (until === undefined) return 0;
  return Math.max(1, Math.round(until - now));
}

export function interfaceAddressToProto(ia: In6Ifaddr, now: number): v1.InterfaceAddress.$Properties {
  return {
    address: bytes(ia.address),
    prefixLength: ia.prefixLength,
    ifindex: ia.ifindex,
    flags: ia.flags,
    vltime: secondsLeft(ia.validUntil, now),
    pltime: secondsLeft(ia.preferredUntil, now),
  };
}

export function ndIfinfoToProto(node: KernelNode, ifp: Ifnet): v1.NdIfinfo.$Properties {
  const acceptRtadv =
    ifp.neighbors !== undefined && node.sysctl.get('net.inet6.ip6.accept_rtadv') === 1
      ? ND6_IFF_ACCEPT_RTADV
      : 0;
  return {
    ifindex: ifp.index,
    linkmtu: ifp.nd.linkmtu,
    basereachableMs: ifp.nd.basereachable,
    reachableMs: ifp.neighbors?.reachableTime ?? ifp.nd.basereachable,
    retransMs: ifp.nd.retrans,
    chlim: ifp.nd.chlim,
    flags: (ifp.neighbors ? ND6_IFF_PERFORMNUD : 0) | acceptRtadv,
  };
}

/** struct ifnet as ifconfig shows it; `withAddresses` false for IfDelta (addresses travel as AddrDelta). */
export function interfaceToProto(
  node: KernelNode,
  ifp: Ifnet,
  withAddresses = true,
): v1.Interface.$Properties {
  const now = node.clock.now();
  const multicast: Uint8Array[] = [];
  const multicastRefcnt: number[] = [];
  for (const [group, refs] of ifp.multicast) {
    try {
      multicast.push(bytes(Ipv6Address.parse(group)));
      multicastRefcnt.push(refs);
    } catch {
      // Not an IPv6 group key: not reported.
    }
  }
  return {
    index: ifp.index,
    name: ifp.name,
    type: LINK_TYPES[ifp.linkType],
    flags: ifp.flags,
    mtu: ifp.mtu,
    lladdr: ifp.lladdr ? bytes(ifp.lladdr) : new Uint8Array(0),
    linkState: ifp.running ? v1.LinkState.LINK_STATE_UP : v1.LinkState.LINK_STATE_DOWN,
    addresses: withAddresses ? ifp.addresses.map((a) => interfaceAddressToProto(a, now)) : [],
    counters: { ...ifp.counters },
    nd: ndIfinfoToProto(node, ifp),
    multicast,
    multicastRefcnt,
  };
}

export function gatewayToProto(g: Gateway): v1.Gateway.$Properties {
  if (g.kind === 'link') {
    return { link: { ifindex: g.ifindex, mac: g.mac ? bytes(g.mac) : new Uint8Array(0) } };
  }
  return { address: bytes(g.address) };
}

export function routeToProto(r: Rtentry, now: number): v1.Route.$Properties {
  return {
    dst: prefixToProto(r.dst),
    gateway: gatewayToProto(r.gateway),
    ifindex: r.ifindex,
    flags: r.flags,
    owner: r.owner,
    metric: r.metric,
    expireMs: msLeft(r.expire, now),
  };
}

const RTM_TYPES: Record<RtMessage['type'], v1.RtmType> = {
  RTM_ADD: v1.RtmType.RTM_ADD,
  RTM_DELETE: v1.RtmType.RTM_DELETE,
  RTM_CHANGE: v1.RtmType.RTM_CHANGE,
  RTM_GET: v1.RtmType.RTM_GET,
  RTM_LOSING: v1.RtmType.RTM_LOSING,
  RTM_REDIRECT: v1.RtmType.RTM_REDIRECT,
  RTM_MISS: v1.RtmType.RTM_MISS,
  RTM_NEWADDR: v1.RtmType.RTM_NEWADDR,
  RTM_DELADDR: v1.RtmType.RTM_DELADDR,
  RTM_IFINFO: v1.RtmType.RTM_IFINFO,
  RTM_IFANNOUNCE: v1.RtmType.RTM_IFANNOUNCE,
};

const LINK_STATES = {
  up: v1.LinkState.LINK_STATE_UP,
  down: v1.LinkState.LINK_STATE_DOWN,
  unknown: v1.LinkState.LINK_STATE_UNKNOWN,
} as const;

/** One routing-socket message as Event.rtm. */
export function rtMsgToProto(m: RtMessage, now: number): v1.RtMsg.$Properties {
  const out: v1.RtMsg.$Properties = {
    type: RTM_TYPES[m.type],
    seq: m.seq,
    pid: m.pid,
    owner: m.owner,
    flags: m.flags,
    ifindex: m.ifindex,
  };
  switch (m.type) {
    case 'RTM_IFINFO':
      out.linkState = LINK_STATES[m.linkState ?? 'unknown'];
      if (m.mtu !== undefined) out.mtu = m.mtu;
      return out;
    case 'RTM_IFANNOUNCE':
      out.ifname = m.ifname;
      out.departure = m.what === 'departure';
      return out;
    case 'RTM_NEWADDR':
    case 'RTM_DELADDR':
      out.address = bytes(m.address);
      out.prefixLength = m.prefixLength;
      out.metric = m.metric;
      return out;
    default:
      if (m.errno !== undefined) out.errno = errnoNumber(m.errno);
      out.dst = prefixToProto(m.dst);
      if (m.gateway) out.gateway = gatewayToProto(m.gateway);
      if (m.metric !== undefined) out.metric = m.metric;
      if (m.expire !== undefined) out.expireMs = msLeft(m.expire, now);
      if (m.author !== undefined) out.author = bytes(m.author);
      return out;
  }
}

/** The plain form of a kernel-form address (scope id taken out). */
export function plainAddress(a: Ipv6Address): Ipv6Address {
  return needsScope(a) ? extractScope(a).address : a;
}
