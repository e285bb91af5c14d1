import type { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import type { RibEntry } from './engine';
import type { Route6dInterface } from './host';
import type { Route6dOptions } from './options';

/** HH:MM:SS of a wall-clock time (UTC, so dumps are reproducible). */
export function hhmmss(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const addr = (a: Ipv6Address | undefined): string => (a ? a.toString() : '::');

/** -R: `HH:MM:SS: ADD: <dst>/<plen> gw <gw> [<metric-1>] ifa <lladdr>` (KAME route6d addroute). */
export function formatRouteLogAdd(wall: number, e: RibEntry, ifa: Ipv6Address | undefined): string {
  return `${hhmmss(wall)}: ADD: ${e.prefix.toString()} gw ${e.gateway.toString()} [${e.metric - 1}] ifa ${addr(ifa)}\n`;
}

/** -R: `HH:MM:SS: DEL: <dst>/<plen> gw <gw>` (KAME route6d delroute). */
export function formatRouteLogDel(wall: number, prefix: Ipv6Prefix, gw: Ipv6Address): string {
  return `${hhmmss(wall)}: DEL: ${prefix.toString()} gw ${gw.toString()}\n`;
}

function ifFlags(i: Route6dInterface): string {
  const f: string[] = [];
  if (i.up) f.push('UP');
  if (i.loopback) f.push('LOOPBACK');
  else if (i.p2p) f.push('POINTOPOINT');
  else f.push('BROADCAST');
  if (i.up) f.push('RUNNING');
  f.push('MULTICAST');
  return f.join(',');
}

function filterLine(i: Route6dInterface, o: Route6dOptions): string | undefined {
  const parts: string[] = [];
  for (const a of o.aggregates)
    if (a.ifnames.includes(i.name)) parts.push(`Aggregate(${a.prefix.toString()})`);
  if (o.noUse.includes(i.name)) parts.push('No-use');
  for (const f of o.outputFilters)
    if (f.ifnames.includes(i.name)) parts.push(`Advertise-only(${f.prefix.toString()})`);
  if (o.defaultOnly.includes(i.name)) parts.push('Default-only');
  for (const f of o.inputFilters)
    if (f.ifnames.includes(i.name)) parts.push(`Listen-only(${f.prefix.toString()})`);
  return parts.length > 0 ? `\tFilter: ${parts.join(' ')}` : undefined;
}

function ifBlock(i: Route6dInterface, o: Route6dOptions): string[] {
  const lines = [
    `    ${i.name}: index(${i.index}) flags(${ifFlags(i)}) addr(${addr(i.linkLocal)}) mtu(${i.mtu}) metric(${i.metric ?? 0})`,
  ];
  for (const a of i.addresses) {
    const peer = i.p2p && a.peer ? ` -- ${a.peer.toString()}` : '';
    lines.push(`\t${a.address.toString()}/${a.prefixLength}${peer}`);
  }
  const f = filterLine(i, o);
  if (f !== undefined) lines.push(f);
  return lines;
}

export interface DumpInput {
  wallTime: number;
  now: number;
  interfaces: readonly Route6dInterface[];
  used: ReadonlySet<string>;
  options: Route6dOptions;
  routes: readonly RibEntry[];
}

/** KAME ifdump + rtdump (route6d.8: SIGUSR1 / SIGINT, appended to route6d_dump). */
export function formatDump(d: DumpInput): string {
  const t = hhmmss(d.wallTime);
  const lines: string[] = [`${t}: Interface Table Dump`, `  Number of interfaces: ${d.interfaces.length}`];
  lines.push('  advertising interfaces:');
  for (const i of d.interfaces) if (d.used.has(i.name)) lines.push(...ifBlock(i, d.options));
  lines.push('  non-advertising interfaces:');
  for (const i of d.interfaces) if (!d.used.has(i.name)) lines.push(...ifBlock(i, d.options));
  lines.push('', `${t}: Routing Table Dump`);
  const byName = new Map(d.interfaces.map((i) => [i.name, i]));
  for (const e of d.routes) {
    const ifc = e.ifname !== undefined ? byName.get(e.ifname) : undefined;
    const gw =
      e.gateway.isLinkLocal() && e.ifname ? `${e.gateway.toString()}%${e.ifname}` : e.gateway.toString();
    const age = e.updated === undefined ? 0 : Math.floor((d.now - e.updated) / 1000);
    let l = `    ${e.prefix.toString()} if(${ifc?.index ?? 0}:${e.ifname ?? '?'}) gw(${gw}) [${e.metric}] age(${age})`;
    if (e.tag !== 0) l += ` tag(0x${e.tag.toString(16).padStart(4, '0')})`;
    if (e.nhNotLinkLocal) l += ' NOT-LL';
    if (e.noAdvertise) l += ' NO-ADV';
    lines.push(l);
  }
  return lines.join('\n') + '\n';
}
