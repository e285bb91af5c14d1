import type { MacAddress } from '@kame/addr';
import type { NeighborCache } from '../nd6/neighbor-cache';
import type { DadEngine } from '../nd6-dad/dad-engine';
import type { Mld6Listener } from '../mld6/listener';
import type { In6Ifaddr } from './in6-ifaddr';

// if_flags (net/if.h names and values).
export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_RUNNING = 0x40;
export const IFF_MULTICAST = 0x8000;

/** Link types the kernel knows (IMPLEMENTATION 2): Ethernet, loopback, and pseudo-interfaces. */
export type LinkType = 'ether' | 'loop' | 'gif' | 'faith';

/**
 * The interface-driver boundary: frames leave the kernel here. For Ethernet
 * the bytes are a whole frame (no FCS); for loopback the kernel never calls it.
 */
export interface IfnetDriver {
  output(frame: Uint8Array): void;
}

/** Per-interface counters (netstat -i). */
export interface IfnetCounters {
  ipackets: number;
  ierrors: number;
  opackets: number;
  oerrors: number;
  ibytes: number;
  obytes: number;
  /** Frames dropped at input because they were not for this node (wrong MAC, unknown type). */
  iqdrops: number;
}

/** Per-interface ND parameters (nd_ifinfo: `ndp -i`). */
export interface NdIfinfo {
  /** Link MTU learned from an RA MTU option, 0 = use the interface MTU. */
  linkmtu: number;
  basereachable: number;
  retrans: number;
  /** Current hop limit from RAs (0 = use net.inet6.ip6.hlim). */
  chlim: number;
}

/** One network interface (struct ifnet). */
export class Ifnet {
  flags: number;
  mtu: number;
  readonly addresses: In6Ifaddr[] = [];
  /** Joined multicast groups (by canonical text) with reference counts. */
  readonly multicast = new Map<string, number>();
  readonly counters: IfnetCounters = {
    ipackets: 0,
    ierrors: 0,
    opackets: 0,
    oerrors: 0,
    ibytes: 0,
    obytes: 0,
    iqdrops: 0,
  };
  readonly nd: NdIfinfo = { linkmtu: 0, basereachable: 30_000, retrans: 1_000, chlim: 0 };
  /** Set by the kernel for interfaces that resolve neighbors (Ethernet). */
  neighbors: NeighborCache<Uint8Array> | undefined;
  /** Duplicate Address Detection for this interface's tentative addresses. */
  dad: DadEngine | undefined;
  /** The MLD host part (RFC 2710/3810) for this interface's groups. */
  mld: Mld6Listener | undefined;
  /** A pseudo-interface's borrowed interface id (IMPLEMENTATION 1.4.1). */
  pseudoIid: Uint8Array | undefined;

  constructor(
    readonly name: string,
    readonly index: number,
    readonly linkType: LinkType,
    public lladdr: MacAddress | undefined,
    mtu: number,
    flags: number,
    public driver: IfnetDriver | undefined,
  ) {
    this.mtu = mtu;
    this.flags = flags;
  }

  get up(): boolean {
    return (this.flags & IFF_UP) !== 0;
  }
  get running(): boolean {
    return (this.flags & (IFF_UP | IFF_RUNNING)) === (IFF_UP | IFF_RUNNING);
  }
  get isLoopback(): boolean {
    return (this.flags & IFF_LOOPBACK) !== 0;
  }
  /** The MTU IPv6 uses: the RA-learned link MTU when set, else the interface MTU. */
  get linkMtu(): number {
    return this.nd.linkmtu > 0 ? Math.min(this.nd.linkmtu, this.mtu) : this.mtu;
  }
}
