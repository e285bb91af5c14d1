import { Ipv6Address } from '@kame/addr';
import { validateIcmp6Message } from '../icmp6/input-validation';
import type { Ip6InputContext } from './ip6-input';
import type { KernelNode } from './kernel-node';
import { icmp6Send } from './icmp6-output';
import { linkAddrOption, nd6NaInput, nd6NsInput } from './nd6-nbr';

/**
 * icmp6_input: checksum and length checks, counting, echo replies, and the
 * ND/MLD messages the kernel itself handles. Every ICMPv6 message is also
 * offered to raw ICMPv6 sockets (rtadvd, rtsold, route6d's peers).
 */
export function icmp6Input(node: KernelNode, ctx: Ip6InputContext): void {
  const st = node.icmp6stat;
  const { packet, hdr, offset, ifp } = ctx;
  const bytes = packet.subarray(offset);
  // Checksum, lengths, ND hop limit 255 / code 0 / address rules, and the
  // nd6_maxndopt cut (IMPLEMENTATION 1.2), each drop with its counter.
  const v = validateIcmp6Message(bytes, hdr.src, hdr.dst, hdr.hopLimit, {
    maxNdOptions: node.sysctl.get('net.inet6.icmp6.nd6_maxndopt'),
  });
  if (!v.ok) {
    (st[v.counter] as number)++;
    return;
  }
  for (const c of v.counters) (st[c] as number)++;
  st.icp6s_inhist[v.type]!++;
  const m = v.repr;
  node.rawIcmp6Input(ctx, m);
  switch (m.kind) {
    case 'echoRequest':
      // RFC 4443 4.2: echo the data back, from the address it was sent to.
      icmp6Send(node, {
        ...(hdr.dst.isMulticast() ? {} : { src: hdr.dst }),
        dst: hdr.src,
        ...(hdr.src.isLinkLocal() || hdr.dst.isMulticast() ? { ifindex: ifp.index } : {}),
        message: { kind: 'echoReply', code: 0, identifier: m.identifier, sequence: m.sequence, data: m.data },
      });
      return;
    case 'neighborSolicit':
      nd6NsInput(node, ifp, hdr.src, hdr.dst, m);
      return;
    case 'neighborAdvert':
      nd6NaInput(node, ifp, hdr.dst, m);
      return;
    case 'routerSolicit':
      if (!hdr.src.isUnspecified() && node.sysctl.get('net.inet6.ip6.forwarding') === 1) {
        ifp.neighbors?.onSolicitationOrRouterMessage(hdr.src, linkAddrOption(m.options, 'sourceLinkAddr'), {
          kind: 'RS',
        });
      }
      return;
    case 'routerAdvert':
      ifp.neighbors?.onSolicitationOrRouterMessage(hdr.src, linkAddrOption(m.options, 'sourceLinkAddr'), {
        kind: 'RA',
      });
      node.routerAdvertInput(ifp, hdr.src, m);
      return;
    case 'packetTooBig':
      pmtuInput(node, ctx, m.mtu, m.invoking);
      return;
    case 'redirect':
      node.redirectInput(ifp, hdr.src, m);
      return;
    case 'mldQuery':
    case 'mldReport':
    case 'mldDone':
    case 'mldv2Query':
    case 'mldv2Report':
      node.mldInput(ifp, hdr.src, hdr.dst, m);
      return;
    default:
      return;
  }
}

/**
 * RFC 8201 4: a Packet Too Big lowers the path MTU toward the destination of
 * the quoted packet (never below 1280, never above the link MTU).
 */
function pmtuInput(node: KernelNode, ctx: Ip6InputContext, mtu: number, invoking: Uint8Array): void {
  // The quote is usually cut short, so read only the fixed header's destination.
  if (invoking.length < 40 || invoking[0]! >> 4 !== 6) return;
  const dst = Ipv6Address.fromBytes(invoking, 24);
  node.pmtu.update(dst, mtu, ctx.ifp.linkMtu, dst.isLinkLocal() ? ctx.ifp.index : 0);
}
