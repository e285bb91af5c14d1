/**
 * An in-memory fabric of route6d engines for virtual-time tests: each
 * engine's send() delivers to the engines on the same link as a datagram with
 * the sender's link-local source, port 521 and hop limit 255 (1 ms later).
 * Each node has a fake kernel FIB recording what the engine installs.
 */
import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { SeededRandom, VirtualClock } from '@kame/time';
import { type RipngRepr, ripng } from '@kame/wire';
import {
  type FibRoute,
  type KernelRouteView,
  type Route6dDatagram,
  type Route6dHost,
  type Route6dInterface,
  type Route6dLogger,
  type Route6dOptions,
  Route6dEngine,
} from '../../src/engine/index';

export interface Sent {
  time: number;
  ifname: string;
  dst: Ipv6Address;
  port: number;
  bytes: Uint8Array;
  packet: RipngRepr;
}

export interface FibOp {
  op: 'add' | 'change' | 'delete';
  route: FibRoute;
}

export class MemoryLogger implements Route6dLogger {
  readonly lines: string[] = [];
  err = (m: string): void => void this.lines.push(`err: ${m}`);
  warning = (m: string): void => void this.lines.push(`warning: ${m}`);
  notice = (m: string): void => void this.lines.push(`notice: ${m}`);
  info = (m: string): void => void this.lines.push(`info: ${m}`);
  debug = (m: string): void => void this.lines.push(`debug: ${m}`);
}

interface LinkEnd {
  node: FabricNode;
  ifname: string;
}

export class Link {
  up = true;
  constructor(
    readonly name: string,
    readonly ends: LinkEnd[],
  ) {}
}

export class FabricNode implements Route6dHost {
  readonly logger = new MemoryLogger();
  readonly ifaces: Route6dInterface[] = [];
  readonly fib = new Map<string, FibRoute>();
  readonly fibOps: FibOp[] = [];
  readonly sent: Sent[] = [];
  readonly routeLogLines: string[] = [];
  readonly kernel: KernelRouteView[] = [];
  readonly random: SeededRandom;
  engine!: Route6dEngine;
  /** A dead node neither sends nor receives (a crash without SIGTERM). */
  alive = true;

  constructor(
    readonly fabric: Fabric,
    readonly name: string,
    readonly id: number,
  ) {
    this.random = fabric.random.fork();
    this.ifaces.push({
      name: 'lo0',
      index: 1,
      up: true,
      loopback: true,
      p2p: false,
      mtu: 16384,
      linkLocal: Ipv6Address.parse('fe80::1'),
      addresses: [{ address: Ipv6Address.LOOPBACK, prefixLength: 128 }],
    });
  }

  get clock(): VirtualClock {
    return this.fabric.clock;
  }

  wallTime(): number {
    // 2026-11-26 12:00:00 UTC + virtual time
    return Date.UTC(2026, 10, 26, 12, 0, 0) + this.clock.now();
  }

  interfaces(): readonly Route6dInterface[] {
    return this.ifaces;
  }

  iface(name: string): Route6dInterface {
    const i = this.ifaces.find((x) => x.name === name);
    if (!i) throw new Error(`${this.name}: no interface ${name}`);
    return i;
  }

  /** Adds an interface with link-local fe80::<node>:<if>. */
  addIface(name: string, opts: Partial<Route6dInterface> = {}): Route6dInterface {
    const index = this.ifaces.length + 1;
    const i: Route6dInterface = {
      name,
      index,
      up: true,
      loopback: false,
      p2p: false,
      mtu: 1500,
      linkLocal: Ipv6Address.parse(`fe80::${this.id.toString(16)}:${index.toString(16)}`),
      addresses: [],
      ...opts,
    };
    this.ifaces.push(i);
    return i;
  }

  /** Replaces an interface's fields (a fresh object, as a kernel mirror would give) and tells the engine. */
  setIface(name: string, patch: Partial<Route6dInterface>): void {
    const k = this.ifaces.findIndex((x) => x.name === name);
    this.ifaces[k] = { ...this.ifaces[k]!, ...patch };
    this.engine.interfacesChanged();
  }

  send(ifname: string, dst: Ipv6Address, port: number, bytes: Uint8Array): void {
    const packet = ripng.parse(bytes);
    this.sent.push({ time: this.clock.now(), ifname, dst, port, bytes, packet });
    if (!this.alive) return;
    const ifc = this.iface(ifname);
    if (!ifc.up) return;
    const link = this.fabric.linkOf(this, ifname);
    if (!link?.up) return;
    for (const end of link.ends) {
      if (end.node === this && end.ifname === ifname) continue;
      const peer = end.node.iface(end.ifname);
      if (!dst.isMulticast() && !peer.linkLocal?.equals(dst)) continue;
      const data = bytes.slice();
      const src = ifc.linkLocal!;
      this.clock.setTimer(1, () => {
        if (!end.node.alive || !link.up || !peer.up) return;
        end.node.engine.receive({ ifindex: peer.index, src, srcPort: 521, dst, hopLimit: 255, data });
      });
    }
  }

  installRoute(r: FibRoute): void {
    this.fibOps.push({ op: 'add', route: r });
    this.fib.set(r.prefix.toString(), r);
  }
  changeRoute(r: FibRoute): void {
    this.fibOps.push({ op: 'change', route: r });
    this.fib.set(r.prefix.toString(), r);
  }
  deleteRoute(r: FibRoute): void {
    this.fibOps.push({ op: 'delete', route: r });
    this.fib.delete(r.prefix.toString());
  }
  kernelRoutes(): readonly KernelRouteView[] {
    return this.kernel;
  }
  routeLog(line: string): void {
    this.routeLogLines.push(line);
  }

  /** Delivers a datagram as if it arrived on `ifname`. */
  inject(ifname: string, d: Partial<Route6dDatagram> & { data: Uint8Array }): void {
    const i = this.iface(ifname);
    this.engine.receive({
      ifindex: i.index,
      src: Ipv6Address.parse('fe80::99'),
      srcPort: 521,
      dst: Ipv6Address.parse('ff02::9'),
      hopLimit: 255,
      ...d,
    });
  }

  metric(prefix: string): number | undefined {
    return this.engine.route(prefix)?.metric;
  }

  /** Responses sent since `t` (optionally on one interface). */
  responses(since = 0, ifname?: string): Sent[] {
    return this.sent.filter(
      (s) =>
        s.time >= since && s.packet.command === 'response' && (ifname === undefined || s.ifname === ifname),
    );
  }
}

export class Fabric {
  readonly clock = new VirtualClock(0);
  readonly random: SeededRandom;
  readonly nodes: FabricNode[] = [];
  readonly links: Link[] = [];

  constructor(seed = 1) {
    this.random = new SeededRandom(seed);
  }

  node(name: string): FabricNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  addNode(name: string): FabricNode {
    const n = new FabricNode(this, name, this.nodes.length + 1);
    this.nodes.push(n);
    return n;
  }

  /** A link between interfaces (created when missing) of two or more nodes. */
  link(name: string, ...ends: [FabricNode, string][]): Link {
    for (const [n, i] of ends) if (!n.ifaces.some((x) => x.name === i)) n.addIface(i);
    const l = new Link(
      name,
      ends.map(([node, ifname]) => ({ node, ifname })),
    );
    this.links.push(l);
    return l;
  }

  linkOf(node: FabricNode, ifname: string): Link | undefined {
    return this.links.find((l) => l.ends.some((e) => e.node === node && e.ifname === ifname));
  }

  /** A stub network: an interface with a global /64 and no neighbours. */
  stub(n: FabricNode, prefix: string, ifname = 'stub0'): void {
    const p = Ipv6Prefix.parse(prefix);
    const a = Ipv6Address.fromBytes(Uint8Array.from([...p.address.bytes.subarray(0, 15), 1]));
    n.addIface(ifname, { addresses: [{ address: a, prefixLength: p.length }] });
  }

  /** Creates every engine (with per-node options) and starts them all at the current time. */
  start(opts: (n: FabricNode) => Partial<Route6dOptions> = () => ({})): void {
    for (const n of this.nodes) n.engine = new Route6dEngine(n, opts(n));
    for (const n of this.nodes) n.engine.start();
  }

  run(ms: number): void {
    this.clock.advance(ms);
  }

  /** Hop distances between nodes over up links (BFS). */
  distances(from: FabricNode): Map<FabricNode, number> {
    const d = new Map<FabricNode, number>([[from, 0]]);
    const q = [from];
    while (q.length > 0) {
      const n = q.shift()!;
      for (const l of this.links) {
        if (!l.up || !n.alive) continue;
        if (!l.ends.some((e) => e.node === n && n.iface(e.ifname).up)) continue;
        for (const e of l.ends) {
          if (d.has(e.node) || !e.node.alive || !e.node.iface(e.ifname).up) continue;
          d.set(e.node, d.get(n)! + 1);
          q.push(e.node);
        }
      }
    }
    return d;
  }
}

/** Stub prefix of node i: 2001:db8:<i>::/64. */
export const stubPrefix = (i: number): string => `2001:db8:${i.toString(16)}::/64`;

/**
 * Differences between every node's RIB/FIB and the shortest-path truth: node
 * N reaches node M's stub with metric dist(N, M) + 1, and (for M != N) has it in
 * its FIB. Empty when converged.
 */
export function convergenceErrors(f: Fabric): string[] {
  const errs: string[] = [];
  for (const n of f.nodes) {
    if (!n.alive) continue;
    const dist = f.distances(n);
    for (const m of f.nodes) {
      const p = stubPrefix(m.id);
      const d = dist.get(m);
      const got = n.metric(p);
      const want = d === undefined ? undefined : d + 1;
      const usable = got !== undefined && got < 16 ? got : undefined;
      if (usable !== want) errs.push(`${n.name} -> ${m.name}: metric ${String(got)}, want ${String(want)}`);
      if (m !== n && n.alive) {
        const inFib = n.fib.has(p);
        if (inFib !== (want !== undefined))
          errs.push(`${n.name} -> ${m.name}: FIB ${inFib ? 'has' : 'lacks'} ${p}`);
      }
    }
  }
  return errs;
}
