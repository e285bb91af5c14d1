import {
  exitedDaemon,
  inProcessLogger,
  signalExitStatus,
  DaemonError,
  type InProcessContext,
  type InProcessMain,
  type SignalName,
} from '@kame/daemon';
import { ConfigError, loadConfig, type LoadConfigOptions } from './config';
import { parseFlags } from './cli';
import { RtadvdError } from './engine/rtadvd-engine';
import { prepareRtadvd, type PreparedRtadvd, type Rtadvd } from './rtadvd';

/** The dump file name handed to ctx.writeFile on SIGUSR1 (the program's <rundir>/<node>.rtadvd.dump). */
export function rtadvdDumpName(node: string): string {
  return `${node}.rtadvd.dump`;
}

/** rtadvd.conf through ctx.readFile; a missing file means defaults, as readConfigFile does. */
function readConfig(
  ctx: InProcessContext,
  file: string,
  ifnames: readonly string[],
  opts: LoadConfigOptions,
) {
  let text: string;
  try {
    text = ctx.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    if (code !== 'ENOENT') {
      throw new ConfigError(file, 0, '-', '-', `cannot read the configuration file (${code})`);
    }
    const r = loadConfig('', file, ifnames, opts);
    return {
      configs: r.configs,
      warnings: [
        { level: 'info' as const, message: `${file}: no such file: every interface takes the defaults` },
        ...(r.warnings ?? []),
      ],
    };
  }
  return loadConfig(text, file, ifnames, opts);
}

/** A daemon that has already ended (--help). */
/**
 * rtadvd inside another program (a lab in in-process or virtual mode): the
 * program's argv without argv[0] ("-c rtadvd.conf em1"), parsed by the same
 * parseFlags as the command line. -f, -p and --node mean nothing here (the
 * kernel is ctx.client, there is no process to detach). Usage and config
 * errors reject with a DaemonError carrying exit status 1.
 */
export const inProcessMain: InProcessMain = async (argv, ctx) => {
  const noOut = (): void => undefined;
  const flags = parseFlags(argv, { stdout: noOut, stderr: noOut, env: {} });
  if (flags === 'help') return exitedDaemon(0);
  // KAME: default LOG_UPTO(LOG_ERR); -d LOG_INFO; -D everything.
  const logger = inProcessLogger(
    ctx,
    'rtadvd',
    flags.debug === 2 ? 'debug' : flags.debug === 1 ? 'info' : 'err',
  );
  if (flags.renumbering) logger.warning('the -R option is currently ignored.');
  let terminate: () => void = () => undefined;
  let prepared: PreparedRtadvd;
  let d: Rtadvd;
  try {
    prepared = await prepareRtadvd({
      client: ctx.client,
      loadConfigs: (c) =>
        readConfig(ctx, flags.configFile, flags.interfaces, {
          forwarding: c.forwarding,
          mip6: c.mip6,
          phyMtu: c.phyMtu,
        }),
      clock: ctx.clock,
      random: ctx.random,
      logger,
      noRoutingSocket: flags.noRoutingSocket,
      mip6: flags.mip6,
      ...(ctx.wallTime ? { wallClock: ctx.wallTime } : {}),
      onShutdownRequest: () => terminate(),
    });
  } catch (e) {
    throw asDaemonError(e);
  }
  try {
    d = await prepared.start();
  } catch (e) {
    prepared.close();
    throw asDaemonError(e);
  }
  let state: 'running' | 'stopping' | 'exited' = 'running';
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const finish = (code: number): void => {
    if (state === 'exited') return;
    state = 'exited';
    resolveExit(code);
  };
  terminate = () => {
    if (state !== 'running') return;
    state = 'stopping';
    // RFC 4861 6.2.5: the final RAs with Router Lifetime 0, then the socket goes.
    void d.shutdown().then(
      () => finish(0),
      (e: unknown) => {
        logger.err(`<die> ${e instanceof Error ? e.message : String(e)}`);
        d.close();
        finish(1);
      },
    );
  };
  const signal = (sig: SignalName): void => {
    if (state === 'exited') return;
    switch (sig) {
      case 'SIGUSR1': {
        const file = rtadvdDumpName(ctx.node);
        try {
          ctx.writeFile(file, d.dump());
        } catch (e) {
          logger.err(`<rtadvd_dump_file> ${file}: ${(e as Error).message}`);
        }
        return;
      }
      case 'SIGHUP':
        void d.reload();
        return;
      case 'SIGTERM':
      case 'SIGINT':
        terminate();
        return;
      default: {
        // No handler: the default action ends the process at once (no final RAs).
        d.close();
        finish(signalExitStatus(sig));
      }
    }
  };
  return {
    signal,
    stop: () => {
      terminate();
      return exited;
    },
    exited,
    status: () => {
      if (state !== 'running') return state;
      const n = d.engine.interfaceNames().length;
      return `advertising on ${n} interface${n === 1 ? '' : 's'}`;
    },
  };
};

/** KAME: a bad config (ConfigError), an unusable interface (RtadvdError) or no kernel: LOG_ERR and exit(1). */
function asDaemonError(e: unknown): DaemonError {
  if (e instanceof DaemonError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new DaemonError(e instanceof ConfigError || e instanceof RtadvdError ? msg : `rtadvd: ${msg}`, 1);
}
