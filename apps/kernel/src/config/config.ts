import type { Ipv6Address, Ipv6Prefix, MacAddress } from '@kame/addr';
import type { Impairment, UdpRemote } from '@kame/link';

/** What kame-kernel runs: one or more nodes (from a node file, flags, or both). */
export interface KernelConfig {
  nodes: NodeConfig[];
}

/** One emulated kernel. */
export interface NodeConfig {
  name: string;
  /** Boot-time sysctl values (sysctl.conf), already validated against the MIB. */
  sysctl: Record<string, number>;
  interfaces: InterfaceConfig[];
  routes: RouteConfig[];
}

export interface InterfaceConfig {
  name: string;
  /** Undefined: derived from node and interface name (deriveMac). */
  mac: MacAddress | undefined;
  /** Undefined: 1500. */
  mtu: number | undefined;
  addresses: AddressConfig[];
  link: LinkConfig;
  /** ifconfig up (default) or down. */
  up: boolean;
  /** netem-style impairment of the frames this interface sends (undefined: a clean wire). */
  impair?: Impairment;
}

export interface AddressConfig {
  address: Ipv6Address;
  prefixLength: number;
}

/**
 * vxlan: Ethernet-in-UDP (RFC 7348) on the socket bound to `bind`, head-end
 * replicated to `remotes`; hub: an in-process segment shared by every
 * interface of this process that names the same hub.
 */
export type LinkConfig =
  { kind: 'vxlan'; vni: number; bind: UdpRemote; remotes: UdpRemote[] } | { kind: 'hub'; name: string };

/** A static route (route add -inet6 DST GATEWAY | -interface IFNAME). */
export interface RouteConfig {
  dst: Ipv6Prefix;
  gateway:
    { kind: 'inet6'; address: Ipv6Address; ifname: string | undefined } | { kind: 'link'; ifname: string };
}
