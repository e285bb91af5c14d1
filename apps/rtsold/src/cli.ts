import { basename, isAbsolute } from 'node:path';
import { Command, CommanderError } from 'commander';
import {
  attachKernel,
  createLogger,
  daemonize,
  daemonPaths,
  DaemonError,
  holdSignals,
  removePidFile,
  resolveNode,
  writeDumpFile,
  type DaemonIo,
  type Severity,
} from '@kame/daemon';
import type { ClientClock, FrameChannel, KernelClient } from '@kame/kernel-api';
import { RtsoldError, type RtsoldEnd } from './engine';
import { startRtsold, type RtsoldHandle } from './run';

/**
 * rtsold / rtsol command line (reference 2.1, 10.3):
 *   rtsold [-dDfFm1] [-O script-name] interface ...   |   rtsold [-dDfFm1] [-O script-name] -a
 *   rtsol  [-dDF] [-O script-name] interface ...      |   rtsol  [-dD] [-O script-name] -a
 * plus --node NAME|PATH (default $KAME_NODE), --rtsol (rtsol mode whatever the program name) and --help.
 * Usage errors exit 1, as KAME's usage() does.
 */

export type Mode = 'rtsold' | 'rtsol';

/** KAME: a program name not ending in 'd' is rtsol (`-f -1`). "main"/"index" (node dist/main.js) is rtsold. */
export function modeOf(progPath: string | undefined): Mode {
  const name = basename(progPath ?? 'rtsold').replace(/\.(c?js|ts)$/, '');
  if (name === 'main' || name === 'index' || name === '') return 'rtsold';
  return name.endsWith('d') ? 'rtsold' : 'rtsol';
}

export function usage(mode: Mode): string {
  return mode === 'rtsol'
    ? 'usage: rtsol [-dDF] [-O script-name] [--node NAME|PATH] interface ...\n' +
        '       rtsol [-dD] [-O script-name] [--node NAME|PATH] -a\n'
    : 'usage: rtsold [-dDfFm1] [-O script-name] [--node NAME|PATH] interface ...\n' +
        '       rtsold [-dDfFm1] [-O script-name] [--node NAME|PATH] -a\n';
}

const HELP = `
  -a              probe every interface that is up, multicast, not loopback or point-to-point, with IPv6
  -d              log up to LOG_DEBUG
  -D              as -d, plus timer traces
  -f              stay in the foreground, log to stderr (rtsold only; rtsol always does)
  -F              set net.inet6.ip6.accept_rtadv=1 and forwarding=0 instead of only warning
  -m              mobility: poll idle interfaces every 3 s, probe default routers on a link change (rtsold only)
  -1              exit once every interface got a Router Advertisement (rtsold only; rtsol always does)
  -O script-name  run "script-name interface" (absolute path) when an RA has the O flag
  --node NAME|PATH  the kernel node to attach to (default $KAME_NODE, then "kame")
  --rtsol         behave as rtsol whatever the program is called
  --help          this text
`;

export interface ParsedArgs {
  readonly mode: Mode;
  readonly help: boolean;
  readonly autoprobe: boolean;
  /** 0, 1 (-d) or 2 (-D). */
  readonly debug: number;
  readonly foreground: boolean;
  readonly setSysctls: boolean;
  readonly mobility: boolean;
  readonly once: boolean;
  readonly otherconfScript: string | undefined;
  readonly node: string | undefined;
  readonly interfaces: string[];
}

/** Parses the arguments; a usage error is a DaemonError with exit code 1 and the usage text. */
export function parseArgs(argv: readonly string[], progMode: Mode): ParsedArgs {
  const mode: Mode = argv.includes('--rtsol') ? 'rtsol' : progMode;
  const c = new Command(mode);
  c.exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined })
    .helpOption(false)
    .allowExcessArguments(true)
    .argument('[interface...]')
    .option('-a')
    .option('-d')
    .option('-D')
    .option('-F')
    .option('-O <script-name>');
  // KAME getopt: rtsol "adDFO:", rtsold "adDfFm1O:".
  if (mode === 'rtsold') c.option('-f').option('-m').option('-1');
  c.option('--node <node>').option('--rtsol').option('--help');
  try {
    c.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      throw new DaemonError(`${mode}: ${e.message.replace(/^error: /, '')}\n${usage(mode)}`, 1);
    }
    throw e;
  }
  const o = c.opts<Record<string, string | boolean | undefined>>();
  const flag = (k: string): boolean => o[k] === true;
  const interfaces = [...c.args];
  // Commander takes "-1" for a negative number when rtsol has no -1 option; getopt would refuse it.
  const stray = interfaces.find((a) => a.startsWith('-'));
  if (stray !== undefined) throw new DaemonError(`${mode}: unknown option '${stray}'\n${usage(mode)}`, 1);
  const parsed: ParsedArgs = {
    mode,
    help: flag('help'),
    autoprobe: flag('a'),
    debug: flag('D') ? 2 : flag('d') ? 1 : 0,
    foreground: mode === 'rtsol' || flag('f'),
    setSysctls: flag('F'),
    mobility: flag('m'),
    once: mode === 'rtsol' || flag('1'),
    otherconfScript: typeof o['O'] === 'string' ? o['O'] : undefined,
    node: typeof o['node'] === 'string' ? o['node'] : undefined,
    interfaces,
  };
  if (parsed.help) return parsed;
  if (parsed.autoprobe === interfaces.length > 0) throw new DaemonError(usage(mode).trimEnd(), 1);
  if (parsed.otherconfScript !== undefined && !isAbsolute(parsed.otherconfScript)) {
    throw new DaemonError(
      `${mode}: configuration script (${parsed.otherconfScript}) must be an absolute path`,
      1,
    );
  }
  return parsed;
}

export interface RunOptions {
  /** The program's own arguments (process.argv.slice(2)). */
  readonly argv: readonly string[];
  /** rtsold or rtsol (from the program name; --rtsol overrides). */
  readonly mode: Mode;
  readonly io: DaemonIo;
  /** In-process kernel (a memoryPair end accepted by a KernelServer) instead of the node's Unix socket. */
  readonly channelFactory?: () => Promise<FrameChannel>;
  /** The kernel client's clock (reconnect backoff, handshake timeout); default the host's timers. */
  readonly clientClock?: ClientClock;
  /** Replaces the child-process runner of -O scripts. */
  readonly runScript?: (script: string, ifname: string) => Promise<void>;
  /** Called once rtsold runs (tests: to send signals, look at the dump...). */
  readonly onStarted?: (handle: RtsoldHandle) => void;
}

/** The whole program; resolves with the exit status. */
export async function run(o: RunOptions): Promise<number> {
  const { io } = o;
  let args: ParsedArgs;
  try {
    args = parseArgs(o.argv, o.mode);
  } catch (e) {
    if (e instanceof DaemonError) {
      io.stderr(`${e.message.trimEnd()}\n`);
      return e.exitCode;
    }
    throw e;
  }
  if (args.help) {
    io.stdout(usage(args.mode) + HELP);
    return 0;
  }
  const prog = args.mode;
  let client: KernelClient | undefined;
  let handle: RtsoldHandle | undefined;
  let uninstall = (): void => undefined;
  let pidFile: string | undefined;
  // From the pid file on, a SIGTERM must end rtsold cleanly: hold signals until the engine runs.
  const held = holdSignals(io.signals, ['SIGTERM', 'SIGINT', 'SIGUSR1']);
  try {
    const node = o.channelFactory && args.node === undefined ? 'inproc' : resolveNode(args.node, io.env).name;
    const paths = daemonPaths(prog, node, io.env);
    if (prog === 'rtsold') {
      // rtsol never detaches and keeps no pid file; rtsold does both (FreeBSD's /var/run/rtsold.pid).
      const role = await daemonize({
        foreground: args.foreground,
        io,
        pidFile: paths.pidFile,
        argv: o.argv,
      });
      if (role === 'parent-done') return 0;
      pidFile = paths.pidFile;
    }
    const logger = createLogger({
      ident: prog,
      pid: io.pid,
      upto: args.debug > 0 ? 'debug' : 'notice',
      clock: io.clock,
      sink: (_r, line) => io.stderr(line),
    });
    client = await attachKernel({
      name: prog,
      env: io.env,
      pid: io.pid,
      ...(args.node !== undefined ? { node: args.node } : {}),
      ...(o.channelFactory ? { channelFactory: o.channelFactory } : {}),
      ...(o.clientClock ? { clock: o.clientClock } : {}),
      reconnect: !args.once,
    });
    const h = await startRtsold({
      client,
      clock: io.clock,
      random: io.random,
      logger,
      interfaces: args.interfaces,
      autoprobe: args.autoprobe,
      mobility: args.mobility,
      once: args.once,
      setSysctls: args.setSysctls,
      debug: args.debug,
      ...(args.otherconfScript !== undefined ? { otherconfScript: args.otherconfScript } : {}),
      ...(o.runScript ? { runScript: o.runScript } : {}),
    });
    handle = h;
    const log = (severity: Severity, m: string): void => logger.log(severity, m);
    uninstall = held.release({
      SIGUSR1: () => {
        try {
          writeDumpFile(paths.dumpFile, h.dump());
          log('debug', `<rtsold_dump_file> dumped to ${paths.dumpFile}`);
        } catch (e) {
          log('err', `<rtsold_dump_file> ${paths.dumpFile}: ${(e as Error).message}`);
        }
      },
      SIGTERM: () => h.stop(),
      SIGINT: () => h.stop(),
    });
    o.onStarted?.(h);
    const end: RtsoldEnd = await h.finished;
    log('debug', `<main> ${end === 'once' ? 'every interface answered or gave up' : 'terminated'}`);
    return 0;
  } catch (e) {
    if (e instanceof DaemonError) {
      io.stderr(`${e.message.trimEnd()}\n`);
      return e.exitCode;
    }
    if (e instanceof RtsoldError) {
      io.stderr(`${prog}: ${e.message}\n`);
      return 1;
    }
    io.stderr(`${prog}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    held.dispose();
    uninstall();
    handle?.stop();
    client?.close();
    if (pidFile !== undefined) {
      try {
        removePidFile(pidFile, io.pid);
      } catch {
        // already gone
      }
    }
  }
}
