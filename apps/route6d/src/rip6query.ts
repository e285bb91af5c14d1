import { Ipv6Address, Ipv6Prefix, Scope, scopeOf } from '@kame/addr';
import { attachKernel, DaemonError, type DaemonIo } from '@kame/daemon';
import type { ClientClock, Datagram, FrameChannel, KernelClient, KernelSocket } from '@kame/kernel-api';
import {
  RIPNG_METRIC_INFINITY,
  RIPNG_METRIC_NEXTHOP,
  RIPNG_PORT,
  type RipngRepr,
  ripng,
  ripngPacket,
  tryParse,
} from '@kame/wire';
import { IPPROTO_UDP } from './kernel-host';

/**
 * rip6query (reference 3.6): asks a RIPng router for its table (RFC 2080
 * 2.4.1: a request from a port other than 521 is a diagnostic query,
 * answered by unicast to that port).
 *   rip6query [-r] [-I interface] [-P source port] [-h hop limit] [-p prefix]
 *             [-s source address] [-w time] destination
 */
export const RIP6QUERY_USAGE =
  'usage: rip6query [-r] [-I interface] [-P source port] [-h hop limit] [-p prefix/len]\n' +
  '                 [-s source address] [-w time] [--node NAME|PATH] destination\n';

export interface Rip6queryArgs {
  readonly help: boolean;
  readonly destination: Ipv6Address;
  readonly ifname: string | undefined;
  readonly sourcePort: number;
  readonly hopLimit: number | undefined;
  readonly prefix: Ipv6Prefix | undefined;
  /** -r: send a RESPONSE carrying -p (metric 1) instead of a request. */
  readonly response: boolean;
  readonly source: Ipv6Address | undefined;
  /** -w, seconds (default 5). */
  readonly wait: number;
  readonly node: string | undefined;
}

function usageError(msg: string): DaemonError {
  return new DaemonError(`rip6query: ${msg}\n${RIP6QUERY_USAGE}`, 1);
}

function intArg(flag: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v)) throw usageError(`-${flag} ${v}: not a number`);
  const n = Number(v);
  if (n < min || n > max) throw usageError(`-${flag} ${v}: must be ${min}..${max}`);
  return n;
}

export function parseRip6queryArgs(argv: readonly string[]): Rip6queryArgs {
  let ifname: string | undefined;
  let sourcePort = 0;
  let hopLimit: number | undefined;
  let prefix: Ipv6Prefix | undefined;
  let response = false;
  let source: Ipv6Address | undefined;
  let wait = 5;
  let node: string | undefined;
  let help = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (a === '--help') {
      help = true;
      continue;
    }
    if (a === '--node' || a.startsWith('--node=')) {
      node = a.includes('=') ? a.slice(7) : argv[++i];
      if (node === undefined) throw usageError('option --node requires an argument');
      continue;
    }
    if (a.startsWith('--')) throw usageError(`unknown option ${a}`);
    if (!a.startsWith('-') || a === '-') {
      rest.push(a);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      if (c === 'r') {
        response = true;
        continue;
      }
      if (!'IPhpsw'.includes(c)) throw usageError(`invalid option -- ${c}`);
      const v = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
      if (v === undefined) throw usageError(`option requires an argument -- ${c}`);
      if (c === 'I') ifname = v;
      else if (c === 'P') sourcePort = intArg(c, v, 0, 65535);
      else if (c === 'h') hopLimit = intArg(c, v, 0, 255);
      else if (c === 'w') wait = intArg(c, v, 0, 3600);
      else if (c === 'p') {
        prefix = Ipv6Prefix.tryParse(v);
        if (!prefix) throw usageError(`-p ${v}: expected prefix/len`);
      } else {
        source = Ipv6Address.tryParse(v);
        if (!source) throw usageError(`-s ${v}: not an IPv6 address`);
      }
      break;
    }
  }
  if (help) {
    return {
      help,
      destination: Ipv6Address.UNSPECIFIED,
      ifname,
      sourcePort,
      hopLimit,
      prefix,
      response,
      source,
      wait,
      node,
    };
  }
  if (rest.length !== 1) throw usageError(rest.length === 0 ? 'no destination' : 'too many arguments');
  const destination = Ipv6Address.tryParse(rest[0]!);
  if (!destination) throw usageError(`${rest[0]!}: not an IPv6 address`);
  if (scopeOf(destination) <= Scope.LinkLocal && ifname === undefined)
    throw usageError(`${destination.toString()}: a link-scope destination needs -I interface`);
  if (response && !prefix) throw usageError('-r needs -p prefix/len');
  return { help, destination, ifname, sourcePort, hopLimit, prefix, response, source, wait, node };
}

/** The packet rip6query sends. */
export function queryPacket(a: Rip6queryArgs): RipngRepr {
  if (a.response && a.prefix)
    return ripngPacket('response', [
      { prefix: a.prefix.address, routeTag: 0, prefixLength: a.prefix.length, metric: 1 },
    ]);
  if (a.prefix)
    return ripngPacket('request', [
      { prefix: a.prefix.address, routeTag: 0, prefixLength: a.prefix.length, metric: 0 },
    ]);
  // RFC 2080 2.4.1: the whole table.
  return ripngPacket('request', [
    { prefix: Ipv6Address.UNSPECIFIED, routeTag: 0, prefixLength: 0, metric: RIPNG_METRIC_INFINITY },
  ]);
}

/** One received response, printed as "prefix/len [metric] tag(0x....)", with next hops on their own lines. */
export function formatResponse(from: string, r: RipngRepr): string {
  const lines = [`Response from ${from}: ${r.rtes.length} RTE${r.rtes.length === 1 ? '' : 's'}`];
  for (const e of r.rtes) {
    if (e.metric === RIPNG_METRIC_NEXTHOP) {
      lines.push(`  nexthop ${e.prefix.isUnspecified() ? '(originator)' : e.prefix.toString()}`);
      continue;
    }
    lines.push(
      `    ${e.prefix.toString()}/${e.prefixLength} [${e.metric}] tag(0x${e.routeTag.toString(16).padStart(4, '0')})`,
    );
  }
  return lines.join('\n') + '\n';
}

export interface Rip6queryRunOptions {
  readonly argv: readonly string[];
  readonly io: DaemonIo;
  readonly channelFactory?: () => Promise<FrameChannel>;
  readonly clientClock?: ClientClock;
}

/** The program; resolves with the exit status (0: got an answer or sent a response, 1: none or an error). */
export async function runRip6query(o: Rip6queryRunOptions): Promise<number> {
  const { io } = o;
  let a: Rip6queryArgs;
  try {
    a = parseRip6queryArgs(o.argv);
  } catch (e) {
    if (e instanceof DaemonError) {
      io.stderr(`${e.message.trimEnd()}\n`);
      return e.exitCode;
    }
    throw e;
  }
  if (a.help) {
    io.stdout(RIP6QUERY_USAGE);
    return 0;
  }
  let client: KernelClient | undefined;
  let sock: KernelSocket | undefined;
  try {
    client = await attachKernel({
      name: 'rip6query',
      env: io.env,
      pid: io.pid,
      reconnect: false,
      ...(a.node !== undefined ? { node: a.node } : {}),
      ...(o.channelFactory ? { channelFactory: o.channelFactory } : {}),
      ...(o.clientClock ? { clock: o.clientClock } : {}),
    });
    let ifindex: number | undefined;
    if (a.ifname !== undefined) {
      const ifp = client.interface(a.ifname);
      if (!ifp) throw new DaemonError(`rip6query: no interface ${a.ifname}`, 1);
      ifindex = ifp.index;
    }
    const s = await client.socket('dgram', IPPROTO_UDP);
    sock = s;
    const got: Datagram[] = [];
    s.on('datagram', (d) => {
      if (d.from?.port === RIPNG_PORT) got.push(d);
    });
    if (a.sourcePort !== 0 || a.source !== undefined)
      await s.bind({ address: a.source ?? Ipv6Address.UNSPECIFIED, port: a.sourcePort });
    if (a.hopLimit !== undefined) {
      await s.setsockopt({ ipv6UnicastHops: a.hopLimit });
      await s.setsockopt({ ipv6MulticastHops: a.hopLimit });
    }
    const zoned = scopeOf(a.destination) <= Scope.LinkLocal;
    await s.sendmsg(ripng.encode(queryPacket(a)), {
      to:
        zoned && ifindex !== undefined
          ? { address: a.destination, port: RIPNG_PORT, zone: ifindex }
          : { address: a.destination, port: RIPNG_PORT },
      ...(ifindex !== undefined ? { pktinfo: { ifindex } } : {}),
    });
    if (a.response) return 0;
    await new Promise<void>((resolve) => io.clock.setTimer(a.wait * 1000, resolve));
    let answers = 0;
    for (const d of got) {
      const r = tryParse(() => ripng.parse(d.data));
      if (!r.ok || r.value.command !== 'response') continue;
      answers++;
      const zone = d.from!.zone !== 0 ? `%${client.interface(d.from!.zone)?.name ?? d.from!.zone}` : '';
      io.stdout(formatResponse(`${d.from!.address.toString()}${zone}`, r.value));
    }
    if (answers === 0) {
      io.stderr(`rip6query: no response from ${a.destination.toString()}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    io.stderr(`${e instanceof DaemonError ? e.message.trimEnd() : `rip6query: ${(e as Error).message}`}\n`);
    return e instanceof DaemonError ? e.exitCode : 1;
  } finally {
    if (sock && !sock.closed) await sock.close().catch(() => undefined);
    client?.close();
  }
}
