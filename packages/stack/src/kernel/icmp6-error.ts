import { ND_REDIRECT, type Icmpv6Repr } from '@kame/wire';
import type { Ip6InputContext } from './ip6-input';
import type { KernelNode } from './kernel-node';
import { icmp6Send } from './icmp6-output';

/** An ICMPv6 error quotes the offending packet up to the IPv6 minimum MTU in all (IMPLEMENTATION 1.11). */
const MAX_QUOTE = 1280 - 40 - 8;

/**
 * icmp6_error: answers the packet in `ctx` with an ICMPv6 error unless RFC
 * 4443 2.4 (e) forbids it: never about an ICMPv6 error or a Redirect
 * (IMPLEMENTATION 1.9), never to multicast destinations or link-layer
 * multicast (except Packet Too Big and Parameter Problem code 2:
 * `allowMulticast`), never to an unspecified or multicast source.
 */
export function icmp6Error(
  node: KernelNode,
  ctx: Ip6InputContext,
  type: number,
  code: number,
  param: number,
  allowMulticast = false,
): void {
  const st = node.icmp6stat;
  st.icp6s_error++;
  const { packet, hdr } = ctx;
  if (hdr.src.isUnspecified() || hdr.src.isMulticast()) return void st.icp6s_canterror++;
  if ((hdr.dst.isMulticast() || ctx.linkMulticast) && !allowMulticast) return void st.icp6s_canterror++;
  if (isErrorOrRedirect(ctx)) return void st.icp6s_canterror++;
  if (!node.icmp6RateCheck()) return void st.icp6s_toofreq++;
  const invoking = packet.subarray(0, Math.min(packet.length, MAX_QUOTE));
  let message: Icmpv6Repr;
  switch (type) {
    case 1:
      message = { kind: 'destUnreach', code, invoking };
      break;
    case 2:
      message = { kind: 'packetTooBig', code, mtu: param, invoking };
      break;
    case 3:
      message = { kind: 'timeExceeded', code, invoking };
      break;
    default:
      message = { kind: 'paramProblem', code, pointer: param, invoking };
  }
  icmp6Send(node, {
    dst: hdr.src,
    ...(hdr.src.isLinkLocal() ? { ifindex: ctx.ifp.index } : {}),
    message,
  });
}

/** True when the offending packet is itself an ICMPv6 error (type < 128) or a Redirect. */
function isErrorOrRedirect(ctx: Ip6InputContext): boolean {
  const nh = findUpper(ctx);
  if (nh === undefined || nh.proto !== 58) return false;
  const t = ctx.packet[nh.offset];
  return t !== undefined && (t < 128 || t === ND_REDIRECT);
}

function findUpper(ctx: Ip6InputContext): { proto: number; offset: number } | undefined {
  let nxt = ctx.hdr.nextHeader;
  let off = 40;
  for (let i = 0; i < 16; i++) {
    if (nxt === 0 || nxt === 43 || nxt === 60) {
      const len = ctx.packet[off + 1];
      const next = ctx.packet[off];
      if (len === undefined || next === undefined) return undefined;
      nxt = next;
      off += (len + 1) * 8;
      continue;
    }
    if (nxt === 44) {
      const next = ctx.packet[off];
      if (next === undefined) return undefined;
      nxt = next;
      off += 8;
      continue;
    }
    return { proto: nxt, offset: off };
  }
  return undefined;
}
