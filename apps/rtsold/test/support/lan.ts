import { Ipv6Address } from '@kame/addr';
import { MemoryLog, createLogger, type Logger } from '@kame/daemon';
import { KernelClient, memoryPair, type FrameChannel } from '@kame/kernel-api';
import { KernelServer } from '@kame/kernel-server';
import { Hub, type SegmentPort } from '@kame/link';
import { KernelNode } from '@kame/stack';
import { attachNode, sendRouterAdvert, type RouterAdvertOptions } from '@kame/testing';
import { SeededRandom, VirtualClock } from '@kame/time';

/**
 * A router and a host KernelNode on one in-memory hub, in virtual time, the
 * host's kernel served over a memoryPair (the in-process transport); the
 * router "answers" each Router Solicitation with one RA (a test responder,
 * not rtadvd).
 */
export interface Lan {
  readonly clock: VirtualClock;
  readonly router: KernelNode;
  readonly host: KernelNode;
  readonly server: KernelServer;
  /** The host's port on the hub: setCarrier(false) cuts its cable. */
  readonly hostPort: SegmentPort;
  /** IPv6 packets seen on the hub. */
  readonly wire: WirePacket[];
  /** Virtual times at which the router received an RS, with its source. */
  readonly rsSeen: { time: number; src: string; hoplimit: number; dst: string }[];
  /** RAs the responder sent. */
  readonly raSent: number[];
  /** Whether the router answers RSs (default true). */
  answer: boolean;
  /** What the responder's RA carries. */
  ra: RouterAdvertOptions & { flags?: { other?: boolean } };
  /** A fresh in-process connection to the host's kernel. */
  channelFactory: () => Promise<FrameChannel>;
  connect(name: string): Promise<KernelClient>;
  dispose(): void;
}

export const PREFIX = '2001:db8:1::/64';

export interface WirePacket {
  readonly time: number;
  readonly nextHeader: number;
  readonly hopLimit: number;
  readonly src: string;
  readonly dst: string;
  readonly payloadLength: number;
}

export function buildLan(seed = 1): Lan {
  const clock = new VirtualClock();
  const hub = new Hub('lan', { clock });
  const router = new KernelNode({
    name: 'r',
    clock,
    random: new SeededRandom(seed),
    sysctl: { initial: { 'net.inet6.ip6.forwarding': 1 } },
  });
  const host = new KernelNode({ name: 'h', clock, random: new SeededRandom(seed + 1) });
  attachNode(router, 'em0', '02:00:00:00:01:01', hub.attach('r:em0'));
  const hostPort = hub.attach('h:em0');
  attachNode(host, 'em0', '02:00:00:00:02:01', hostPort);
  // A listening port: every IPv6 packet on the hub, for wire-level assertions.
  const wire: WirePacket[] = [];
  hub.attach('tap').onReceive((f) => {
    if (f.length < 54 || f[12] !== 0x86 || f[13] !== 0xdd) return;
    wire.push({
      time: clock.now(),
      nextHeader: f[20]!,
      hopLimit: f[21]!,
      src: Ipv6Address.fromBytes(f, 22).toString(),
      dst: Ipv6Address.fromBytes(f, 38).toString(),
      payloadLength: (f[18]! << 8) | f[19]!,
    });
  });
  // The kernel joins ff02::1 only; listening on all-routers is the RA daemon's job (KAME rtadvd
  // does IPV6_JOIN_GROUP ff02::2), so the responder joins it as rtadvd would.
  router.joinGroup(router.mustIfnet('em0'), Ipv6Address.parse('ff02::2'));
  const server = new KernelServer(host, { name: 'h', privileged: true });
  const clients: KernelClient[] = [];
  const lan: Lan = {
    clock,
    router,
    host,
    server,
    hostPort,
    wire,
    rsSeen: [],
    raSent: [],
    answer: true,
    ra: { prefixes: [{ prefix: PREFIX }] },
    channelFactory: async () => {
      const [serverEnd, clientEnd] = memoryPair();
      server.accept(serverEnd);
      return clientEnd;
    },
    async connect(name: string) {
      const c = await KernelClient.connect({
        channelFactory: lan.channelFactory,
        name,
        clock,
        reconnect: false,
      });
      clients.push(c);
      return c;
    },
    dispose() {
      untap();
      for (const c of clients) c.close();
    },
  };
  const untap = router.tapIcmp6((ctx, m) => {
    if (m.kind !== 'routerSolicit' || ctx.ifp.name !== 'em0') return;
    lan.rsSeen.push({
      time: clock.now(),
      src: ctx.hdr.src.toString(),
      dst: ctx.hdr.dst.toString(),
      hoplimit: ctx.hdr.hopLimit,
    });
    if (!lan.answer) return;
    // Answer on the next tick, outside the input path.
    clock.setTimer(0, () => {
      if (sendRouterAdvert(router, 'em0', lan.ra) === undefined) lan.raSent.push(clock.now());
    });
  });
  return lan;
}

/** Lets in-memory frames and IPC requests run (they hop through setImmediate). */
export async function settleIo(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Runs virtual time for `ms`, one timer deadline at a time, letting the
 * event loop drain in between: IPC costs no virtual time.
 */
export async function runFor(clock: VirtualClock, ms: number, until?: () => boolean): Promise<void> {
  const end = clock.now() + ms;
  for (;;) {
    await settleIo();
    if (until?.()) return;
    const next = clock.nextDeadline();
    if (next === undefined || next > end) break;
    clock.runUntil(next);
  }
  clock.runUntil(end);
  await settleIo();
}

export function memoryLogger(clock: VirtualClock, ident = 'rtsold'): { logger: Logger; log: MemoryLog } {
  const log = new MemoryLog();
  return { logger: createLogger({ ident, clock, sink: log.sink }), log };
}

export const a6 = (s: string): Ipv6Address => Ipv6Address.parse(s);
