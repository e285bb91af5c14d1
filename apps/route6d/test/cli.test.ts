import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DaemonError } from '@kame/daemon';
import { USAGE, parseArgs, run } from '../src/cli';
import type { Route6dHandle } from '../src/run';
import { P3, buildLine, runFor, testIo, type Line } from './support/kernels';

function usageErr(argv: string[]): DaemonError {
  try {
    parseArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(DaemonError);
    return e as DaemonError;
  }
  throw new Error(`parseArgs(${argv.join(' ')}) did not fail`);
}

describe('route6d command line (reference 3.1)', () => {
  it('no arguments: KAME defaults', () => {
    const a = parseArgs([]);
    expect(a.foreground).toBe(false);
    expect(a.debug).toBe(0);
    expect(a.options).toMatchObject({
      ageStatic: false,
      splitHorizon: 'plain',
      siteLocal: false,
      noKernel: false,
      listenOnly: false,
      advertiseStatic: 'none',
      triggered: 'rfc',
      aggregates: [],
    });
    expect(a.options.routeTag).toBeUndefined();
  });

  it('bundled flags as getopt reads them: -adhlnqs', () => {
    const a = parseArgs(['-adhlnqs']);
    expect(a.options).toMatchObject({
      ageStatic: true,
      splitHorizon: 'off',
      siteLocal: true,
      noKernel: true,
      listenOnly: true,
      advertiseStatic: 'split',
    });
    expect(a.debug).toBe(1);
    expect(a.foreground).toBe(true);
    expect(parseArgs(['-S', '-s']).options.advertiseStatic).toBe('all');
    expect(parseArgs(['-D']).debug).toBe(2);
    expect(parseArgs(['-f']).foreground).toBe(true);
  });

  it('filters: -A, -L, -O repeat; -N and -T take lists; -R takes a file', () => {
    const a = parseArgs([
      '-A',
      '2001:db8::/32,em0,em1',
      '-L2001:db8:1::/48,em0',
      '-L',
      '::/0,em1',
      '-O',
      '2001:db8::/32,em2',
      '-N',
      'em3,em4',
      '-T',
      'em5',
      '-R',
      '/tmp/x',
    ]);
    expect(a.options.aggregates!.map((f) => [f.prefix.toString(), f.ifnames])).toEqual([
      ['2001:db8::/32', ['em0', 'em1']],
    ]);
    expect(a.options.inputFilters!.map((f) => f.prefix.toString())).toEqual(['2001:db8:1::/48', '::/0']);
    expect(a.options.outputFilters!.length).toBe(1);
    expect(a.options.noUse).toEqual(['em3', 'em4']);
    expect(a.options.defaultOnly).toEqual(['em5']);
    expect(a.routeLog).toBe('/tmp/x');
  });

  it('-t: strtoul base 0, 16 bits', () => {
    expect(parseArgs(['-t', '0x10']).options.routeTag).toBe(16);
    expect(parseArgs(['-t010']).options.routeTag).toBe(8);
    expect(parseArgs(['-t', '65535']).options.routeTag).toBe(65535);
    expect(usageErr(['-t', '65536']).message).toMatch(/16 bits/);
    expect(usageErr(['-t', 'abc']).message).toMatch(/invalid route tag/);
  });

  it('options beyond KAME: --triggered, --poisoned-reverse (-h wins), --node', () => {
    expect(parseArgs(['--triggered', 'kame']).options.triggered).toBe('kame');
    expect(parseArgs(['--triggered=rfc']).options.triggered).toBe('rfc');
    expect(parseArgs(['--poisoned-reverse']).options.splitHorizon).toBe('poisoned');
    expect(parseArgs(['--poisoned-reverse', '-h']).options.splitHorizon).toBe('off');
    expect(parseArgs(['--node', 'r7']).node).toBe('r7');
    expect(parseArgs(['--help']).help).toBe(true);
  });

  it.each([
    [['-x'], /invalid option -- x/],
    [['-A'], /requires an argument -- A/],
    [['-A', '2001:db8::/32'], /no interface/],
    [['-A', 'nonsense,em0'], /expected prefix\/len/],
    [['-L', '2001:db8::zz/32,em0'], /invalid prefix/],
    [['em0'], /invalid arguments: em0/],
    [['--triggered', 'soon'], /expected rfc or kame/],
    [['--bogus'], /unknown option --bogus/],
  ])('usage error %j exits 1 with the usage text', (argv, re) => {
    const e = usageErr(argv);
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(re);
    expect(e.message).toContain(USAGE);
  });

  it('MAXFILTER: at most 40 filters', () => {
    const argv: string[] = [];
    for (let i = 0; i < 40; i++) argv.push('-L', `2001:db8:${i.toString(16)}::/48,em0`);
    expect(parseArgs(argv).options.inputFilters!.length).toBe(40);
    expect(usageErr([...argv, '-O', '2001:db8::/32,em0']).message).toMatch(/too many filters/);
  });
});

describe('the route6d program in-process (run over the in-memory transport)', () => {
  let line: Line;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'route6d-cli-'));
    line = await buildLine();
  });

  afterEach(async () => {
    await line.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('-d -R: pid file, route log, SIGUSR1 appends dumps, SIGTERM withdraws and exits 0', async () => {
    const [r1, r2, r3] = line.routers;
    await line.start(r2, 2);
    await line.start(r3, 3);
    const { io, err, signals } = testIo(line.clock, { KAME_RUNDIR: dir });
    const routeLog = join(dir, 'routes.log');
    let code: number | undefined;
    let handle: Route6dHandle | undefined;
    void run({
      argv: ['-d', '-R', routeLog],
      io,
      channelFactory: r1.channelFactory,
      clientClock: line.clock,
      onStarted: (h) => (handle = h),
    }).then((c) => (code = c));
    expect(await runFor(line.clock, 60_000, () => r1.node.routes.get(P3) !== undefined)).toBe(true);
    expect(handle).toBeDefined();
    expect(code).toBeUndefined();
    const pidFile = join(dir, 'inproc.route6d.pid');
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(process.pid));
    expect(readFileSync(routeLog, 'utf8')).toMatch(
      /^\d\d:\d\d:\d\d: ADD: 2001:db8:3::\/64 gw fe80::[0-9a-f:]+ \[2\] ifa fe80::/m,
    );
    signals.raise('SIGUSR1');
    signals.raise('SIGUSR1');
    const dump = readFileSync(join(dir, 'inproc.route6d.dump'), 'utf8');
    // KAME appends: two dumps.
    expect(dump.match(/Routing Table Dump/g)!.length).toBe(2);
    expect(dump).toMatch(/ {4}2001:db8:3::\/64 if\(\d+:em1\) gw\(fe80::[0-9a-f:]+%em1\) \[3\] age\(\d+\)/);
    // r2 hears r1's stub at r1's first update (10 s ±50 % after start).
    const r2e = line.routers[1].handle!.engine;
    expect(await runFor(line.clock, 15_000, () => r2e.route('2001:db8:1::/64') !== undefined)).toBe(true);
    expect(r2e.route('2001:db8:1::/64')!.metric).toBe(2);
    signals.raise('SIGTERM');
    expect(await runFor(line.clock, 1_000, () => code !== undefined)).toBe(true);
    expect(code).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
    expect(signals.listenerCount('SIGUSR1')).toBe(0);
    // The withdrawal reaches r2 (frames on the hub take a tick).
    await runFor(line.clock, 100);
    expect(r2e.route('2001:db8:1::/64')!.metric).toBe(16);
    // -d logs up to LOG_INFO, syslog style, on stderr; nothing went wrong.
    expect(err.join('').replace(/^\w{3} [ \d]\d \d\d:\d\d:\d\d route6d\[\d+\]: /gm, '')).toBe(
      'em0: interface up\nem1: interface up\n**** Terminated ****\n',
    );
  });

  it('--help prints the usage and exits 0; a usage error exits 1 on stderr', async () => {
    const a = testIo(line.clock, { KAME_RUNDIR: dir });
    expect(await run({ argv: ['--help'], io: a.io })).toBe(0);
    expect(a.out.join('')).toContain('usage: route6d');
    const b = testIo(line.clock, { KAME_RUNDIR: dir });
    expect(await run({ argv: ['-Z'], io: b.io })).toBe(1);
    expect(b.err.join('')).toMatch(/^route6d: invalid option -- Z\nusage: route6d/);
  });
});
