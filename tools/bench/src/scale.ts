/**
 * Scale benchmark (issue 8): a k×k grid of KAME routers, each running route6d
 * and rtadvd (advertising on a stub LAN interface that carries the router's
 * own /64), in one Node process over the in-memory transport.
 *
 *   npm run bench:scale                 (tools/bench; builds nothing: run `npx tsc -b tools/bench/tsconfig.json` first)
 *   node --expose-gc dist/scale.js [--sizes 25,100,...] [--limit-s 60] [--triggered kame|rfc] [--virtual-n 100]
 *
 * For every size N, a child process (node --expose-gc) brings the grid up in
 * in-process mode on the real clock and waits until every router has a route
 * to every grid prefix within RIPng's 14-hop horizon (2001:db8:<router>::/64), within --limit-s seconds of
 * wall clock from the start (bring-up included). Sizes grow until one fails.
 * Memory per router = (heapUsed / RSS after gc, converged) minus (before the
 * lab), divided by N. Then one virtual-mode run of the --virtual-n grid gives
 * the speed-up: simulated seconds to converge / wall seconds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ipv6Address, Ipv6Prefix, MacAddress } from '@kame/addr';
import { startInProcessLab, type InProcessLab } from '@kame/cli/dist/lab/inprocess';
import { resolveLab, type Lab, type LabSpec, type LinkSpec, type NodeSpec } from '@kame/lab';

const POS = { line: 0, column: 0 };

interface Options {
  sizes: number[];
  limitS: number;
  triggered: 'kame' | 'rfc';
  virtualN: number;
  trial?: { n: number; mode: 'in-process' | 'virtual' };
}

function parseOptions(argv: readonly string[]): Options {
  const o: Options = {
    sizes: [25, 100, 225, 400, 625, 900, 1024, 1225, 1600],
    limitS: 60,
    triggered: 'kame',
    virtualN: 100,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--sizes' && v !== undefined)
      o.sizes = v
        .split(',')
        .map(Number)
        .filter((x) => x > 0);
    else if (a === '--limit-s' && v) o.limitS = Number(v);
    else if (a === '--triggered' && (v === 'kame' || v === 'rfc')) o.triggered = v;
    else if (a === '--virtual-n' && v) o.virtualN = Number(v);
    else if (a === '--trial' && v) {
      const [n, mode] = v.split(':');
      o.trial = { n: Number(n), mode: mode === 'virtual' ? 'virtual' : 'in-process' };
    } else continue;
    i++;
  }
  return o;
}

/** Router i's stub prefix: 2001:db8:<i>::/64. */
function stubPrefix(i: number): Ipv6Prefix {
  return Ipv6Prefix.parse(`2001:db8:${i.toString(16)}::/64`);
}

/** A k×k grid: point-to-point links east and south, a stub LAN em4 per router (no link). */
export function gridLab(n: number, triggered: 'kame' | 'rfc'): Lab {
  const k = Math.ceil(Math.sqrt(n));
  const name = (i: number): string => `r${i}`;
  const links: LinkSpec[] = [];
  const ifs = new Map<number, Set<string>>();
  const use = (i: number, ifname: string): void => {
    let s = ifs.get(i);
    if (!s) ifs.set(i, (s = new Set()));
    s.add(ifname);
  };
  const p2p = (a: number, aif: string, b: number, bif: string): void => {
    use(a, aif);
    use(b, bif);
    links.push({
      kind: 'p2p',
      endpoints: [
        { node: name(a), ifname: aif, pos: POS },
        { node: name(b), ifname: bif, pos: POS },
      ],
      impair: {},
      pos: POS,
    });
  };
  for (let i = 0; i < n; i++) {
    const x = i % k;
    const y = Math.floor(i / k);
    if (x + 1 < k && i + 1 < n) p2p(i, 'em0', i + 1, 'em1'); // east
    if (y + 1 < k && i + k < n) p2p(i, 'em3', i + k, 'em2'); // south
  }
  const mac = (i: number, ifn: number): MacAddress =>
    MacAddress.fromBytes(Uint8Array.of(0x02, 0x00, (i >> 8) & 0xff, i & 0xff, 0x00, ifn + 1));
  const nodes: NodeSpec[] = [];
  for (let i = 0; i < n; i++) {
    const prefix = stubPrefix(i);
    const names = [...(ifs.get(i) ?? []), 'em4'];
    nodes.push({
      name: name(i),
      kind: 'kame',
      role: 'router',
      sysctl: [],
      interfaces: names.map((ifname) => ({
        name: ifname,
        addresses:
          ifname === 'em4'
            ? [{ address: Ipv6Address.parse(`${prefix.address.toString()}1`), prefixLength: 64, pos: POS }]
            : [],
        mac: mac(i, Number(ifname.slice(2))),
        pos: POS,
      })),
      routes: [],
      daemons: [
        {
          name: 'route6d',
          argv: ['route6d', '--triggered', triggered],
          env: {},
          files: [],
          after: [],
          pos: POS,
        },
        {
          name: 'rtadvd',
          argv: ['rtadvd', '-c', 'rtadvd.conf', 'em4'],
          env: {},
          files: [
            {
              name: 'rtadvd.conf',
              source: 'inline',
              content: `em4:\\\n\t:addr="${prefix.address.toString()}":prefixlen#64:\n`,
              pos: POS,
            },
          ],
          after: ['route6d'],
          pos: POS,
        },
      ],
      pos: POS,
    });
  }
  const spec: LabSpec = { file: 'grid.yaml', name: `grid${n}`, nodes, links, checks: [], warnings: [] };
  return resolveLab(spec);
}

/**
 * RIPng's horizon (RFC 2080 2.1: metric 16 is infinity): a stub prefix is
 * advertised with metric 1 and every hop adds 1, so a router learns the
 * prefixes at most 14 hops away. A 10×10 grid is already wider than that.
 */
export const RIPNG_RADIUS = 14;

/** For every router, the probe addresses of the grid prefixes within RIPng's horizon. */
function expectedProbes(n: number): Ipv6Address[][] {
  const k = Math.ceil(Math.sqrt(n));
  const probes = Array.from({ length: n }, (_, i) =>
    Ipv6Address.parse(`${stubPrefix(i).address.toString()}1`),
  );
  return Array.from({ length: n }, (_, i) =>
    probes.filter(
      (_, j) => Math.abs((i % k) - (j % k)) + Math.abs(Math.floor(i / k) - Math.floor(j / k)) <= RIPNG_RADIUS,
    ),
  );
}

/**
 * Routers whose FIB has a route to every grid prefix within RIPng's horizon.
 * Routers already seen converged are skipped (`done`) until everything looks
 * converged; then all are checked again, so the answer is a full check.
 */
function convergedCount(rl: InProcessLab, expected: Ipv6Address[][], done: Set<number>): number {
  const ok = (i: number): boolean => {
    const k = rl.kernel(`r${i}`);
    return expected[i]!.every((a) => k.routes.lookup(a) !== undefined);
  };
  for (let i = 0; i < expected.length; i++) if (!done.has(i) && ok(i)) done.add(i);
  if (done.size < expected.length) return done.size;
  for (const i of [...done]) if (!ok(i)) done.delete(i);
  return done.size;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

interface TrialResult {
  n: number;
  mode: string;
  upS: number;
  convergedS: number | null;
  simConvergedS: number | null;
  converged: number;
  heapPerRouterMB: number;
  rssPerRouterMB: number;
  heapTotalMB: number;
  rssTotalMB: number;
  /** Virtual mode: simulated seconds per wall second over 300 s after convergence (steady state). */
  steadySpeedup: number | null;
}

async function trial(n: number, mode: 'in-process' | 'virtual', o: Options): Promise<TrialResult> {
  const lab = gridLab(n, o.triggered);
  const expected = expectedProbes(n);
  const done = new Set<number>();
  gc();
  const before = process.memoryUsage();
  const rundir = mkdtempSync(join(tmpdir(), 'kame-scale-'));
  const t0 = performance.now();
  const rl = (await startInProcessLab(lab, {
    mode,
    seed: 1,
    rundir,
    progress: () => undefined,
  })) as InProcessLab;
  const upS = (performance.now() - t0) / 1000;
  const limitMs = o.limitS * 1000;
  let convergedS: number | null = null;
  let simConvergedS: number | null = null;
  let count = 0;
  if (mode === 'virtual') {
    // Check every simulated second (the check is O(N^2) lookups, cheap next to the simulation).
    for (let t = Math.ceil(rl.now() / 1000) * 1000; t <= 600_000; t += 1000) {
      await rl.runUntil(() => false, t);
      count = convergedCount(rl, expected, done);
      if (count === n) {
        simConvergedS = rl.now() / 1000;
        convergedS = (performance.now() - t0) / 1000;
        break;
      }
    }
  } else {
    for (;;) {
      count = convergedCount(rl, expected, done);
      const el = performance.now() - t0;
      if (count === n) {
        convergedS = el / 1000;
        simConvergedS = rl.now() / 1000;
        break;
      }
      if (el > limitMs) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  let steadySpeedup: number | null = null;
  if (mode === 'virtual' && count === n) {
    const s0 = performance.now();
    await rl.runFor(300_000);
    steadySpeedup = 300 / ((performance.now() - s0) / 1000);
  }
  gc();
  const after = process.memoryUsage();
  const mb = (b: number): number => b / (1024 * 1024);
  const result: TrialResult = {
    n,
    mode,
    upS,
    convergedS,
    simConvergedS,
    converged: count,
    heapPerRouterMB: mb(after.heapUsed - before.heapUsed) / n,
    rssPerRouterMB: mb(after.rss - before.rss) / n,
    heapTotalMB: mb(after.heapUsed),
    rssTotalMB: mb(after.rss),
    steadySpeedup,
  };
  rmSync(rundir, { recursive: true, force: true });
  return result;
}

function runChild(
  n: number,
  mode: 'in-process' | 'virtual',
  o: Options,
): TrialResult | { n: number; error: string } {
  const args = [
    '--expose-gc',
    '--max-old-space-size=12288',
    __filename,
    '--trial',
    `${n}:${mode}`,
    '--limit-s',
    String(o.limitS),
    '--triggered',
    o.triggered,
  ];
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    timeout: (o.limitS + 120) * 1000,
    maxBuffer: 1 << 24,
  });
  const line = r.stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) {
    return {
      n,
      error: `exit ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`,
    };
  }
  return JSON.parse(line) as TrialResult;
}

const f = (v: number | null, d = 1): string => (v === null ? '-' : v.toFixed(d));

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (o.trial) {
    const r = await trial(o.trial.n, o.trial.mode, o);
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0); // the lab is not taken down: its SIGTERM work (final RAs) is not what we measure
  }
  console.log(
    `scale: k×k grid, route6d (--triggered ${o.triggered}) + rtadvd per router, in-process mode, ` +
      `real clock, limit ${o.limitS} s wall (bring-up + convergence)`,
  );
  console.log(
    '     N   up s  converged s   sim s  routers ok  heap MB/router  RSS MB/router  heap MB  RSS MB',
  );
  let largest = 0;
  for (const n of o.sizes) {
    const r = runChild(n, 'in-process', o);
    if ('error' in r) {
      console.log(`${String(n).padStart(6)}  failed: ${r.error}`);
      break;
    }
    console.log(
      `${String(n).padStart(6)} ${f(r.upS).padStart(6)} ${f(r.convergedS).padStart(12)} ${f(r.simConvergedS).padStart(7)} ` +
        `${`${r.converged}/${n}`.padStart(11)} ${f(r.heapPerRouterMB, 2).padStart(15)} ${f(r.rssPerRouterMB, 2).padStart(14)} ` +
        `${f(r.heapTotalMB, 0).padStart(8)} ${f(r.rssTotalMB, 0).padStart(7)}`,
    );
    if (r.convergedS === null || r.convergedS > o.limitS) break;
    largest = n;
  }
  if (o.sizes.length > 0) console.log(`largest N converged within ${o.limitS} s: ${largest || 'none'}`);
  // Virtual mode: the same grid with both triggered-update policies (with RFC 2080 2.5.1's 1-5 s
  // rate limit convergence takes simulated time, which is where virtual time pays off).
  for (const triggered of ['kame', 'rfc'] as const) {
    const v = runChild(o.virtualN, 'virtual', { ...o, triggered });
    if ('error' in v) console.log(`virtual ${o.virtualN} (--triggered ${triggered}): failed: ${v.error}`);
    else
      console.log(
        `virtual mode, ${o.virtualN} routers, --triggered ${triggered}: converged at ${f(v.simConvergedS)} s simulated ` +
          `in ${f(v.convergedS, 2)} s wall (bring-up ${f(v.upS, 2)} s): speed-up ` +
          `${v.simConvergedS && v.convergedS ? f(v.simConvergedS / v.convergedS) : '-'}x; ` +
          `then 300 s simulated at ${f(v.steadySpeedup, 0)}x; heap ${f(v.heapPerRouterMB, 2)} MB/router`,
      );
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
