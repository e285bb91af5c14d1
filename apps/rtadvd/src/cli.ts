import { Command, CommanderError } from 'commander';
import {
  attachKernel,
  ControlServer,
  createLogger,
  daemonize,
  daemonPaths,
  DaemonError,
  holdSignals,
  removePidFile,
  resolveNode,
  streamSink,
  writeDumpFile,
  type DaemonIo,
  type Logger,
} from '@kame/daemon';
import type { ClientClock, FrameChannel, KernelClient } from '@kame/kernel-api';
import { readConfigFile } from './config';
import { prepareRtadvd, type PreparedRtadvd, type Rtadvd } from './rtadvd';

/** KAME pathnames.h _PATH_RTADVDCONF. */
export const DEFAULT_CONFFILE = '/usr/local/v6/etc/rtadvd.conf';
/** KAME rtadvd.c usage(). */
export const USAGE = 'usage: rtadvd [-dDfMRs] [-c conffile] [-p pidfile] [--node NAME|PATH] interfaces...';

export interface RtadvdFlags {
  readonly configFile: string;
  readonly debug: 0 | 1 | 2;
  readonly foreground: boolean;
  readonly mcastIf: string | undefined;
  readonly mip6: boolean;
  readonly renumbering: boolean;
  readonly noRoutingSocket: boolean;
  readonly pidFile: string | undefined;
  readonly node: string | undefined;
  readonly interfaces: readonly string[];
}

/** What tests (and labs) replace: the kernel transport and its clock. */
export interface RunOverrides {
  readonly channelFactory?: () => Promise<FrameChannel>;
  readonly clientClock?: ClientClock;
  /** Called once the daemon runs (tests wait for it). */
  readonly onReady?: (d: Rtadvd) => void;
}

/** Parses KAME's flags (getopt "c:dDfM:mRs" + FreeBSD -p); a usage error is a DaemonError, exit 1. */
export function parseFlags(
  argv: readonly string[],
  io: Pick<DaemonIo, 'stdout' | 'stderr' | 'env'>,
): RtadvdFlags | 'help' {
  let interfaces: string[] = [];
  const program = new Command('rtadvd')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined })
    .helpOption('--help', 'show this help')
    .usage('[-dDfMRs] [-c conffile] [-p pidfile] [--node NAME|PATH] interfaces...')
    .description('the KAME router advertisement daemon')
    .option('-c <conffile>', `configuration file (default ${DEFAULT_CONFFILE})`)
    .option('-d', 'debug: log up to LOG_INFO')
    .option('-D', 'more debug: log everything (LOG_DEBUG)')
    .option('-f', 'foreground: do not detach, log to stderr')
    .option('-M <ifname>', 'interface for ff05::2 (only with -R, which is ignored)')
    .option('-m', 'Mobile IPv6 mode')
    .option('-R', 'router renumbering (ignored)')
    .option('-s', 'no routing socket: no dynamic prefix or interface tracking')
    .option('-p <pidfile>', 'pid file (default <rundir>/<node>.rtadvd.pid)')
    .option('--node <name|path>', 'kernel node name or socket path (default $KAME_NODE, then "kame")')
    .argument('<interfaces...>')
    .action((ifs: string[]) => {
      interfaces = ifs;
    });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') return 'help';
      throw new DaemonError(`${e.message.replace(/^error: /, '')}\n${USAGE}`, 1);
    }
    throw e;
  }
  const o = program.opts<{
    c?: string;
    d?: boolean;
    D?: boolean;
    f?: boolean;
    M?: string;
    m?: boolean;
    R?: boolean;
    s?: boolean;
    p?: string;
    node?: string;
  }>();
  return {
    configFile: o.c ?? DEFAULT_CONFFILE,
    debug: o.D ? 2 : o.d ? 1 : 0,
    foreground: o.f ?? false,
    mcastIf: o.M,
    mip6: o.m ?? false,
    renumbering: o.R ?? false,
    noRoutingSocket: o.s ?? false,
    pidFile: o.p,
    node: o.node,
    interfaces,
  };
}

/**
 * The rtadvd program: flags, config check, daemon(3), then RAs until SIGTERM
 * (or `rtadvctl shutdown`). Resolves with the exit status.
 */
export async function run(argv: readonly string[], io: DaemonIo, o: RunOverrides = {}): Promise<number> {
  let flags: RtadvdFlags | 'help';
  try {
    flags = parseFlags(argv, io);
  } catch (e) {
    io.stderr(`rtadvd: ${(e as Error).message}\n`);
    return e instanceof DaemonError ? e.exitCode : 1;
  }
  if (flags === 'help') return 0;
  const f = flags;
  // KAME: default LOG_UPTO(LOG_ERR); -d LOG_INFO; -D everything.
  const logger: Logger = createLogger({
    ident: 'rtadvd',
    pid: io.pid,
    upto: f.debug === 2 ? 'debug' : f.debug === 1 ? 'info' : 'err',
    clock: io.clock,
    sink: streamSink(io.stderr),
  });
  if (f.renumbering) io.stderr('rtadvd: the -R option is currently ignored.\n');

  let client: KernelClient | undefined;
  let prepared: PreparedRtadvd | undefined;
  let terminate: () => void = () => undefined;
  // From the pid file on, a SIGTERM must end rtadvd cleanly (final RAs, pid file removed): hold signals until it runs.
  const held = holdSignals(io.signals, ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1']);
  try {
    const node = resolveNode(f.node, io.env);
    const paths = daemonPaths('rtadvd', node.name, io.env);
    const pidFile = f.pidFile ?? paths.pidFile;
    client = await attachKernel({
      name: 'rtadvd',
      env: io.env,
      pid: io.pid,
      ...(f.node !== undefined ? { node: f.node } : {}),
      ...(o.channelFactory ? { channelFactory: o.channelFactory } : {}),
      ...(o.clientClock ? { clock: o.clientClock } : {}),
    });
    prepared = await prepareRtadvd({
      client,
      loadConfigs: (ctx) => readConfigFile(f.configFile, f.interfaces, ctx),
      clock: io.clock,
      random: io.random,
      logger,
      noRoutingSocket: f.noRoutingSocket,
      mip6: f.mip6,
      onShutdownRequest: () => terminate(),
    });
    const role = await daemonize({ foreground: f.foreground, io, pidFile, argv });
    if (role === 'parent-done') {
      held.dispose();
      prepared.close();
      client.close();
      return 0;
    }
    const d = await prepared.start();
    let control: ControlServer | undefined;
    try {
      control = await ControlServer.listen(paths.controlSocket, d.control);
    } catch (e) {
      logger.err(`<main> control socket ${paths.controlSocket}: ${(e as Error).message}`);
    }
    const c = client;
    return await new Promise<number>((resolve) => {
      let stopping = false;
      let uninstall = (): void => undefined;
      terminate = () => {
        if (stopping) return;
        stopping = true;
        void d.shutdown().then(async () => {
          uninstall();
          await control?.close().catch(() => undefined);
          c.close();
          try {
            removePidFile(pidFile, io.pid);
          } catch {
            // already gone
          }
          resolve(0);
        });
      };
      // Signals held since start-up run now, with terminate in place.
      uninstall = held.release({
        SIGUSR1: () => {
          try {
            writeDumpFile(paths.dumpFile, d.dump());
          } catch (e) {
            logger.err(`<rtadvd_dump_file> ${paths.dumpFile}: ${(e as Error).message}`);
          }
        },
        SIGHUP: () => void d.reload(),
        SIGTERM: () => terminate(),
        SIGINT: () => terminate(),
      });
      o.onReady?.(d);
    });
  } catch (e) {
    held.dispose();
    const msg = e instanceof Error ? e.message : String(e);
    logger.err(msg);
    prepared?.close();
    client?.close();
    return e instanceof DaemonError ? e.exitCode : 1;
  }
}
