import { DaemonError, type InProcessContext, type LogRecord } from '@kame/daemon';
import { KernelClient } from '@kame/kernel-api';
import { SeededRandom } from '@kame/time';
import { buildLine, P1, P3, runFor, type Line, type Router } from '../test/support/kernels';
import { inProcessMain, route6dDumpName } from './in-process';

interface Ctx {
  ctx: InProcessContext;
  records: LogRecord[];
  files: Map<string, string>;
}

async function context(line: Line, r: Router, seed: number): Promise<Ctx> {
  const client = await KernelClient.connect({
    channelFactory: r.channelFactory,
    name: 'route6d',
    clock: line.clock,
    reconnect: false,
  });
  r.client = client;
  const records: LogRecord[] = [];
  const files = new Map<string, string>();
  const ctx: InProcessContext = {
    client,
    node: r.node.name,
    clock: line.clock,
    random: new SeededRandom(seed),
    log: (rec) => void records.push(rec),
    readFile: (p) => {
      throw Object.assign(new Error(`${p}: no such file`), { code: 'ENOENT' });
    },
    writeFile: (p, text, o) => void files.set(p, (o?.append ? (files.get(p) ?? '') : '') + text),
  };
  return { ctx, records, files };
}

describe('route6d inProcessMain (issue 8: daemons in a lab process)', () => {
  let line: Line;

  beforeEach(async () => {
    line = await buildLine();
  });

  afterEach(async () => {
    for (const r of line.routers) r.client?.close();
    await runFor(line.clock, 0);
  });

  it('RFC 2080: parses argv as the command line, learns routes, -R logs them through writeFile, stop() withdraws with metric 16', async () => {
    const [r1, r2, r3] = line.routers;
    const c1 = await context(line, r1, 1);
    const c2 = await context(line, r2, 2);
    const c3 = await context(line, r3, 3);
    const d1 = await inProcessMain(['-R', 'route.log'], c1.ctx);
    const d2 = await inProcessMain(['-d'], c2.ctx);
    const d3 = await inProcessMain([], c3.ctx);
    const learned = (): boolean => r1.node.routes.lookup(P3.address)?.owner === 'route6d';
    expect(await runFor(line.clock, 60_000, learned)).toBe(true);
    expect(r3.node.routes.lookup(P1.address)?.owner).toBe('route6d');
    expect(d1.status()).toMatch(/^\d+ routes$/);

    // -R: KAME opens the route log "w" and appends a line per kernel route change.
    expect(c1.files.get('route.log')).toContain('2001:db8:3::');
    // -d is LOG_INFO: r2 logs info records, r1 (default, LOG_NOTICE) none.
    expect(c2.records.some((r) => r.severity === 'info')).toBe(true);
    expect(c1.records.some((r) => r.severity === 'info' || r.severity === 'debug')).toBe(false);

    // SIGUSR1 (and SIGHUP, SIGINT): the dump is appended, as KAME does to /var/run/route6d_dump.
    d1.signal('SIGUSR1');
    const once = c1.files.get(route6dDumpName('r1'))!;
    expect(once).toContain('2001:db8:3::');
    d1.signal('SIGINT');
    expect(c1.files.get(route6dDumpName('r1'))!.length).toBe(2 * once.length);

    // SIGTERM: r3 advertises its routes with metric 16; r2 and r1 drop P3 at once, not after 180 s.
    const t0 = line.clock.now();
    const code = d3.stop();
    await runFor(line.clock, 10_000, () => r1.node.routes.lookup(P3.address) === undefined);
    expect(await code).toBe(0);
    expect(await d3.exited).toBe(0);
    expect(r2.node.routes.lookup(P3.address)).toBeUndefined();
    expect(r1.node.routes.lookup(P3.address)).toBeUndefined();
    expect(line.clock.now() - t0).toBeLessThan(10_000);
    expect(c3.records.map((r) => r.message)).toContain('**** Terminated ****');
    expect(d3.status()).toBe('exited');

    const s1 = d1.stop();
    const s2 = d2.stop();
    await runFor(line.clock, 1_000);
    expect(await s1).toBe(0);
    expect(await s2).toBe(0);
  });

  it('usage errors reject with DaemonError exit status 1; --help ends at once with 0', async () => {
    const c = await context(line, line.routers[0], 1);
    const err = await inProcessMain(['-Z'], c.ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DaemonError);
    expect((err as DaemonError).exitCode).toBe(1);
    expect((err as DaemonError).message).toMatch(/invalid option -- Z/);
    await expect(inProcessMain(['extra'], c.ctx)).rejects.toMatchObject({ exitCode: 1 });
    const help = await inProcessMain(['--help'], c.ctx);
    expect(await help.exited).toBe(0);
  });
});
