import {
  embedScope,
  extractScope,
  Ipv6Address,
  Ipv6Prefix,
  MacAddress,
  needsScope,
  type ScopedAddress,
} from '@kame/addr';
import { v1, type KernelClient } from '@kame/kernel-api';
import {
  addrText,
  bits,
  IFF_BITS,
  IN6_IFF_BITS,
  ifnameOf,
  isLinkLocal,
  parseScoped,
  RTF_BITS,
  RTF_GATEWAY,
  RTF_NAMES,
  RTF_STATIC,
  scopedText,
  table,
  UsageError,
  zoneIndex,
  type Output,
} from '../format';

/** route(8): show, add, delete, change, get, flush, monitor. */

/** The owner tag of routes added with route(8). */
export const STATIC_OWNER = 'static';

function gatewayText(g: v1.Gateway.$Properties | null | undefined, ifs: readonly v1.Interface.$Properties[]) {
  if (!g) return '';
  if (g.address && g.address.length > 0) return scopedText(g.address, ifs);
  if (g.link) {
    return g.link.mac && g.link.mac.length === 6
      ? MacAddress.fromBytes(g.link.mac).toString()
      : `link#${g.link.ifindex ?? 0}`;
  }
  return '';
}

/** "default", "2001:db8::/64", "fe80::%em0/64" or a host address. */
function destinationText(
  dst: v1.Prefix.$Properties | null | undefined,
  ifs: readonly v1.Interface.$Properties[],
  ifindex: number,
): string {
  const len = dst?.length ?? 0;
  let b = dst?.addr;
  if (len === 0) return 'default';
  let zone = '';
  if (b && b.length === 16) {
    const a = Ipv6Address.fromBytes(b);
    if (needsScope(a)) {
      const x = extractScope(a);
      b = x.address.bytes;
      // Like the snapshot of `route show`: only link-local unicast prefixes carry the zone.
      if (isLinkLocal(b)) zone = `%${ifnameOf(ifs, x.ifindex || ifindex)}`;
    }
  }
  return len === 128 ? addrText(b) + zone : `${addrText(b)}${zone}/${len}`;
}

export interface RouteRow {
  destination: string;
  gateway: string;
  flags: string;
  interface: string;
  owner: string;
  expire: number | null;
}

export function routeRow(r: v1.Route.$Properties, ifs: readonly v1.Interface.$Properties[]): RouteRow {
  const ifindex = r.ifindex ?? 0;
  return {
    destination: destinationText(r.dst, ifs, ifindex),
    gateway: gatewayText(r.gateway, ifs),
    flags: bits(r.flags ?? 0, RTF_BITS).join(''),
    interface: ifnameOf(ifs, ifindex),
    owner: r.owner ?? '',
    expire: r.expireMs ? Math.ceil(r.expireMs / 1000) : null,
  };
}

/** route show / netstat -rn -f inet6: the BSD routing table. */
export async function routeShow(client: KernelClient): Promise<Output> {
  const [routes, ifs] = await Promise.all([client.routeList({ family: 6 }), client.ifList()]);
  const rows = routes.map((r) => routeRow(r, ifs));
  const text =
    'Routing tables\n\nInternet6:\n' +
    table([
      ['Destination', 'Gateway', 'Flags', 'Netif', 'Expire'],
      ...rows.map((r) => [
        r.destination,
        r.gateway,
        r.flags,
        r.interface,
        r.expire === null ? '' : String(r.expire),
      ]),
    ]);
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

/**
 * A gateway as route(8) takes it: `fe80::1%em0`, a global address, or the
 * KAME embedded form `fe80:2::1` (IMPLEMENTATION 1.3.3: the interface index
 * in the second 16-bit word). Sent in kernel form (embedded zone).
 */
export async function parseGateway(
  client: KernelClient,
  text: string,
  sa: ScopedAddress,
  verb: string,
): Promise<{ gateway: v1.Gateway.$Properties; ifindex: number }> {
  let address = sa.address;
  let ifindex = await zoneIndex(client, sa.zone);
  if (needsScope(address)) {
    const x = extractScope(address);
    if (x.ifindex !== 0) {
      if (ifindex !== 0 && ifindex !== x.ifindex)
        throw new UsageError(`route ${verb}: ${text}: embedded index ${x.ifindex} differs from the zone`);
      await client.ifGet(x.ifindex); // ENXIO for an index no interface has
      ifindex = x.ifindex;
    }
    address = ifindex !== 0 ? embedScope(x.address, ifindex) : x.address;
  }
  return { gateway: { address: address.bytes.slice() }, ifindex };
}

async function interfaceGateway(client: KernelClient, ifname: string) {
  const ifindex = (await client.ifGet(ifname)).index ?? 0;
  return { gateway: { link: { ifindex } }, ifindex };
}

export type RouteVerb = 'add' | 'delete' | 'change';

/** A checked `route add|delete|change` line. */
export interface RouteModifyPlan {
  readonly verb: RouteVerb;
  readonly dstText: string;
  readonly dst: Ipv6Prefix;
  readonly gateway?:
    { kind: 'interface'; ifname: string } | { kind: 'address'; text: string; sa: ScopedAddress };
  readonly gatewayText?: string;
}

/** route add|delete|change [-inet6] DEST [GATEWAY | -interface IF]: syntax only (usage errors). */
export function parseRouteModify(verb: RouteVerb, rawArgs: readonly string[]): RouteModifyPlan {
  const args = rawArgs.filter((a) => a !== '-inet6' && a !== '-n');
  const dstText = args[0];
  if (dstText === undefined) throw new UsageError(`route ${verb}: missing destination`);
  const dst = parseDest(dstText);
  const isIface = args[1] === '-interface' || args[1] === '-iface';
  if (args.length > 3 || (args.length === 3 && !isIface))
    throw new UsageError(`route ${verb}: unexpected ${args[args.length - 1]!}`);
  let gateway: RouteModifyPlan['gateway'];
  if (isIface) {
    if (args[2] === undefined) throw new UsageError(`route ${verb}: -interface needs a name`);
    gateway = { kind: 'interface', ifname: args[2] };
  } else if (args[1] !== undefined) {
    gateway = { kind: 'address', text: args[1], sa: parseScoped(args[1], `route ${verb}: bad gateway`) };
  }
  if (!gateway && verb !== 'delete') throw new UsageError(`route ${verb}: missing gateway`);
  return {
    verb,
    dstText,
    dst,
    ...(gateway ? { gateway, gatewayText: args.slice(1).join(' ') } : {}),
  };
}

/** RTM_ADD / RTM_DELETE / RTM_CHANGE for a parsed line. */
export async function routeModify(client: KernelClient, p: RouteModifyPlan): Promise<Output> {
  const { verb, dst } = p;
  let gw: { gateway: v1.Gateway.$Properties; ifindex: number } | undefined;
  if (p.gateway?.kind === 'interface') gw = await interfaceGateway(client, p.gateway.ifname);
  else if (p.gateway) gw = await parseGateway(client, p.gateway.text, p.gateway.sa, verb);
  const dstP = { addr: dst.address.bytes.slice(), length: dst.length };
  if (verb === 'delete') {
    await client.routeDelete(dstP, gw ? { gateway: gw.gateway } : {});
  } else if (!gw) {
    throw new UsageError(`route ${verb}: missing gateway`);
  } else if (verb === 'add') {
    const route: v1.Route.$Properties = {
      dst: dstP,
      gateway: gw.gateway,
      owner: STATIC_OWNER,
      flags: RTF_STATIC,
    };
    if (gw.ifindex) route.ifindex = gw.ifindex;
    await client.routeAdd(route);
  } else {
    await client.routeChange({
      dst: dstP,
      gateway: gw.gateway,
      ...(gw.ifindex ? { ifindex: gw.ifindex } : {}),
    });
  }
  const kind = dst.length === 128 ? 'host' : 'net';
  const out = `${verb} ${kind} ${p.dstText}${p.gatewayText !== undefined ? `: gateway ${p.gatewayText}` : ''}\n`;
  return { text: out, json: { ok: true, verb, destination: p.dstText } };
}

function maskText(len: number): string {
  return Ipv6Prefix.mask(Math.min(128, Math.max(0, len))).toString();
}

/** route get DST: the target, checked before the kernel is reached. */
export function parseRouteGet(args: readonly string[]): { text: string; sa: ScopedAddress } {
  const rest = args.filter((a) => a !== '-inet6' && a !== '-n');
  if (rest.length !== 1) throw new UsageError('route get: expected one destination');
  const text = rest[0]!;
  return { text, sa: parseScoped(text === 'default' ? '::' : text, 'route get: bad destination') };
}

/** route get DST: the route the kernel would use (RTM_GET). */
export async function routeGet(
  client: KernelClient,
  target: { text: string; sa: ScopedAddress },
): Promise<Output> {
  const { text, sa } = target;
  const zone = await zoneIndex(client, sa.zone);
  const [m, ifs] = await Promise.all([client.routeGet(sa.address, zone ? { zone } : {}), client.ifList()]);
  const len = m.dst?.length ?? 0;
  const ifindex = m.ifindex ?? 0;
  const dst = m.dst?.addr && len > 0 ? scopedText(m.dst.addr, ifs, ifindex) : 'default';
  const json = {
    routeTo: text,
    destination: dst,
    prefixLength: len,
    gateway: gatewayText(m.gateway, ifs),
    interface: ifnameOf(ifs, ifindex),
    flags: bits(m.flags ?? 0, RTF_NAMES),
    owner: m.owner ?? '',
    expire: m.expireMs ? Math.ceil(m.expireMs / 1000) : 0,
  };
  const lines = [`   route to: ${text}`, `destination: ${dst}`];
  if (len === 0) lines.push('       mask: default');
  else if (len < 128) lines.push(`       mask: ${maskText(len)}`);
  if (json.gateway) lines.push(`    gateway: ${json.gateway}`);
  lines.push(
    `  interface: ${json.interface}`,
    `      flags: <${json.flags.join(',')}>`,
    `      owner: ${json.owner}`,
    `     expire: ${json.expire}`,
  );
  return { text: lines.join('\n') + '\n', json };
}

/**
 * route flush: BSD removes every gateway route. Here only the gateway routes
 * added with route(8) (owner "static") go: the kernel's ND routes and a
 * daemon's routes are their owner's to withdraw (a daemon would re-add them).
 */
export async function routeFlush(client: KernelClient): Promise<Output> {
  const [routes, ifs] = await Promise.all([
    client.routeList({ family: 6, owner: STATIC_OWNER }),
    client.ifList(),
  ]);
  const done: RouteRow[] = [];
  for (const r of routes) {
    if (((r.flags ?? 0) & RTF_GATEWAY) === 0 || !r.dst) continue;
    await client.routeDelete(r.dst, { owner: STATIC_OWNER });
    done.push(routeRow(r, ifs));
  }
  return {
    text: table(done.map((r) => [r.destination, r.gateway, 'done'])),
    json: done,
  };
}

const RTM_LABEL: Record<number, string> = {
  [v1.RtmType.RTM_ADD]: 'RTM_ADD: Add Route',
  [v1.RtmType.RTM_DELETE]: 'RTM_DELETE: Delete Route',
  [v1.RtmType.RTM_CHANGE]: 'RTM_CHANGE: Change Metrics or flags',
  [v1.RtmType.RTM_GET]: 'RTM_GET: Report Metrics',
  [v1.RtmType.RTM_LOSING]: 'RTM_LOSING: Kernel Suspects Partitioning',
  [v1.RtmType.RTM_REDIRECT]: 'RTM_REDIRECT: Told to use different route',
  [v1.RtmType.RTM_MISS]: 'RTM_MISS: Lookup failed on this address',
  [v1.RtmType.RTM_NEWADDR]: 'RTM_NEWADDR: address being added to iface',
  [v1.RtmType.RTM_DELADDR]: 'RTM_DELADDR: address being removed from iface',
  [v1.RtmType.RTM_IFINFO]: 'RTM_IFINFO: iface status change',
  [v1.RtmType.RTM_IFANNOUNCE]: 'RTM_IFANNOUNCE: iface arrival/departure',
};

const LINK_STATE: Record<number, string> = {
  [v1.LinkState.LINK_STATE_UNKNOWN]: 'unknown',
  [v1.LinkState.LINK_STATE_DOWN]: 'down',
  [v1.LinkState.LINK_STATE_UP]: 'up',
};

/** One routing-socket message in the route(8) monitor shape (text, then its JSON). */
export function formatRtMsg(m: v1.RtMsg.$Properties, ifs: readonly v1.Interface.$Properties[]): Output {
  const type = m.type ?? 0;
  const name = v1.RtmType[type] ?? `RTM_${type}`;
  const label = RTM_LABEL[type] ?? `${name}: unknown message`;
  const ifindex = m.ifindex ?? 0;
  const flags = m.flags ?? 0;
  const json: Record<string, unknown> = { type: name, pid: m.pid ?? 0, seq: m.seq ?? 0, ifindex };
  const lines: string[] = [];
  if (type === v1.RtmType.RTM_IFINFO) {
    const link = LINK_STATE[m.linkState ?? 0] ?? 'unknown';
    lines.push(`${label}: if# ${ifindex}, link: ${link}, flags:<${bits(flags, IFF_BITS).join(',')}>`);
    Object.assign(json, {
      interface: ifnameOf(ifs, ifindex),
      link,
      flags: bits(flags, IFF_BITS),
      mtu: m.mtu ?? 0,
    });
  } else if (type === v1.RtmType.RTM_NEWADDR || type === v1.RtmType.RTM_DELADDR) {
    const ifname = ifnameOf(ifs, ifindex);
    const addr = scopedText(m.address, ifs, isLinkLocal(m.address) ? ifindex : 0);
    const plen = m.prefixLength ?? 0;
    lines.push(
      `${label}: metric ${m.metric ?? 0}, flags:<${bits(flags, IN6_IFF_BITS).join(',')}>`,
      'sockaddrs: <NETMASK,IFP,IFA>',
      ` ${maskText(plen)} ${ifname} ${addr}`,
    );
    Object.assign(json, {
      interface: ifname,
      address: addr,
      prefixLength: plen,
      flags: bits(flags, IN6_IFF_BITS),
    });
  } else if (type === v1.RtmType.RTM_IFANNOUNCE) {
    const what = m.departure ? 'departure' : 'arrival';
    lines.push(`${label}: if# ${ifindex}, name: ${m.ifname ?? ''}, what: ${what}`);
    Object.assign(json, { interface: m.ifname ?? '', what });
  } else {
    const errno = m.errno ? (v1.Errno[m.errno] ?? String(m.errno)) : '0';
    const len = m.dst?.length ?? 0;
    const dst = m.dst?.addr && m.dst.addr.length === 16 ? scopedText(m.dst.addr, ifs, ifindex) : '';
    const gw = gatewayText(m.gateway, ifs);
    const parts = ['DST'];
    const values = [len === 0 ? 'default' : dst];
    if (gw) {
      parts.push('GATEWAY');
      values.push(gw);
    }
    if (len < 128) {
      parts.push('NETMASK');
      values.push(len === 0 ? 'default' : maskText(len));
    }
    lines.push(
      `${label}: pid: ${m.pid ?? 0}, seq ${m.seq ?? 0}, errno ${errno}, flags:<${bits(flags, RTF_NAMES).join(',')}>`,
      `sockaddrs: <${parts.join(',')}>`,
      ` ${values.join(' ')}`,
    );
    Object.assign(json, {
      errno,
      flags: bits(flags, RTF_NAMES),
      destination: len === 0 ? 'default' : len === 128 ? dst : `${dst}/${len}`,
      gateway: gw,
      owner: m.owner ?? '',
    });
  }
  return { text: lines.join('\n') + '\n\n', json };
}

export interface MonitorOptions {
  /** Stop after this many messages (tests); default: until interrupted. */
  readonly count?: number;
  readonly json: boolean;
  readonly write: (s: string) => void;
  /** Registers the SIGINT handler; returns its removal. */
  readonly onInterrupt: (stop: () => void) => () => void;
  /** Called once the subscriptions are in place. */
  readonly onReady?: () => void;
}

/**
 * route monitor: prints routing-socket messages (topic 'route') and interface
 * arrivals / departures (topic 'iface', as RTM_IFANNOUNCE) as they arrive.
 */
export async function routeMonitor(client: KernelClient, o: MonitorOptions): Promise<number> {
  let seen = 0;
  let ifs = await client.ifList();
  return new Promise<number>((resolve, reject) => {
    const offs: (() => void)[] = [];
    const finish = (code: number, err?: Error) => {
      for (const off of offs.splice(0)) off();
      if (err) reject(err);
      else resolve(code);
    };
    const print = (m: v1.RtMsg.$Properties) => {
      if (o.count !== undefined && seen >= o.count) return;
      const out = formatRtMsg(m, ifs);
      o.write(o.json ? JSON.stringify(out.json) + '\n' : out.text);
      seen++;
      if (o.count !== undefined && seen >= o.count) finish(0);
    };
    // A kernel that sends RTM_IFANNOUNCE on the route topic sends it before the matching
    // IFACE delta: the delta is then not printed a second time.
    const announced = new Set<string>();
    offs.push(
      client.on('rtm', (m) => {
        if (m.type === v1.RtmType.RTM_IFANNOUNCE) announced.add(`${m.ifindex ?? 0}/${m.departure === true}`);
        print(m);
      }),
      client.on('ifaceDelta', (d) => {
        const i = d.iface;
        if (!i) return;
        if (d.kind === v1.DeltaKind.DELTA_ADD) ifs = [...ifs.filter((x) => x.index !== i.index), i];
        if (d.kind !== v1.DeltaKind.DELTA_ADD && d.kind !== v1.DeltaKind.DELTA_DELETE) return;
        if (announced.delete(`${i.index ?? 0}/${d.kind === v1.DeltaKind.DELTA_DELETE}`)) return;
        print({
          type: v1.RtmType.RTM_IFANNOUNCE,
          ifindex: i.index ?? 0,
          ifname: i.name ?? '',
          departure: d.kind === v1.DeltaKind.DELTA_DELETE,
        });
      }),
      client.on('closed', () => finish(1, new Error('kernel connection closed'))),
      o.onInterrupt(() => finish(0)),
    );
    client.subscribe('route').then(
      () => o.onReady?.(),
      (e: unknown) => finish(1, e as Error),
    );
  });
}
