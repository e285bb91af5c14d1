import { Ipv6Address, type MacAddress, multicastMac, solicitedNodeMulticast } from '@kame/addr';
import {
  ETHERTYPE_IPV6,
  IPPROTO_ICMPV6,
  ethernet,
  icmpv6,
  ipv6,
  type NdOption,
  type NeighborAdvertRepr,
  type NeighborSolicitRepr,
} from '@kame/wire';
import type { Ifnet } from './ifnet';
import { IN6_IFF_ANYCAST, IN6_IFF_TENTATIVE } from './in6-ifaddr';
import type { KernelNode } from './kernel-node';
import { icmp6Send } from './icmp6-output';

const ALL_NODES = Ipv6Address.parse('ff02::1');

/** The link-layer address carried by an SLLA/TLLA option, if it is an Ethernet one. */
export function linkAddrOption(
  options: readonly NdOption[],
  kind: 'sourceLinkAddr' | 'targetLinkAddr',
): MacAddress | undefined {
  for (const o of options) {
    if (o.kind === kind && !(o.linkAddr instanceof Uint8Array)) return o.linkAddr;
  }
  return undefined;
}

/**
 * nd6_ns_output (RFC 4861 7.2.2): an NS for `target`, multicast to its
 * solicited-node group, or unicast to `unicastTo` for a NUD probe. The frame
 * goes straight to the driver: an NS must not wait for resolution itself.
 * `dad` sends from the unspecified address without SLLA (RFC 4862 5.4.2).
 */
export function sendNeighborSolicitation(
  node: KernelNode,
  ifp: Ifnet,
  target: Ipv6Address,
  unicastTo: MacAddress | undefined,
  dad = false,
  nonce?: Uint8Array,
): void {
  if (!ifp.lladdr || !ifp.driver || !ifp.running) return;
  const dst = unicastTo ? target : solicitedNodeMulticast(target);
  const src = dad ? Ipv6Address.UNSPECIFIED : node.selectSource(target, ifp.index);
  if (!src) return;
  const options: NdOption[] = [];
  if (!src.isUnspecified()) options.push({ kind: 'sourceLinkAddr', linkAddr: ifp.lladdr });
  if (nonce) options.push({ kind: 'nonce', nonce });
  const message: NeighborSolicitRepr = { kind: 'neighborSolicit', code: 0, target, options };
  const payload = icmpv6.encode(message, { src, dst });
  const packet = ipv6.encode({
    trafficClass: 0,
    flowLabel: 0,
    nextHeader: IPPROTO_ICMPV6,
    hopLimit: 255,
    src,
    dst,
    payload,
  });
  const frame = ethernet.encode({
    dst: unicastTo ?? multicastMac(dst),
    src: ifp.lladdr,
    etherType: ETHERTYPE_IPV6,
    payload: packet,
  });
  ifp.counters.opackets++;
  ifp.counters.obytes += frame.length;
  node.icmp6stat.icp6s_outhist[135]!++;
  ifp.driver.output(frame);
}

/** nd6_ns_input (RFC 4861 7.1.1 validity was checked by the caller; 7.2.3 and 7.2.4 here). */
export function nd6NsInput(
  node: KernelNode,
  ifp: Ifnet,
  src: Ipv6Address,
  dst: Ipv6Address,
  ns: NeighborSolicitRepr,
): void {
  const slla = linkAddrOption(ns.options, 'sourceLinkAddr');
  // RFC 4861 7.1.1: from the unspecified address, the destination is a
  // solicited-node group and there is no SLLA.
  if (src.isUnspecified() && (slla !== undefined || !dst.isMulticast())) {
    node.icmp6stat.icp6s_badns++;
    return;
  }
  if (ns.target.isMulticast()) {
    node.icmp6stat.icp6s_badns++;
    return;
  }
  const ia = ifp.addresses.find((a) => a.address.equals(ns.target));
  if (!ia) return; // not for us (no proxy ND)
  if (ia.flags & IN6_IFF_TENTATIVE) {
    node.dadInput(ifp, ns.target, 'ns', src.isUnspecified(), ns.options);
    return;
  }
  if (!src.isUnspecified()) {
    ifp.neighbors?.onSolicitationOrRouterMessage(src, slla, { kind: 'NS' });
  }
  const solicited = !src.isUnspecified();
  const message: NeighborAdvertRepr = {
    kind: 'neighborAdvert',
    code: 0,
    router: node.sysctl.get('net.inet6.ip6.forwarding') === 1,
    solicited,
    override: (ia.flags & IN6_IFF_ANYCAST) === 0,
    target: ns.target,
    options: ifp.lladdr ? [{ kind: 'targetLinkAddr', linkAddr: ifp.lladdr }] : [],
  };
  // RFC 4861 7.2.4: to the soliciting node, or to all-nodes for a DAD probe.
  icmp6Send(node, {
    src: ns.target,
    dst: solicited ? src : ALL_NODES,
    ifindex: ifp.index,
    hopLimit: 255,
    message,
  });
}

/** nd6_na_input (RFC 4861 7.1.2 and 7.2.5). */
export function nd6NaInput(node: KernelNode, ifp: Ifnet, dst: Ipv6Address, na: NeighborAdvertRepr): void {
  if (na.target.isMulticast() || (na.solicited && dst.isMulticast())) {
    node.icmp6stat.icp6s_badna++;
    return;
  }
  const ours = ifp.addresses.find((a) => a.address.equals(na.target));
  if (ours) {
    if (ours.flags & IN6_IFF_TENTATIVE) node.dadInput(ifp, na.target, 'na', false, na.options);
    else node.log('err', `nd6_na_input: duplicate IP6 address ${na.target}`);
    return;
  }
  const tlla = linkAddrOption(na.options, 'targetLinkAddr');
  ifp.neighbors?.onNeighborAdvertisement({
    target: na.target,
    ...(tlla ? { lladdr: tlla } : {}),
    router: na.router,
    solicited: na.solicited,
    override: na.override,
  });
}
