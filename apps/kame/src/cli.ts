import { Command, CommanderError } from 'commander';
import { connectUnix, KernelClient, socketPath, type FrameChannel } from '@kame/kernel-api';
import { ifconfig } from './commands/ifconfig';
import { labCommand } from './commands/lab';
import { ifmcstatCommand } from './commands/ifmcstat';
import { ndpCommand } from './commands/ndp';
import { netstatCommand } from './commands/netstat';
import { ping6 } from './commands/ping6';
import {
  parseRouteGet,
  parseRouteModify,
  routeFlush,
  routeGet,
  routeModify,
  routeMonitor,
  routeShow,
} from './commands/route';
import { sysctl } from './commands/sysctl';
import { traceroute6 } from './commands/traceroute6';
import { rtadvctl } from '@kame/rtadvd';
import { errorText, intArg, parseScoped, UsageError, type CliClock, type Output } from './format';
import { onSigint, realClientClock, realCliClock } from './real-clock';

export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides how the kernel is reached (tests: a memoryPair end). */
  readonly channelFactory?: (node: string) => Promise<FrameChannel>;
  /** Time for ping6 / traceroute6 (tests: virtual); default host time. */
  readonly clock?: CliClock;
  /** Registers the stop handler of `route monitor` (default SIGINT). */
  readonly onInterrupt?: (stop: () => void) => () => void;
  /** Called when a long-running command (route monitor) is listening. */
  readonly ready?: () => void;
}

/** `--node NAME|PATH`: a path has a '/', else a node name in the rundir. */
export function nodeSocket(node: string, env: NodeJS.ProcessEnv = process.env): string {
  return node.includes('/') ? node : socketPath(node, env['KAME_RUNDIR'] || undefined);
}

type Action = (client: KernelClient, json: boolean) => Promise<Output | number>;

/** Runs one command line (argv without node and script); resolves with the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  const clock = io.clock ?? realCliClock;
  let action: Action | undefined;
  /** A command that needs no kernel connection of kame's own (lab, rtadvctl). */
  let standalone: ((json: boolean) => Promise<number>) | undefined;
  const program = new Command('kame')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .option('--node <name|path>', 'kernel node name or socket path', env['KAME_NODE'] || 'kame')
    .option('--json', 'JSON output');
  /** A subcommand that parses its own arguments (KAME getopt style). */
  const raw = (name: string, description: string, fn: (args: string[]) => Action) =>
    program
      .command(name)
      .description(description)
      .helpOption(false)
      .argument('[args...]')
      .allowUnknownOption()
      .action((args: string[]) => {
        action = fn(args);
      });

  raw('ifconfig', 'interfaces and addresses', (args) => {
    const all = args[0] === '-a';
    const rest = all ? args.slice(1) : args;
    return (c) => ifconfig(c, rest, all);
  });
  program
    .command('sysctl')
    .option('-a', 'all')
    .argument('[names...]')
    .action((names: string[], o: { a?: boolean }) => {
      action = (c) => sysctl(c, names, o.a ?? false);
    });
  raw('route', 'show | add | delete | change | get | flush | monitor [--count N]', (all) => {
    const args = all.filter((a) => a !== '-n');
    const verb = args[0];
    const rest = args.slice(1);
    switch (verb) {
      case 'show':
      case 'get-all':
        return (c) => routeShow(c);
      case 'add':
      case 'delete':
      case 'change': {
        const plan = parseRouteModify(verb, rest);
        return (c) => routeModify(c, plan);
      }
      case 'get': {
        const target = parseRouteGet(rest);
        return (c) => routeGet(c, target);
      }
      case 'flush':
        if (rest.some((a) => a !== '-inet6')) throw new UsageError(`route flush: unexpected ${rest[0]!}`);
        return (c) => routeFlush(c);
      case 'monitor': {
        let count: number | undefined;
        for (let k = 0; k < rest.length; k++) {
          if (rest[k] === '--count' || rest[k] === '-c')
            count = intArg(rest[++k], 'route monitor: --count', 1, 1e9);
          else if (rest[k] !== '-inet6') throw new UsageError(`route monitor: unexpected ${rest[k]!}`);
        }
        return (c, json) =>
          routeMonitor(c, {
            ...(count !== undefined ? { count } : {}),
            json,
            write: io.stdout,
            onInterrupt: io.onInterrupt ?? onSigint,
            ...(io.ready ? { onReady: io.ready } : {}),
          });
      }
      default:
        throw new UsageError(
          verb === undefined ? 'route: missing command' : `route: unknown command ${verb}`,
        );
    }
  });
  program
    .command('ping6')
    .option('-c <n>', 'count', '5')
    .option('-i <s>', 'interval (seconds)', '1')
    .option('-s <n>', 'payload size', '56')
    .option('-I <if>', 'outgoing interface')
    .option('-h <hlim>', 'hop limit')
    .option('-b <bufsiz>', 'socket buffer size (SO_SNDBUF, SO_RCVBUF)')
    .option('-S <sourceaddr>', 'source address')
    .argument('<address>')
    .action(
      (
        address: string,
        o: { c: string; i: string; s: string; I?: string; h?: string; b?: string; S?: string },
      ) => {
        const count = intArg(o.c, 'ping6: bad count', 1, 1e9);
        const interval = Number(o.i);
        if (!(interval >= 0 && interval <= 86400)) throw new UsageError(`ping6: bad interval ${o.i}`);
        // ping6(8): up to 131072 minus the headers; above 65535 needs -b (IMPLEMENTATION 1.7).
        const size = intArg(o.s, 'ping6: bad size', 0, 131072 - 48);
        const hlim = o.h === undefined ? undefined : intArg(o.h, 'ping6: bad hop limit', 0, 255);
        const sockbuf =
          o.b === undefined ? undefined : intArg(o.b, 'ping6: bad socket buffer size', 1, 2 ** 31 - 1);
        parseScoped(address, 'ping6:');
        if (o.S !== undefined) parseScoped(o.S, 'ping6: bad source address');
        action = async (c, json) => {
          const r = await ping6(
            c,
            address,
            {
              count,
              intervalMs: interval * 1000,
              size,
              ...(o.I !== undefined ? { ifname: o.I } : {}),
              ...(hlim !== undefined ? { hoplimit: hlim } : {}),
              ...(sockbuf !== undefined ? { sockbuf } : {}),
              ...(o.S !== undefined ? { source: o.S } : {}),
            },
            clock,
            json ? () => undefined : io.stdout,
          );
          if (json) io.stdout(JSON.stringify({ target: address, ...r }, null, 2) + '\n');
          return r.received > 0 ? 0 : 1;
        };
      },
    );
  program
    .command('traceroute6')
    .option('-n', 'numeric')
    .option('-f <first>', 'first hop limit', '1')
    .option('-m <hoplimit>', 'max hop limit', '30')
    .option('-q <nqueries>', 'probes per hop', '3')
    .option('-w <wait>', 'seconds to wait for a reply', '5')
    .option('-p <port>', 'base UDP port', '33434')
    .argument('<address>')
    .action((address: string, o: { n?: boolean; f: string; m: string; q: string; w: string; p: string }) => {
      const maxHops = intArg(o.m, 'traceroute6: bad max hop limit', 1, 255);
      const firstHop = intArg(o.f, 'traceroute6: bad first hop limit', 1, maxHops);
      const nqueries = intArg(o.q, 'traceroute6: bad number of queries', 1, 10);
      const wait = intArg(o.w, 'traceroute6: bad wait time', 1, 86400);
      const port = intArg(o.p, 'traceroute6: bad port', 1, 65535);
      parseScoped(address, 'traceroute6:');
      action = async (c, json) => {
        await traceroute6(
          c,
          address,
          { numeric: o.n ?? false, firstHop, maxHops, nqueries, waitMs: wait * 1000, port },
          clock,
          { stdout: io.stdout, stderr: io.stderr, json },
        );
        return 0;
      };
    });
  raw('ndp', 'neighbor discovery tables: -a | -c | -d host | -p | -r | -i if | -I [if|delete]', (args) =>
    ndpCommand(args),
  );
  raw('netstat', 'netstat -rn [-f inet6] | -s [-p ip6|icmp6|udp6|rip6] | -i', (args) => netstatCommand(args));
  raw('ifmcstat', 'joined multicast groups: ifmcstat [-i interface]', (args) => ifmcstatCommand(args));
  program
    .command('rtadvctl')
    .description(
      "rtadvd's control: reload | shutdown | enable IF | disable IF | show [IF ...] (FreeBSD rtadvctl)",
    )
    .helpOption(false)
    .argument('[args...]')
    .allowUnknownOption()
    .action((args: string[]) => {
      standalone = (json) => {
        const node = program.opts<{ node: string }>().node;
        return rtadvctl(['--node', node, ...(json ? ['--json'] : []), ...args], {
          stdout: io.stdout,
          stderr: io.stderr,
          env,
        });
      };
    });
  program
    .command('lab')
    .description('labs of kame and Linux nodes: up | status | exec | down | capture | graph')
    .helpOption(false)
    .argument('[args...]')
    .allowUnknownOption()
    .action((args: string[]) => {
      standalone = (json) => labCommand(args, io, json);
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
  if (standalone) return standalone(program.opts<{ json?: boolean }>().json ?? false);
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
      clock: realClientClock,
      reconnect: false,
    });
    const out = await action(client, opts.json ?? false);
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
