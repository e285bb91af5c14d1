import { appendFileSync, writeFileSync } from 'node:fs';
import {
  attachKernel,
  createLogger,
  daemonize,
  daemonPaths,
  DaemonError,
  holdSignals,
  removePidFile,
  resolveNode,
  type DaemonIo,
} from '@kame/daemon';
import type { ClientClock, FrameChannel, KernelClient } from '@kame/kernel-api';
import {
  MAXFILTER,
  parseFilterArg,
  parseIfList,
  parseRouteTag,
  type Route6dFilter,
  type Route6dOptions,
  type SplitHorizon,
  type TriggeredMode,
} from './engine/index';
import { startRoute6d, type Route6dHandle } from './run';

/**
 * route6d command line (reference 3.1; KAME getopt "A:N:O:R:T:L:t:adDhlnqsS"):
 *   route6d [-aAdDhlnqsS] [-R routelog] [-A prefix/len,if1[,if2...]] [-L prefix/len,if1...]
 *           [-N if1[,if2...]] [-O prefix/len,if1...] [-T if1...] [-t tag]
 * plus -f (foreground, as -d/-D), --node NAME|PATH, --triggered rfc|kame,
 * --poisoned-reverse and --help. Usage and option errors exit 1, as KAME's fatal() does.
 */
export const USAGE =
  'usage: route6d [-aAdDhlnqsS] [-R routelog] [-A prefix/len,if1[,if2...]] [-L prefix/len,if1[,if2...]]\n' +
  '               [-N if1[,if2...]] [-O prefix/len,if1[,if2...]] [-T if1[,if2...]] [-t tag]\n' +
  '               [-f] [--node NAME|PATH] [--triggered rfc|kame] [--poisoned-reverse]\n';

const HELP = `
  -a            age static routes too
  -A p/l,ifs    aggregate: advertise p/l instead of its more-specifics on ifs (reject route via ::1)
  -d / -D       log up to LOG_INFO / LOG_DEBUG; stay in the foreground
  -f            stay in the foreground, log to stderr
  -h            disable split horizon
  -l            exchange site-local (fec0::/10) routes
  -L p/l,ifs    accept from ifs only routes inside p/l (::/0: exactly the default route)
  -n            do not touch the kernel routing table
  -N ifs        neither listen nor advertise on ifs
  -O p/l,ifs    advertise on ifs only routes inside p/l
  -q            listen only
  -R file       log route additions and deletions to file
  -s            advertise static routes (split horizon applies)
  -S            advertise static routes on every interface
  -T ifs        advertise only a default route on ifs
  -t tag        route tag of originated routes (16 bits; 0x.. hex, 0.. octal)
  --triggered rfc|kame   triggered updates: RFC 2080 2.5.1 1-5 s rate limit (default) or at once (KAME)
  --poisoned-reverse     split horizon with poisoned reverse (RFC 2080 2.6) instead of KAME's plain form
  --node NAME|PATH       the kernel node to attach to (default $KAME_NODE, then "kame")
  --help                 this text
`;

export interface ParsedArgs {
  readonly help: boolean;
  /** 0, 1 (-d) or 2 (-D). */
  readonly debug: number;
  readonly foreground: boolean;
  readonly routeLog: string | undefined;
  readonly node: string | undefined;
  readonly options: Partial<Route6dOptions>;
}

function usageError(msg: string): DaemonError {
  return new DaemonError(`route6d: ${msg}\n${USAGE}`, 1);
}

const WITH_ARG = new Set(['A', 'N', 'O', 'R', 'T', 'L', 't']);
const FLAGS = new Set(['a', 'd', 'D', 'h', 'l', 'n', 'q', 's', 'S', 'f']);

/**
 * Parses the arguments with getopt(3) rules (bundled flags, "-tN" or "-t N",
 * "--" ends options). A usage error is a DaemonError with exit code 1.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const opt: {
    aggregates: Route6dFilter[];
    inputFilters: Route6dFilter[];
    outputFilters: Route6dFilter[];
    noUse: string[];
    defaultOnly: string[];
  } = { aggregates: [], inputFilters: [], outputFilters: [], noUse: [], defaultOnly: [] };
  const flags = new Set<string>();
  let routeLog: string | undefined;
  let tag: number | undefined;
  let node: string | undefined;
  let triggered: TriggeredMode = 'rfc';
  let poisoned = false;
  let help = false;
  const rest: string[] = [];
  const take = (c: string, arg: string): void => {
    try {
      switch (c) {
        case 'A':
          opt.aggregates.push(parseFilterArg(c, arg));
          break;
        case 'L':
          opt.inputFilters.push(parseFilterArg(c, arg));
          break;
        case 'O':
          opt.outputFilters.push(parseFilterArg(c, arg));
          break;
        case 'N':
          opt.noUse.push(...parseIfList(c, arg));
          break;
        case 'T':
          opt.defaultOnly.push(...parseIfList(c, arg));
          break;
        case 'R':
          routeLog = arg;
          break;
        case 't':
          tag = parseRouteTag(arg);
          break;
      }
    } catch (e) {
      throw usageError((e as Error).message);
    }
    const filters = opt.aggregates.length + opt.inputFilters.length + opt.outputFilters.length;
    if (filters > MAXFILTER) throw usageError(`too many filters (at most ${MAXFILTER})`);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name, inline] = a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a];
      const value = (): string => {
        if (inline !== undefined) return inline;
        const v = argv[++i];
        if (v === undefined) throw usageError(`option ${name} requires an argument`);
        return v;
      };
      if (name === '--help') help = true;
      else if (name === '--node') node = value();
      else if (name === '--poisoned-reverse') poisoned = true;
      else if (name === '--triggered') {
        const v = value();
        if (v !== 'rfc' && v !== 'kame') throw usageError(`--triggered ${v}: expected rfc or kame`);
        triggered = v;
      } else throw usageError(`unknown option ${name}`);
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      rest.push(a);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      if (WITH_ARG.has(c)) {
        const arg = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
        if (arg === undefined) throw usageError(`option requires an argument -- ${c}`);
        take(c, arg);
        break;
      }
      if (!FLAGS.has(c)) throw usageError(`invalid option -- ${c}`);
      flags.add(c);
    }
  }
  if (help) {
    return { help, debug: 0, foreground: true, routeLog: undefined, node, options: {} };
  }
  // KAME: "Invalid arguments" for anything left over.
  if (rest.length > 0) throw usageError(`invalid arguments: ${rest.join(' ')}`);
  const splitHorizon: SplitHorizon = flags.has('h') ? 'off' : poisoned ? 'poisoned' : 'plain';
  const options: Partial<Route6dOptions> = {
    ...opt,
    ageStatic: flags.has('a'),
    splitHorizon,
    siteLocal: flags.has('l'),
    noKernel: flags.has('n'),
    listenOnly: flags.has('q'),
    advertiseStatic: flags.has('S') ? 'all' : flags.has('s') ? 'split' : 'none',
    triggered,
    ...(tag !== undefined ? { routeTag: tag } : {}),
  };
  const debug = flags.has('D') ? 2 : flags.has('d') ? 1 : 0;
  return { help, debug, foreground: debug > 0 || flags.has('f'), routeLog, node, options };
}

export interface RunOptions {
  /** The program's own arguments (process.argv.slice(2)). */
  readonly argv: readonly string[];
  readonly io: DaemonIo;
  /** In-process kernel (a memoryPair end accepted by a KernelServer) instead of the node's Unix socket. */
  readonly channelFactory?: () => Promise<FrameChannel>;
  /** The kernel client's clock; default the host's timers. */
  readonly clientClock?: ClientClock;
  /** Called once route6d runs (tests: send signals, look at the engine). */
  readonly onStarted?: (handle: Route6dHandle) => void;
}

/** The whole program; resolves with the exit status once route6d was terminated. */
export async function run(o: RunOptions): Promise<number> {
  const { io } = o;
  let args: ParsedArgs;
  try {
    args = parseArgs(o.argv);
  } catch (e) {
    if (e instanceof DaemonError) {
      io.stderr(`${e.message.trimEnd()}\n`);
      return e.exitCode;
    }
    throw e;
  }
  if (args.help) {
    io.stdout(USAGE + HELP);
    return 0;
  }
  let client: KernelClient | undefined;
  let handle: Route6dHandle | undefined;
  let uninstall = (): void => undefined;
  let pidFile: string | undefined;
  // From the pid file on, a SIGTERM must end route6d cleanly: hold signals until the engine runs.
  const held = holdSignals(io.signals, ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1']);
  try {
    const node = o.channelFactory && args.node === undefined ? 'inproc' : resolveNode(args.node, io.env).name;
    const paths = daemonPaths('route6d', node, io.env);
    const role = await daemonize({ foreground: args.foreground, io, pidFile: paths.pidFile, argv: o.argv });
    if (role === 'parent-done') return 0;
    pidFile = paths.pidFile;
    const logger = createLogger({
      ident: 'route6d',
      pid: io.pid,
      upto: args.debug >= 2 ? 'debug' : args.debug === 1 ? 'info' : 'notice',
      clock: io.clock,
      sink: (_r, line) => io.stderr(line),
    });
    let routeLog: ((line: string) => void) | undefined;
    if (args.routeLog !== undefined) {
      const file = args.routeLog;
      writeFileSync(file, ''); // KAME opens it "w"
      routeLog = (line) => {
        try {
          appendFileSync(file, line);
        } catch (e) {
          logger.err(`${file}: ${(e as Error).message}`);
        }
      };
    }
    client = await attachKernel({
      name: 'route6d',
      env: io.env,
      pid: io.pid,
      ...(args.node !== undefined ? { node: args.node } : {}),
      ...(o.channelFactory ? { channelFactory: o.channelFactory } : {}),
      ...(o.clientClock ? { clock: o.clientClock } : {}),
    });
    const h = await startRoute6d({
      client,
      clock: io.clock,
      random: io.random,
      logger,
      options: args.options,
      ...(routeLog ? { routeLog } : {}),
    });
    handle = h;
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const dump = (): void => {
      // KAME appends to /var/run/route6d_dump.
      try {
        appendFileSync(paths.dumpFile, h.dump(), { mode: 0o644 });
      } catch (e) {
        logger.err(`${paths.dumpFile}: ${(e as Error).message}`);
      }
    };
    uninstall = held.release({
      SIGUSR1: dump,
      SIGHUP: dump,
      SIGINT: dump,
      SIGTERM: () => {
        void h.stop().then(finish, finish);
      },
    });
    o.onStarted?.(h);
    await finished;
    return 0;
  } catch (e) {
    io.stderr(`${e instanceof DaemonError ? e.message.trimEnd() : `route6d: ${(e as Error).message}`}\n`);
    return e instanceof DaemonError ? e.exitCode : 1;
  } finally {
    held.dispose();
    uninstall();
    if (handle) await handle.stop();
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
