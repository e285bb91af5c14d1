import { extractScope, Ipv6Address, Ipv6Prefix, MacAddress, ScopedAddress } from '@kame/addr';
import { KernelApiError, type KernelClient, type v1 } from '@kame/kernel-api';

/** BSD net/if.h, netinet6/in6_var.h, net/route.h flag bits (kept local: no @kame/stack at run time). */
const IFF_BITS: readonly [number, string][] = [
  [0x1, 'UP'],
  [0x2, 'BROADCAST'],
  [0x4, 'DEBUG'],
  [0x8, 'LOOPBACK'],
  [0x10, 'POINTOPOINT'],
  [0x40, 'RUNNING'],
  [0x80, 'NOARP'],
  [0x100, 'PROMISC'],
  [0x800, 'SIMPLEX'],
  [0x8000, 'MULTICAST'],
];
export const IFF_UP = 0x1;
const IN6_IFF_BITS: readonly [number, string][] = [
  [0x01, 'anycast'],
  [0x02, 'tentative'],
  [0x04, 'duplicated'],
  [0x08, 'detached'],
  [0x10, 'deprecated'],
  [0x40, 'autoconf'],
];
const RTF_BITS: readonly [number, string][] = [
  [0x1, 'U'],
  [0x2, 'G'],
  [0x4, 'H'],
  [0x8, 'R'],
  [0x10, 'D'],
  [0x20, 'M'],
  [0x100, 'C'],
  [0x400, 'L'],
  [0x800, 'S'],
  [0x1000, 'B'],
];
const INFINITE = 0xffffffff;

/** A usage error (exit 2). */
export class UsageError extends Error {}

export interface Output {
  readonly text: string;
  readonly json: unknown;
}

function bits(flags: number, table: readonly [number, string][]): string[] {
  return table.filter(([b]) => (flags & b) !== 0).map(([, n]) => n);
}

function ifnameOf(ifs: readonly v1.Interface.$Properties[], index: number): string {
  return ifs.find((i) => i.index === index)?.name ?? String(index);
}

function addrText(bytes: Uint8Array | null | undefined): string {
  if (!bytes || bytes.length !== 16) return bytes && bytes.length === 4 ? [...bytes].join('.') : '?';
  return Ipv6Address.fromBytes(bytes).toString();
}

function isLinkLocal(bytes: Uint8Array | null | undefined): boolean {
  return !!bytes && bytes.length === 16 && bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80;
}

function addrJson(a: v1.InterfaceAddress.$Properties, ifname: string): Record<string, unknown> {
  const flags = a.flags ?? 0;
  const vl = a.vltime ?? INFINITE;
  const pl = a.pltime ?? INFINITE;
  return {
    address: addrText(a.address),
    ...(isLinkLocal(a.address) ? { zone: ifname } : {}),
    prefixLength: a.prefixLength ?? 0,
    flags: bits(flags, IN6_IFF_BITS),
    vltime: vl === INFINITE ? null : vl,
    pltime: pl === INFINITE ? null : pl,
  };
}

function ifJson(i: v1.Interface.$Properties): Record<string, unknown> {
  const flags = i.flags ?? 0;
  const name = i.name ?? '';
  return {
    name,
    index: i.index ?? 0,
    flags: flags,
    flagNames: bits(flags, IFF_BITS),
    mtu: i.mtu ?? 0,
    ether: i.lladdr && i.lladdr.length === 6 ? MacAddress.fromBytes(i.lladdr).toString() : null,
    addresses: (i.addresses ?? []).map((a) => addrJson(a, name)),
  };
}

export function formatInterface(i: v1.Interface.$Properties): string {
  const flags = i.flags ?? 0;
  const name = i.name ?? '';
  const lines = [
    `${name}: flags=${flags.toString(16)}<${bits(flags, IFF_BITS).join(',')}> mtu ${i.mtu ?? 0}`,
  ];
  if (i.lladdr && i.lladdr.length === 6) lines.push(`\tether ${MacAddress.fromBytes(i.lladdr).toString()}`);
  for (const a of i.addresses ?? []) {
    let s = `\tinet6 ${addrText(a.address)}`;
    if (isLinkLocal(a.address)) s += `%${name}`;
    s += ` prefixlen ${a.prefixLength ?? 0}`;
    const f = bits(a.flags ?? 0, IN6_IFF_BITS);
    if (f.length > 0) s += ` ${f.join(' ')}`;
    if (isLinkLocal(a.address)) s += ` scopeid 0x${(i.index ?? 0).toString(16)}`;
    const vl = a.vltime ?? INFINITE;
    const pl = a.pltime ?? INFINITE;
    if (vl !== INFINITE || pl !== INFINITE) {
      s += ` pltime ${pl === INFINITE ? 'infty' : pl} vltime ${vl === INFINITE ? 'infty' : vl}`;
    }
    lines.push(s);
  }
  return lines.join('\n') + '\n';
}

/** ifconfig [-a] [IF] and ifconfig IF inet6 ADDR [prefixlen N] [-alias] | up | down | mtu N. */
export async function ifconfig(client: KernelClient, args: readonly string[], all = false): Promise<Output> {
  if (args.length <= 1) {
    const ifs = args.length === 1 ? [await client.ifGet(args[0]!)] : await client.ifList();
    const shown = all || args.length === 1 ? ifs : ifs.filter((i) => ((i.flags ?? 0) & IFF_UP) !== 0);
    return { text: shown.map(formatInterface).join(''), json: shown.map(ifJson) };
  }
  const ifname = args[0]!;
  const rest = args.slice(1);
  const verb = rest[0]!;
  if (verb === 'up' || verb === 'down') {
    if (rest.length !== 1) throw new UsageError(`ifconfig: unexpected ${rest[1]!}`);
    if (verb === 'up') await client.ifSetFlags(ifname, IFF_UP);
    else await client.ifSetFlags(ifname, 0, IFF_UP);
    return { text: '', json: { ok: true } };
  }
  if (verb === 'mtu') {
    const n = Number(rest[1]);
    if (rest.length !== 2 || !Number.isInteger(n) || n <= 0) throw new UsageError('ifconfig: mtu N');
    await client.ifSetMtu(ifname, n);
    return { text: '', json: { ok: true } };
  }
  if (verb === 'inet6') {
    const spec = rest[1];
    if (spec === undefined) throw new UsageError('ifconfig: inet6 needs an address');
    let prefixLength = 64;
    let addrText6 = spec;
    const slash = spec.indexOf('/');
    if (slash >= 0) {
      addrText6 = spec.slice(0, slash);
      prefixLength = parsePrefixLen(spec.slice(slash + 1));
    }
    let del = false;
    for (let k = 2; k < rest.length; k++) {
      const w = rest[k]!;
      if (w === 'prefixlen') prefixLength = parsePrefixLen(rest[++k]);
      else if (w === '-alias' || w === 'delete') del = true;
      else if (w === 'alias') del = false;
      else throw new UsageError(`ifconfig: unknown argument ${w}`);
    }
    let address: Ipv6Address;
    try {
      address = ScopedAddress.parse(addrText6).address;
    } catch (e) {
      throw new UsageError(`ifconfig: ${addrText6}: ${(e as Error).message}`);
    }
    if (del) await client.addressDelete(ifname, address);
    else await client.addressAdd(ifname, { address, prefixLength });
    return { text: '', json: { ok: true } };
  }
  throw new UsageError(`ifconfig: unknown command ${verb}`);
}

function parsePrefixLen(s: string | undefined): number {
  const n = Number(s);
  if (s === undefined || s === '' || !Number.isInteger(n) || n < 0 || n > 128)
    throw new UsageError(`bad prefixlen ${String(s)}`);
  return n;
}

/** sysctl [-a] [NAME[=VALUE]]... */
export async function sysctl(client: KernelClient, names: readonly string[], all = false): Promise<Output> {
  if (names.length === 0 || all) {
    const entries = await client.sysctlList(names[0] ?? '');
    return {
      text: entries.map((e) => `${e.name ?? ''}: ${e.value ?? 0}\n`).join(''),
      json: entries.map((e) => ({ name: e.name ?? '', value: e.value ?? 0 })),
    };
  }
  let text = '';
  const json: unknown[] = [];
  for (const arg of names) {
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      const name = arg.slice(0, eq);
      const v = arg.slice(eq + 1);
      const n = Number(v);
      const r = await client.sysctlSet(name, v !== '' && Number.isFinite(n) ? n : v);
      text += `${name}: ${r.oldValue ?? 0} -> ${r.newValue ?? 0}\n`;
      json.push({ name, oldValue: r.oldValue ?? 0, value: r.newValue ?? 0 });
    } else {
      const e = await client.sysctlGet(arg);
      text += `${e.name ?? arg}: ${e.value ?? 0}\n`;
      json.push({ name: e.name ?? arg, value: e.value ?? 0 });
    }
  }
  return { text, json };
}

function routeJson(r: v1.Route.$Properties, ifs: readonly v1.Interface.$Properties[]) {
  const dst = r.dst ?? {};
  const g = r.gateway ?? {};
  const ifname = ifnameOf(ifs, r.ifindex ?? 0);
  let gateway: string;
  if (g.address && g.address.length > 0) {
    const gb =
      g.address.length === 16 ? extractScope(Ipv6Address.fromBytes(g.address)).address.bytes : g.address;
    gateway = addrText(gb) + (isLinkLocal(gb) ? `%${ifname}` : '');
  } else if (g.link) {
    gateway =
      g.link.mac && g.link.mac.length === 6
        ? MacAddress.fromBytes(g.link.mac).toString()
        : `link#${g.link.ifindex ?? 0}`;
  } else gateway = '';
  const len = dst.length ?? 0;
  let dstBytes = dst.addr;
  if (dstBytes && dstBytes.length === 16)
    dstBytes = extractScope(Ipv6Address.fromBytes(dstBytes)).address.bytes;
  const dstText =
    len === 0
      ? 'default'
      : len === 128
        ? addrText(dstBytes)
        : `${addrText(dstBytes)}${isLinkLocal(dstBytes) ? `%${ifname}` : ''}/${len}`;
  return {
    destination: dstText,
    gateway,
    flags: bits(r.flags ?? 0, RTF_BITS).join(''),
    interface: ifname,
    owner: r.owner ?? '',
    expire: r.expireMs ? Math.ceil(r.expireMs / 1000) : null,
  };
}

/** route show: a netstat -rn -f inet6 table. */
export async function routeShow(client: KernelClient): Promise<Output> {
  const [routes, ifs] = await Promise.all([client.routeList({ family: 6 }), client.ifList()]);
  const rows = routes.map((r) => routeJson(r, ifs));
  const head = ['Destination', 'Gateway', 'Flags', 'Netif', 'Expire'];
  const table = [
    head,
    ...rows.map((r) => [
      r.destination,
      r.gateway,
      r.flags,
      r.interface,
      r.expire === null ? '' : String(r.expire),
    ]),
  ];
  const w = head.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const text =
    'Routing tables\n\nInternet6:\n' +
    table
      .map(
        (row) =>
          row
            .map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(w[c]! + 1)))
            .join('')
            .trimEnd() + '\n',
      )
      .join('');
  return { text, json: rows };
}

function parseDest(s: string): Ipv6Prefix {
  if (s === 'default') return Ipv6Prefix.DEFAULT;
  try {
    return s.includes('/') ? Ipv6Prefix.parse(s) : Ipv6Prefix.of(Ipv6Address.parse(s), 128);
  } catch (e) {
    throw new UsageError(`route: bad destination ${s}: ${(e as Error).message}`);
  }
}

/** route add|delete [-inet6] DEST [GATEWAY | -interface IF]. */
export async function routeModify(
  client: KernelClient,
  verb: string,
  rawArgs: readonly string[],
): Promise<Output> {
  const args = rawArgs.filter((a) => a !== '-inet6' && a !== '-n');
  const dstText = args[0];
  if (dstText === undefined) throw new UsageError(`route ${verb}: missing destination`);
  const dst = parseDest(dstText);
  let gateway: v1.Gateway.$Properties | undefined;
  let ifindex = 0;
  if (args[1] === '-interface' || args[1] === '-iface') {
    const ifname = args[2];
    if (ifname === undefined) throw new UsageError(`route ${verb}: -interface needs a name`);
    const i = await client.ifGet(ifname);
    ifindex = i.index ?? 0;
    gateway = { link: { ifindex } };
  } else if (args[1] !== undefined) {
    let sa: ScopedAddress;
    try {
      sa = ScopedAddress.parse(args[1]);
    } catch (e) {
      throw new UsageError(`route ${verb}: bad gateway ${args[1]}: ${(e as Error).message}`);
    }
    gateway = { address: sa.address.bytes.slice() };
    if (sa.zone !== undefined)
      ifindex = typeof sa.zone === 'number' ? sa.zone : ((await client.ifGet(sa.zone)).index ?? 0);
  }
  const dstP = { addr: dst.address.bytes.slice(), length: dst.length };
  if (verb === 'add') {
    if (!gateway) throw new UsageError('route add: missing gateway');
    const route: v1.Route.$Properties = { dst: dstP, gateway, owner: 'static', flags: 0x800 };
    if (ifindex) route.ifindex = ifindex;
    await client.routeAdd(route);
  } else {
    await client.routeDelete(
      dstP,
      gateway ? { gateway: gateway.address ? { address: gateway.address } : gateway } : {},
    );
  }
  const out = `${verb} net ${dstText}${args[1] !== undefined ? `: gateway ${args.slice(1).join(' ')}` : ''}\n`;
  return { text: out, json: { ok: true, verb, destination: dstText } };
}

/** How an error is reported on stderr. */
export function errorText(e: unknown): string {
  if (e instanceof KernelApiError) {
    // Kernel messages often start with their own errno name; print it once.
    const detail = e.detail.startsWith(`${e.errno}: `) ? e.detail.slice(e.errno.length + 2) : e.detail;
    return `kame: ${e.errno}: ${detail}`;
  }
  const err = e as { code?: string; message?: string };
  if (err && typeof err.code === 'string') return `kame: ${err.code}: ${String(err.message ?? '')}`;
  return `kame: ${e instanceof Error ? e.message : String(e)}`;
}
