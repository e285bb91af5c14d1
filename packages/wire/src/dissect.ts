import type { Ipv6Address } from '@kame/addr';
import { type ArpRepr, arp } from './arp/index';
import type { PseudoHeader } from './checksum';
import { DecodeError } from './decode-error';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_IPV6, type EthernetRepr, ethernet } from './ethernet/index';
import { type Icmpv4Repr, icmpv4 } from './icmpv4/index';
import { type Icmpv6Repr, icmpv6 } from './icmpv6/index';
import { type Ipv4Repr, ipv4 } from './ipv4/index';
import {
  IPPROTO_ICMPV6,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV6_EXT_HEADER_LIMIT,
  type Ipv6ExtHeader,
  type Ipv6Repr,
  ipv6,
  walkExtensionHeaders,
} from './ipv6/index';
import { type TcpRepr, type UdpRepr, tcp, udp } from './transport/index';
import { VXLAN_PORT, type VxlanRepr, vxlan } from './vxlan';

/**
 * One-call decoding of a captured Ethernet frame into its layers, for the
 * stack's tracing, the tools and the tests. It only composes the codecs:
 * Ethernet (one optional 802.1Q tag) → IPv6 (+ extension headers, walked
 * iteratively) / IPv4 / ARP → ICMPv6 / ICMPv4 / UDP / TCP, and UDP to a
 * VXLAN port → VXLAN → the inner frame, again and again up to `maxDepth`
 * frames (the nesting is unrolled in a loop, not recursion).
 *
 * Errors: `dissect` returns a complete Dissection or throws the first
 * DecodeError of any layer, and nothing else. `dissectLayers` never throws a
 * DecodeError: it returns the layers decoded before the failure together
 * with the error.
 */

/** Linux's default VXLAN port (the IANA one is VXLAN_PORT, 4789). */
export const VXLAN_LINUX_PORT = 8472;
/** Default bound on the frames decoded: the outer one plus 7 nested VXLAN frames. */
export const DISSECT_MAX_DEPTH = 8;

const IPPROTO_ICMP = 1;

export interface DissectOptions {
  /**
   * Verify the IPv4 header, ICMPv4, ICMPv6, UDP and TCP checksums (default
   * true). Turn off for captures taken on the sending side of an interface
   * with checksum offload, whose UDP/TCP checksums are partial.
   */
  verifyChecksums?: boolean;
  /** UDP destination ports decoded as VXLAN besides 4789 and 8472. */
  vxlanPorts?: readonly number[];
  /**
   * Frames decoded at most (outer frame = 1). The VXLAN layer at the limit
   * is decoded, but its payload is left undecoded (`inner` absent).
   */
  maxDepth?: number;
  /** Passed to walkExtensionHeaders (default IPV6_EXT_HEADER_LIMIT). */
  maxExtensionHeaders?: number;
}

/** The layers of one frame. Fields are present exactly when that layer was decoded. */
export interface Dissection {
  ethernet: EthernetRepr;
  ipv6?: Ipv6Repr;
  /** With `ipv6`: the extension headers in wire order (possibly empty). */
  extensionHeaders?: Ipv6ExtHeader[];
  ipv4?: Ipv4Repr;
  arp?: ArpRepr;
  icmpv6?: Icmpv6Repr;
  icmpv4?: Icmpv4Repr;
  udp?: UdpRepr;
  tcp?: TcpRepr;
  vxlan?: VxlanRepr;
  /** The frame carried by `vxlan` (absent at the depth limit). */
  inner?: Dissection;
  /**
   * After an IP layer: the protocol that follows the IP header and its
   * extension headers (58, 17, 6, 1, 59, 103, ...). For a fragment it is the
   * fragment's Next Header / Protocol.
   */
  upperProtocol?: number;
  /** True when the IP packet is a fragment (upper layer not decoded). */
  fragment?: boolean;
  /**
   * The bytes no layer here decoded: an unknown EtherType's payload, an
   * unknown IP protocol or a fragment's data, the payload of UDP (not VXLAN)
   * or TCP. Absent when the last layer's payload was decoded (ICMP, ARP, VXLAN).
   */
  payload?: Uint8Array;
}

/** What dissectLayers returns: the layers decoded up to the first error. */
export type PartialDissection = Omit<Dissection, 'ethernet' | 'inner'> & {
  ethernet?: EthernetRepr;
  inner?: PartialDissection;
};

interface Settings {
  verify: boolean;
  vxlanPorts: ReadonlySet<number>;
  maxDepth: number;
  maxExt: number;
}

function settings(opts: DissectOptions | undefined): Settings {
  const ports = new Set<number>([VXLAN_PORT, VXLAN_LINUX_PORT]);
  for (const p of opts?.vxlanPorts ?? []) ports.add(p);
  return {
    verify: opts?.verifyChecksums !== false,
    vxlanPorts: ports,
    maxDepth: Math.max(1, opts?.maxDepth ?? DISSECT_MAX_DEPTH),
    maxExt: opts?.maxExtensionHeaders ?? IPV6_EXT_HEADER_LIMIT,
  };
}

/**
 * RFC 8200 8.1: with a Routing header, the pseudo-header destination is the
 * final destination: the last address of a type 0 header, the home address
 * of a type 2 header (RFC 6275 6.4), when segments are left.
 */
export function finalDestination(dst: Ipv6Address, headers: readonly Ipv6ExtHeader[]): Ipv6Address {
  let final = dst;
  for (const h of headers) {
    if (h.kind !== 'routing' || h.header.segmentsLeft === 0) continue;
    const r = h.header;
    if (r.kind === 'type0') {
      const last = r.addresses[r.addresses.length - 1];
      if (last) final = last;
    } else if (r.kind === 'type2') {
      final = r.homeAddress;
    }
  }
  return final;
}

/**
 * Decodes one frame's layers into `d`; returns the inner frame to decode
 * next when the frame carries VXLAN and the depth allows it.
 */
function dissectOne(
  frame: Uint8Array,
  s: Settings,
  d: PartialDissection,
  depth: number,
): Uint8Array | undefined {
  const eth = ethernet.parse(frame, undefined);
  d.ethernet = eth;
  let l4: { protocol: number; bytes: Uint8Array; ph: PseudoHeader; v6: boolean } | undefined;
  switch (eth.etherType) {
    case ETHERTYPE_IPV6: {
      const ip = ipv6.parse(eth.payload, undefined);
      d.ipv6 = ip;
      const chain = walkExtensionHeaders(ip.nextHeader, ip.payload, s.maxExt);
      d.extensionHeaders = chain.headers;
      d.upperProtocol = chain.upperProtocol;
      const last = chain.headers[chain.headers.length - 1];
      if (last?.kind === 'fragment' && (last.header.fragmentOffset !== 0 || last.header.more)) {
        d.fragment = true;
        d.payload = chain.payload;
        return undefined;
      }
      const ph: PseudoHeader = {
        src: ip.src,
        dst: finalDestination(ip.dst, chain.headers),
        verifyChecksum: s.verify,
      };
      l4 = { protocol: chain.upperProtocol, bytes: chain.payload, ph, v6: true };
      break;
    }
    case ETHERTYPE_IPV4: {
      const ip = ipv4.parse(eth.payload, { verifyChecksum: s.verify });
      d.ipv4 = ip;
      d.upperProtocol = ip.protocol;
      if (ip.moreFragments || ip.fragmentOffset !== 0) {
        d.fragment = true;
        d.payload = ip.payload;
        return undefined;
      }
      const ph: PseudoHeader = { src: ip.src, dst: ip.dst, verifyChecksum: s.verify };
      l4 = { protocol: ip.protocol, bytes: ip.payload, ph, v6: false };
      break;
    }
    case ETHERTYPE_ARP:
      d.arp = arp.parse(eth.payload, undefined);
      return undefined;
    default:
      d.payload = eth.payload;
      return undefined;
  }
  switch (l4.protocol) {
    case IPPROTO_ICMPV6:
      if (!l4.v6) break; // ICMPv6 has no IPv4 pseudo-header: leave it undecoded.
      d.icmpv6 = icmpv6.parse(l4.bytes, l4.ph);
      return undefined;
    case IPPROTO_ICMP:
      if (l4.v6) break; // ICMPv4 over IPv6 is not a thing; leave it undecoded.
      d.icmpv4 = icmpv4.parse(l4.bytes, { verifyChecksum: s.verify });
      return undefined;
    case IPPROTO_TCP: {
      const t = tcp.parse(l4.bytes, l4.ph);
      d.tcp = t;
      d.payload = t.payload;
      return undefined;
    }
    case IPPROTO_UDP: {
      const u = udp.parse(l4.bytes, l4.ph);
      d.udp = u;
      if (!s.vxlanPorts.has(u.dstPort)) {
        d.payload = u.payload;
        return undefined;
      }
      const v = vxlan.parse(u.payload, undefined);
      d.vxlan = v;
      return depth + 1 < s.maxDepth ? v.payload : undefined;
    }
  }
  d.payload = l4.bytes;
  return undefined;
}

function run(
  frame: Uint8Array,
  opts: DissectOptions | undefined,
): { layers: PartialDissection; error?: DecodeError } {
  const s = settings(opts);
  const root: PartialDissection = {};
  let d = root;
  let next: Uint8Array | undefined = frame;
  try {
    for (let depth = 0; next !== undefined; depth++) {
      const inner = dissectOne(next, s, d, depth);
      next = inner;
      if (inner !== undefined) {
        const child: PartialDissection = {};
        d.inner = child;
        d = child;
      }
    }
  } catch (e) {
    if (e instanceof DecodeError) return { layers: root, error: e };
    throw e;
  }
  return { layers: root };
}

/** Decodes every layer of an Ethernet frame; throws DecodeError (only) on the first bad layer. */
export function dissect(frame: Uint8Array, opts?: DissectOptions): Dissection {
  const { layers, error } = run(frame, opts);
  if (error) throw error;
  return layers as Dissection;
}

/**
 * Like dissect, but never throws a DecodeError: returns the layers decoded
 * before the first failure, and the failure. `layers.ethernet` is absent only
 * when the frame is not even an Ethernet header.
 */
export function dissectLayers(
  frame: Uint8Array,
  opts?: DissectOptions,
): { layers: PartialDissection; error?: DecodeError } {
  return run(frame, opts);
}

/** A one-line summary of a dissection (for logs and tools), outermost first. */
export function describeDissection(d: PartialDissection): string {
  const parts: string[] = [];
  for (let x: PartialDissection | undefined = d; x; x = x.inner) {
    if (x.ethernet) parts.push(`eth ${x.ethernet.src.toString()} > ${x.ethernet.dst.toString()}`);
    if (x.ipv6) parts.push(`ipv6 ${x.ipv6.src.toString()} > ${x.ipv6.dst.toString()}`);
    if (x.extensionHeaders && x.extensionHeaders.length > 0) {
      parts.push(x.extensionHeaders.map((h) => h.kind).join(','));
    }
    if (x.ipv4) parts.push(`ipv4 ${x.ipv4.src.toString()} > ${x.ipv4.dst.toString()}`);
    if (x.arp) parts.push(`arp op ${x.arp.operation}`);
    if (x.icmpv6) parts.push(`icmpv6 ${x.icmpv6.kind}`);
    if (x.icmpv4) parts.push(`icmpv4 ${x.icmpv4.kind}`);
    if (x.udp) parts.push(`udp ${x.udp.srcPort} > ${x.udp.dstPort}`);
    if (x.tcp) parts.push(`tcp ${x.tcp.srcPort} > ${x.tcp.dstPort}`);
    if (x.vxlan) parts.push(`vxlan ${x.vxlan.vni}`);
    if (x.fragment) parts.push('fragment');
  }
  return parts.join(' / ');
}
