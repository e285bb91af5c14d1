import { Ipv6Address, MacAddress } from '@kame/addr';
import { memoryPair, type FrameChannel } from '@kame/kernel-api';
import { KernelServer } from '@kame/kernel-server';
import { KernelNode } from '@kame/stack';
import { SeededRandom, VirtualClock } from '@kame/time';

export const a6 = (s: string): Ipv6Address => Ipv6Address.parse(s);

/** A kernel node served by a KernelServer over memoryPair ends, as a lab runs a daemon in-process. */
export class ServedNode {
  readonly server: KernelServer;
  /** Server-side ends of the connections accepted so far. */
  readonly serverEnds: FrameChannel[] = [];
  /** While false, new connections are refused (the kernel is "down"). */
  accepting = true;

  constructor(readonly node: KernelNode) {
    this.server = new KernelServer(node, { name: node.name, privileged: true });
  }

  /** A channelFactory for attachKernel / KernelClient. */
  readonly channelFactory = async (): Promise<FrameChannel> => {
    if (!this.accepting) throw Object.assign(new Error('connect: ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const [client, server] = memoryPair();
    this.serverEnds.push(server);
    this.server.accept(server);
    return client;
  };

  /** Closes every accepted connection from the kernel side (a kernel restart as the client sees it). */
  dropConnections(): void {
    for (const c of this.serverEnds) if (!c.closed) c.close();
  }
}

/**
 * Two nodes a (02:00:00:00:00:0a) and b (02:00:00:00:00:0b) with em0 on one
 * in-memory Ethernet segment (delivery one tick later on the virtual clock),
 * up and past DAD; each served by its own KernelServer.
 */
export function twoNodes(): { clock: VirtualClock; a: ServedNode; b: ServedNode } {
  const clock = new VirtualClock();
  const nodes: KernelNode[] = [];
  const ports: { node: KernelNode; ifindex: number }[] = [];
  const make = (name: string, seed: number, mac: string): KernelNode => {
    const node = new KernelNode({ name, clock, random: new SeededRandom(seed) });
    const ifp = node.attachEthernet('em0', MacAddress.parse(mac), {
      output: (frame) => {
        const copy = frame.slice();
        for (const p of ports) {
          if (p.node !== node) clock.setTimer(0, () => p.node.input(p.ifindex, copy));
        }
      },
    });
    ports.push({ node, ifindex: ifp.index });
    nodes.push(node);
    return node;
  };
  const a = make('a', 1, '02:00:00:00:00:0a');
  const b = make('b', 2, '02:00:00:00:00:0b');
  for (const n of nodes) n.ifUp('em0');
  clock.advance(5000); // DAD and the first MLD reports
  return { clock, a: new ServedNode(a), b: new ServedNode(b) };
}

/** Link-local addresses of the two nodes (EUI-64 from their MACs). */
export const LL_A = a6('fe80::ff:fe00:a');
export const LL_B = a6('fe80::ff:fe00:b');

/**
 * Runs event-loop turns (memoryPair frames) and advances the virtual clock by
 * `stepMs` per turn until `pred` holds; throws after `maxTurns` turns.
 */
export async function until(
  pred: () => boolean,
  clock?: VirtualClock,
  opts: { maxTurns?: number; stepMs?: number } = {},
): Promise<void> {
  const max = opts.maxTurns ?? 3000;
  for (let i = 0; i < max; i++) {
    if (pred()) return;
    clock?.advance(opts.stepMs ?? 1);
    await new Promise<void>((r) => setImmediate(r));
  }
  if (!pred()) throw new Error(`condition not reached in ${max} turns`);
}

/** A few turns with the clock advancing, for "nothing arrives" checks after a positive control. */
export async function turns(n: number, clock?: VirtualClock): Promise<void> {
  for (let i = 0; i < n; i++) {
    clock?.advance(1);
    await new Promise<void>((r) => setImmediate(r));
  }
}
