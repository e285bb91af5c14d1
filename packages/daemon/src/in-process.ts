import type { KernelClient } from '@kame/kernel-api';
import type { Clock, Random } from '@kame/time';
import { createLogger, type Logger, type LogRecord, type Severity } from './logger';
import type { SignalName } from './signals';

/**
 * Running a daemon inside another program (a lab in in-process or virtual
 * mode): the same argv a user would type, minus the process around it. The
 * daemon parses argv exactly as its command line does, attaches to `client`
 * instead of a Unix socket, takes time and randomness from `clock`/`random`,
 * reads its config files through `readFile`, and writes its dump/route-log
 * files through `writeFile`. Usage or config errors reject with a
 * DaemonError carrying the exit code the program would have used.
 */
export interface InProcessContext {
  /** The node's kernel, already connected. */
  readonly client: KernelClient;
  /** The node's name (for file names and logs). */
  readonly node: string;
  readonly clock: Clock;
  readonly random: Random;
  /** Every log record, already filtered by the daemon's -d/-D level. */
  readonly log: (record: LogRecord, line: string) => void;
  /** Reads a file named in argv (-c rtadvd.conf): the lab's inline or on-disk files. */
  readonly readFile: (path: string) => string;
  /** Writes (or, for route6d's dump, appends to) a file the daemon produces. */
  readonly writeFile: (path: string, text: string, opts?: { append?: boolean }) => void;
  /** Epoch ms for log and dump time stamps (default: clock.now()). */
  readonly wallTime?: () => number;
}

/** A daemon started in-process. */
export interface InProcessDaemon {
  /** What `kill -SIG` would do: SIGUSR1 dump, SIGHUP reload, SIGTERM/SIGINT stop. */
  signal(sig: SignalName): void;
  /** Stops as on SIGTERM (final RAs, RIPng withdrawal...) and resolves with the exit code. */
  stop(): Promise<number>;
  /** Resolves with the exit code when the daemon ends by itself (rtsol -1) or after stop(). */
  readonly exited: Promise<number>;
  /** A short state for status tables ("running", "IDLE", "3 routes"...). */
  status(): string;
}

/** What each daemon app exports as `inProcessMain`. */
export type InProcessMain = (argv: readonly string[], ctx: InProcessContext) => Promise<InProcessDaemon>;

/** FreeBSD signal numbers: a signal a daemon does not handle ends it with status 128 + this. */
export const SIGNAL_NUMBER: Readonly<Record<SignalName, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGTERM: 15,
  SIGUSR1: 30,
  SIGUSR2: 31,
};

/** The exit status of a process killed by `sig` (128 + its FreeBSD number). */
export function signalExitStatus(sig: SignalName): number {
  return 128 + SIGNAL_NUMBER[sig];
}

/** A daemon that already ended (e.g. `--help`): nothing to signal, `exited` resolved. */
export function exitedDaemon(code: number, detail = 'exited'): InProcessDaemon {
  const exited = Promise.resolve(code);
  return { signal: () => undefined, stop: () => exited, exited, status: () => detail };
}

/** The daemon's logger in-process: records go to ctx.log, stamped with the lab's wall time. */
export function inProcessLogger(ctx: InProcessContext, ident: string, upto: Severity): Logger {
  return createLogger({
    ident,
    upto,
    clock: { now: ctx.wallTime ?? (() => ctx.clock.now()) },
    sink: ctx.log,
  });
}
