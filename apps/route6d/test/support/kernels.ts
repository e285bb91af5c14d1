/**
 * Three emulated kernels in a line, r1 - r2 - r3, on in-memory hubs, in
 * virtual time; each kernel is served by a KernelServer over memoryPair.
 * r1 has 2001:db8:1::1/64 on em0 (a stub hub), r3 2001:db8:3::1/64 on em1.
 */
import { EventEmitter } from 'node:events';
import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { MemoryLog, createLogger, type DaemonIo, type SignalName } from '@kame/daemon';
import { type FrameChannel, KernelClient, memoryPair } from '@kame/kernel-api';
import { KernelServer } from '@kame/kernel-server';
import { Hub } from '@kame/link';
import { KernelNode } from '@kame/stack';
import { attachNode } from '@kame/testing';
import { SeededRandom, VirtualClock } from '@kame/time';
import type { Route6dOptions } from '../../src/engine/index';
import { type Route6dHandle, startRoute6d } from '../../src/run';

export const P1 = Ipv6Prefix.parse('2001:db8:1::/64');
export const P3 = Ipv6Prefix.parse('2001:db8:3::/64');

export async function settleIo(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Runs virtual time one deadline at a time, letting IPC (setImmediate hops) drain in between. */
export async function runFor(clock: VirtualClock, ms: number, until?: () => boolean): Promise<boolean> {
  const end = clock.now() + ms;
  for (;;) {
    await settleIo();
    if (until?.()) return true;
    const next = clock.nextDeadline();
    if (next === undefined || next > end) break;
    clock.runUntil(next);
  }
  clock.runUntil(end);
  await settleIo();
  return until?.() ?? true;
}

export interface Router {
  node: KernelNode;
  server: KernelServer;
  client?: KernelClient;
  handle?: Route6dHandle;
  log: MemoryLog;
  channelFactory: () => Promise<FrameChannel>;
}

export interface Line {
  clock: VirtualClock;
  routers: [Router, Router, Router];
  start(r: Router, seed: number, options?: Partial<Route6dOptions>): Promise<void>;
  dispose(): Promise<void>;
}

export async function buildLine(): Promise<Line> {
  const clock = new VirtualClock();
  const hub = (name: string): Hub => new Hub(name, { clock });
  const [s1, h12, h23, s3] = [hub('s1'), hub('h12'), hub('h23'), hub('s3')];
  const routers = [1, 2, 3].map((i) => {
    const node = new KernelNode({
      name: `r${i}`,
      clock,
      random: new SeededRandom(i),
      sysctl: { initial: { 'net.inet6.ip6.forwarding': 1 } },
    });
    const server = new KernelServer(node, { name: `r${i}`, privileged: true });
    const r: Router = {
      node,
      server,
      log: new MemoryLog(),
      channelFactory: async () => {
        const [serverEnd, clientEnd] = memoryPair();
        server.accept(serverEnd);
        return clientEnd;
      },
    };
    return r;
  }) as [Router, Router, Router];
  const [r1, r2, r3] = routers.map((r) => r.node) as [KernelNode, KernelNode, KernelNode];
  attachNode(r1, 'em0', '02:00:00:00:01:00', s1.attach('r1:em0'));
  attachNode(r1, 'em1', '02:00:00:00:01:01', h12.attach('r1:em1'));
  attachNode(r2, 'em0', '02:00:00:00:02:00', h12.attach('r2:em0'));
  attachNode(r2, 'em1', '02:00:00:00:02:01', h23.attach('r2:em1'));
  attachNode(r3, 'em0', '02:00:00:00:03:00', h23.attach('r3:em0'));
  attachNode(r3, 'em1', '02:00:00:00:03:01', s3.attach('r3:em1'));
  r1.addAddress('em0', Ipv6Address.parse('2001:db8:1::1'), 64);
  r3.addAddress('em1', Ipv6Address.parse('2001:db8:3::1'), 64);
  // DAD on every address.
  await runFor(clock, 5_000);
  return {
    clock,
    routers,
    async start(r, seed, options = {}) {
      r.client = await KernelClient.connect({
        channelFactory: r.channelFactory,
        name: 'route6d',
        clock,
        reconnect: false,
      });
      r.handle = await startRoute6d({
        client: r.client,
        clock,
        random: new SeededRandom(seed),
        logger: createLogger({ ident: 'route6d', clock, sink: r.log.sink, upto: 'debug' }),
        options,
      });
    },
    async dispose() {
      for (const r of routers) {
        await r.handle?.stop();
        r.client?.close();
      }
      await settleIo();
    },
  };
}

export const linkLocal = (n: KernelNode, ifname: string): Ipv6Address =>
  n.mustIfnet(ifname).addresses.find((a) => a.address.isLinkLocal())!.address;

export class FakeSignals extends EventEmitter {
  raise(sig: SignalName): void {
    this.emit(sig);
  }
}

export function testIo(clock: VirtualClock, env: NodeJS.ProcessEnv, signals = new FakeSignals()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: DaemonIo = {
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    env,
    signals,
    pid: process.pid,
    clock,
    random: new SeededRandom(21),
  };
  return { io, out, err, signals };
}
