import { IPPROTO_ICMPV6 } from '@kame/wire';
import { buildIcmp6Error, icmp6ErrorKindCounter } from '../icmp6/error-build';
import { icmp6ErrorDecision, icmp6SuppressionCounter } from '../icmp6/error-decision';
import type { Ip6InputContext } from './ip6-input';
import type { KernelNode } from './kernel-node';
import { ip6Output } from './ip6-output';

/**
 * icmp6_error: answers the packet in `ctx` with an ICMPv6 error unless RFC
 * 4443 2.4 (e) forbids it (never about an error or a Redirect, IMPLEMENTATION
 * 1.9; not to multicast except Packet Too Big and Parameter Problem code 2),
 * within the errppslimit rate (2.4 f), quoting the packet up to 1280 bytes in
 * all (IMPLEMENTATION 1.11). `param` is the MTU or the pointer.
 */
export function icmp6Error(
  node: KernelNode,
  ctx: Ip6InputContext,
  type: number,
  code: number,
  param: number,
): void {
  const st = node.icmp6stat;
  st.icp6s_error++;
  const decision = icmp6ErrorDecision(ctx.packet, type, code, {
    receivedAsLinkMulticast: ctx.linkMulticast,
    ...(type === 4 && code === 2 ? { pointer: param } : {}),
  });
  if (decision !== 'send') {
    const counter = icmp6SuppressionCounter(decision);
    if (counter) (st[counter] as number)++;
    return;
  }
  if (!node.icmp6RateLimiter.allow()) return;
  const dst = ctx.hdr.src;
  const err = ip6Output(node, {
    dst,
    ...(dst.isLinkLocal() ? { ifindex: ctx.ifp.index } : {}),
    nextHeader: IPPROTO_ICMPV6,
    payload: (src, d) => buildIcmp6Error(ctx.packet, type, code, param, src, d),
  });
  if (!err) {
    st.icp6s_outhist[type]!++;
    (st[icmp6ErrorKindCounter(type, code)] as number)++;
  }
}
