import { DecodeError, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOPORT, udp } from '@kame/wire';
import type { Ip6InputContext } from './ip6-input';
import type { KernelNode } from './kernel-node';
import { icmp6Error } from './icmp6-error';

/**
 * udp6_input: length and checksum checks (a zero checksum is invalid over
 * IPv6, RFC 8200 8.1), then socket demultiplexing; no socket for a unicast
 * datagram is answered with Port Unreachable quoting the unchanged packet
 * (IMPLEMENTATION 1.11).
 */
export function udp6Input(node: KernelNode, ctx: Ip6InputContext): void {
  const st = node.udp6stat;
  st.udp6s_ipackets++;
  const { hdr, packet, offset } = ctx;
  let d;
  try {
    d = udp.parse(packet.subarray(offset), { src: hdr.src, dst: hdr.dst });
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    if (e.field === 'checksum') {
      if (/zero/.test(e.reason)) st.udp6s_nosum++;
      else st.udp6s_badsum++;
    } else if (e.field === 'length') st.udp6s_badlen++;
    else st.udp6s_hdrops++;
    return;
  }
  const r = node.sockets.udp6Input({
    src: hdr.src,
    dst: hdr.dst,
    ifindex: ctx.ifp.index,
    hopLimit: hdr.hopLimit,
    srcPort: d.srcPort,
    dstPort: d.dstPort,
    payload: d.payload,
    isMulticast: hdr.dst.isMulticast() || ctx.linkMulticast,
  });
  if (r === 'unreach') icmp6Error(node, ctx, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOPORT, 0);
}
