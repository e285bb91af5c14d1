import type { Ipv6Address } from '@kame/addr';
import { IPPROTO_ICMPV6, icmpv6, type Icmpv6Repr } from '@kame/wire';
import type { KernelNode } from './kernel-node';
import { ip6Output, type Ip6OutputErrno } from './ip6-output';

/** Numeric ICMPv6 type of a repr, for the output histogram. */
function typeOf(bytes: Uint8Array): number {
  return bytes[0]!;
}

/** Sends an ICMPv6 message built from a repr; the checksum covers the chosen source. */
export function icmp6Send(
  node: KernelNode,
  req: { src?: Ipv6Address; dst: Ipv6Address; ifindex?: number; hopLimit?: number; message: Icmpv6Repr },
): Ip6OutputErrno | undefined {
  let type = -1;
  const err = ip6Output(node, {
    ...(req.src ? { src: req.src } : {}),
    dst: req.dst,
    ...(req.ifindex !== undefined ? { ifindex: req.ifindex } : {}),
    ...(req.hopLimit !== undefined ? { hopLimit: req.hopLimit } : {}),
    nextHeader: IPPROTO_ICMPV6,
    payload: (src, dst) => {
      const b = icmpv6.encode(req.message, { src, dst });
      type = typeOf(b);
      return b;
    },
  });
  if (!err && type >= 0) node.icmp6stat.icp6s_outhist[type]!++;
  return err;
}
