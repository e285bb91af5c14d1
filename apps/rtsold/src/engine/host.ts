import type { Ipv6Address, MacAddress } from '@kame/addr';
import type { Clock, Random } from '@kame/time';

/**
 * The port through which the sans-I/O rtsold engine sees the world. The
 * program adapts a KernelClient to it (kernel-host.ts); tests implement it
 * with plain objects.
 */

/** syslog levels (the same union as @kame/daemon's). */
export type Severity = 'emerg' | 'alert' | 'crit' | 'err' | 'warning' | 'notice' | 'info' | 'debug';

/** What the engine needs of a logger (@kame/daemon's Logger satisfies it). */
export interface RtsoldLogger {
  log(severity: Severity, message: string): void;
}

/** The state of an interface's link-local address as the kernel reports it (IN6_IFF_TENTATIVE / DUPLICATED). */
export type LinkLocalState = 'ready' | 'tentative' | 'duplicated' | 'none';

/** One interface as rtsold looks at it (ifconfig / getifaddrs / SIOCGIFMEDIA in KAME). */
export interface RtsoldIfView {
  readonly name: string;
  readonly index: number;
  /** IFF_UP */
  readonly up: boolean;
  /** IFF_LOOPBACK */
  readonly loopback: boolean;
  /** IFF_POINTOPOINT */
  readonly pointToPoint: boolean;
  /** IFF_MULTICAST */
  readonly multicast: boolean;
  /** Ethernet-like (IFT_ETHER): the RS carries a Source Link-Layer Address option. */
  readonly isEthernet: boolean;
  readonly lladdr: MacAddress | undefined;
  readonly linkLocal: LinkLocalState;
  /** Has any AF_INET6 address (the -a rule). */
  readonly hasInet6: boolean;
  /** Carrier as the driver reports it; 'unknown' = no carrier detection (KAME: SIOCGIFMEDIA fails). */
  readonly carrier: 'up' | 'down' | 'unknown';
}

/** A received ICMPv6 message with its ancillary data (the shape of @kame/daemon's Icmp6Message). */
export interface RtsoldIcmp6Input {
  readonly ifindex: number;
  readonly src: Ipv6Address;
  /** IPV6_PKTINFO destination; undefined when the kernel gave no pktinfo. */
  readonly dst: Ipv6Address | undefined;
  /** IPV6_HOPLIMIT; undefined when the kernel gave none. */
  readonly hoplimit: number | undefined;
  readonly data: Uint8Array;
}

export interface RtsoldHost {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: RtsoldLogger;
  /** Every interface, by index. */
  interfaces(): readonly RtsoldIfView[];
  interface(name: string): RtsoldIfView | undefined;
  /** SIOCSIFFLAGS |= IFF_UP. */
  setUp(ifname: string): Promise<void>;
  /**
   * Sends an ICMPv6 message (checksum left to the kernel) to ff02::2 on the
   * interface (IPV6_PKTINFO ifindex) with hop limit 255 (RFC 4861 6.3.7).
   */
  sendRs(ifname: string, icmp6: Uint8Array): Promise<void>;
  /** Runs `script ifname` and resolves when it exited (K:rtsold: the parent waits). */
  runScript(script: string, ifname: string): Promise<void>;
  sysctlGet(name: string): Promise<number>;
  sysctlSet(name: string, value: number): Promise<void>;
  /**
   * -m: probes the link-local default routers known on the interface
   * (KAME defrouter_probe). Optional: a host that cannot do it leaves it out.
   */
  defrouterProbe?(ifname: string): Promise<void>;
}
