import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runUntil } from '@kame/testing';
import { RealClock } from '@kame/time';

// Live: real kame-kernel processes (node dist/main.js, built by `tsc -b`)
// joined by VXLAN over UDP on 127.0.0.1. Polls with deadlines, never sleeps.
const MAIN = join(__dirname, '../dist/main.js');
const clock = new RealClock();
/** The kernel API sockets go to a private rundir, never the user's /tmp/kame-UID. */
const rundir = mkdtempSync(join(tmpdir(), 'kame-live-'));

interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const procs: Proc[] = [];

function kameKernel(args: string[]): Proc {
  const child = spawn(process.execPath, [MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KAME_RUNDIR: rundir },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const p = { child, out: () => out, err: () => err, exit };
  procs.push(p);
  return p;
}

async function exited(
  p: Proc,
  deadlineMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let result: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void p.exit.then((r) => (result = r));
  await runUntil(clock, () => result !== undefined, deadlineMs);
  if (!result) throw new Error(`no exit within ${deadlineMs} ms; stderr:\n${p.err()}`);
  return result;
}

async function waitFor(
  what: string,
  pred: () => boolean,
  deadlineMs: number,
  detail: () => string,
): Promise<void> {
  if (!(await runUntil(clock, pred, deadlineMs)))
    throw new Error(`timed out waiting for ${what}\n${detail()}`);
}

/** Two UDP ports free right now on 127.0.0.1. */
async function freePorts(n: number): Promise<number[]> {
  const socks = await Promise.all(
    Array.from({ length: n }, () => {
      const s = createSocket('udp4');
      return new Promise<ReturnType<typeof createSocket>>((resolve) =>
        s.bind(0, '127.0.0.1', () => resolve(s)),
      );
    }),
  );
  const ports = socks.map((s) => s.address().port);
  await Promise.all(socks.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

afterEach(() => {
  for (const p of procs.splice(0))
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
});

afterAll(() => rmSync(rundir, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npx tsc -b apps/kernel' first`);
});

describe('live: kame-kernel processes over VXLAN on 127.0.0.1', () => {
  it('an IPv6 ping crosses between two processes; SIGTERM stops both with exit 0', async () => {
    const [pa, pb] = await freePorts(2);
    const link = (me: number, peer: number) => `vni=4242,bind=127.0.0.1:${me},remote=127.0.0.1:${peer}`;
    const a = kameKernel([
      '--node',
      'a',
      '--if',
      `em0,${link(pa!, pb!)},mac=02:00:00:00:00:0a,addr=2001:db8::a/64`,
      '--log-level',
      'debug',
    ]);
    await waitFor('a ready', () => a.err().includes('notice: ready: a'), 10_000, a.err);
    const b = kameKernel([
      '--node',
      'b',
      '--if',
      `em0,${link(pb!, pa!)},mac=02:00:00:00:00:0b,addr=2001:db8::b/64`,
      '--log-level',
      'debug',
      '--ping',
      'fe80::ff:fe00:a%em0',
      '--count',
      '3',
      '--interval',
      '200',
      '--then-run',
    ]);
    await waitFor(
      'b ping statistics',
      () => b.out().includes('packets transmitted'),
      20_000,
      () => b.out() + b.err(),
    );
    expect(b.out()).toMatch(/^64 bytes from fe80::ff:fe00:a%em0, icmp_seq=\d hlim=64 time=[\d.]+ ms$/m);
    expect(b.out()).toMatch(/3 packets transmitted, [123] packets received/);
    // The other side saw the requests from b's link-local (EUI-64 of 02:00:00:00:00:0b).
    expect(a.err()).toMatch(/debug: a: em0: icmp6 echo request from fe80::ff:fe00:b to fe80::ff:fe00:a/);
    expect(b.err()).toMatch(/debug: b: em0: icmp6 echo reply from fe80::ff:fe00:a/);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await exited(a, 5000)).toEqual({ code: 0, signal: null });
    expect(await exited(b, 5000)).toEqual({ code: 0, signal: null });
    expect(a.err()).toContain('notice: SIGTERM: stopping');
    expect(a.err()).toContain('notice: stopped');
  }, 40_000);

  it('--ping one-shot exits 0 with a reply (::1) and 1 without one', async () => {
    const base = ['--sysctl', 'net.inet6.ip6.dad_count=0', '--log-level', 'err'];
    const ok = kameKernel([
      '--if',
      'em0,hub=solo,addr=2001:db8::1/64',
      ...base,
      '--ping',
      '::1',
      '--count',
      '1',
    ]);
    expect(await exited(ok, 10_000)).toEqual({ code: 0, signal: null });
    expect(ok.out()).toContain('64 bytes from ::1, icmp_seq=0');
    const lost = kameKernel([
      '--if',
      'em0,hub=solo,addr=2001:db8::1/64',
      ...base,
      '--ping',
      '2001:db8::99',
      '--count',
      '1',
      '--wait',
      '300',
    ]);
    expect(await exited(lost, 10_000)).toEqual({ code: 1, signal: null });
    expect(lost.out()).toContain('1 packets transmitted, 0 packets received, 100.0% packet loss');
  }, 30_000);

  it('bad flags exit 2 with the message on stderr; a taken port exits 1', async () => {
    const bad = kameKernel(['--if', 'em0,vni=x']);
    expect(await exited(bad, 10_000)).toEqual({ code: 2, signal: null });
    expect(bad.err()).toContain('vni: VNI must be an integer 0..16777215');
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', () => resolve()));
    try {
      const port = holder.address().port;
      const busy = kameKernel(['--if', `em0,vni=1,bind=127.0.0.1:${port},remote=127.0.0.1:9`]);
      expect(await exited(busy, 10_000)).toEqual({ code: 1, signal: null });
      expect(busy.err()).toContain(`cannot bind 127.0.0.1:${port}: EADDRINUSE`);
    } finally {
      holder.close();
    }
  }, 30_000);
});
