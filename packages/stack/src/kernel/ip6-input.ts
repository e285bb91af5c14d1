import type { Ipv6Address, MacAddress } from '@kame/addr';
import {
  DecodeError,
  ICMP6_PARAMPROB_HEADER,
  ICMP6_PARAMPROB_NEXTHEADER,
  ICMP6_PARAMPROB_OPTION,
  ICMP6_PARAM_PROB,
  IPPROTO_DSTOPTS,
  IPPROTO_FRAGMENT,
  IPPROTO_HOPOPTS,
  IPPROTO_ICMPV6,
  IPPROTO_NONE,
  IPPROTO_ROUTING,
  ipv6,
  type Ipv6Repr,
  optionAction,
  parseOptionsHeaderAt,
  parseRoutingHeaderAt,
} from '@kame/wire';
import type { Ifnet } from './ifnet';
import { IN6_IFF_TENTATIVE } from './in6-ifaddr';
import type { KernelNode } from './kernel-node';
import { icmp6Input } from './icmp6-input';
import { ip6Forward } from './ip6-forward';
import { icmp6Error } from './icmp6-error';

/** What an upper-layer input routine is handed (ip6protosw pr_input's arguments). */
export interface Ip6InputContext {
  readonly ifp: Ifnet;
  /** The whole IPv6 packet (after reassembly, if it was fragmented). */
  readonly packet: Uint8Array;
  readonly hdr: Ipv6Repr;
  /** Offset of the upper-layer header in `packet`. */
  readonly offset: number;
  /** Arrived as link-layer multicast/broadcast (no ICMPv6 errors, RFC 4443 2.4 e). */
  readonly linkMulticast: boolean;
  readonly srcMac: MacAddress | undefined;
}

/**
 * ip6_input: header checks, the destination decision (local, multicast
 * member, forward) and the extension-header loop. The loop is iterative:
 * each header's handler yields the next header and offset (IMPLEMENTATION
 * 1.8), bounded by net.inet6.ip6.hdrnestlimit.
 */
export function ip6Input(
  node: KernelNode,
  ifp: Ifnet,
  bytes: Uint8Array,
  linkMulticast: boolean,
  srcMac: MacAddress | undefined,
): void {
  const st = node.ip6stat;
  st.ip6s_total++;
  let hdr: Ipv6Repr;
  try {
    hdr = ipv6.parse(bytes);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    if (bytes.length < 40) st.ip6s_toosmall++;
    else if (e.field === 'version') st.ip6s_badvers++;
    else st.ip6s_tooshort++; // "with data size < data length" (IMPLEMENTATION 1.7)
    return;
  }
  const { src, dst } = hdr;
  // IMPLEMENTATION 1.14 and RFC 4291 2.7: these never appear on the wire.
  if (
    src.isMulticast() ||
    src.isV4Mapped() ||
    src.isV4Compatible() ||
    dst.isV4Mapped() ||
    dst.isV4Compatible()
  ) {
    st.ip6s_badscope++;
    return;
  }
  if ((src.isLoopback() || dst.isLoopback()) && !ifp.isLoopback) {
    st.ip6s_badscope++;
    return;
  }
  // The IPv6 header's own length, trailing link padding removed.
  const packet = bytes.subarray(0, 40 + hdr.payload.length);

  if (dst.isMulticast()) {
    // A router takes multicast packets with a Router Alert (RFC 2711) even for
    // groups it has not joined: MLD reports for its multicast routing daemon.
    if (
      !node.isMember(ifp, dst) &&
      !(node.sysctl.get('net.inet6.ip6.forwarding') === 1 && hasRouterAlert(bytes, hdr))
    ) {
      st.ip6s_notmember++;
      return;
    }
  } else {
    const ia = node.findAddress(dst, ifp);
    if (!ia) {
      if (node.sysctl.get('net.inet6.ip6.forwarding') === 1 && !ifp.isLoopback) {
        ip6Forward(node, ifp, packet, hdr, linkMulticast);
      }
      return;
    }
    if (ia.flags & IN6_IFF_TENTATIVE) return; // RFC 4862 5.4: not ours yet
  }
  st.ip6s_delivered++;
  localDeliver(node, { ifp, packet, hdr, offset: 40, linkMulticast, srcMac });
}

/** The extension-header loop for a packet addressed to this node. */
function localDeliver(node: KernelNode, start: Ip6InputContext): void {
  const st = node.ip6stat;
  let ctx = start;
  let packet = ctx.packet;
  let off = 40;
  let nxt = ctx.hdr.nextHeader;
  let nxtFieldOffset = 6; // where the current Next Header value sits, for pointers
  let jumbo = false;
  const limit = node.sysctl.get('net.inet6.ip6.hdrnestlimit') || Infinity;
  for (let depth = 0; ; depth++) {
    if (depth > limit) {
      st.ip6s_toomanyhdr++;
      return;
    }
    st.ip6s_nxhist[nxt]!++;
    try {
      switch (nxt) {
        case IPPROTO_HOPOPTS:
        case IPPROTO_DSTOPTS: {
          // RFC 8200 4.1: Hop-by-Hop only immediately after the IPv6 header.
          if (nxt === IPPROTO_HOPOPTS && off !== 40) {
            st.ip6s_badoptions++;
            icmp6Error(node, ctx, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_NEXTHEADER, nxtFieldOffset);
            return;
          }
          const h = parseOptionsHeaderAt(
            packet,
            off,
            nxt === IPPROTO_HOPOPTS ? 'IPv6 Hop-by-Hop' : 'IPv6 Destination Options',
          );
          let p = off + 2;
          for (const o of h.options) {
            if (o.kind === 'jumboPayload') {
              // RFC 2675 3 / IMPLEMENTATION 1.7: only in Hop-by-Hop, with Payload
              // Length 0 and a length above 65535; then the frame must hold it all.
              const plen = (packet[4]! << 8) | packet[5]!;
              if (nxt !== IPPROTO_HOPOPTS || plen !== 0 || o.length <= 65535) {
                st.ip6s_badoptions++;
                icmp6Error(node, ctx, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER, p + 2);
                return;
              }
              if (o.length > packet.length - 40) {
                st.ip6s_tooshort++;
                return;
              }
              jumbo = true;
              packet = packet.subarray(0, 40 + o.length);
              ctx = { ...ctx, packet };
            }
            const type = o.kind === 'pad1' ? 0 : packet[p]!;
            const size = o.kind === 'pad1' ? 1 : 2 + packet[p + 1]!;
            if (o.kind === 'unknown') {
              // RFC 8200 4.2: the two high bits of the option type say what to do.
              const action = optionAction(type);
              if (action !== 0) {
                st.ip6s_badoptions++;
                if (action === 2 || (action === 3 && !ctx.hdr.dst.isMulticast())) {
                  icmp6Error(node, ctx, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_OPTION, p);
                }
                return;
              }
            }
            p += size;
          }
          // RFC 2675 3: Payload Length 0 without a Jumbo Payload option.
          if (nxt === IPPROTO_HOPOPTS && !jumbo && packet[4] === 0 && packet[5] === 0) {
            icmp6Error(node, ctx, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER, 4);
            return;
          }
          nxtFieldOffset = off;
          nxt = h.nextHeader;
          off += (packet[off + 1]! + 1) * 8;
          break;
        }
        case IPPROTO_ROUTING: {
          const r = parseRoutingHeaderAt(packet, off);
          if (r.segmentsLeft > 0) {
            // RFC 5095: type 0 is deprecated; an unknown type with segments left
            // is refused (RFC 8200 4.4). Type 2 is for mobile nodes only.
            st.ip6s_badoptions++;
            icmp6Error(node, ctx, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER, off + 2);
            return;
          }
          // IMPLEMENTATION 1.14: no mapped/compatible addresses inside a routing header.
          if (
            r.kind === 'type0' &&
            r.addresses.some((a: Ipv6Address) => a.isV4Mapped() || a.isV4Compatible())
          ) {
            st.ip6s_badscope++;
            return;
          }
          nxtFieldOffset = off;
          nxt = r.nextHeader;
          off += (packet[off + 1]! + 1) * 8;
          break;
        }
        case IPPROTO_FRAGMENT: {
          node.noteFragmentArrival(ctx.ifp, packet);
          st.ip6s_fragments++;
          // RFC 6946: an atomic fragment (offset 0, M clear) is not reassembled.
          const fragWord = ((packet[off + 2] ?? 0) << 8) | (packet[off + 3] ?? 0);
          const atomic = (fragWord & 0xfff9) === 0;
          const r = node.reassembler.input(packet, off);
          if (!r) return; // held, or dropped and counted by frag6
          if (!atomic) st.ip6s_reassembled++;
          packet = r.packet;
          const hdr = ipv6.parse(packet);
          ctx = { ...ctx, packet, hdr };
          off = r.offset;
          nxt = r.nextHeader;
          nxtFieldOffset = 6;
          break;
        }
        case IPPROTO_NONE:
          return;
        case IPPROTO_ICMPV6:
          icmp6Input(node, { ...ctx, packet, offset: off });
          return;
        default:
          if (node.protocolInput(nxt, { ...ctx, packet, offset: off })) return;
          // RFC 8200 4: an unrecognized Next Header is answered with a
          // Parameter Problem pointing at the field that named it.
          st.ip6s_nxhist[nxt]!--;
          icmp6Error(node, ctx, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_NEXTHEADER, nxtFieldOffset);
          return;
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      st.ip6s_tooshort++;
      return;
    }
  }
}

/** True when the packet starts with a Hop-by-Hop header carrying a Router Alert option. */
function hasRouterAlert(bytes: Uint8Array, hdr: Ipv6Repr): boolean {
  if (hdr.nextHeader !== IPPROTO_HOPOPTS) return false;
  try {
    return parseOptionsHeaderAt(bytes, 40, 'IPv6 Hop-by-Hop').options.some((o) => o.kind === 'routerAlert');
  } catch (e) {
    if (e instanceof DecodeError) return false;
    throw e;
  }
}
