import { extractScope, type Ipv6Address } from '@kame/addr';
import {
  ICMP6_DST_UNREACH,
  ICMP6_DST_UNREACH_ADMIN,
  ICMP6_DST_UNREACH_BEYONDSCOPE,
  ICMP6_DST_UNREACH_NOROUTE,
  ICMP6_PACKET_TOO_BIG,
  ICMP6_TIME_EXCEEDED,
  type Ipv6Repr,
} from '@kame/wire';
import { RTF_BLACKHOLE, RTF_REJECT } from '../route/rtflags';
import type { Ifnet } from './ifnet';
import type { KernelNode } from './kernel-node';
import { icmp6Error } from './icmp6-error';
import { nd6Output } from './ip6-output';

/**
 * ip6_forward: a router's path for packets not addressed to it. Hop limit
 * is decremented; a packet larger than the outgoing MTU is answered with
 * Packet Too Big and never fragmented (IMPLEMENTATION 1.11); link-scoped
 * traffic does not leave its link (RFC 4007 9).
 */
export function ip6Forward(
  node: KernelNode,
  ifp: Ifnet,
  packet: Uint8Array,
  hdr: Ipv6Repr,
  linkMulticast: boolean,
): void {
  const st = node.ip6stat;
  const ctx = { ifp, packet, hdr, offset: 40, linkMulticast, srcMac: undefined };
  if (linkMulticast || hdr.dst.isMulticast()) return; // no multicast routing here
  if (hdr.dst.isLinkLocal()) {
    st.ip6s_cantforward++;
    return;
  }
  if (hdr.hopLimit <= 1) {
    st.ip6s_cantforward++;
    icmp6Error(node, ctx, ICMP6_TIME_EXCEEDED, 0, 0);
    return;
  }
  const rt = node.routes.lookup(hdr.dst);
  if (!rt) {
    st.ip6s_noroute++;
    st.ip6s_cantforward++;
    icmp6Error(node, ctx, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOROUTE, 0);
    return;
  }
  if (rt.flags & RTF_BLACKHOLE) return;
  if (rt.flags & RTF_REJECT) {
    st.ip6s_cantforward++;
    icmp6Error(node, ctx, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_ADMIN, 0);
    return;
  }
  const out = node.ifnet(rt.ifindex);
  if (!out || !out.running) {
    st.ip6s_cantforward++;
    icmp6Error(node, ctx, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOROUTE, 0);
    return;
  }
  // RFC 4007 9: a link-local source cannot be forwarded off its link.
  if (hdr.src.isLinkLocal() && out !== ifp) {
    st.ip6s_cantforward++;
    st.ip6s_badscope++;
    icmp6Error(node, ctx, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_BEYONDSCOPE, 0);
    return;
  }
  if (packet.length > out.linkMtu) {
    st.ip6s_cantforward++;
    st.ip6s_cantfrag++;
    icmp6Error(node, ctx, ICMP6_PACKET_TOO_BIG, 0, out.linkMtu);
    return;
  }
  let nexthop: Ipv6Address = hdr.dst;
  if (rt.gateway.kind === 'inet6') nexthop = extractScope(rt.gateway.address).address;
  if (out === ifp && node.sysctl.get('net.inet6.ip6.redirect') === 1) {
    node.sendRedirect(ifp, ctx, nexthop);
  }
  const copy = packet.slice();
  copy[7] = hdr.hopLimit - 1;
  st.ip6s_forward++;
  nd6Output(node, out, copy, nexthop);
}
