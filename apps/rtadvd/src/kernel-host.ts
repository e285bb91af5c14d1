import { Ipv6Address } from '@kame/addr';
import type { Icmp6Endpoint } from '@kame/daemon';
import { v1, type KernelClient, type MirrorChange } from '@kame/kernel-api';
import type { Clock, Random } from '@kame/time';
import type { EngineLogger, HostAddress, HostInterface, RtadvdHost } from './engine/host';
import type { RtadvdEngine } from './engine/rtadvd-engine';
import { IFF_UP } from '@kame/kernel-api';
export { IFF_UP } from '@kame/kernel-api';

export const FORWARDING_SYSCTL = 'net.inet6.ip6.forwarding';
/** RFC 4291 2.7.1: all-nodes, where every RA goes. */
export const ALL_NODES = Ipv6Address.parse('ff02::1');
/** RFC 4291 2.7.1: all-routers, joined so that RSs reach us. */
export const ALL_ROUTERS = Ipv6Address.parse('ff02::2');

export interface KernelHostOptions {
  readonly client: KernelClient;
  /** Where RAs leave; attached later (attachEndpoint) when the host is first used for checks only. */
  readonly endpoint?: Icmp6Endpoint;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: EngineLogger;
  readonly wallClock?: () => number;
  /** net.inet6.ip6.forwarding when the host was made (kept current through TOPIC_SYSCTL). */
  readonly forwarding: boolean;
}

/**
 * RtadvdHost over a KernelClient: interfaces and addresses from the client's
 * mirror, RAs out through the raw ICMPv6 endpoint (ff02::1, hop limit 255,
 * pktinfo ifindex), forwarding from sysctl.
 */
export class KernelHost implements RtadvdHost {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: EngineLogger;
  readonly wallClock?: () => number;
  private forwardingOn: boolean;
  private readonly offs: (() => void)[] = [];
  private endpoint: Icmp6Endpoint | undefined;

  constructor(private readonly o: KernelHostOptions) {
    this.endpoint = o.endpoint;
    this.clock = o.clock;
    this.random = o.random;
    this.logger = o.logger;
    if (o.wallClock) this.wallClock = o.wallClock;
    this.forwardingOn = o.forwarding;
    this.offs.push(
      o.client.on('sysctl', (c) => {
        if (c.name === FORWARDING_SYSCTL) this.forwardingOn = c.value !== 0;
      }),
    );
  }

  iface(name: string): HostInterface | undefined {
    const i = this.o.client.interface(name);
    if (!i) return undefined;
    const addresses: HostAddress[] = [];
    for (const a of this.o.client.addresses(i.index)) {
      if (a.address instanceof Ipv6Address)
        addresses.push({ address: a.address, prefixLength: a.prefixLength });
    }
    return {
      index: i.index,
      name: i.name,
      mtu: i.mtu,
      lladdr: i.lladdr,
      up: (i.flags & IFF_UP) !== 0,
      isEthernet: i.type === v1.LinkType.LINK_ETHER,
      addresses,
    };
  }

  forwarding(): boolean {
    return this.forwardingOn;
  }

  attachEndpoint(endpoint: Icmp6Endpoint): void {
    this.endpoint = endpoint;
  }

  send(ifname: string, icmp6: Uint8Array): Promise<void> {
    if (!this.endpoint) return Promise.reject(new Error('no ICMPv6 socket yet'));
    return this.endpoint.send(ifname, ALL_NODES, icmp6, 255);
  }

  /**
   * The routing socket (KAME rtmsg_input), unless -s: RTM_ADD / RTM_DELETE of
   * interface direct routes, and interface flag changes from the mirror.
   */
  track(engine: RtadvdEngine): void {
    const client = this.o.client;
    this.offs.push(
      client.on('rtm', (m) => {
        try {
          this.onRtm(engine, m);
        } catch (e) {
          this.logger.err(`<rtmsg_input> ${String(e)}`);
        }
      }),
    );
    this.offs.push(
      client.on('change', (c: MirrorChange) => {
        if (c.kind === 'interface') engine.onInterfaceChange(c.iface.name);
      }),
    );
  }

  private onRtm(engine: RtadvdEngine, m: v1.RtMsg.$Properties): void {
    if (m.type !== v1.RtmType.RTM_ADD && m.type !== v1.RtmType.RTM_DELETE) return;
    if (m.errno) return; // a failed request echoed back
    const gw = m.gateway;
    // An interface direct route has a link gateway (AF_LINK), not a next hop.
    if (!gw || !gw.link) return;
    const dst = m.dst?.addr;
    if (!dst || dst.length !== 16) return;
    const ifindex = m.ifindex || gw.link.ifindex || 0;
    const ifname = this.o.client.interface(ifindex)?.name;
    if (!ifname) return;
    const prefix = Ipv6Address.fromBytes(dst);
    const plen = m.dst?.length ?? 0;
    if (m.type === v1.RtmType.RTM_ADD) engine.onRouteAdd(ifname, prefix, plen);
    else engine.onRouteDelete(ifname, prefix, plen);
  }

  close(): void {
    for (const off of this.offs.splice(0)) off();
  }
}
