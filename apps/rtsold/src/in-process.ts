import {
  exitedDaemon,
  inProcessLogger,
  signalExitStatus,
  DaemonError,
  type InProcessContext,
  type InProcessDaemon,
  type InProcessMain,
  type SignalName,
} from '@kame/daemon';
import { parseArgs, type Mode } from './cli';
import { startRtsold, type RtsoldHandle } from './run';

/** The dump file name handed to ctx.writeFile on SIGUSR1 (the program's <rundir>/<node>.rtsold.dump). */
export function rtsoldDumpName(node: string, mode: Mode = 'rtsold'): string {
  return `${node}.${mode}.dump`;
}

async function main(mode: Mode, argv: readonly string[], ctx: InProcessContext): Promise<InProcessDaemon> {
  const args = parseArgs(argv, mode);
  if (args.help) return exitedDaemon(0);
  const prog = args.mode;
  const logger = inProcessLogger(ctx, prog, args.debug > 0 ? 'debug' : 'notice');
  let h: RtsoldHandle;
  try {
    h = await startRtsold({
      client: ctx.client,
      clock: ctx.clock,
      random: ctx.random,
      logger,
      interfaces: args.interfaces,
      autoprobe: args.autoprobe,
      mobility: args.mobility,
      once: args.once,
      setSysctls: args.setSysctls,
      debug: args.debug,
      ...(args.otherconfScript !== undefined ? { otherconfScript: args.otherconfScript } : {}),
      // No child processes in a lab process: the script is named in the log instead of run.
      runScript: (script, ifname) => {
        logger.notice(`<call_script> ${script} ${ifname}: not run in-process`);
        return Promise.resolve();
      },
    });
  } catch (e) {
    if (e instanceof DaemonError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    // As the program: an RtsoldError or any other failure to start is exit status 1.
    throw new DaemonError(`${prog}: ${msg}`, 1);
  }
  let state: 'running' | 'exited' = 'running';
  let code = 0;
  const exited = h.finished.then(() => {
    state = 'exited';
    return code;
  });
  const signal = (sig: SignalName): void => {
    if (state === 'exited') return;
    switch (sig) {
      case 'SIGUSR1': {
        const file = rtsoldDumpName(ctx.node, prog);
        try {
          ctx.writeFile(file, h.dump());
          logger.debug(`<rtsold_dump_file> dumped to ${file}`);
        } catch (e) {
          logger.err(`<rtsold_dump_file> ${file}: ${(e as Error).message}`);
        }
        return;
      }
      case 'SIGTERM':
      case 'SIGINT':
        h.stop();
        return;
      default:
        // No handler installed: the default action ends the process.
        code = signalExitStatus(sig);
        h.stop();
    }
  };
  return {
    signal,
    stop: () => {
      h.stop();
      return exited;
    },
    exited,
    status: () => {
      if (state === 'exited') return 'exited';
      const names = h.engine.interfaceNames;
      return names.map((n) => `${n} ${h.engine.vars(n)?.state ?? '?'}`).join(', ') || 'no interfaces';
    },
  };
}

/**
 * rtsold inside another program (a lab in in-process or virtual mode): the
 * program's argv without argv[0] ("em0", "-a", "--rtsol em0"), parsed by
 * the same parseArgs as the command line. -f and --node mean nothing here.
 * Usage errors reject with a DaemonError carrying exit status 1. `exited`
 * resolves by itself in once mode (-1, rtsol) when every interface is done.
 */
export const inProcessMain: InProcessMain = (argv, ctx) => main('rtsold', argv, ctx);

/** rtsol (one-shot: -f -1) inside another program; see inProcessMain. */
export const rtsolInProcessMain: InProcessMain = (argv, ctx) => main('rtsol', argv, ctx);
