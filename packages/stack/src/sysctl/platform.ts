/**
 * The KAME platforms of IMPLEMENTATION 1.12 and how each treats IPv4 mapped
 * addresses on AF_INET6 sockets. The table is the seed's summary table
 * (1.12) refined by 1.12.1-1.12.5.
 */
export type KamePlatform = 'bsdi3' | 'freebsd228' | 'freebsd3x' | 'netbsd' | 'bsdi4' | 'openbsd';

export const KAME_PLATFORMS: readonly KamePlatform[] = [
  'bsdi3',
  'freebsd228',
  'freebsd3x',
  'netbsd',
  'bsdi4',
  'openbsd',
];

/** Listening side: does an AF_INET6 wildcard socket get IPv4 connections? */
export type MappedListening = 'not-supported' | 'configurable' | 'enabled';

export interface MappedAddressBehaviour {
  platform: KamePlatform;
  /** Listening side (AF_INET6 wildcard socket gets IPv4 connections). */
  listening: MappedListening;
  /** For 'configurable': whether the wildcard socket grabs IPv4 by default. */
  listeningDefaultEnabled: boolean;
  /** Initiating side: connect(2) to ::ffff:a.b.c.d over AF_INET6. */
  initiating: boolean;
  /**
   * Whether a sysctl knob (net.inet6.ip6.v6only, historically bindv6only)
   * controls the listening side; absent knobs are fixed behaviour.
   */
  sysctlConfigurable: boolean;
  /** IPv4 and IPv6 tcp/udp port spaces are always separate (false: BSDI4, 1.12 footnote). */
  separatePortSpace: boolean;
}

const TABLE: Record<KamePlatform, Omit<MappedAddressBehaviour, 'platform'>> = {
  // 1.12.1: no mapped-address support at all, families fully separate.
  bsdi3: {
    listening: 'not-supported',
    listeningDefaultEnabled: false,
    initiating: false,
    sysctlConfigurable: false,
    separatePortSpace: true,
  },
  freebsd228: {
    listening: 'not-supported',
    listeningDefaultEnabled: false,
    initiating: false,
    sysctlConfigurable: false,
    separatePortSpace: true,
  },
  // 1.12.2: configurable, enabled by default (MAPPED_ADDR_ENABLED); initiating supported.
  freebsd3x: {
    listening: 'configurable',
    listeningDefaultEnabled: true,
    initiating: true,
    sysctlConfigurable: true,
    separatePortSpace: true,
  },
  // 1.12.3: configurable via net.inet6.ip6.bindv6only, disabled by default; initiating always on.
  netbsd: {
    listening: 'configurable',
    listeningDefaultEnabled: false,
    initiating: true,
    sysctlConfigurable: true,
    separatePortSpace: true,
  },
  // 1.12.4: NRL inpcb, always enabled; port space not always separated.
  bsdi4: {
    listening: 'enabled',
    listeningDefaultEnabled: true,
    initiating: true,
    sysctlConfigurable: false,
    separatePortSpace: false,
  },
  // 1.12.5: disabled for security reasons, initiating not supported.
  openbsd: {
    listening: 'not-supported',
    listeningDefaultEnabled: false,
    initiating: false,
    sysctlConfigurable: false,
    separatePortSpace: true,
  },
};

/** IMPLEMENTATION 1.12: mapped-address behaviour of a KAME platform. */
export function mappedAddressBehaviour(platform: KamePlatform): MappedAddressBehaviour {
  return { platform, ...TABLE[platform] };
}

/**
 * Default of net.inet6.ip6.v6only (bindv6only) on a platform: 0 when an
 * AF_INET6 wildcard socket grabs IPv4 connections by default, else 1.
 */
export function defaultV6only(platform: KamePlatform): 0 | 1 {
  return TABLE[platform].listeningDefaultEnabled ? 0 : 1;
}
