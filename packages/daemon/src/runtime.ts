import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { RealClock, SeededRandom, type Clock, type Random, type Timer } from '@kame/time';
import { DaemonError } from './error';
import { writePidFile } from './pidfile';
import type { SignalName, SignalSource } from './signals';

export { DaemonError } from './error';

/** What a daemon's main needs from its process: injected so a lab can run the same main in-process. */
export interface DaemonIo {
  stdout(s: string): void;
  stderr(s: string): void;
  env: NodeJS.ProcessEnv;
  signals: SignalSource;
  pid: number;
  /** Timers for the engine; now() is epoch milliseconds, so it also stamps log lines. */
  clock: Clock;
  random: Random;
}

/**
 * The host clock for a live daemon: RealClock's timers, with now() on the
 * Unix epoch (performance.timeOrigin + performance.now(): monotonic and
 * wall-clock aligned), so the same clock serves protocol timers and
 * createLogger's timestamps.
 */
export class EpochClock implements Clock {
  private readonly real = new RealClock();
  now(): number {
    return performance.timeOrigin + performance.now();
  }
  setTimer(delayMs: number, fn: () => void): Timer {
    const t = this.real.setTimer(delayMs, fn);
    const offset = performance.timeOrigin;
    return {
      cancel: () => t.cancel(),
      get pending() {
        return t.pending;
      },
      deadline: offset + t.deadline,
    };
  }
}

/** The running process: its streams, environment and signals, a real clock, randomness seeded from crypto. */
export function processIo(): DaemonIo {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    env: process.env,
    signals: {
      on: (sig: SignalName, fn: () => void) => process.on(sig, fn),
      off: (sig: SignalName, fn: () => void) => process.off(sig, fn),
    },
    pid: process.pid,
    clock: new EpochClock(),
    random: new SeededRandom(randomBytes(4).readUInt32LE(0)),
  };
}

/** Set in the environment of the detached copy daemonize() starts. */
export const DAEMON_CHILD_ENV = 'KAME_DAEMON_CHILD';
/** The child reports "ok <pid>" or "err <exit code> <message>" on this inherited pipe. */
const STATUS_FD = 3;
/** How long the parent waits for the child's report. */
const CHILD_REPORT_TIMEOUT_MS = 30_000;

export interface DaemonizeOptions {
  /** -f: stay in the foreground, logging to stderr. */
  foreground: boolean;
  io: DaemonIo;
  /** Written by the process that goes on being the daemon (removePidFile at exit is the daemon's job). */
  pidFile: string;
  /**
   * The daemon's own arguments (process.argv.slice(2)); the detached copy
   * runs the same script with them. A full process.argv, or one starting
   * with the script path, is accepted too.
   */
  argv: readonly string[];
  /** Where the detached daemon's stdout/stderr go; default the pid file's path with ".log" for ".pid". */
  logFile?: string;
}

function defaultLogFile(pidFile: string): string {
  return pidFile.endsWith('.pid') ? `${pidFile.slice(0, -4)}.log` : `${pidFile}.log`;
}

/** The script and arguments to re-run, from whichever argv form the caller gave. */
function childCommand(argv: readonly string[]): { file: string; args: string[] } {
  const script = process.argv[1];
  if (argv[0] !== undefined && argv[0] === process.argv[0]) return { file: argv[0], args: argv.slice(1) };
  const rest = argv[0] !== undefined && argv[0] === script ? argv.slice(1) : [...argv];
  if (script === undefined) throw new DaemonError('daemonize: no script to re-run (process.argv[1])', 1);
  return { file: process.execPath, args: [...process.execArgv, script, ...rest] };
}

function reportToParent(line: string): void {
  try {
    // Only the socket daemonize's parent passed; never an fd of Node's own (KAME_DAEMON_CHILD set by hand).
    if (!fstatSync(STATUS_FD).isSocket()) return;
    writeSync(STATUS_FD, line);
    closeSync(STATUS_FD);
  } catch {
    // Started by hand with KAME_DAEMON_CHILD set: nobody is listening.
  }
}

/**
 * daemon(3) for a Node program. Foreground: writes the pid file and returns
 * 'child' (go on, log to stderr). Otherwise the program starts a detached
 * copy of itself (new session, stdin /dev/null, stdout and stderr appended
 * to the log file); that copy writes the pid file, tells the parent, and
 * gets 'child'. The parent gets 'parent-done' once the pid file is written
 * (its main then exits 0), or a DaemonError with the child's message and
 * exit code (e.g. "already running", exit 1).
 */
export async function daemonize(opts: DaemonizeOptions): Promise<'child' | 'parent-done'> {
  const { io } = opts;
  if (opts.foreground) {
    writePidFile(opts.pidFile, io.pid);
    return 'child';
  }
  if (io.env[DAEMON_CHILD_ENV] === '1') {
    delete io.env[DAEMON_CHILD_ENV]; // programs this daemon starts are not daemonize children
    try {
      writePidFile(opts.pidFile, io.pid);
    } catch (e) {
      const code = e instanceof DaemonError ? e.exitCode : 1;
      reportToParent(`err ${code} ${(e as Error).message.replace(/\n/g, ' ')}\n`);
      throw e;
    }
    reportToParent(`ok ${io.pid}\n`);
    return 'child';
  }
  return spawnDetached(opts);
}

async function spawnDetached(opts: DaemonizeOptions): Promise<'parent-done'> {
  const logFile = opts.logFile ?? defaultLogFile(opts.pidFile);
  let logFd: number;
  try {
    logFd = openSync(logFile, 'a', 0o644);
  } catch (e) {
    throw new DaemonError(`${logFile}: cannot open log file: ${(e as Error).message}`, 1);
  }
  const { file, args } = childCommand(opts.argv);
  let child;
  try {
    child = spawn(file, args, {
      detached: true,
      env: { ...opts.io.env, [DAEMON_CHILD_ENV]: '1' },
      stdio: ['ignore', logFd, logFd, 'pipe'],
    });
  } finally {
    closeSync(logFd);
  }
  const status = child.stdio[STATUS_FD] as NodeJS.ReadableStream | null;
  const report = await new Promise<string>((resolve) => {
    let text = '';
    let done = false;
    const finish = (s: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(s);
    };
    const timer = setTimeout(() => finish(''), CHILD_REPORT_TIMEOUT_MS);
    child.once('error', (e) => finish(`err 1 cannot start ${file}: ${e.message}\n`));
    // EOF on the status pipe without a report: the child died first (its reason is in the log file).
    if (!status) {
      finish('err 1 no status pipe to the child\n');
      return;
    }
    status.setEncoding('utf8');
    status.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 4096 || text.includes('\n')) finish(text);
    });
    const eof = (): void =>
      finish(text !== '' ? text : `err 1 the daemon exited before writing its pid file (see ${logFile})\n`);
    status.on('end', eof);
    status.on('error', eof);
  });
  (status as { destroy?: () => void } | null)?.destroy?.();
  child.unref();
  const line = report.split('\n')[0] ?? '';
  if (/^ok \d+$/.test(line)) return 'parent-done';
  const m = /^err (\d+) (.*)$/.exec(line);
  if (m) throw new DaemonError(m[2]!, Number(m[1]));
  throw new DaemonError(
    `the detached daemon did not report within ${CHILD_REPORT_TIMEOUT_MS / 1000} s (see ${logFile})`,
    1,
  );
}
