import { ScopedAddress } from '@kame/addr';
import { defaultRundir } from '@kame/kernel-api';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { InterfaceConfig, KernelConfig, NodeConfig, RouteConfig } from '../config/config';
import { ConfigError, FieldError } from '../config/config-error';
import { parseInteger, parseNodeName, parseSysctl, vxlanKey } from '../config/fields';
import { readNodeFile } from '../config/node-file';
import { LOG_LEVELS, type LogLevel } from '../engine/logger';
import { IF_SPEC_SYNTAX, ROUTE_SPEC_SYNTAX, parseIfSpec, parseRouteSpec } from './if-spec';

export const PROGRAM = 'kame-kernel';
export const DEFAULT_NODE = 'kame';

/** Where commander and our own usage errors write (stdout for --help, stderr otherwise). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** One-shot ping for smoke tests (ping6 -c COUNT -i INTERVAL). */
export interface PingRequest {
  node: string;
  target: ScopedAddress;
  count: number;
  intervalMs: number;
  /** How long to wait for the last reply. */
  waitMs: number;
  /** Keep running (as without --ping) after the pings instead of exiting with their status. */
  thenRun: boolean;
}

/** What main.ts runs after a successful parse. */
export interface Invocation {
  config: KernelConfig;
  seed: number | undefined;
  pcapDir: string | undefined;
  logLevel: LogLevel;
  foreground: boolean;
  ping: PingRequest | undefined;
  /** Directory of the kernel API sockets (<rundir>/<node>.sock and .ro.sock). */
  rundir: string;
  /** Serve the kernel API (false with --no-ipc). */
  ipc: boolean;
}

export type CliResult = { kind: 'run'; invocation: Invocation } | { kind: 'exit'; code: number };

/** A usage problem found after commander parsed the flags (exit 2). */
export class UsageError extends Error {}

interface RawOptions {
  nodeFile?: string;
  node?: string;
  if?: { spec: string; ifc: InterfaceConfig }[];
  route?: RouteConfig[];
  sysctl?: { name: string; value: number }[];
  seed?: number;
  pcap?: string;
  logLevel: LogLevel;
  foreground?: boolean;
  ping?: ScopedAddress;
  count: number;
  interval: number;
  wait: number;
  thenRun?: boolean;
  rundir: string;
  ipc: boolean;
}

/** Wraps a FieldError from a value parser as commander's InvalidArgumentError. */
function arg<T>(parse: (v: string) => T): (v: string) => T {
  return (v) => {
    try {
      return parse(v);
    } catch (e) {
      if (e instanceof FieldError) throw new InvalidArgumentError(`${e.key}: ${e.message}`);
      throw e;
    }
  };
}

function collect<T>(parse: (v: string) => T): (v: string, prev: T[] | undefined) => T[] {
  const p = arg(parse);
  return (v, prev) => [...(prev ?? []), p(v)];
}

/** The commander program (exported for tests: they add exitOverride/configureOutput through parseCommandLine). */
export function buildProgram(env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command(PROGRAM);
  program
    .description(
      'Run emulated KAME kernels (nodes): interfaces on VXLAN (Ethernet-in-UDP, RFC 7348) or in-process hubs.\n' +
        'Nodes come from a node file, from flags, or both. Stops cleanly on SIGTERM/SIGINT.',
    )
    .option('--node-file <file>', 'node file describing one or more nodes (see README)')
    .option(
      '--node <name>',
      'node to run from the node file, or the name of the node built from flags (default $KAME_NODE or "kame")',
      env.KAME_NODE,
    )
    .option('--if <spec>', `add an interface: ${IF_SPEC_SYNTAX}`, collect(parseIfWithSpec))
    .option('--route <spec>', `add a static route: ${ROUTE_SPEC_SYNTAX}`, collect(parseRouteSpec))
    .option(
      '--sysctl <name=value>',
      'boot-time sysctl for every node run (repeatable)',
      collect((v) => parseSysctl('sysctl', v)),
    )
    .option(
      '--seed <n>',
      'seed of the nodes Random (node i gets n+i; default: random)',
      arg((v) => parseInteger('seed', v, 0, 0xffffffff, 'seed')),
    )
    .option('--pcap <dir>', 'write every node interface frames to DIR/NODE.pcapng')
    .addOption(
      new Option('--log-level <level>', 'lowest syslog level written to stderr')
        .choices(LOG_LEVELS)
        .default('info'),
    )
    .option('--foreground', 'stay in the foreground (always the case: kame-kernel never daemonizes)')
    .option(
      '--ping <address>',
      'smoke test: ping6 ADDRESS (fe80::1%em0) from the node, print replies, exit 0 if any came back, else 1',
      arg(parsePingTarget),
    )
    .option(
      '--count <n>',
      'echo requests for --ping',
      arg((v) => parseInteger('count', v, 1, 1000, 'count')),
      3,
    )
    .option(
      '--interval <ms>',
      'milliseconds between echo requests for --ping',
      arg((v) => parseInteger('interval', v, 10, 60_000, 'interval')),
      1000,
    )
    .option(
      '--wait <ms>',
      'milliseconds to wait for each reply for --ping',
      arg((v) => parseInteger('wait', v, 10, 60_000, 'wait')),
      2000,
    )
    .option('--then-run', 'after --ping, keep running until SIGTERM instead of exiting')
    .option(
      '--rundir <dir>',
      'directory of the kernel API sockets DIR/NODE.sock and DIR/NODE.ro.sock (default $KAME_RUNDIR, else /tmp/kame-UID)',
      defaultRundir(env),
    )
    .option('--no-ipc', 'do not serve the kernel API on Unix sockets')
    .allowExcessArguments(false)
    .showHelpAfterError('(run kame-kernel --help for usage)');
  return program;
}

function parseIfWithSpec(spec: string): { spec: string; ifc: InterfaceConfig } {
  return { spec, ifc: parseIfSpec(spec) };
}

function parsePingTarget(v: string): ScopedAddress {
  const s = ScopedAddress.tryParse(v);
  if (!s) throw new FieldError('ping', `'${v}'; expected an IPv6 address such as fe80::1%em0`);
  if (typeof s.zone === 'number') throw new FieldError('ping', `'${v}'; the zone must be an interface name`);
  if (s.address.isLinkLocal() && s.zone === undefined)
    throw new FieldError('ping', `'${v}'; a link-local address needs its interface (fe80::1%em0)`);
  return s;
}

/**
 * Parses argv (without node and script) into an Invocation, or an exit code
 * after help (0) or a usage/config error (2; the message is already written).
 */
export function parseCommandLine(
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): CliResult {
  const program = buildProgram(env)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  try {
    program.parse(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version';
      return { kind: 'exit', code: ok ? 0 : 2 };
    }
    throw e;
  }
  try {
    return { kind: 'run', invocation: toInvocation(program.opts<RawOptions>()) };
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) {
      io.err(`${PROGRAM}: ${e.message}\n`);
      return { kind: 'exit', code: 2 };
    }
    throw e;
  }
}

function toInvocation(raw: RawOptions): Invocation {
  const o = { ...raw, if: raw.if ?? [], route: raw.route ?? [], sysctl: raw.sysctl ?? [] };
  if (o.node !== undefined) {
    try {
      parseNodeName('node', o.node);
    } catch (e) {
      if (e instanceof FieldError) throw new UsageError(`--node: ${e.message}`);
      throw e;
    }
  }
  if (o.rundir === '') throw new UsageError('--rundir: empty; expected a directory');
  let nodes: NodeConfig[];
  if (o.nodeFile !== undefined) {
    nodes = readNodeFile(o.nodeFile).nodes;
    if (o.node !== undefined) {
      const picked = nodes.find((n) => n.name === o.node);
      if (!picked)
        throw new UsageError(
          `--node: no node ${o.node} in ${o.nodeFile}; expected one of: ${nodes.map((n) => n.name).join(', ')}`,
        );
      nodes = [picked];
    }
  } else {
    if (o.if.length === 0)
      throw new UsageError('nothing to run; expected --node-file FILE or at least one --if');
    nodes = [{ name: o.node ?? DEFAULT_NODE, sysctl: {}, interfaces: [], routes: [] }];
  }
  const single = (what: string): NodeConfig => {
    if (nodes.length !== 1)
      throw new UsageError(`${what} needs --node NAME: ${o.nodeFile} has ${nodes.length} nodes`);
    return nodes[0]!;
  };
  if (o.if.length) {
    const node = single('--if');
    for (const { spec, ifc } of o.if) {
      if (node.interfaces.some((i) => i.name === ifc.name))
        throw new UsageError(
          `--if '${spec}': node ${node.name} already has ${ifc.name}; expected a new name`,
        );
      node.interfaces.push(ifc);
    }
  }
  if (o.route.length) single('--route').routes.push(...o.route);
  for (const n of nodes) for (const s of o.sysctl) n.sysctl[s.name] = s.value;
  checkWholeConfig(nodes);
  let ping: PingRequest | undefined;
  if (o.ping) {
    const node = single('--ping');
    const zone = o.ping.zone;
    if (zone !== undefined && !node.interfaces.some((i) => i.name === zone))
      throw new UsageError(`--ping: node ${node.name} has no interface ${zone}`);
    ping = {
      node: node.name,
      target: o.ping,
      count: o.count,
      intervalMs: o.interval,
      waitMs: o.wait,
      thenRun: o.thenRun ?? false,
    };
  }
  return {
    config: { nodes },
    seed: o.seed,
    pcapDir: o.pcap,
    logLevel: o.logLevel,
    foreground: o.foreground ?? false,
    ping,
    rundir: o.rundir,
    ipc: o.ipc,
  };
}

/** Checks that span nodes and sources (file + flags): VXLAN sockets/VNIs, route interfaces. */
function checkWholeConfig(nodes: readonly NodeConfig[]): void {
  const vx = new Map<string, string>();
  for (const n of nodes) {
    for (const i of n.interfaces) {
      if (i.link.kind !== 'vxlan') continue;
      const k = vxlanKey(i.link);
      const other = vx.get(k);
      if (other)
        throw new UsageError(
          `${n.name}:${i.name}: VNI ${i.link.vni} on bind ${k.split(' ')[0]} is also used by ${other}; expected one interface per VNI and socket`,
        );
      vx.set(k, `${n.name}:${i.name}`);
    }
    for (const r of n.routes) {
      const ifname = r.gateway.ifname;
      if (ifname !== undefined && !n.interfaces.some((i) => i.name === ifname))
        throw new UsageError(`--route ${r.dst.toString()}: node ${n.name} has no interface ${ifname}`);
    }
  }
}
