/**
 * RIPng convergence benchmark: route6d on an N x N grid of emulated kernels,
 * in virtual time.
 *
 *   node dist/ripng.js [--json] [--n 10] [--torus] [--search] [--budget 60] [--max-sim 600]
 *
 * Every router is a real @kame/stack KernelNode (forwarding on, DAD off)
 * served by a KernelServer; its route6d is the real program core
 * (startRoute6d) on a KernelClient over memoryPair({ pump }): RIPng
 * datagrams go through the kernels' UDP/IPv6/Ethernet paths and the routes
 * through the routing socket. All share one VirtualClock and one MemoryPump;
 * the driver fires the clock one deadline at a time and settles the pump (and
 * the event loop) in between. RFC 2080 timers as route6d has them (30 s
 * updates, first at 10 s +-50 %, triggered updates held 1-5 s).
 *
 * Router (r, c) has a stub interface with 2001:db8:<id>::/64 and one
 * two-port hub per grid edge to its east and south neighbours (--torus
 * wraps the edges). Converged: every router has, for every other router's
 * stub, a route in its kernel FIB (owner route6d) with the shortest-path
 * metric (hops + 1), or none when that metric is beyond RIPng's 15; since
 * routes only improve after a cold start, each (router, prefix) pair is
 * checked until it holds, then once more all together at the end.
 *
 * Figures: simulated seconds from the routers' start to convergence, wall
 * seconds for the same span (setup, i.e. building the nodes and starting
 * the daemons, is shown apart), speed-up = simulated / wall. --search runs
 * 10x10, 15x15, 20x20, ... until one does not converge within --budget wall
 * seconds (a run is abandoned once it exceeds it), then bisects between the
 * last that did and that one, and reports the largest that converged.
 */
import { Ipv6Address, Ipv6Prefix, MacAddress } from '@kame/addr';
import { createLogger } from '@kame/daemon';
import { KernelClient, MemoryPump, memoryPair } from '@kame/kernel-api';
import { KernelServer } from '@kame/kernel-server';
import { Hub, type LinkEndpoint } from '@kame/link';
import { type Route6dHandle, startRoute6d } from '@kame/route6d';
import { KernelNode } from '@kame/stack';
import { SeededRandom, VirtualClock } from '@kame/time';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const num = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const json = flag('--json');
const torus = flag('--torus');
const budgetS = num('--budget', 60);
const maxSimS = num('--max-sim', 600);
/** RIPng infinity (RFC 2080 2.1). */
const INFINITY = 16;
/** Convergence is checked at most this often (virtual ms): the resolution of the simulated figure. */
const CHECK_MS = 50;
/** Every pending pair is looked at again at least this often (virtual ms). */
const SWEEP_MS = 1000;

interface Router {
  id: number;
  row: number;
  col: number;
  node: KernelNode;
  prefix: Ipv6Prefix;
  handle?: Route6dHandle;
  client?: KernelClient;
}

export interface GridResult {
  n: number;
  routers: number;
  links: number;
  torus: boolean;
  /** (router, prefix) pairs that must have a route (within 15 hops). */
  reachablePairs: number;
  /** Pairs beyond RIPng's horizon (must have none). */
  unreachablePairs: number;
  converged: boolean;
  /** Why not, when not converged. */
  reason?: string;
  simulatedS: number;
  wallS: number;
  setupWallS: number;
  speedup: number;
  rxPackets: number;
  txPackets: number;
  clockEvents: number;
  heapMiB: number;
}

function wire(node: KernelNode, ifname: string, mac: MacAddress, ep: LinkEndpoint): void {
  const ifp = node.attachEthernet(ifname, mac, { output: (frame) => ep.send(frame) });
  ep.onReceive((frame) => node.input(ifp.index, frame));
  node.ifUp(ifname);
}

const macOf = (id: number, port: number): MacAddress =>
  MacAddress.parse(
    `02:00:${((id >> 16) & 0xff).toString(16)}:${((id >> 8) & 0xff).toString(16)}:${(id & 0xff).toString(16)}:${port.toString(16)}`,
  );

function hops(a: Router, b: Router, n: number): number {
  let dr = Math.abs(a.row - b.row);
  let dc = Math.abs(a.col - b.col);
  if (torus && n > 2) {
    dr = Math.min(dr, n - dr);
    dc = Math.min(dc, n - dc);
  }
  return dr + dc;
}

async function runGrid(n: number): Promise<GridResult> {
  const setup0 = performance.now();
  const clock = new VirtualClock(0);
  const pump = new MemoryPump();
  const routers: Router[] = [];
  for (let row = 0; row < n; row++)
    for (let col = 0; col < n; col++) {
      const id = row * n + col + 1;
      const node = new KernelNode({
        name: `r${row}-${col}`,
        clock,
        random: new SeededRandom(id),
        sysctl: { initial: { 'net.inet6.ip6.forwarding': 1, 'net.inet6.ip6.dad_count': 0 } },
      });
      routers.push({ id, row, col, node, prefix: Ipv6Prefix.parse(`2001:db8:${id.toString(16)}::/64`) });
    }
  const at = (row: number, col: number): Router => routers[row * n + col]!;
  const nextPort = new Map<Router, number>();
  const port = (r: Router): number => {
    const p = (nextPort.get(r) ?? 0) + 1;
    nextPort.set(r, p);
    return p;
  };
  let links = 0;
  const link = (a: Router, b: Router): void => {
    const hub = new Hub(`${a.node.name}~${b.node.name}`, { clock });
    for (const r of [a, b]) {
      const p = port(r);
      wire(r.node, `em${p}`, macOf(r.id, p), hub.attach(`${r.node.name}:em${p}`));
    }
    links++;
  };
  for (const r of routers) {
    wire(r.node, 'em0', macOf(r.id, 0), new Hub(`stub-${r.id}`, { clock }).attach(`${r.node.name}:em0`));
    r.node.addAddress(
      'em0',
      Ipv6Address.fromBytes(Uint8Array.from([...r.prefix.address.bytes.subarray(0, 15), 1])),
      64,
    );
  }
  for (const r of routers) {
    if (r.col + 1 < n || (torus && n > 2)) link(r, at(r.row, (r.col + 1) % n));
    if (r.row + 1 < n || (torus && n > 2)) link(r, at((r.row + 1) % n, r.col));
  }
  // Link-local addresses, MLD reports and the like settle before route6d starts.
  await drive(clock, pump, clock.now() + 2000, () => false, Infinity);
  const logger = createLogger({ ident: 'route6d', clock, sink: () => undefined, upto: 'warning' });
  for (const r of routers) {
    const server = new KernelServer(r.node, {
      name: r.node.name,
      privileged: true,
      defer: (fn) => pump.enqueue(fn),
    });
    r.client = await pumped(
      pump,
      KernelClient.connect({
        channelFactory: async () => {
          const [serverEnd, clientEnd] = memoryPair({ pump });
          server.accept(serverEnd);
          return clientEnd;
        },
        name: 'route6d',
        clock,
        reconnect: false,
      }),
    );
    r.handle = await pumped(
      pump,
      startRoute6d({ client: r.client, clock, random: new SeededRandom(1000 + r.id), logger }),
    );
  }
  const setupWallS = (performance.now() - setup0) / 1000;

  // The truth every router must reach, one pending list per router.
  let reachablePairs = 0;
  let unreachablePairs = 0;
  const pending = routers.map((r) =>
    routers.flatMap((m) => {
      if (m === r) return [];
      const want = hops(r, m, n) + 1;
      if (want >= INFINITY) {
        unreachablePairs++;
        return [];
      }
      reachablePairs++;
      return [{ prefix: m.prefix, want }];
    }),
  );
  const holds = (r: Router, p: Ipv6Prefix, want: number): boolean => {
    const rt = r.node.routes.get(p);
    return rt?.owner === 'route6d' && r.handle!.engine.route(p)?.metric === want;
  };
  let left = reachablePairs;
  // A router's pending pairs are re-examined when its engine added or changed a route since
  // the last look (the pump is settled before each check, so the FIB has caught up), and all
  // of them every SWEEP_MS anyway: the check stays cheap next to the routers it measures.
  const seen = routers.map(() => -1);
  const changes = (r: Router): number =>
    r.handle!.engine.stats.routesAdded + r.handle!.engine.stats.routesChanged;
  let lastSweep = -Infinity;
  const check = (): boolean => {
    const sweep = clock.now() - lastSweep >= SWEEP_MS;
    if (sweep) lastSweep = clock.now();
    for (const [i, r] of routers.entries()) {
      const list = pending[i]!;
      if (list.length === 0) continue;
      const c = changes(r);
      if (!sweep && c === seen[i]) continue;
      seen[i] = c;
      const still = list.filter((x) => !holds(r, x.prefix, x.want));
      left -= list.length - still.length;
      pending[i] = still;
    }
    return left === 0;
  };

  const t0 = clock.now();
  const wall0 = performance.now();
  const events0 = eventCount;
  const outcome = await drive(clock, pump, t0 + maxSimS * 1000, check, wall0 + budgetS * 1000);
  const wallS = (performance.now() - wall0) / 1000;
  const simulatedS = (clock.now() - t0) / 1000;
  let reason: string | undefined;
  if (outcome === 'budget') reason = `over the ${budgetS} s wall budget with ${left} pairs left`;
  else if (outcome === 'time') reason = `not converged after ${maxSimS} simulated s (${left} pairs left)`;
  else {
    // Everything at once: reachable pairs still hold, unreachable ones have no usable route.
    const bad: string[] = [];
    for (const r of routers)
      for (const m of routers) {
        if (m === r) continue;
        const want = hops(r, m, n) + 1;
        const metric = r.handle!.engine.route(m.prefix)?.metric;
        const inFib = r.node.routes.get(m.prefix)?.owner === 'route6d';
        const ok = want < INFINITY ? metric === want && inFib : (metric ?? INFINITY) >= INFINITY && !inFib;
        if (!ok && bad.length < 5)
          bad.push(`${r.node.name} -> ${m.node.name}: metric ${metric}, want ${want}`);
      }
    if (bad.length > 0) reason = `final check failed: ${bad.join('; ')}`;
  }
  let rxPackets = 0;
  let txPackets = 0;
  for (const r of routers) {
    rxPackets += r.handle!.engine.stats.rxPackets;
    txPackets += r.handle!.engine.stats.txPackets;
  }
  const result: GridResult = {
    n,
    routers: routers.length,
    links,
    torus,
    reachablePairs,
    unreachablePairs,
    converged: reason === undefined,
    ...(reason !== undefined ? { reason } : {}),
    simulatedS,
    wallS,
    setupWallS,
    speedup: simulatedS / wallS,
    rxPackets,
    txPackets,
    clockEvents: eventCount - events0,
    heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
  };
  for (const r of routers) {
    if (r.handle) await pumped(pump, r.handle.stop()).catch(() => undefined);
    r.client?.close();
  }
  await pump.settle();
  return result;
}

let eventCount = 0;

/** Awaits `p` while settling the pump (the in-memory IPC only moves when it is flushed). */
async function pumped<T>(pump: MemoryPump, p: Promise<T>): Promise<T> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let turn = 0; !done; turn++) {
    if (turn > 100_000) throw new Error('bench: IPC never completed');
    await pump.settle();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return p;
}

/**
 * Fires `clock` one deadline at a time up to `untilMs`, settling the pump in
 * between, until check() holds ('done'), virtual time runs out ('time') or
 * the wall clock passes `wallDeadline` ('budget').
 */
async function drive(
  clock: VirtualClock,
  pump: MemoryPump,
  untilMs: number,
  check: () => boolean,
  wallDeadline: number,
): Promise<'done' | 'time' | 'budget'> {
  let lastCheck = -Infinity;
  for (;;) {
    await pump.settle();
    if (clock.now() - lastCheck >= CHECK_MS) {
      lastCheck = clock.now();
      if (check()) return 'done';
      if (performance.now() > wallDeadline) return 'budget';
    }
    const next = clock.nextDeadline();
    if (next === undefined || next > untilMs) {
      clock.runUntil(untilMs);
      await pump.settle();
      return check() ? 'done' : 'time';
    }
    eventCount += clock.runUntil(next);
  }
}

function row(r: GridResult): string {
  const grid = `${r.n}x${r.n}${r.torus ? ' torus' : ''}`;
  const status = r.converged ? 'yes' : `no (${r.reason})`;
  return [
    grid.padEnd(13),
    String(r.routers).padStart(7),
    String(r.links).padStart(6),
    String(r.reachablePairs).padStart(9),
    r.simulatedS.toFixed(2).padStart(8),
    r.wallS.toFixed(2).padStart(8),
    r.setupWallS.toFixed(2).padStart(8),
    r.speedup.toFixed(1).padStart(8),
    String(r.txPackets).padStart(9),
    r.heapMiB.toFixed(0).padStart(6),
    `  ${status}`,
  ].join(' ');
}

const HEADER = [
  'grid'.padEnd(13),
  'routers'.padStart(7),
  'links'.padStart(6),
  'pairs'.padStart(9),
  'sim s'.padStart(8),
  'wall s'.padStart(8),
  'setup s'.padStart(8),
  'speedup'.padStart(8),
  'tx pkts'.padStart(9),
  'MiB'.padStart(6),
  '  converged',
].join(' ');

async function main(): Promise<void> {
  const results: GridResult[] = [];
  const say = (s: string): void => {
    if (!json) console.log(s);
  };
  say(
    `RIPng convergence bench: route6d (startRoute6d) on KernelNode + KernelServer, memoryPair({ pump }), ` +
      `virtual time (node ${process.version}; budget ${budgetS} s wall)`,
  );
  say(HEADER);
  if (flag('--search')) {
    let largest: GridResult | undefined;
    let failed: number | undefined;
    for (let n = num('--n', 10); ; n += 5) {
      const r = await runGrid(n);
      results.push(r);
      say(row(r));
      if (!r.converged) {
        failed = n;
        break;
      }
      largest = r;
    }
    // Bisect between the last grid that made it and the first that did not.
    while (largest && failed !== undefined && failed - largest.n > 1) {
      const r = await runGrid(Math.floor((largest.n + failed) / 2));
      results.push(r);
      say(row(r));
      if (r.converged) largest = r;
      else failed = r.n;
    }
    say(
      largest
        ? `largest grid converging within ${budgetS} s wall: ${largest.n}x${largest.n} (${largest.routers} routers)`
        : `no grid converged within ${budgetS} s wall`,
    );
  } else {
    const r = await runGrid(num('--n', 10));
    results.push(r);
    say(row(r));
  }
  if (json) console.log(JSON.stringify(results, null, 2));
  const first = results[0]!;
  if (!first.converged) process.exitCode = 1;
}

void main();
