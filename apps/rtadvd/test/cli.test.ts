import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ipv6Address } from '@kame/addr';
import { controlRequest, type DaemonIo, type SignalName } from '@kame/daemon';
import { SeededRandom, VirtualClock } from '@kame/time';
import { parseFlags, run, USAGE } from '../src/cli';
import type { Rtadvd } from '../src/rtadvd';
import { rtadvctl } from '../src/rtadvctl';
import { EPOCH_2026_11_26 } from './support/fake-host';
import { Hub, newNode, serve, turns, until } from './support/lan';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rtadvd-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

class Signals extends EventEmitter {
  send(sig: SignalName): void {
    this.emit(sig);
  }
}

function makeIo(clock: VirtualClock) {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new Signals();
  const io: DaemonIo = {
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    env: { KAME_RUNDIR: dir, KAME_NODE: 'r' },
    signals: signals as unknown as DaemonIo['signals'],
    pid: process.pid,
    clock,
    random: new SeededRandom(5),
  };
  return { io, out, err, signals };
}

function routerLab(forwarding = 1) {
  const clock = new VirtualClock(EPOCH_2026_11_26);
  const hub = new Hub(clock);
  const r = newNode(clock, 'r', 1, { 'net.inet6.ip6.forwarding': forwarding });
  const h = newNode(clock, 'h', 2, { 'net.inet6.ip6.accept_rtadv': 1 });
  hub.attach(r, 'em0', '02:00:00:00:00:01');
  hub.attach(h, 'em0', '02:00:00:00:00:02');
  r.ifUp('em0');
  h.ifUp('em0');
  r.addAddress('em0', Ipv6Address.parse('2001:db8:1::1'), 64);
  clock.advance(5_000);
  return { clock, r, h, ...serve(r) };
}

describe('rtadvd flags (reference 1.1, KAME getopt "c:dDfM:mRs" + FreeBSD -p)', () => {
  const io = { stdout: () => undefined, stderr: () => undefined, env: {} };
  it('reference 1.1: every KAME flag and the interfaces', () => {
    expect(
      parseFlags(
        ['-d', '-f', '-s', '-m', '-R', '-M', 'em1', '-c', '/x.conf', '-p', '/x.pid', 'em0', 'em1'],
        io,
      ),
    ).toEqual({
      configFile: '/x.conf',
      debug: 1,
      foreground: true,
      mcastIf: 'em1',
      mip6: true,
      renumbering: true,
      noRoutingSocket: true,
      pidFile: '/x.pid',
      node: undefined,
      interfaces: ['em0', 'em1'],
    });
    expect(parseFlags(['-D', '--node', 'r1', 'em0'], io)).toMatchObject({ debug: 2, node: 'r1' });
    expect(parseFlags(['em0'], io)).toMatchObject({ configFile: '/usr/local/v6/etc/rtadvd.conf', debug: 0 });
  });

  it('reference 1.1: no interface is a usage error, exit 1 with the usage line', async () => {
    const { io: dio, err } = makeIo(new VirtualClock());
    expect(await run(['-f'], dio)).toBe(1);
    expect(err.join('')).toContain(USAGE);
    expect(await run(['-x', 'em0'], dio)).toBe(1);
  });

  it('--help prints the synopsis and exits 0', async () => {
    const { io: dio, out } = makeIo(new VirtualClock());
    expect(await run(['--help'], dio)).toBe(0);
    expect(out.join('')).toContain('Usage: rtadvd [-dDfMRs] [-c conffile]');
  });
});

describe('rtadvd program in-process (run() over memoryPair, virtual time)', () => {
  it('reference 1.2: forwarding=0 with the default router lifetime exits 1 with the reason', async () => {
    const lab = routerLab(0);
    const { io, err } = makeIo(lab.clock);
    const code = await run(['-f', '-c', join(dir, 'none.conf'), 'em0'], io, {
      channelFactory: lab.channelFactory,
      clientClock: lab.clock,
    });
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/rtadvd\[\d+\]: .*router lifetime/);
    expect(existsSync(join(dir, 'r.rtadvd.pid'))).toBe(false);
  });

  it('reference 1.2: an invalid rtadvd.conf exits 1 (KAME fatal-on-invalid)', async () => {
    const lab = routerLab();
    const conf = join(dir, 'bad.conf');
    writeFileSync(conf, 'em0:\\\n\t:maxinterval#2:\n');
    const { io, err } = makeIo(lab.clock);
    const code = await run(['-f', '-c', conf, 'em0'], io, {
      channelFactory: lab.channelFactory,
      clientClock: lab.clock,
    });
    expect(code).toBe(1);
    expect(err.join('')).toContain('maxinterval');
  });

  it('pid file, SIGUSR1 dump, control socket (rtadvctl), SIGHUP reload, SIGTERM final RAs and exit 0', async () => {
    const lab = routerLab();
    const conf = join(dir, 'rtadvd.conf');
    writeFileSync(conf, 'em0:\\\n\t:maxinterval#30:\n');
    const { io, signals, err } = makeIo(lab.clock);
    let daemon: Rtadvd | undefined;
    const exit = run(['-f', '-d', '-c', conf, 'em0'], io, {
      channelFactory: lab.channelFactory,
      clientClock: lab.clock,
      onReady: (d) => (daemon = d),
    });
    await until(() => daemon !== undefined, lab.clock, { stepMs: 0 });
    const d = daemon!;
    expect(readFileSync(join(dir, 'r.rtadvd.pid'), 'utf8').trim()).toBe(String(process.pid));
    expect(d.engine.interface('em0')!.config.maxInterval).toBe(30);
    await until(() => d.engine.interface('em0')!.stats.raOutput >= 1, lab.clock, { stepMs: 100 });

    signals.send('SIGUSR1');
    const dump = readFileSync(join(dir, 'r.rtadvd.dump'), 'utf8');
    expect(dump).toMatch(/^em0:\n {2}Status: UP\n {2}Last RA sent: Thu Nov 26 12:00:\d\d 2026\n/);
    expect(dump).toContain('    2001:db8:1::/64(KERNEL, vltime: 2592000, pltime: 604800, flags: LA)\n');

    // the control socket is a real Unix socket: rtadvctl talks to it
    const out: string[] = [];
    const errs: string[] = [];
    const ctlIo = {
      stdout: (s: string) => void out.push(s),
      stderr: (s: string) => void errs.push(s),
      env: io.env,
    };
    expect(await rtadvctl(['show', 'em0'], ctlIo)).toBe(0);
    expect(out.join('')).toContain('DefaultLifetime: 90, MaxAdvInterval: 30, MinAdvInterval: 10');
    expect(await rtadvctl(['disable', 'em9'], ctlIo)).toBe(1);
    expect(errs.join('')).toContain('em9 is not an advertising interface');
    expect(await rtadvctl(['bogus'], ctlIo)).toBe(1);

    // SIGHUP with a broken file keeps the old config (FreeBSD)
    writeFileSync(conf, 'em0:\\\n\t:maxinterval#1:\n');
    signals.send('SIGHUP');
    await turns(3);
    expect(d.engine.interface('em0')!.config.maxInterval).toBe(30);
    expect(err.join('')).toMatch(/<reload> .*maxinterval.*; the old configuration is kept/);
    writeFileSync(conf, 'em0:\\\n\t:maxinterval#60:\n');
    signals.send('SIGHUP');
    await turns(3);
    expect(d.engine.interface('em0')!.config.maxInterval).toBe(60);

    expect(signals.listenerCount('SIGTERM')).toBe(1);
    expect(signals.listenerCount('SIGHUP')).toBe(1);
    const before = d.engine.interface('em0')!.stats.raOutput;
    const reply = await controlRequest(join(dir, 'r.rtadvd.ctl'), 'shutdown');
    expect(reply.ok).toBe(true);
    let code: number | undefined;
    void exit.then((c) => (code = c));
    await until(() => code !== undefined, lab.clock, { stepMs: 100 });
    expect(code).toBe(0);
    expect(d.engine.interface('em0')!.stats.raOutput - before).toBe(3);
    expect(existsSync(join(dir, 'r.rtadvd.pid'))).toBe(false);
    expect(existsSync(join(dir, 'r.rtadvd.ctl'))).toBe(false);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('rtadvctl: a daemon not running is exit 1 with the reason; usage errors exit 1', async () => {
    const errs: string[] = [];
    const ctlIo = {
      stdout: () => undefined,
      stderr: (s: string) => void errs.push(s),
      env: { KAME_RUNDIR: dir },
    };
    expect(await rtadvctl(['--node', 'nobody', 'show'], ctlIo)).toBe(1);
    expect(errs.join('')).toContain('rtadvd is not running');
    expect(await rtadvctl([], ctlIo)).toBe(1);
    expect(await rtadvctl(['enable'], ctlIo)).toBe(1);
    expect(await rtadvctl(['reload', 'em0'], ctlIo)).toBe(1);
  });
});
