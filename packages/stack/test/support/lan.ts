import { Ipv6Address, MacAddress } from '@kame/addr';
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
