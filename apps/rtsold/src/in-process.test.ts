import { Ipv6Prefix } from '@kame/addr';
import { DaemonError, type InProcessContext, type LogRecord } from '@kame/daemon';
import { IN6_IFF_AUTOCONF } from '@kame/stack';
import { SeededRandom } from '@kame/time';
import { buildLan, PREFIX, runFor, type Lan } from '../test/support/lan';
import { inProcessMain, rtsoldDumpName, rtsolInProcessMain } from './in-process';

interface Ctx {
  ctx: InProcessContext;
  records: LogRecord[];
  files: Map<string, string>;
}

async function context(lan: Lan): Promise<Ctx> {
  const client = await lan.connect('rtsold');
  const records: LogRecord[] = [];
  const files = new Map<string, string>();
  return {
    records,
    files,
    ctx: {
      client,
      node: 'h',
      clock: lan.clock,
      random: new SeededRandom(3),
      log: (rec) => void records.push(rec),
      readFile: (p) => {
        throw Object.assign(new Error(`${p}: no such file`), { code: 'ENOENT' });
      },
      writeFile: (p, text) => void files.set(p, text),
    },
  };
}

const configured = (lan: Lan): boolean =>
  lan.host
    .ifnet('em0')!
    .addresses.some(
      (a) => (a.flags & IN6_IFF_AUTOCONF) !== 0 && Ipv6Prefix.parse(PREFIX).contains(a.address),
    );

describe('rtsold inProcessMain (issue 8: daemons in a lab process)', () => {
  let lan: Lan;

  beforeEach(async () => {
    lan = buildLan();
    await runFor(lan.clock, 3_000); // DAD of the link-local addresses
  });

  afterEach(() => lan.dispose());

  it('RFC 4861 6.3.7: solicits on start, with -F the host autoconfigures; SIGUSR1 dumps; stop() ends with 0', async () => {
    const c = await context(lan);
    // -F: rtsold sets accept_rtadv=1 itself (this host kernel starts with the default 0).
    const d = await inProcessMain(['-F', '-d', 'em0'], c.ctx);
    await runFor(lan.clock, 10_000, () => configured(lan));
    expect(configured(lan)).toBe(true);
    expect(lan.rsSeen.length).toBeGreaterThanOrEqual(1);
    await runFor(lan.clock, 1_000);
    expect(d.status()).toBe('em0 IDLE');
    // -d: LOG_DEBUG records reach the context's log.
    expect(c.records.some((r) => r.severity === 'debug')).toBe(true);
    d.signal('SIGUSR1');
    expect(c.files.get(rtsoldDumpName('h'))).toContain('rtsold status: IDLE');
    const code = d.stop();
    await runFor(lan.clock, 100);
    expect(await code).toBe(0);
    expect(d.status()).toBe('exited');
  });

  it('rtsol (-f -1): ends by itself with 0 once the interface got its Router Advertisement', async () => {
    const c = await context(lan);
    const d = await rtsolInProcessMain(['em0'], c.ctx);
    let code: number | undefined;
    void d.exited.then((x) => (code = x));
    await runFor(lan.clock, 10_000, () => code !== undefined);
    expect(code).toBe(0);
    expect(lan.raSent.length).toBeGreaterThanOrEqual(1);
    // Without -d the mask is LOG_NOTICE: no debug records.
    expect(c.records.some((r) => r.severity === 'debug')).toBe(false);
  });

  it('a signal rtsold installs no handler for (SIGHUP) ends it at once with 128 + 1', async () => {
    const c = await context(lan);
    const d = await inProcessMain(['em0'], c.ctx);
    d.signal('SIGHUP');
    await runFor(lan.clock, 100);
    expect(await d.exited).toBe(129);
  });

  it('usage errors reject with DaemonError exit status 1, rtsol refusing rtsold-only flags', async () => {
    const c = await context(lan);
    for (const [main, argv] of [
      [inProcessMain, ['-a', 'em0']],
      [inProcessMain, []],
      [rtsolInProcessMain, ['-m', 'em0']],
      [inProcessMain, ['-O', 'relative/script', 'em0']],
    ] as const) {
      const err = await main(argv, c.ctx).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DaemonError);
      expect((err as DaemonError).exitCode).toBe(1);
    }
    const help = await inProcessMain(['--help'], c.ctx);
    expect(await help.exited).toBe(0);
  });
});
