import { Ipv6Address } from '@kame/addr';
import { Hub, type Segment } from '@kame/link';
import { IN6_IFF_TENTATIVE, KernelNode } from '@kame/stack';
import { SeededRandom, VirtualClock } from '@kame/time';
import { attachNode, type AttachedInterface } from './attach';
import { sendPing, type PingOptions, type PingReply } from './ping';

export interface LabOptions {
  clock?: VirtualClock;
  /** Base seed: node i (from 0) gets SeededRandom(seed + i). Default 1. */
  seed?: number;
  /** sysctl values every node starts with (a node's own values win). */
  sysctl?: Record<string, number>;
  /** How `segment()` makes a segment (default: an in-memory Hub on the lab clock). */
  newSegment?: (name: string, clock: VirtualClock, mtu: number | undefined) => Segment;
  /** Collects every node's log lines ("node: level message"). */
  log?: (line: string) => void;
}

export interface LabPortOptions {
  /** Default: 02:00:00:00:<node #>:<interface #> (both from 1). */
  mac?: string;
  mtu?: number;
  /** Default true. */
  up?: boolean;
  /** Addresses added after attaching, "2001:db8::1/64". */
  addresses?: string[];
}

/**
 * KernelNodes on in-memory segments in virtual time:
 *
 *   const lab = new Lab();
 *   const lan = lab.segment('lan');
 *   const a = lab.node('a'); lab.attach(a, 'em0', lan, { addresses: ['2001:db8::a/64'] });
 *   const b = lab.node('b'); lab.attach(b, 'em0', lan);
 *   lab.settle();
 *   await lab.ping(a, 'fe80::ff:fe00:201', { ifname: 'em0' });
 */
export class Lab {
  readonly clock: VirtualClock;
  readonly nodes = new Map<string, KernelNode>();
  readonly segments = new Map<string, Segment>();
  readonly ports: AttachedInterface[] = [];
  private readonly seed: number;

  constructor(private readonly options: LabOptions = {}) {
    this.clock = options.clock ?? new VirtualClock();
    this.seed = options.seed ?? 1;
  }

  /** A new segment named `name` (an in-memory hub unless LabOptions.newSegment says otherwise). */
  segment(name: string, opts: { mtu?: number } = {}): Segment {
    if (this.segments.has(name)) throw new Error(`lab: segment ${name} exists`);
    const seg = this.options.newSegment
      ? this.options.newSegment(name, this.clock, opts.mtu)
      : new Hub(name, { clock: this.clock, ...(opts.mtu !== undefined ? { mtu: opts.mtu } : {}) });
    this.segments.set(name, seg);
    return seg;
  }

  node(name: string, opts: { sysctl?: Record<string, number>; seed?: number } = {}): KernelNode {
    if (this.nodes.has(name)) throw new Error(`lab: node ${name} exists`);
    const log = this.options.log;
    const node = new KernelNode({
      name,
      clock: this.clock,
      random: new SeededRandom(opts.seed ?? this.seed + this.nodes.size),
      sysctl: { initial: { ...this.options.sysctl, ...opts.sysctl } },
      ...(log ? { log: (level, message) => log(`${name}: ${level} ${message}`) } : {}),
    });
    this.nodes.set(name, node);
    return node;
  }

  /** Attaches a new interface of `node` to `segment` (a Segment or its name). */
  attach(
    node: KernelNode | string,
    ifname: string,
    segment: Segment | string,
    opts: LabPortOptions = {},
  ): AttachedInterface {
    const n = typeof node === 'string' ? this.mustNode(node) : node;
    const seg = typeof segment === 'string' ? this.mustSegment(segment) : segment;
    const mac = opts.mac ?? this.defaultMac(n);
    const port = attachNode(n, ifname, mac, seg.attach(`${n.name}:${ifname}`), {
      ...(opts.mtu !== undefined ? { mtu: opts.mtu } : {}),
      ...(opts.up !== undefined ? { up: opts.up } : {}),
    });
    this.ports.push(port);
    for (const a of opts.addresses ?? []) {
      const [address, len] = a.split('/');
      n.addAddress(ifname, Ipv6Address.parse(address!), Number(len ?? 64));
    }
    return port;
  }

  mustNode(name: string): KernelNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`lab: no node ${name}`);
    return n;
  }

  mustSegment(name: string): Segment {
    const s = this.segments.get(name);
    if (!s) throw new Error(`lab: no segment ${name}`);
    return s;
  }

  /** Advances virtual time by `ms`. */
  run(ms: number): void {
    this.clock.advance(ms);
  }

  /** Fires timers until `pred()` holds or `limitMs` of virtual time passed; returns pred(). */
  runUntil(pred: () => boolean, limitMs: number): boolean {
    return this.clock.runUntilTrue(pred, limitMs);
  }

  /**
   * Lets DAD and the first MLD reports finish: runs until no address of any
   * node is tentative, then `extraMs` more (bounded by `limitMs`).
   */
  settle(limitMs = 10_000, extraMs = 100): void {
    this.runUntil(() => this.allDadDone(), limitMs);
    this.run(extraMs);
  }

  allDadDone(): boolean {
    for (const n of this.nodes.values())
      for (const ifp of n.interfaces())
        for (const a of ifp.addresses) if (a.flags & IN6_IFF_TENTATIVE) return false;
    return true;
  }

  /** Sends an echo request and runs the clock until it is answered or times out. */
  ping(node: KernelNode | string, dst: Ipv6Address | string, opts: PingOptions = {}): Promise<PingReply> {
    const n = typeof node === 'string' ? this.mustNode(node) : node;
    const p = sendPing(n, dst, opts);
    this.runUntil(() => p.settled, (opts.timeoutMs ?? 2000) + 1);
    return p.result;
  }

  /** Detaches every interface and closes every segment. */
  close(): void {
    for (const p of this.ports.splice(0)) p.detach();
    for (const s of this.segments.values()) s.close();
    this.segments.clear();
  }

  private defaultMac(node: KernelNode): string {
    const nodeNo = [...this.nodes.values()].indexOf(node) + 1;
    const ifNo = node.interfaces().length; // lo0 is #1, so the first Ethernet gets 1
    const hex = (v: number) => (v & 0xff).toString(16).padStart(2, '0');
    return `02:00:00:00:${hex(nodeNo)}:${hex(ifNo)}`;
  }
}
