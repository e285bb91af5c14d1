import type { Ipv6Address } from '@kame/addr';

/**
 * The configuration of one advertising interface after getconfig():
 * every key resolved to its value or default, ranges checked. The contract
 * between the rtadvd.conf parser (config/) and the engine (engine/).
 * Times are in seconds unless the name says Ms.
 */

/** Where a prefix came from (dump: KERNEL|CONFIG|DYNAMIC). */
export type PrefixOrigin = 'KERNEL' | 'CONFIG' | 'DYNAMIC';

/** RFC 4191 preference as 2 bits (raflags/rtflags 0x18 mask): 0 medium, 1 high, 3 low (2 reserved, refused). */
export type RouterPreference = 0 | 1 | 3;

export interface PrefixConfig {
  readonly prefix: Ipv6Address; // masked to prefixLength
  readonly prefixLength: number; // 0..128
  readonly onLink: boolean; // pinfoflags 'l' (0x80)
  readonly autonomous: boolean; // pinfoflags 'a' (0x40)
  readonly routerAddress: boolean; // pinfoflags 'r' (0x20, MIP6)
  readonly validLifetime: number; // 0..0xffffffff (0xffffffff = infinity)
  readonly preferredLifetime: number;
  readonly validLifetimeDecrements: boolean; // vltimedecr
  readonly preferredLifetimeDecrements: boolean; // pltimedecr
  readonly origin: PrefixOrigin;
}

export interface RouteInfoConfig {
  readonly prefix: Ipv6Address;
  readonly prefixLength: number; // 0..128
  readonly preference: RouterPreference;
  readonly lifetime: number; // rtltime, 0..0xffffffff
}

export interface RdnssConfig {
  readonly servers: readonly Ipv6Address[];
  readonly lifetime: number; // rdnssltime
}

export interface DnsslConfig {
  readonly domains: readonly string[];
  readonly lifetime: number; // dnsslltime
}

export interface InterfaceConfig {
  readonly ifname: string;
  readonly maxInterval: number; // maxinterval, 4..1800
  readonly minInterval: number; // mininterval, 3..maxinterval*3/4
  readonly curHopLimit: number; // chlim
  readonly managed: boolean; // raflags 'm' 0x80
  readonly other: boolean; // raflags 'o' 0x40
  readonly homeAgent: boolean; // raflags 'a' 0x20 (MIP6)
  readonly preference: RouterPreference; // raflags 'h'/'l'
  readonly routerLifetime: number; // rltime: 0 or maxinterval..9000
  readonly reachableTimeMs: number; // rtime
  readonly retransTimerMs: number; // retrans
  readonly clockSkew: number; // clockskew, 0 = skip the decrementing-lifetime check
  /** 0 = no MTU option; 'auto' resolved by the engine to the interface MTU. */
  readonly linkMtu: number | 'auto';
  readonly advertiseLinkAddress: boolean; // !nolladdr
  /** Configured prefixes in parse order (addr, addr0..addr99). The engine advertises them in KAME's (reverse) order. */
  readonly prefixes: readonly PrefixConfig[];
  /** True when no addr* key was given: prefixes are learned from the interface's addresses (unless noifprefix). */
  readonly learnPrefixes: boolean;
  readonly routes: readonly RouteInfoConfig[];
  readonly rdnss: readonly RdnssConfig[];
  readonly dnssl: readonly DnsslConfig[];
  readonly homeAgentPreference: number; // hapref (MIP6)
  readonly homeAgentLifetime: number; // hatime (MIP6)
}

/** A config problem: `file:line: entry: key: message`, exit 1 (KAME's fatal-on-invalid). */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly entry: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${entry}: ${key}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/** A non-fatal note from the parser (obsolete key names, link-local addr, "Treat it as default"...). */
export interface ConfigWarning {
  readonly level: 'notice' | 'info' | 'warning';
  readonly message: string;
}
