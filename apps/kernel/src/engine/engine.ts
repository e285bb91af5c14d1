import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ipv6Prefix } from '@kame/addr';
import {
  Hub,
  ImpairedEndpoint,
  VxlanTransport,
  formatRemote,
  openPcapngFileTap,
  type LinkEndpoint,
  type PcapngFileTap,
} from '@kame/link';
import { IN6_IFF_TENTATIVE, KernelNode, RTF_STATIC, type Gateway } from '@kame/stack';
import { attachNode, type AttachedInterface } from '@kame/testing';
import { SeededRandom, TimerScope, type Clock, type Random } from '@kame/time';
import type { InterfaceConfig, KernelConfig, NodeConfig, RouteConfig } from '../config/config';
import { deriveMac } from '../config/derive-mac';
import type { Logger } from './logger';

export interface EngineOptions {
  config: KernelConfig;
  /** RealClock in main.ts; a VirtualClock in tests. */
  clock: Clock;
  /** Node i (in config order) gets SeededRandom(seed + i). */
  seed: number;
  logger: Logger;
  /** Write DIR/NODE.pcapng with all of a node's interfaces. */
  pcapDir?: string;
  /** Wall-clock ms at clock time 0, for pcapng timestamps (default 0). */
  epochOffsetMs?: number;
}

/** A failure to start (socket bind, a route the kernel refuses): exit 1. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}

/** One running node: its kernel and its attached interfaces by name. */
export interface EngineNode {
  readonly config: NodeConfig;
  readonly node: KernelNode;
  readonly ports: ReadonlyMap<string, AttachedInterface>;
}

/**
 * The kame-kernel engine: builds the configured nodes on the injected clock,
 * wires their interfaces to VXLAN transports (one UDP socket per bind
 * address, shared by every VNI on it) or to in-process hubs, brings them up,
 * and logs what the stack logs. main.ts only parses flags and maps signals;
 * the kernel API (ipc/serve-ipc.ts, packages/kernel-server) serves `nodes`.
 */
export class KernelEngine {
  private readonly transports = new Map<string, VxlanTransport>();
  private readonly hubs = new Map<string, Hub>();
  private readonly byName = new Map<string, EngineNode>();
  private readonly taps: PcapngFileTap[] = [];
  private readonly cleanups: (() => void)[] = [];
  private readonly scope: TimerScope;
  private stopping: Promise<void> | undefined;

  private constructor(private readonly o: EngineOptions) {
    this.scope = new TimerScope(o.clock);
  }

  /** Builds and starts every node; on failure closes what was opened and throws EngineError. */
  static async start(o: EngineOptions): Promise<KernelEngine> {
    const e = new KernelEngine(o);
    try {
      await e.openTransports();
      e.openHubs();
      o.config.nodes.forEach((n, i) => e.startNode(n, o.seed + i));
    } catch (err) {
      await e.stop();
      throw err instanceof EngineError
        ? err
        : new EngineError(err instanceof Error ? err.message : String(err));
    }
    o.logger.log('notice', `ready: ${o.config.nodes.map((n) => n.name).join(', ')}`);
    return e;
  }

  /** The clock the engine was given (not the timer scope). */
  get clock(): Clock {
    return this.o.clock;
  }

  get nodes(): ReadonlyMap<string, EngineNode> {
    return this.byName;
  }

  node(name: string): EngineNode {
    const n = this.byName.get(name);
    if (!n) throw new EngineError(`no node ${name}`);
    return n;
  }

  /** The bound UDP port of the socket opened for `bind` ("127.0.0.1:0" as configured). */
  boundPort(bind: { address: string; port: number }): number | undefined {
    return this.transports.get(formatRemote(bind))?.port;
  }

  /** True when no address of any node is tentative (DAD finished). */
  dadDone(): boolean {
    for (const { node } of this.byName.values())
      for (const ifp of node.interfaces())
        for (const a of ifp.addresses) if (a.flags & IN6_IFF_TENTATIVE) return false;
    return true;
  }

  /** Detaches interfaces, closes captures, hubs and sockets, cancels every node timer. Idempotent. */
  stop(): Promise<void> {
    if (!this.stopping) this.stopping = this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    for (const c of this.cleanups.splice(0)) c();
    for (const n of this.byName.values()) for (const p of n.ports.values()) p.detach();
    for (const t of this.taps.splice(0)) t.close();
    for (const h of this.hubs.values()) h.close();
    await Promise.all([...this.transports.values()].map((t) => t.close()));
    this.scope.close();
    if (this.byName.size) this.o.logger.log('notice', 'stopped');
  }

  private async openTransports(): Promise<void> {
    for (const n of this.o.config.nodes) {
      for (const i of n.interfaces) {
        if (i.link.kind !== 'vxlan') continue;
        const key = formatRemote(i.link.bind);
        if (this.transports.has(key)) continue;
        try {
          const t = await VxlanTransport.open({ bind: i.link.bind, clock: this.scope });
          this.transports.set(key, t);
          this.o.logger.log('info', `vxlan: listening on ${formatRemote(t.address)}`);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
          throw new EngineError(`${n.name}: ${i.name}: cannot bind ${key}: ${code}`);
        }
      }
    }
  }

  private openHubs(): void {
    for (const n of this.o.config.nodes)
      for (const i of n.interfaces) {
        if (i.link.kind !== 'hub') continue;
        const name = i.link.name;
        if (!this.hubs.has(name))
          this.hubs.set(name, new Hub(name, { clock: this.scope, mtu: this.hubMtu(name) }));
      }
  }

  /** A hub carries the largest MTU of its members (frames above it would be dropped as giants). */
  private hubMtu(name: string): number {
    let mtu = 1500;
    for (const n of this.o.config.nodes)
      for (const i of n.interfaces)
        if (i.link.kind === 'hub' && i.link.name === name) mtu = Math.max(mtu, i.mtu ?? 1500);
    return mtu;
  }

  private startNode(cfg: NodeConfig, seed: number): void {
    const logger = this.o.logger;
    const node = new KernelNode({
      name: cfg.name,
      clock: this.scope,
      random: new SeededRandom(seed >>> 0),
      sysctl: { initial: cfg.sysctl },
      log: (level, message) => logger.log(level, `${cfg.name}: ${message}`),
    });
    const ports = new Map<string, AttachedInterface>();
    this.byName.set(cfg.name, { config: cfg, node, ports });
    this.cleanups.push(
      node.routes.bus.subscribe((m) => {
        if (m.type === 'RTM_IFINFO') {
          const ifp = node.ifnet(m.ifindex);
          logger.log(
            'info',
            `${cfg.name}: ${ifp?.name ?? m.ifindex}: link state changed to ${m.linkState === 'up' ? 'UP' : 'DOWN'}`,
          );
        } else if (m.type === 'RTM_NEWADDR' || m.type === 'RTM_DELADDR') {
          const ifp = node.ifnet(m.ifindex);
          logger.log(
            'debug',
            `${cfg.name}: ${ifp?.name ?? m.ifindex}: ${m.type} ${m.address.toString()}/${m.prefixLength}`,
          );
        }
      }),
    );
    this.cleanups.push(
      node.tapIcmp6((ctx, m) => {
        if (m.kind === 'echoRequest' || m.kind === 'echoReply')
          logger.log(
            'debug',
            `${cfg.name}: ${ctx.ifp.name}: icmp6 ${m.kind === 'echoRequest' ? 'echo request' : 'echo reply'} from ${ctx.hdr.src.toString()} to ${ctx.hdr.dst.toString()} id=${m.identifier} seq=${m.sequence}`,
          );
      }),
    );
    const endpoints: LinkEndpoint[] = [];
    for (const ifc of cfg.interfaces) {
      const endpoint = this.endpointFor(cfg, ifc, node.random);
      endpoints.push(endpoint);
      const mac = ifc.mac ?? deriveMac(cfg.name, ifc.name);
      const mtu = ifc.mtu ?? 1500;
      logger.log('info', `${cfg.name}: ${ifc.name}: ether ${mac.toString()} mtu ${mtu} ${describeLink(ifc)}`);
      ports.set(ifc.name, attachNode(node, ifc.name, mac, endpoint, { mtu, up: ifc.up }));
      for (const a of ifc.addresses) {
        try {
          node.addAddress(ifc.name, a.address, a.prefixLength);
        } catch (e) {
          throw new EngineError(
            `${cfg.name}: ${ifc.name}: address ${a.address.toString()}/${a.prefixLength}: ${msg(e)}`,
          );
        }
        logger.log('info', `${cfg.name}: ${ifc.name}: inet6 ${a.address.toString()}/${a.prefixLength}`);
      }
    }
    for (const r of cfg.routes) this.addRoute(cfg.name, node, r);
    if (this.o.pcapDir !== undefined && endpoints.length) {
      mkdirSync(this.o.pcapDir, { recursive: true });
      const path = join(this.o.pcapDir, `${cfg.name}.pcapng`);
      this.taps.push(
        openPcapngFileTap(path, endpoints, this.scope, { epochOffsetMs: this.o.epochOffsetMs ?? 0 }),
      );
      logger.log('info', `${cfg.name}: capturing to ${path}`);
    }
    logger.log('notice', `${cfg.name}: started with ${cfg.interfaces.length} interface(s)`);
  }

  private endpointFor(cfg: NodeConfig, ifc: InterfaceConfig, random: Random): LinkEndpoint {
    const link = ifc.link;
    const egress = ifc.impair;
    if (link.kind === 'hub') {
      const port = this.hubs.get(link.name)!.attach(`${cfg.name}:${ifc.name}`);
      if (egress) port.impair({ egress });
      return port;
    }
    const t = this.transports.get(formatRemote(link.bind))!;
    let endpoint: LinkEndpoint;
    try {
      endpoint = t.segment(link.vni, { remotes: link.remotes, name: `${cfg.name}:${ifc.name}` });
    } catch (e) {
      throw new EngineError(`${cfg.name}: ${ifc.name}: vxlan ${link.vni}: ${msg(e)}`);
    }
    return egress ? new ImpairedEndpoint(endpoint, this.scope, random, { egress }) : endpoint;
  }

  /** route add -inet6 (RTF_STATIC, owner "static"); a global gateway must be on-link already. */
  private addRoute(name: string, node: KernelNode, r: RouteConfig): void {
    const what = `route ${r.dst.length === 0 ? 'default' : r.dst.toString()}`;
    let gateway: Gateway;
    let ifindex: number | undefined;
    if (r.gateway.kind === 'link') {
      ifindex = node.mustIfnet(r.gateway.ifname).index;
      gateway = { kind: 'link', ifindex };
    } else {
      const gw = r.gateway;
      ifindex =
        gw.ifname !== undefined ? node.mustIfnet(gw.ifname).index : node.routes.lookup(gw.address)?.ifindex;
      if (ifindex === undefined)
        throw new EngineError(
          `${name}: ${what}: gateway ${gw.address.toString()} is not on-link (add its prefix to an interface)`,
        );
      gateway = { kind: 'inet6', address: gw.address };
    }
    try {
      node.routes.add({
        dst: r.dst.length === 0 ? Ipv6Prefix.parse('::/0') : r.dst,
        gateway,
        ifindex,
        flags: RTF_STATIC,
        owner: 'static',
      });
    } catch (e) {
      throw new EngineError(`${name}: ${what}: ${msg(e)}`);
    }
    this.o.logger.log('info', `${name}: ${what} ${describeGateway(r)}`);
  }
}

function describeLink(ifc: InterfaceConfig): string {
  const l = ifc.link;
  const impair = ifc.impair ? ` impaired ${JSON.stringify(ifc.impair)}` : '';
  if (l.kind === 'hub') return `on hub ${l.name}${impair}`;
  return `on vxlan ${l.vni} bind ${formatRemote(l.bind)} remote ${l.remotes.map(formatRemote).join(' ')}${impair}`;
}

function describeGateway(r: RouteConfig): string {
  const g = r.gateway;
  if (g.kind === 'link') return `-interface ${g.ifname}`;
  return g.ifname === undefined ? g.address.toString() : `${g.address.toString()}%${g.ifname}`;
}

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
