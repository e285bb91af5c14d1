import { Ipv6Address } from '@kame/addr';
import { Icmp6Endpoint, type Logger } from '@kame/daemon';
import { v1, type KernelClient, type KernelSocket, type MirrorInterface } from '@kame/kernel-api';
import type { Clock, Random } from '@kame/time';
import type { LinkLocalState, RtsoldHost, RtsoldIfView } from './engine';
import { runScript as runScriptProcess } from './script';
import {
  IFF_UP,
  IFF_LOOPBACK,
  IFF_POINTOPOINT,
  IFF_MULTICAST,
  IN6_IFF_TENTATIVE,
  IN6_IFF_DUPLICATED,
} from '@kame/kernel-api';
export {
  IFF_UP,
  IFF_LOOPBACK,
  IFF_POINTOPOINT,
  IFF_MULTICAST,
  IN6_IFF_TENTATIVE,
  IN6_IFF_DUPLICATED,
} from '@kame/kernel-api';

/** ff02::2, all-routers (RFC 4291 2.7.1): where RSs go. */
export const ALL_ROUTERS = Ipv6Address.parse('ff02::2');
/** IPPROTO_NONE: defrouter_probe's empty packet (K:rtsold/probe.c). */
export const IPPROTO_NONE = 59;

export interface KernelHostOptions {
  readonly client: KernelClient;
  readonly endpoint: Icmp6Endpoint;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Replaces the child-process script runner (in-process labs, tests). */
  readonly runScript?: (script: string, ifname: string) => Promise<void>;
}

/** The client mirror's view of an interface, as rtsold looks at it. */
export function ifViewOf(client: KernelClient, i: MirrorInterface): RtsoldIfView {
  let linkLocal: LinkLocalState = 'none';
  let hasInet6 = false;
  for (const a of client.addresses(i.index)) {
    if (!(a.address instanceof Ipv6Address)) continue;
    hasInet6 = true;
    // KAME get_llflag: the first link-local address found decides.
    if (linkLocal !== 'none' || !a.address.isLinkLocal()) continue;
    linkLocal =
      a.flags & IN6_IFF_DUPLICATED ? 'duplicated' : a.flags & IN6_IFF_TENTATIVE ? 'tentative' : 'ready';
  }
  return {
    name: i.name,
    index: i.index,
    up: (i.flags & IFF_UP) !== 0,
    loopback: (i.flags & IFF_LOOPBACK) !== 0,
    pointToPoint: (i.flags & IFF_POINTOPOINT) !== 0,
    multicast: (i.flags & IFF_MULTICAST) !== 0,
    isEthernet: i.type === v1.LinkType.LINK_ETHER,
    lladdr: i.lladdr,
    linkLocal,
    hasInet6,
    carrier:
      i.linkState === v1.LinkState.LINK_STATE_UP
        ? 'up'
        : i.linkState === v1.LinkState.LINK_STATE_DOWN
          ? 'down'
          : 'unknown',
  };
}

/**
 * RtsoldHost over a KernelClient: the interface mirror for the views,
 * ifSetFlags for IFF_UP, the Icmp6Endpoint for RSs, sysctl requests for -F.
 */
export class KernelRtsoldHost implements RtsoldHost {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  private readonly client: KernelClient;
  private readonly endpoint: Icmp6Endpoint;
  private readonly scriptRunner: (script: string, ifname: string) => Promise<void>;
  private noneSocket: Promise<KernelSocket> | undefined;

  constructor(o: KernelHostOptions) {
    this.client = o.client;
    this.endpoint = o.endpoint;
    this.clock = o.clock;
    this.random = o.random;
    this.logger = o.logger;
    this.scriptRunner = o.runScript ?? runScriptProcess;
  }

  interfaces(): readonly RtsoldIfView[] {
    return this.client.interfaces().map((i) => ifViewOf(this.client, i));
  }

  interface(name: string): RtsoldIfView | undefined {
    const i = this.client.interface(name);
    return i ? ifViewOf(this.client, i) : undefined;
  }

  async setUp(ifname: string): Promise<void> {
    await this.client.ifSetFlags(ifname, IFF_UP);
  }

  async sendRs(ifname: string, icmp6: Uint8Array): Promise<void> {
    await this.endpoint.send(ifname, ALL_ROUTERS, icmp6, 255);
  }

  runScript(script: string, ifname: string): Promise<void> {
    return this.scriptRunner(script, ifname);
  }

  async sysctlGet(name: string): Promise<number> {
    const e = await this.client.sysctlGet(name);
    return Number(e.value ?? 0);
  }

  async sysctlSet(name: string, value: number): Promise<void> {
    await this.client.sysctlSet(name, value);
  }

  /**
   * -m: an empty IPPROTO_NONE packet with hop limit 1 to each link-local
   * default router of the interface, so that NUD notices a router that is
   * gone after a move (KAME defrouter_probe).
   */
  async defrouterProbe(ifname: string): Promise<void> {
    const ifp = this.client.interface(ifname);
    if (!ifp) return;
    const routers = await this.client.routers();
    const targets = routers
      .filter((r) => (r.ifindex ?? 0) === ifp.index && r.address && r.address.length === 16)
      .map((r) => Ipv6Address.fromBytes(r.address!))
      .filter((a) => a.isLinkLocal());
    if (targets.length === 0) return;
    this.noneSocket ??= this.client.socket('raw', IPPROTO_NONE);
    let sock: KernelSocket;
    try {
      sock = await this.noneSocket;
    } catch (e) {
      this.noneSocket = undefined;
      throw e;
    }
    if (sock.closed) {
      this.noneSocket = undefined;
      return;
    }
    for (const address of targets) {
      this.logger.debug(`<defrouter_probe> probe default router ${address.toString()} on ${ifname}`);
      await sock.sendmsg(new Uint8Array(0), {
        to: { address, zone: ifp.index },
        pktinfo: { ifindex: ifp.index },
        hoplimit: 1,
      });
    }
  }

  close(): void {
    const s = this.noneSocket;
    this.noneSocket = undefined;
    s?.then((sock) => sock.close()).catch(() => undefined);
  }
}
