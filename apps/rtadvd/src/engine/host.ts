import type { Ipv6Address, MacAddress } from '@kame/addr';
import type { Clock, Random } from '@kame/time';

/**
 * What the rtadvd engine needs from the world (sans-I/O port). The program
 * adapts a KernelClient to it (kernel-host.ts); tests use a fake.
 */

/** The subset of @kame/daemon's Logger the engine uses (syslog severities). */
export interface EngineLogger {
  err(message: string): void;
  warning(message: string): void;
  notice(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export interface HostAddress {
  readonly address: Ipv6Address;
  readonly prefixLength: number;
}

/** One interface as the engine sees it (iflist in KAME). */
export interface HostInterface {
  readonly index: number;
  readonly name: string;
  /** The physical (link) MTU. */
  readonly mtu: number;
  readonly lladdr: MacAddress | undefined;
  /** IFF_UP */
  readonly up: boolean;
  /** IFT_ETHER: only such interfaces carry a Source Link-Layer Address option (KAME if.c). */
  readonly isEthernet: boolean;
  /** IPv6 addresses (plain form, link-locals included). */
  readonly addresses: readonly HostAddress[];
}

export interface RtadvdHost {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: EngineLogger;
  /**
   * Wall-clock milliseconds since the Unix epoch for the dump's ctime lines.
   * Default: clock.now() (a VirtualClock started at an epoch time).
   */
  wallClock?(): number;
  /** The interface by name, undefined when it does not exist (any more). */
  iface(name: string): HostInterface | undefined;
  /** sysctl net.inet6.ip6.forwarding != 0 */
  forwarding(): boolean;
  /**
   * Sends one ICMPv6 message (checksum left 0, the kernel computes it) to
   * ff02::1 on `ifname` with hop limit 255 (RFC 4861 6.1.2). A rejection is
   * logged by the engine.
   */
  send(ifname: string, icmp6: Uint8Array): void | Promise<void>;
}
