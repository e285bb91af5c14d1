import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { connectUnix, KernelClient, socketPath } from '@kame/kernel-api';
import { processAlive, runUntil } from '@kame/testing';
import { RealClock } from '@kame/time';
import { rtadvctl } from '../src/rtadvctl';

// Live: a kame-kernel process with a router r and a host h on an in-process
// hub, rtadvd as its own process over r's Unix socket (daemon mode: it
// detaches, the parent exits 0 once the pid file is written). Polls with
// deadlines, never sleeps.
const APP = join(__dirname, '..');
const KERNEL_APP = join(APP, '../kernel');
const clock = new RealClock();

interface Proc {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
}

const procs: Proc[] = [];
const clients: KernelClient[] = [];
const daemonPids: number[] = [];
let dir: string;
let rundir: string;

function start(args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const p = { child, out: () => out, exit };
  procs.push(p);
  return p;
}

async function waitFor(
  what: string,
  pred: () => boolean | Promise<boolean>,
  ms: number,
  detail = () => '',
): Promise<void> {
  if (!(await runUntil(clock, pred, ms))) throw new Error(`timed out waiting for ${what}\n${detail()}`);
}

function alive(pid: number): boolean {
  return processAlive(pid);
}

beforeAll(() => {
  for (const p of [KERNEL_APP, APP]) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(p, 'tsconfig.json')], {
      stdio: 'inherit',
    });
  }
}, 180_000);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rtadvd-live-'));
  rundir = join(dir, 'run');
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const pid of daemonPids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const p of procs.splice(0))
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('live: rtadvd as a process over the Unix socket of a kame-kernel', () => {
  it('detaches, advertises (the host autoconfigures), answers rtadvctl, dumps on SIGUSR1, SIGTERM: final RAs, exit', async () => {
    const nodeFile = join(dir, 'lan.node');
    writeFileSync(
      nodeFile,
      [
        'node r',
        '  sysctl net.inet6.ip6.forwarding=1',
        '  interface em0',
        '    mac 02:00:00:00:00:01',
        '    address 2001:db8:1::1/64',
        '    link hub lan0',
        'node h',
        '  sysctl net.inet6.ip6.accept_rtadv=1',
        '  interface em0',
        '    mac 02:00:00:00:00:02',
        '    link hub lan0',
        '',
      ].join('\n'),
    );
    const kernel = start([join(KERNEL_APP, 'dist/main.js'), '--node-file', nodeFile, '--rundir', rundir]);
    await waitFor(
      'the kernel sockets',
      () => existsSync(socketPath('r', rundir)) && existsSync(socketPath('h', rundir)),
      15_000,
      kernel.out,
    );

    // Fast RAs so the test does not wait 16 s: MaxRtrAdvInterval 4, MinRtrAdvInterval 3.
    // Lifetimes below 24.8 days: @kame/time's RealClock fires longer timers after 1 ms
    // (setTimeout overflow), so the host would drop a 30-day SLAAC address at once.
    const conf = join(dir, 'rtadvd.conf');
    writeFileSync(
      conf,
      'em0:\\\n\t:maxinterval#4:mininterval#3:addr="2001:db8:1::":prefixlen#64:vltime#86400:pltime#14400:\n',
    );
    const env = { KAME_RUNDIR: rundir };
    const parent = start([join(APP, 'bin/rtadvd.js'), '-d', '-c', conf, '--node', 'r', 'em0'], env);
    const parentCode = await parent.exit;
    expect({ code: parentCode, out: parent.out() }).toEqual({ code: 0, out: '' });
    const pidFile = join(rundir, 'r.rtadvd.pid');
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    daemonPids.push(pid);
    expect(pid).not.toBe(parent.child.pid);
    expect(alive(pid)).toBe(true);

    const h = await KernelClient.connect({
      channelFactory: () => connectUnix(socketPath('h', rundir)),
      name: 'rtadvd-live-test',
      clock,
      reconnect: false,
    });
    clients.push(h);
    const prefix = Ipv6Prefix.parse('2001:db8:1::/64');
    const slaac = (): Ipv6Address | undefined =>
      h.addresses('em0').find((a) => a.address instanceof Ipv6Address && prefix.contains(a.address))
        ?.address as Ipv6Address | undefined;
    await waitFor(
      'a SLAAC address on h',
      () => slaac() !== undefined,
      15_000,
      () => readFileSync(join(rundir, 'r.rtadvd.log'), 'utf8'),
    );
    expect(slaac()!.toString()).toBe('2001:db8:1::ff:fe00:2');
    const routers = await h.routers();
    expect(routers.length).toBe(1);

    const out: string[] = [];
    const ctlIo = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s), env };
    expect(await rtadvctl(['--node', 'r', 'show'], ctlIo)).toBe(0);
    expect(out.join('')).toMatch(/^em0:\n {2}Status: UP\n {2}Last RA sent: /);
    expect(out.join('')).toContain('DefaultLifetime: 12, MaxAdvInterval: 4, MinAdvInterval: 3');

    const dumpFile = join(rundir, 'r.rtadvd.dump');
    process.kill(pid, 'SIGUSR1');
    await waitFor('the dump file', () => existsSync(dumpFile), 5_000);
    expect(readFileSync(dumpFile, 'utf8')).toContain(
      '    2001:db8:1::/64(CONFIG, vltime: 86400, pltime: 14400, flags: LA)\n',
    );

    const t0 = Date.now();
    process.kill(pid, 'SIGTERM');
    await waitFor('the daemon to exit', () => !alive(pid), 20_000);
    const took = Date.now() - t0;
    // RFC 4861 6.2.5: 3 final RAs, MIN_DELAY_BETWEEN_RAS apart: about 9 s
    expect(took).toBeGreaterThanOrEqual(8_500);
    expect(existsSync(pidFile)).toBe(false);
    // the host heard the router lifetime 0: no default router any more
    await waitFor('h to drop the router', async () => (await h.routers()).length === 0, 5_000);
    const log = readFileSync(join(rundir, 'r.rtadvd.log'), 'utf8');
    expect(log).toMatch(/rtadvd\[\d+\]: <die> cease to be an advertising router/);
    kernel.child.kill('SIGTERM');
    await kernel.exit;
  }, 90_000);
});
