import { Command, CommanderError } from 'commander';
import { connectUnix, KernelClient, socketPath, type FrameChannel } from '@kame/kernel-api';
import { errorText, ifconfig, routeModify, routeShow, sysctl, UsageError, type Output } from './engine';
import { ping6 } from './ping6';

export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides how the kernel is reached (tests: a memoryPair end). */
  readonly channelFactory?: (node: string) => Promise<FrameChannel>;
}

/** `--node NAME|PATH`: a path has a '/', else a node name in the rundir. */
export function nodeSocket(node: string, env: NodeJS.ProcessEnv = process.env): string {
  return node.includes('/') ? node : socketPath(node, env['KAME_RUNDIR'] || undefined);
}

/** Runs one command line (argv without node and script); resolves with the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  let action: ((client: KernelClient) => Promise<Output | number>) | undefined;
  const program = new Command('kame')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .option('--node <name|path>', 'kernel node name or socket path', env['KAME_NODE'] || 'kame')
    .option('--json', 'JSON output');
  program
    .command('ifconfig')
    .helpOption(false)
    .argument('[args...]')
    .allowUnknownOption()
    .action((args: string[]) => {
      const all = args[0] === '-a';
      const rest = all ? args.slice(1) : args;
      action = (c) => ifconfig(c, rest, all);
    });
  program
    .command('sysctl')
    .option('-a', 'all')
    .argument('[names...]')
    .action((names: string[], o: { a?: boolean }) => {
      action = (c) => sysctl(c, names, o.a ?? false);
    });
  program
    .command('route')
    .option('-n', 'numeric (always)')
    .argument('<verb>', 'show | add | delete')
    .argument('[args...]')
    .allowUnknownOption()
    .action((verb: string, args: string[]) => {
      if (verb === 'show' || verb === 'get-all') action = (c) => routeShow(c);
      else if (verb === 'add' || verb === 'delete') action = (c) => routeModify(c, verb, args);
      else throw new UsageError(`route: unknown command ${verb}`);
    });
  program
    .command('ping6')
    .option('-c <n>', 'count', '5')
    .option('-i <s>', 'interval (seconds)', '1')
    .option('-s <n>', 'payload size', '56')
    .option('-I <if>', 'outgoing interface')
    .option('-h <hlim>', 'hop limit')
    .argument('<address>')
    .action((address: string, o: { c: string; i: string; s: string; I?: string; h?: string }) => {
      const count = Number(o.c);
      const interval = Number(o.i);
      const size = Number(o.s);
      const hlim = o.h === undefined ? undefined : Number(o.h);
      if (!Number.isInteger(count) || count < 1) throw new UsageError(`ping6: bad count ${o.c}`);
      if (!(interval >= 0)) throw new UsageError(`ping6: bad interval ${o.i}`);
      if (!Number.isInteger(size) || size < 0 || size > 65000) throw new UsageError(`ping6: bad size ${o.s}`);
      if (hlim !== undefined && !(Number.isInteger(hlim) && hlim >= 0 && hlim <= 255))
        throw new UsageError(`ping6: bad hop limit ${String(o.h)}`);
      action = async (c) => {
        const r = await ping6(
          c,
          address,
          {
            count,
            intervalMs: interval * 1000,
            size,
            ...(o.I !== undefined ? { ifname: o.I } : {}),
            ...(hlim !== undefined ? { hoplimit: hlim } : {}),
          },
          io.stdout,
        );
        return r.received > 0 ? 0 : 1;
      };
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      io.stderr(`kame: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (!action) {
    io.stderr(program.helpInformation());
    return 2;
  }
  const opts = program.opts<{ node: string; json?: boolean }>();
  let client: KernelClient | undefined;
  try {
    const node = opts.node;
    client = await KernelClient.connect({
      channelFactory: io.channelFactory
        ? () => io.channelFactory!(node)
        : () => connectUnix(nodeSocket(node, env)),
      name: 'kame',
      clock: {
        now: () => Date.now(),
        setTimer: (ms, fn) => {
          const t = setTimeout(fn, ms);
          return { cancel: () => clearTimeout(t) };
        },
      },
      reconnect: false,
    });
    const out = await action(client);
    if (typeof out === 'number') return out;
    io.stdout(opts.json ? JSON.stringify(out.json, null, 2) + '\n' : out.text);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`kame: ${e.message}\n`);
      return 2;
    }
    io.stderr(errorText(e) + '\n');
    return 1;
  } finally {
    client?.close();
  }
}
