import { Ipv6Address, Ipv6Prefix, MacAddress } from '@kame/addr';
import { SeededRandom, VirtualClock } from '@kame/time';
import { dissectLayers, type PartialDissection } from '@kame/wire';
import { KernelNode } from '../../src/kernel/kernel-node';
import type { Ifnet } from '../../src/kernel/ifnet';

/** One frame seen on a segment, with who sent it and its dissection. */
export interface SeenFrame {
  readonly from: string;
  readonly time: number;
  readonly frame: Uint8Array;
  readonly layers: PartialDissection;
}

/**
 * An in-memory Ethernet segment for stack tests: every frame is delivered
 * to every other attached interface one tick later (clock.setTimer(0)),
 * never synchronously, and recorded for assertions. (The real links are
 * @kame/link's job.)
 */
export class Segment {
  readonly seen: SeenFrame[] = [];
  private readonly ports: { node: KernelNode; ifp: Ifnet; label: string }[] = [];
  /** Frames whose sender label is in here are dropped (a cut cable). */
  readonly down = new Set<string>();

  constructor(
    readonly clock: VirtualClock,
    readonly name = 'seg',
  ) {}

  attach(node: KernelNode, ifname: string, mac: string, mtu = 1500): Ifnet {
    const label = `${node.name}:${ifname}`;
    const ifp = node.attachEthernet(
      ifname,
      MacAddress.parse(mac),
      {
        output: (frame) => this.transmit(label, frame),
      },
      mtu,
    );
    this.ports.push({ node, ifp, label });
    return ifp;
  }

  /** Injects a frame as if sent by `from` (a label not attached is fine). */
  transmit(from: string, frame: Uint8Array): void {
    const copy = frame.slice();
    this.seen.push({ from, time: this.clock.now(), frame: copy, layers: dissectLayers(copy).layers });
    if (this.down.has(from)) return;
    for (const p of this.ports) {
      if (p.label === from) continue;
      this.clock.setTimer(0, () => p.node.input(p.ifp.index, copy));
    }
  }

  /** ICMPv6 messages seen, as [sender label, kind, dissection]. */
  icmp6(kind?: string): SeenFrame[] {
    return this.seen.filter((f) => f.layers.icmpv6 && (kind === undefined || f.layers.icmpv6.kind === kind));
  }

  clear(): void {
    this.seen.length = 0;
  }
}

export function newNode(
  clock: VirtualClock,
  name: string,
  seed = 1,
  sysctl: Record<string, number> = {},
): KernelNode {
  return new KernelNode({ name, clock, random: new SeededRandom(seed), sysctl: { initial: sysctl } });
}

export const a6 = (s: string): Ipv6Address => Ipv6Address.parse(s);

/**
 * Lets DAD (random delay up to 1 s, then RetransTimer per probe) and the
 * first MLD reports finish, then forgets what the segments saw.
 */
export function settle(clock: VirtualClock, ...segments: Segment[]): void {
  clock.advance(5000);
  for (const s of segments) s.clear();
}

/** One Ethernet interface of a node built by buildNodes. */
export interface Port {
  seg: Segment;
  mac: string;
  /** Default em0. */
  ifname?: string;
  mtu?: number;
  /** Added after every interface is up, as `address/prefixLength`. */
  address?: string;
}

export interface NodeSpec<N extends string> {
  name: N;
  seed: number;
  sysctl?: Record<string, number>;
  ports: Port[];
}

/**
 * Builds nodes in the order a test script would: every node is created,
 * then every port attached, then every interface brought up, then every
 * address added (each step in the order given). Does not settle.
 */
export function buildNodes<N extends string>(
  clock: VirtualClock,
  specs: NodeSpec<N>[],
): Record<N, KernelNode> {
  const nodes = specs.map((s) => ({ s, node: newNode(clock, s.name, s.seed, s.sysctl) }));
  for (const { s, node } of nodes)
    for (const p of s.ports) p.seg.attach(node, p.ifname ?? 'em0', p.mac, p.mtu);
  for (const { s, node } of nodes) for (const p of s.ports) node.ifUp(p.ifname ?? 'em0');
  for (const { s, node } of nodes) {
    for (const p of s.ports) {
      if (p.address === undefined) continue;
      const [address, len] = p.address.split('/');
      node.addAddress(p.ifname ?? 'em0', a6(address!), Number(len));
    }
  }
  return Object.fromEntries(nodes.map(({ s, node }) => [s.name, node])) as Record<N, KernelNode>;
}

/**
 * Hosts a (02:00:00:00:00:0a, fe80::ff:fe00:a, seed 1) and b
 * (02:00:00:00:00:0b, fe80::ff:fe00:b, seed 2) up on one segment, settled;
 * `addresses` adds a /64 on each before settling.
 */
export function twoHosts(
  opts: { sysctl?: Record<string, number>; addresses?: { a: string; b: string } } = {},
) {
  const clock = new VirtualClock();
  const seg = new Segment(clock);
  const { a, b } = buildNodes(clock, [
    {
      name: 'a',
      seed: 1,
      sysctl: opts.sysctl,
      ports: [{ seg, mac: '02:00:00:00:00:0a', address: slash64(opts.addresses?.a) }],
    },
    {
      name: 'b',
      seed: 2,
      sysctl: opts.sysctl,
      ports: [{ seg, mac: '02:00:00:00:00:0b', address: slash64(opts.addresses?.b) }],
    },
  ]);
  settle(clock, seg);
  return { clock, seg, a, b };
}

const slash64 = (a: string | undefined) => (a === undefined ? undefined : `${a}/64`);

/** `route add -inet6 <prefix> <gateway>` on interface `ifindex` (2, the first Ethernet, unless given). */
export function routeVia(node: KernelNode, prefix: string, gateway: string, ifindex = 2): void {
  node.routes.add({
    dst: Ipv6Prefix.parse(prefix),
    gateway: { kind: 'inet6', address: a6(gateway) },
    ifindex,
  });
}
