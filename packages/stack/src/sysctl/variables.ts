/**
 * The registry of KAME/BSD sysctl variables the emulated kernel knows.
 * Sources: inet6(4) and sysctl(7)/sysctl(3) manual pages (MIB descriptions),
 * IMPLEMENTATION 1.2 (nd6_maxndopt), 1.4.2 (forwarding, accept_rtadv),
 * 1.6 (use_deprecated), 1.12 (v6only/bindv6only).
 */

/** integer: any value in range; boolean: an int restricted to 0/1. */
export type SysctlType = 'integer' | 'boolean';

export const SYSCTL_INT_MAX = 0x7fffffff;
export const SYSCTL_INT_MIN = -0x80000000;

export interface SysctlVariable {
  /** Full dotted name, e.g. net.inet6.ip6.forwarding. */
  readonly name: string;
  /**
   * MIB number path (CTL_NET, PF_INET6, IPPROTO_IPV6, IPV6CTL_...); only the
   * ordering matters here: `sysctl -a` walks the tree in this order.
   */
  readonly oid: readonly number[];
  readonly type: SysctlType;
  readonly defaultValue: number;
  readonly min: number;
  readonly max: number;
  readonly writable: boolean;
  readonly description: string;
  /** Other names resolving to this node (e.g. bindv6only for v6only). */
  readonly aliases?: readonly string[];
}

const NET = 4;
const PF_INET = 2;
const PF_INET6 = 28;
const IPPROTO_IP = 0;
const IPPROTO_IPV6 = 41;
const IPPROTO_ICMPV6 = 58;

function ip(n: number): number[] {
  return [NET, PF_INET, IPPROTO_IP, n];
}
function ip6(n: number): number[] {
  return [NET, PF_INET6, IPPROTO_IPV6, n];
}
function icmp6(n: number): number[] {
  return [NET, PF_INET6, IPPROTO_ICMPV6, n];
}

function bool(name: string, oid: number[], defaultValue: 0 | 1, description: string): SysctlVariable {
  return { name, oid, type: 'boolean', defaultValue, min: 0, max: 1, writable: true, description };
}
function int(
  name: string,
  oid: number[],
  defaultValue: number,
  min: number,
  max: number,
  description: string,
  writable = true,
): SysctlVariable {
  return { name, oid, type: 'integer', defaultValue, min, max, writable, description };
}

/** Name of the node whose default depends on the platform (IMPLEMENTATION 1.12). */
export const SYSCTL_V6ONLY = 'net.inet6.ip6.v6only';

/**
 * Every variable, in `sysctl -a` (MIB) order. The v6only default here is the
 * FreeBSD3x one; `Sysctl` replaces it per platform.
 */
export const SYSCTL_VARIABLES: readonly SysctlVariable[] = Object.freeze(
  [
    bool('net.inet.ip.forwarding', ip(1), 0, 'Enable forwarding of IPv4 packets (act as a router).'),
    int('net.inet.ip.ttl', ip(3), 64, 1, 255, 'Default TTL of outgoing IPv4 packets.'),

    bool(
      'net.inet6.ip6.forwarding',
      ip6(1),
      0,
      'Forward IPv6 packets; also decides whether the node is a router (1) or a host (0), IMPLEMENTATION 1.4.2.',
    ),
    bool(
      'net.inet6.ip6.redirect',
      ip6(2),
      1,
      'Send ICMPv6 redirects for packets forwarded back onto their link.',
    ),
    int('net.inet6.ip6.hlim', ip6(3), 64, 1, 255, 'Default hop limit of outgoing unicast IPv6 packets.'),
    int(
      'net.inet6.ip6.maxfragpackets',
      ip6(9),
      256,
      -1,
      SYSCTL_INT_MAX,
      'Maximum fragmented packets held for reassembly; 0 accepts none, -1 means no limit.',
    ),
    bool(
      'net.inet6.ip6.accept_rtadv',
      ip6(12),
      0,
      'Accept Router Advertisements and autoconfigure from them (hosts only), IMPLEMENTATION 1.4.2.',
    ),
    bool(
      'net.inet6.ip6.keepfaith',
      ip6(13),
      0,
      'Enable the FAITH IPv6-to-IPv4 TCP relay (faith(4), faithd(8)).',
    ),
    int(
      'net.inet6.ip6.log_interval',
      ip6(14),
      5,
      0,
      SYSCTL_INT_MAX,
      'Minimum interval in seconds between forwarding-engine log messages.',
    ),
    int(
      'net.inet6.ip6.hdrnestlimit',
      ip6(15),
      50,
      0,
      SYSCTL_INT_MAX,
      'Maximum number of extension headers accepted on input; 0 means unlimited.',
    ),
    int(
      'net.inet6.ip6.dad_count',
      ip6(16),
      1,
      0,
      SYSCTL_INT_MAX,
      'Number of DAD Neighbor Solicitations sent per address (RFC 2462 DupAddrDetectTransmits).',
    ),
    bool(
      'net.inet6.ip6.auto_flowlabel',
      ip6(17),
      1,
      'Fill in a flow label automatically on connected sockets.',
    ),
    int('net.inet6.ip6.defmcasthlim', ip6(18), 1, 0, 255, 'Default hop limit of outgoing multicast packets.'),
    bool(
      'net.inet6.ip6.use_deprecated',
      ip6(21),
      1,
      'Allow deprecated addresses as a last-resort source (RFC 2462 5.5.4, IMPLEMENTATION 1.6).',
    ),
    int(
      'net.inet6.ip6.rr_prune',
      ip6(22),
      5,
      0,
      SYSCTL_INT_MAX,
      'Interval in seconds between router renumbering prefix sweeps.',
    ),
    {
      ...bool(
        SYSCTL_V6ONLY,
        ip6(24),
        0,
        'Initial IPV6_V6ONLY (IPV6_BINDV6ONLY) of new AF_INET6 sockets: 1 keeps IPv4 off AF_INET6 wildcard sockets (IMPLEMENTATION 1.12).',
      ),
      aliases: ['net.inet6.ip6.bindv6only'],
    },
    bool('net.inet6.ip6.use_tempaddr', ip6(32), 0, 'Generate temporary (privacy) addresses, RFC 3041.'),
    int(
      'net.inet6.ip6.temppltime',
      ip6(33),
      86400,
      0,
      SYSCTL_INT_MAX,
      'Preferred lifetime in seconds of temporary addresses (RFC 3041 TEMP_PREFERRED_LIFETIME); must not exceed tempvltime.',
    ),
    int(
      'net.inet6.ip6.tempvltime',
      ip6(34),
      604800,
      0,
      SYSCTL_INT_MAX,
      'Valid lifetime in seconds of temporary addresses (RFC 3041 TEMP_VALID_LIFETIME); must not be below temppltime.',
    ),
    bool(
      'net.inet6.ip6.auto_linklocal',
      ip6(35),
      1,
      'Assign a link-local address when an interface comes up (IMPLEMENTATION 1.4.1).',
    ),

    bool('net.inet6.icmp6.rediraccept', icmp6(2), 1, 'Accept ICMPv6 redirects (ignored while forwarding).'),
    int(
      'net.inet6.icmp6.redirtimeout',
      icmp6(3),
      600,
      0,
      SYSCTL_INT_MAX,
      'Lifetime in seconds of routes created by redirects; 0 means forever.',
    ),
    int(
      'net.inet6.icmp6.nd6_prune',
      icmp6(6),
      1,
      0,
      SYSCTL_INT_MAX,
      'Interval in seconds between neighbor cache / prefix / default router expiry sweeps.',
    ),
    int(
      'net.inet6.icmp6.nd6_delay',
      icmp6(8),
      5,
      0,
      SYSCTL_INT_MAX,
      'DELAY_FIRST_PROBE_TIME of RFC 2461 in seconds.',
    ),
    int(
      'net.inet6.icmp6.nd6_umaxtries',
      icmp6(9),
      3,
      0,
      SYSCTL_INT_MAX,
      'MAX_UNICAST_SOLICIT of RFC 2461: unicast probes before a neighbor is declared unreachable.',
    ),
    int(
      'net.inet6.icmp6.nd6_mmaxtries',
      icmp6(10),
      3,
      0,
      SYSCTL_INT_MAX,
      'MAX_MULTICAST_SOLICIT of RFC 2461: multicast solicitations during address resolution.',
    ),
    bool(
      'net.inet6.icmp6.nd6_useloopback',
      icmp6(11),
      1,
      "Route traffic to the node's own addresses through the loopback interface.",
    ),
    int(
      'net.inet6.icmp6.nodeinfo',
      icmp6(13),
      3,
      0,
      7,
      'Node Information query replies: bit 0 answers FQDN queries, bit 1 node addresses, bit 2 temporary addresses.',
    ),
    int(
      'net.inet6.icmp6.errppslimit',
      icmp6(14),
      100,
      SYSCTL_INT_MIN,
      SYSCTL_INT_MAX,
      'Maximum outgoing ICMPv6 error messages per second; a negative value disables the limit.',
    ),
    int(
      'net.inet6.icmp6.nd6_maxnudhint',
      icmp6(15),
      0,
      0,
      SYSCTL_INT_MAX,
      'Consecutive upper-layer reachability hints accepted before NUD probes again; 0 means unlimited.',
    ),
    int(
      'net.inet6.icmp6.nd6_maxqueuelen',
      icmp6(24),
      1,
      1,
      SYSCTL_INT_MAX,
      'Packets queued per neighbor while its link-layer address is being resolved.',
    ),
    // IMPLEMENTATION 1.2: KAME accepts only the first 10 ND options; the limit
    // (nd6_maxndopt in nd6.c) is not a knob there ("we may provide sysctl knob"),
    // so it is exposed read-only, after the real icmp6 nodes.
    int(
      'net.inet6.icmp6.nd6_maxndopt',
      icmp6(1000),
      10,
      10,
      10,
      'Options processed per ND packet; further options are ignored (IMPLEMENTATION 1.2). Read-only.',
      false,
    ),
  ]
    .slice()
    .sort((a, b) => compareSysctlOid(a.oid, b.oid)),
);

/** Lexicographic comparison of MIB number paths (sysctl -a walk order). */
export function compareSysctlOid(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** The variable for a name or alias, or undefined. */
export function findSysctlVariable(name: string): SysctlVariable | undefined {
  return BY_NAME.get(name);
}

/** Names and aliases to definitions: sysctl reads sit on the packet path (ip6_input asks for forwarding). */
const BY_NAME: ReadonlyMap<string, SysctlVariable> = new Map(
  SYSCTL_VARIABLES.flatMap((v) => [[v.name, v] as const, ...(v.aliases ?? []).map((a) => [a, v] as const)]),
);
