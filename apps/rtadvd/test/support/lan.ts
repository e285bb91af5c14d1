import { MacAddress } from '@kame/addr';
import { memoryPair, type FrameChannel } from '@kame/kernel-api';
import { KernelServer } from '@kame/kernel-server';
import { KernelNode } from '@kame/stack';
import { SeededRandom, type VirtualClock } from '@kame/time';

/**
 * An in-memory Ethernet hub: every frame reaches every other port one tick
 * later on the virtual clock (never synchronously).
 */
export class Hub {
  private readonly ports: { node: KernelNode; ifindex: number }[] = [];
  /** Frames seen, with the sender's node name. */
  readonly frames: { from: string; time: number; frame: Uint8Array }[] = [];

  constructor(readonly clock: VirtualClock) {}

  attach(node: KernelNode, ifname: string, mac: string): void {
    const ifp = node.attachEthernet(ifname, MacAddress.parse(mac), {
      output: (frame) => {
        const copy = frame.slice();
        this.frames.push({ from: node.name, time: this.clock.now(), frame: copy });
        for (const p of this.ports) {
          if (p.node !== node) this.clock.setTimer(0, () => p.node.input(p.ifindex, copy));
        }
      },
    });
    this.ports.push({ node, ifindex: ifp.index });
  }
}

export function newNode(
  clock: VirtualClock,
  name: string,
  seed: number,
  sysctl: Record<string, number>,
): KernelNode {
  return new KernelNode({ name, clock, random: new SeededRandom(seed), sysctl: { initial: sysctl } });
}

/** A KernelServer over `node` and a channelFactory handing out memoryPair ends it accepted. */
export function serve(node: KernelNode): {
  server: KernelServer;
  channelFactory: () => Promise<FrameChannel>;
  /** Closes every accepted connection from the kernel side (a kernel restart as clients see it). */
  dropConnections: () => void;
} {
  const server = new KernelServer(node, { name: node.name, privileged: true });
  const ends: FrameChannel[] = [];
  return {
    server,
    channelFactory: async () => {
      const [client, end] = memoryPair();
      ends.push(end);
      server.accept(end);
      return client;
    },
    dropConnections: () => {
      for (const e of ends) if (!e.closed) e.close();
    },
  };
}

/** Event-loop turns (memoryPair frames travel by setImmediate) with the clock advancing `stepMs` each. */
export async function until(
  pred: () => boolean,
  clock: VirtualClock,
  opts: { maxTurns?: number; stepMs?: number } = {},
): Promise<void> {
  const max = opts.maxTurns ?? 5000;
  for (let i = 0; i < max; i++) {
    if (pred()) return;
    clock.advance(opts.stepMs ?? 10);
    await new Promise<void>((r) => setImmediate(r));
  }
  if (!pred()) throw new Error(`condition not reached in ${max} turns`);
}

export async function turns(n: number, clock?: VirtualClock, stepMs = 0): Promise<void> {
  for (let i = 0; i < n; i++) {
    clock?.advance(stepMs);
    await new Promise<void>((r) => setImmediate(r));
  }
}
