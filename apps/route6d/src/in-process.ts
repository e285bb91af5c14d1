import {
  exitedDaemon,
  inProcessLogger,
  signalExitStatus,
  DaemonError,
  type InProcessMain,
  type SignalName,
} from '@kame/daemon';
import { parseArgs } from './cli';
import { startRoute6d, type Route6dHandle } from './run';

/** The dump file name handed to ctx.writeFile (append) on SIGUSR1/SIGHUP/SIGINT: <node>.route6d.dump. */
export function route6dDumpName(node: string): string {
  return `${node}.route6d.dump`;
}

/**
 * route6d inside another program (a lab in in-process or virtual mode): the
 * program's argv without argv[0] ("-R route.log -N em2"), parsed by the same
 * parseArgs as the command line. -f and --node mean nothing here. The -R
 * route log and the SIGUSR1 dump go through ctx.writeFile. stop() is
 * SIGTERM: every route re-advertised with metric 16, then the socket closed.
 * Usage errors reject with a DaemonError carrying exit status 1.
 */
export const inProcessMain: InProcessMain = async (argv, ctx) => {
  const args = parseArgs(argv);
  if (args.help) return exitedDaemon(0);
  const logger = inProcessLogger(
    ctx,
    'route6d',
    args.debug >= 2 ? 'debug' : args.debug === 1 ? 'info' : 'notice',
  );
  let routeLog: ((line: string) => void) | undefined;
  if (args.routeLog !== undefined) {
    const file = args.routeLog;
    try {
      ctx.writeFile(file, ''); // KAME opens it "w"
    } catch (e) {
      throw new DaemonError(`route6d: ${file}: ${(e as Error).message}`, 1);
    }
    routeLog = (line) => {
      try {
        ctx.writeFile(file, line, { append: true });
      } catch (e) {
        logger.err(`${file}: ${(e as Error).message}`);
      }
    };
  }
  let h: Route6dHandle;
  try {
    h = await startRoute6d({
      client: ctx.client,
      clock: ctx.clock,
      random: ctx.random,
      logger,
      options: args.options,
      ...(routeLog ? { routeLog } : {}),
      ...(ctx.wallTime ? { wallTime: ctx.wallTime } : {}),
    });
  } catch (e) {
    if (e instanceof DaemonError) throw e;
    throw new DaemonError(`route6d: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  let state: 'running' | 'stopping' | 'exited' = 'running';
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const finish = (code: number): void => {
    if (state === 'exited') return;
    state = 'exited';
    resolveExit(code);
  };
  const terminate = (): void => {
    if (state !== 'running') return;
    state = 'stopping';
    void h.stop().then(
      () => finish(0),
      (e: unknown) => {
        logger.err(`<rtdexit> ${e instanceof Error ? e.message : String(e)}`);
        finish(1);
      },
    );
  };
  const dump = (): void => {
    // KAME appends to /var/run/route6d_dump.
    const file = route6dDumpName(ctx.node);
    try {
      ctx.writeFile(file, h.dump(), { append: true });
    } catch (e) {
      logger.err(`${file}: ${(e as Error).message}`);
    }
  };
  const signal = (sig: SignalName): void => {
    if (state === 'exited') return;
    switch (sig) {
      case 'SIGUSR1':
      case 'SIGHUP':
      case 'SIGINT':
        dump();
        return;
      case 'SIGTERM':
        terminate();
        return;
      default:
        // No handler: the process ends at once. The socket goes first, so nothing is withdrawn;
        // shutdown() only stops the timers then.
        h.host.close();
        state = 'stopping';
        void h.engine.shutdown().finally(() => finish(signalExitStatus(sig)));
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
      const n = h.engine.routes().length;
      return `${n} route${n === 1 ? '' : 's'}`;
    },
  };
};
