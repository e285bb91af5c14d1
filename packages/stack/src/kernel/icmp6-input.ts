import { DecodeError, icmpv6, type Icmpv6Repr } from '@kame/wire';
import type { Ip6InputContext } from './ip6-input';
import type { KernelNode } from './kernel-node';
import { icmp6Send } from './icmp6-output';
import { linkAddrOption, nd6NaInput, nd6NsInput } from './nd6-nbr';

/** ND messages must arrive with hop limit 255 and code 0 (RFC 4861 6.1, 7.1, 8.1). */
const ND_KINDS: Partial<
  Record<
    Icmpv6Repr['kind'],
    'icp6s_badrs' | 'icp6s_badra' | 'icp6s_badns' | 'icp6s_badna' | 'icp6s_badredirect'
  >
> = {
  routerSolicit: 'icp6s_badrs',
  routerAdvert: 'icp6s_badra',
  neighborSolicit: 'icp6s_badns',
  neighborAdvert: 'icp6s_badna',
  redirect: 'icp6s_badredirect',
};

/**
 * icmp6_input: checksum and length checks, counting, echo replies, and the
 * ND/MLD messages the kernel itself handles. Every ICMPv6 message is also
 * offered to raw ICMPv6 sockets (rtadvd, rtsold, route6d's peers).
 */
export function icmp6Input(node: KernelNode, ctx: Ip6InputContext): void {
  const st = node.icmp6stat;
  const { packet, hdr, offset, ifp } = ctx;
  const bytes = packet.subarray(offset);
  let m: Icmpv6Repr;
  try {
    m = icmpv6.parse(bytes, { src: hdr.src, dst: hdr.dst });
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    if (e.field === 'checksum') st.icp6s_checksum++;
    else if (bytes.length < 4) st.icp6s_tooshort++;
    else st.icp6s_badlen++;
    return;
  }
  st.icp6s_inhist[bytes[0]!]!++;
  const ndCounter = ND_KINDS[m.kind];
  if (ndCounter) {
    const code = (m as { code: number }).code;
    // Hop limit 255 proves the sender is on-link; options were limited by the codec.
    if (hdr.hopLimit !== 255 || code !== 0) {
      st[ndCounter]++;
      return;
    }
    if (countNdOptions(m) > node.sysctl.get('net.inet6.icmp6.nd6_maxndopt')) {
      // IMPLEMENTATION 1.2: only the first nd6_maxndopt options are used.
      st.icp6s_nd_toomanyopt++;
      truncateNdOptions(m, node.sysctl.get('net.inet6.icmp6.nd6_maxndopt'));
    }
  }
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
      if (!hdr.src.isLinkLocal()) {
        st.icp6s_badra++; // RFC 4861 6.1.2: the source must be link-local
        return;
      }
      ifp.neighbors?.onSolicitationOrRouterMessage(hdr.src, linkAddrOption(m.options, 'sourceLinkAddr'), {
        kind: 'RA',
      });
      node.routerAdvertInput(ifp, hdr.src, m);
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

function countNdOptions(m: Icmpv6Repr): number {
  return 'options' in m && Array.isArray(m.options) ? m.options.length : 0;
}

function truncateNdOptions(m: Icmpv6Repr, max: number): void {
  if ('options' in m && Array.isArray(m.options)) m.options.length = max;
}
