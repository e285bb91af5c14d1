import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { Icmp6Endpoint } from '@kame/daemon';
import { connectUnix, KernelClient } from '@kame/kernel-api';
import { processAlive, runUntil } from '@kame/testing';
import { RealClock } from '@kame/time';
import { emitNdMessage, ndMessageLen, ND_ROUTER_SOLICIT, type RouterAdvertRepr } from '@kame/wire';

// Live: a kame-kernel process (apps/kernel/dist/main.js) with a router node and a host node on an
// in-process hub, the real rtsol program (bin/rtsol.js) attached to the host over its Unix socket,
// and the router side answered from this process through a raw ICMPv6 socket on the router node.
// Bounded polling, never sleeps; children are killed by pid; the rundir is removed.
const KERNEL = join(__dirname, '..', '..', 'kernel', 'dist', 'main.js');
const RTSOL = join(__dirname, '..', 'bin', 'rtsol.js');
const RTSOLD = join(__dirname, '..', 'bin', 'rtsold.js');
const clock = new RealClock();
const PREFIX = Ipv6Prefix.parse('2001:db8:5::/64');

interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(file: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out: () => out, err: () => err, exit };
}

async function exited(p: Proc, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let r: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void p.exit.then((x) => (r = x));
  await runUntil(clock, () => r !== undefined, ms);
  if (!r) throw new Error(`no exit within ${ms} ms; stderr:\n${p.err()}`);
  return r;
}

async function stop(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([
    p.exit,
    new Promise<undefined>((res) => (timer = setTimeout(() => res(undefined), 5000))),
  ]);
  clearTimeout(timer);
  if (!r) p.child.kill('SIGKILL');
}

function raBytes(other = false): Uint8Array {
  const ra: RouterAdvertRepr = {
    kind: 'routerAdvert',
    code: 0,
    curHopLimit: 64,
    managed: false,
    other,
    homeAgent: false,
    preference: 'medium',
    proxy: false,
    routerLifetime: 1800,
    reachableTime: 0,
    retransTimer: 0,
    options: [
      {
        kind: 'prefixInfo',
        prefixLength: 64,
        onLink: true,
        autonomous: true,
        routerAddr: false,
        validLifetime: 86400,
        preferredLifetime: 14400,
        prefix: PREFIX.network,
      },
    ],
  };
  const out = new Uint8Array(ndMessageLen(ra));
  emitNdMessage(ra, out, 0);
  return out;
}

async function attach(sock: string, name: string): Promise<KernelClient> {
  return KernelClient.connect({ channelFactory: () => connectUnix(sock), name, clock, reconnect: false });
}

describe('rtsol against a live kame-kernel over its Unix socket', () => {
  let dir = '';
  let kernel: Proc | undefined;
  let daemon: Proc | undefined;
  let router: KernelClient | undefined;
  let endpoint: Icmp6Endpoint | undefined;
  const rsSeen: { src: string; hoplimit: number | undefined; dst: string | undefined }[] = [];
  let answer = true;
  let otherFlag = false;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rtsold-live-'));
    kernel = start(
      KERNEL,
      ['--node-file', join(__dirname, 'fixtures', 'router-host.node'), '--rundir', dir, '--seed', '7'],
      { ...process.env, KAME_RUNDIR: dir },
    );
    const up = await runUntil(
      clock,
      () => existsSync(join(dir, 'r.sock')) && existsSync(join(dir, 'h.sock')),
      10_000,
    );
    if (!up) throw new Error(`kame-kernel did not come up:\n${kernel.err()}`);
    router = await attach(join(dir, 'r.sock'), 'test-router');
    endpoint = await Icmp6Endpoint.open(router, { types: [ND_ROUTER_SOLICIT] });
    // As rtadvd would: listen on all-routers, answer each RS with an RA to all-nodes.
    await endpoint.join('em0', Ipv6Address.parse('ff02::2'));
    endpoint.onMessage((m) => {
      rsSeen.push({ src: m.src.toString(), hoplimit: m.hoplimit, dst: m.dst?.toString() });
      if (answer)
        void endpoint!.send('em0', Ipv6Address.parse('ff02::1'), raBytes(otherFlag)).catch(() => undefined);
    });
  }, 30_000);

  afterAll(async () => {
    endpoint?.close();
    router?.close();
    await stop(daemon);
    await stop(kernel);
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('reference 10.3: `rtsol -F --node h.sock em0` exits 0 and the host has an address from the prefix', async () => {
    const p = start(RTSOL, ['-F', '--node', join(dir, 'h.sock'), 'em0'], {
      ...process.env,
      KAME_RUNDIR: dir,
    });
    const r = await exited(p, 20_000);
    expect(p.err()).toBe('');
    expect(r).toEqual({ code: 0, signal: null });
    expect(rsSeen.length).toBeGreaterThanOrEqual(1);
    expect(rsSeen[0]).toMatchObject({ hoplimit: 255, dst: 'ff02::2' });
    expect(Ipv6Address.parse(rsSeen[0]!.src).isLinkLocal()).toBe(true);
    const host = await attach(join(dir, 'h.sock'), 'test-check');
    try {
      // SLAAC runs DAD on the new address first; it is in the mirror as soon as it is added.
      const ok = await runUntil(
        clock,
        () =>
          host.addresses('em0').some((a) => a.address instanceof Ipv6Address && PREFIX.contains(a.address)),
        5000,
      );
      expect(ok).toBe(true);
      const global = host
        .addresses('em0')
        .filter((a) => a.address instanceof Ipv6Address && PREFIX.contains(a.address))
        .map((a) => a.address.toString());
      expect(global).toEqual(['2001:db8:5::ff:fe00:201']);
    } finally {
      host.close();
    }
  }, 30_000);

  it('reference 2.4: rtsold -f dumps its state to <rundir>/h.rtsold.dump on SIGUSR1 and exits 0 on SIGTERM', async () => {
    answer = false;
    const before = rsSeen.length;
    daemon = start(RTSOLD, ['-f', '-F', '--node', join(dir, 'h.sock'), 'em0'], {
      ...process.env,
      KAME_RUNDIR: dir,
    });
    const pidFile = join(dir, 'h.rtsold.pid');
    expect(await runUntil(clock, () => existsSync(pidFile) && rsSeen.length > before, 10_000)).toBe(true);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(daemon.child.pid));
    const dumpFile = join(dir, 'h.rtsold.dump');
    daemon.child.kill('SIGUSR1');
    expect(await runUntil(clock, () => existsSync(dumpFile), 5000)).toBe(true);
    const dump = readFileSync(dumpFile, 'utf8');
    expect(dump).toMatch(/^Interface em0\n {2}probe interval: infinity\n/);
    expect(dump).toContain('  rtsold status: PROBE\n');
    expect(dump).toMatch(/ {2}probes: [123], dadcount = 0\n/);
    daemon.child.kill('SIGTERM');
    expect(await exited(daemon, 10_000)).toEqual({ code: 0, signal: null });
    expect(daemon.err()).toBe('');
    expect(existsSync(pidFile)).toBe(false);
  }, 30_000);

  it('rtsold without -f detaches: the parent exits 0 once the daemon wrote its pid file; SIGTERM ends the daemon', async () => {
    answer = true;
    const parent = start(RTSOLD, ['-F', '--node', join(dir, 'h.sock'), 'em0'], {
      ...process.env,
      KAME_RUNDIR: dir,
    });
    expect(await exited(parent, 15_000)).toEqual({ code: 0, signal: null });
    expect(parent.err()).toBe('');
    const pidFile = join(dir, 'h.rtsold.pid');
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(parent.child.pid);
    const alive = (): boolean => processAlive(pid);
    try {
      expect(alive()).toBe(true);
      process.kill(pid, 'SIGTERM');
      expect(await runUntil(clock, () => !alive() && !existsSync(pidFile), 10_000)).toBe(true);
    } finally {
      if (alive()) process.kill(pid, 'SIGKILL');
    }
  }, 30_000);

  it('reference 2.3: rtsol -O runs the script with the interface name when the RA has O, then exits 0', async () => {
    answer = true;
    otherFlag = true;
    const out = join(dir, 'other-config.out');
    const script = join(dir, 'other-config.sh');
    writeFileSync(script, `#!/bin/sh\necho "called with $1" >> ${out}\n`);
    chmodSync(script, 0o755);
    try {
      const p = start(RTSOL, ['-F', '-O', script, '--node', join(dir, 'h.sock'), 'em0'], {
        ...process.env,
        KAME_RUNDIR: dir,
      });
      expect(await exited(p, 20_000)).toEqual({ code: 0, signal: null });
      expect(p.err()).toBe('');
      // rtsol waits for the script before exiting: the output is there already.
      expect(readFileSync(out, 'utf8')).toBe('called with em0\n');
    } finally {
      otherFlag = false;
    }
  }, 30_000);
});
