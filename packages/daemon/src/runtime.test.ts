import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '@kame/testing';
import { SeededRandom, VirtualClock } from '@kame/time';
import { readPidFile } from './pidfile';
import { DaemonError, daemonize, EpochClock, processIo, type DaemonIo } from './runtime';
import type { SignalSource } from './signals';

const FIXTURE = join(__dirname, '..', 'test', 'fixtures', 'daemon-fixture.js');

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env['KAME_DAEMON_CHILD'];
    const p = spawn(process.execPath, [FIXTURE, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (c: string) => (stderr += c));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stderr }));
  });
}

function alive(pid: number): boolean {
  return processAlive(pid);
}

async function poll(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function fakeIo(pid = 4321): DaemonIo {
  return {
    stdout: () => undefined,
    stderr: () => undefined,
    env: {},
    signals: new EventEmitter() as EventEmitter & SignalSource,
    pid,
    clock: new VirtualClock(),
    random: new SeededRandom(1),
  };
}

describe('processIo', () => {
  it('the clock is epoch-aligned (log timestamps) and runs timers; random is seeded per process', async () => {
    const io = processIo();
    expect(Math.abs(io.clock.now() - Date.now())).toBeLessThan(1000);
    expect(io.pid).toBe(process.pid);
    const fired = await new Promise<number>((r) => {
      const t0 = io.clock.now();
      io.clock.setTimer(5, () => r(io.clock.now() - t0));
    });
    expect(fired).toBeGreaterThanOrEqual(4);
    const x = io.random.uint32();
    expect(Number.isInteger(x)).toBe(true);
    expect(processIo().random.uint32()).not.toBe(processIo().random.uint32()); // 1 in 2^32 to be equal
  });

  it('EpochClock timers report an epoch deadline and can be cancelled', async () => {
    const c = new EpochClock();
    let fired = false;
    const t = c.setTimer(10, () => (fired = true));
    expect(t.pending).toBe(true);
    expect(Math.abs(t.deadline - (Date.now() + 10))).toBeLessThan(1000);
    t.cancel();
    expect(t.pending).toBe(false);
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toBe(false);
  });
});

describe('daemonize', () => {
  let dir: string;
  const started: number[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kame-daemon-rt-'));
  });
  afterEach(() => {
    for (const pid of started.splice(0)) {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('-f: stays in this process, writes the pid file, returns "child"', async () => {
    const pidFile = join(dir, 'n.prog.pid');
    await expect(daemonize({ foreground: true, io: fakeIo(4321), pidFile, argv: [] })).resolves.toBe('child');
    expect(readFileSync(pidFile, 'utf8')).toBe('4321\n');
  });

  it('-f with a live holder of the pid file: DaemonError "already running", exit 1', async () => {
    const pidFile = join(dir, 'n.prog.pid');
    await daemonize({ foreground: true, io: fakeIo(process.pid), pidFile, argv: [] });
    const p = daemonize({ foreground: true, io: fakeIo(4321), pidFile, argv: [] });
    await expect(p).rejects.toBeInstanceOf(DaemonError);
    await expect(p).rejects.toThrow(`already running as pid ${process.pid}`);
  });

  it('daemon(3): the parent exits 0 once the detached child wrote its pid file; the child logs to the log file', async () => {
    const pidFile = join(dir, 'n1.fixture.pid');
    const logFile = join(dir, 'n1.fixture.log');
    const r = await run([pidFile]);
    expect(r).toEqual({ code: 0, stderr: '' });
    const pid = readPidFile(pidFile);
    expect(pid).toBeDefined();
    started.push(pid!);
    expect(alive(pid!)).toBe(true);
    await poll(() => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('started'), 'log line');
    expect(readFileSync(logFile, 'utf8')).toMatch(
      new RegExp(`^[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d fixture\\[${pid}\\]: started random=\\d+\\n`),
    );

    // Signals reach the detached daemon.
    process.kill(pid!, 'SIGUSR1');
    await poll(() => readFileSync(logFile, 'utf8').includes('got SIGUSR1'), 'SIGUSR1 log line');

    // A second start while it runs: the parent reports the child's error and exits 1.
    const again = await run([pidFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`fixture: ${pidFile}: already running as pid ${pid}\n`);
    expect(readPidFile(pidFile)).toBe(pid);

    // SIGTERM: the daemon removes its pid file and exits.
    process.kill(pid!, 'SIGTERM');
    await poll(() => !alive(pid!) && !existsSync(pidFile), 'daemon exit');
    expect(readFileSync(logFile, 'utf8')).toMatch(/fixture\[\d+\]: exiting\n$/);
  });

  it('a child that fails before its pid file is written: the parent exits 1 with its message', async () => {
    const pidFile = join(dir, 'taken.piddir');
    mkdirSync(pidFile); // a directory where the pid file should be: cannot be replaced
    const r = await run([pidFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^fixture: ${pidFile}: cannot remove stale pid file`));
    expect(readFileSync(`${pidFile}.log`, 'utf8')).toMatch(/cannot remove stale pid file/);
  });

  it('a log file that cannot be opened fails in the parent, exit 1', async () => {
    const pidFile = join(dir, 'missing-dir', 'x.pid');
    const r = await run([pidFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x\.log: cannot open log file/);
  });

  it('the fixture in the foreground (-f) also works as a plain process', async () => {
    const pidFile = join(dir, 'fg.pid');
    const env = { ...process.env };
    delete env['KAME_DAEMON_CHILD'];
    const p = spawn(process.execPath, [FIXTURE, pidFile, '-f'], { stdio: ['ignore', 'ignore', 'pipe'], env });
    started.push(p.pid!);
    let err = '';
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (c: string) => (err += c));
    await poll(() => err.includes('started'), 'foreground start');
    expect(readPidFile(pidFile)).toBe(p.pid);
    const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
    p.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  });
});
