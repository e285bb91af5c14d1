import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import {
  connectUnix,
  KernelApiError,
  KernelClient,
  prefixFromProto,
  prefixToProto,
  socketPath,
  type MirrorChange,
} from '@kame/kernel-api';
import { runUntil } from '@kame/testing';
import { RealClock } from '@kame/time';

// Live: kame-kernel processes (node dist/main.js) serving the kernel API on
// Unix sockets in a temporary --rundir, driven by KernelClients. Polls with
// deadlines, never sleeps.
const APP = join(__dirname, '..');
const MAIN = join(APP, 'dist/main.js');
const clock = new RealClock();

interface Proc {
  child: ChildProcess;
  err: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const procs: Proc[] = [];
const clients: KernelClient[] = [];
let dir: string;
let rundir: string;

function kameKernel(args: string[]): Proc {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const p = { child, err: () => err, exit };
  procs.push(p);
  return p;
}

/** r1 with em0 on an in-process hub, serving on `rundir`. */
function r1(...extra: string[]): Proc {
  return kameKernel(['--node', 'r1', '--if', 'em0,hub=lan', '--rundir', rundir, ...extra]);
}

async function waitFor(
  what: string,
  pred: () => boolean | Promise<boolean>,
  deadlineMs = 5000,
  detail: () => string = () => '',
): Promise<void> {
  if (!(await runUntil(clock, pred, deadlineMs)))
    throw new Error(`timed out waiting for ${what}\n${detail()}`);
}

async function exited(
  p: Proc,
  deadlineMs = 5000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let result: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void p.exit.then((r) => (result = r));
  await waitFor('exit', () => result !== undefined, deadlineMs, p.err);
  return result!;
}

async function serving(p: Proc): Promise<void> {
  await waitFor('the ipc log line', () => p.err().includes('ipc: listening on'), 10_000, p.err);
}

async function connect(
  name: string,
  path: string,
  reconnect: false | { initialMs: number; maxMs: number } = false,
): Promise<KernelClient> {
  const c = await KernelClient.connect({ channelFactory: () => connectUnix(path), name, clock, reconnect });
  clients.push(c);
  return c;
}

function roPath(node: string): string {
  return join(rundir, `${node}.ro.sock`);
}

/** "em0 2001:db8:1::1/64" for every address of the mirror. */
function mirrorKeys(c: KernelClient): string[] {
  return c
    .addresses()
    .map((a) => `${a.ifname} ${a.address.toString()}/${a.prefixLength}`)
    .sort();
}

function ifaceKeys(c: KernelClient): string[] {
  return c.interfaces().map((i) => `${i.index} ${i.name} ${i.mtu}`);
}

async function errnoOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KernelApiError) return e.errno;
    throw e;
  }
  return 'no error';
}

beforeAll(() => {
  // Incremental and quick when dist is up to date.
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(APP, 'tsconfig.json')], {
    stdio: 'inherit',
  });
}, 120_000);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kame-ipc-'));
  rundir = join(dir, 'run');
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const p of procs.splice(0))
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('live: kame-kernel serves the kernel API on Unix sockets', () => {
  it('privileged and read-only sockets, mirror, routes, withdrawal, clean stop and reconnect', async () => {
    const a = r1();
    await serving(a);
    const rw = socketPath('r1', rundir);
    const ro = roPath('r1');
    expect(a.err()).toContain(`r1: ipc: listening on ${rw} (privileged) and ${ro} (read-only)`);
    expect(statSync(rundir).mode & 0o777).toBe(0o700);
    expect(statSync(rw).mode & 0o777).toBe(0o600);
    expect(statSync(ro).mode & 0o777).toBe(0o666);

    // A daemon with reconnect on: Welcome, IfList, an address through the mirror.
    const d = await connect('testd', rw, { initialMs: 50, maxMs: 200 });
    expect(d.welcome).toMatchObject({ node: 'r1', privileged: true });
    const names = (await d.ifList()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['lo0', 'em0']));
    const changes: MirrorChange[] = [];
    d.on('change', (c) => changes.push(c));
    const addr = Ipv6Address.parse('2001:db8:1::1');
    await d.addressAdd('em0', { address: addr, prefixLength: 64 });
    await waitFor('the address in the mirror', () => mirrorKeys(d).includes('em0 2001:db8:1::1/64'));
    await waitFor('an address change event', () =>
      changes.some((c) => c.kind === 'address' && c.address.address.toString() === addr.toString()),
    );

    // A route owned by the client's name; routeList shows it.
    const router = await connect('routed', rw);
    const em0 = router.interface('em0')!.index;
    const dst = Ipv6Prefix.parse('2001:db8:9::/64');
    await router.routeAdd({ dst: prefixToProto(dst), gateway: { link: { ifindex: em0 } }, ifindex: em0 });
    const owned = await router.routeList({ family: 6, owner: 'routed' });
    expect(owned.map((r) => [prefixFromProto(r.dst, 'dst').toString(), r.owner])).toEqual([
      [dst.toString(), 'routed'],
    ]);

    // The read-only socket: reads work, changes are EPERM.
    const reader = await connect('reader', ro);
    expect(reader.welcome).toMatchObject({ node: 'r1', privileged: false });
    expect((await reader.ifList()).map((i) => i.name)).toEqual(expect.arrayContaining(['lo0', 'em0']));
    expect(
      await errnoOf(
        reader.routeAdd({
          dst: prefixToProto(Ipv6Prefix.parse('2001:db8:7::/64')),
          gateway: { link: { ifindex: em0 } },
        }),
      ),
    ).toBe('EPERM');

    // Closing the route's client withdraws its routes; another client sees them gone.
    router.close();
    await waitFor('the withdrawal', async () => (await d.routeList({ owner: 'routed' })).length === 0);

    // SIGTERM: exit 0 and the socket files are gone.
    let disconnected = false;
    let reconnected = false;
    d.on('disconnected', () => (disconnected = true));
    d.on('reconnected', () => (reconnected = true));
    a.child.kill('SIGTERM');
    expect(await exited(a)).toEqual({ code: 0, signal: null });
    expect(existsSync(rw)).toBe(false);
    expect(existsSync(ro)).toBe(false);
    await waitFor('the daemon to notice', () => disconnected);

    // A new kernel on the same rundir: the daemon reconnects and resyncs its mirror.
    const b = r1();
    await serving(b);
    await waitFor('reconnected', () => reconnected, 5000, b.err);
    expect(d.state).toBe('connected');
    expect(d.welcome.node).toBe('r1');
    const fresh = await connect('fresh', rw);
    await waitFor(
      'the mirror to match the new kernel',
      () =>
        JSON.stringify([ifaceKeys(d), mirrorKeys(d)]) ===
        JSON.stringify([ifaceKeys(fresh), mirrorKeys(fresh)]),
      5000,
      () => JSON.stringify({ d: mirrorKeys(d), fresh: mirrorKeys(fresh) }),
    );
    expect(mirrorKeys(d)).not.toContain('em0 2001:db8:1::1/64');
    expect(ifaceKeys(d).map((k) => k.split(' ')[1])).toEqual(expect.arrayContaining(['lo0', 'em0']));
    expect((await d.ifList()).length).toBe(d.interfaces().length);

    b.child.kill('SIGTERM');
    expect(await exited(b)).toEqual({ code: 0, signal: null });
    expect(existsSync(rw)).toBe(false);
  }, 20_000);

  it('EADDRINUSE while a live kernel serves the node; a stale socket file is replaced; --no-ipc', async () => {
    const a = r1();
    await serving(a);
    const rw = socketPath('r1', rundir);
    const busy = r1();
    expect(await exited(busy)).toEqual({ code: 1, signal: null });
    expect(busy.err()).toContain(`kame-kernel: r1: cannot listen on ${rw}: EADDRINUSE`);
    // The first kernel still serves.
    expect((await connect('probe', rw)).welcome.node).toBe('r1');

    // SIGKILL leaves the socket files behind; the next kernel replaces them.
    a.child.kill('SIGKILL');
    await exited(a);
    expect(existsSync(rw)).toBe(true);
    const b = r1();
    await serving(b);
    expect((await connect('again', rw)).welcome.node).toBe('r1');
    b.child.kill('SIGTERM');
    expect(await exited(b)).toEqual({ code: 0, signal: null });
    expect(existsSync(rw)).toBe(false);
    expect(existsSync(roPath('r1'))).toBe(false);

    // --no-ipc: no sockets at all.
    const quiet = r1('--no-ipc');
    await waitFor('ready', () => quiet.err().includes('notice: ready: r1'), 10_000, quiet.err);
    expect(quiet.err()).not.toContain('ipc: listening');
    expect(existsSync(rw)).toBe(false);
    quiet.child.kill('SIGTERM');
    expect(await exited(quiet)).toEqual({ code: 0, signal: null });
  }, 20_000);

  it('a socket file held by a foreign live listener is EADDRINUSE too', async () => {
    // Any live listener counts (here a plain net.Server), not just a kame-kernel.
    mkdirSync(rundir, { mode: 0o700 });
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(roPath('r1'), () => resolve()));
    try {
      const busy = r1();
      expect(await exited(busy)).toEqual({ code: 1, signal: null });
      expect(busy.err()).toContain('EADDRINUSE');
      // The privileged socket it had opened before failing is removed again.
      expect(existsSync(socketPath('r1', rundir))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  }, 20_000);
});
