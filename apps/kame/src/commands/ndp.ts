import { MacAddress, type ScopedAddress } from '@kame/addr';
import { KernelApiError, v1, type KernelClient } from '@kame/kernel-api';
import {
  addrText,
  ifnameOf,
  INFINITE,
  intArg,
  parseScoped,
  scopedText,
  sec2str,
  UsageError,
  zoneIndex,
  type Output,
} from '../format';

/** ndp(8): the neighbor cache, prefix and default router lists, per-interface ND settings. */

/** KAME ndp -a column widths (W_ADDR, W_LL, W_IF). */
const W_ADDR = 36;
const W_LL = 17;
const W_IF = 6;

/** The S column (reference 10.1): I incomplete, R reachable, S stale, D delay, P probe. */
const STATE_LETTER: Record<number, string> = {
  [v1.NeighborState.NEIGHBOR_STATE_UNSPECIFIED]: 'N',
  [v1.NeighborState.ND_INCOMPLETE]: 'I',
  [v1.NeighborState.ND_REACHABLE]: 'R',
  [v1.NeighborState.ND_STALE]: 'S',
  [v1.NeighborState.ND_DELAY]: 'D',
  [v1.NeighborState.ND_PROBE]: 'P',
};

const PREFERENCE: Record<number, string> = {
  [v1.RouterPreference.PREF_MEDIUM]: 'medium',
  [v1.RouterPreference.PREF_HIGH]: 'high',
  [v1.RouterPreference.PREF_LOW]: 'low',
};

const ND6_IFF_PERFORMNUD = 0x1;
const ND6_IFF_ACCEPT_RTADV = 0x2;

function fit(s: string, w: number, right = false): string {
  const t = s.length > w ? s.slice(0, w) : s;
  return right ? t.padStart(w) : t.padEnd(w);
}

/** Expire column: "permanent" (never), "expired", else sec2str. */
function expireText(ms: number | null | undefined): string {
  if (!ms) return 'permanent';
  return ms <= 0 ? 'expired' : sec2str(ms / 1000);
}

interface NeighborRow {
  neighbor: string;
  lladdr: string | null;
  interface: string;
  expire: number | null;
  state: string;
  flags: string;
  probes: number;
}

function neighborRow(n: v1.Neighbor.$Properties, ifs: readonly v1.Interface.$Properties[]): NeighborRow {
  const ifindex = n.ifindex ?? 0;
  const flags = n.isRouter ? 'R' : '';
  return {
    neighbor: scopedText(n.address, ifs, ifindex),
    lladdr: n.lladdr && n.lladdr.length === 6 ? MacAddress.fromBytes(n.lladdr).toString() : null,
    interface: ifnameOf(ifs, ifindex),
    expire: n.expireMs ? Math.ceil(n.expireMs / 1000) : null,
    state: STATE_LETTER[n.state ?? 0] ?? '?',
    flags,
    probes: n.probes ?? 0,
  };
}

/** ndp -a, or `ndp HOST` for one entry (`only`). */
async function showNeighbors(client: KernelClient, only?: ScopedAddress): Promise<Output> {
  const [all, ifs] = await Promise.all([client.neighbors(), client.ifList()]);
  const zone = only ? await zoneIndex(client, only.zone) : 0;
  const ns = only
    ? all.filter((n) => addrText(n.address) === only.address.toString() && (zone === 0 || n.ifindex === zone))
    : all;
  if (only && ns.length === 0) {
    const name = only.toString();
    return { text: `${name} (${name}) -- no entry\n`, json: [] };
  }
  const rows = ns.map((n) => neighborRow(n, ifs));
  const line = (a: string, l: string, i: string, e: string, s: string, f: string) =>
    `${fit(a, W_ADDR)} ${fit(l, W_LL)} ${fit(i, W_IF, true)} ${fit(e, 9)} ${s} ${f}`.trimEnd() + '\n';
  let text = line('Neighbor', 'Linklayer Address', 'Netif', 'Expire', 'S', 'Flags');
  ns.forEach((n, k) => {
    const r = rows[k]!;
    // Flags: R router; then the number of solicitations sent in this state, when any.
    const flags = r.probes > 0 ? `${r.flags} ${r.probes}` : r.flags;
    text += line(r.neighbor, r.lladdr ?? '(incomplete)', r.interface, expireText(n.expireMs), r.state, flags);
  });
  return { text, json: rows };
}

/** ndp -R / -P: flush the default router or prefix list. */
async function flushList(client: KernelClient, target: v1.NdFlushTarget): Promise<Output> {
  const count = (await client.request('ndFlush', { target })).count ?? 0;
  return { text: '', json: { count } };
}

async function flushNeighbors(client: KernelClient): Promise<Output> {
  const [ns, ifs] = await Promise.all([client.neighbors(), client.ifList()]);
  const count = (await client.request('ndFlush', { target: v1.NdFlushTarget.ND_FLUSH_NEIGHBORS })).count ?? 0;
  const names = ns.map((n) => scopedText(n.address, ifs, n.ifindex ?? 0));
  return { text: names.map((a) => `${a} (${a}) deleted\n`).join(''), json: { deleted: names, count } };
}

async function deleteNeighbor(client: KernelClient, host: string, sa: ScopedAddress): Promise<Output> {
  let ifindex = await zoneIndex(client, sa.zone);
  if (ifindex === 0) {
    // A global address names its interface through the cache itself.
    const n = (await client.neighbors()).find(
      (x) => x.address && addrText(x.address) === sa.address.toString(),
    );
    if (!n) throw new KernelApiError('ESRCH', `no neighbor ${host}`);
    ifindex = n.ifindex ?? 0;
  }
  await client.request('ndDeleteNeighbor', { address: sa.address.bytes.slice(), ifindex });
  const ifs = await client.ifList();
  const name = scopedText(sa.address.bytes, ifs, ifindex);
  return { text: `${name} (${name}) deleted\n`, json: { deleted: name } };
}

async function showPrefixes(client: KernelClient): Promise<Output> {
  const [ps, ifs] = await Promise.all([client.prefixes(), client.ifList()]);
  let text = '';
  const json = ps.map((p) => {
    const ifname = p.ifname || ifnameOf(ifs, p.ifindex ?? 0);
    const prefix = `${scopedText(p.prefix?.addr, ifs, p.ifindex ?? 0)}/${p.prefix?.length ?? 0}`;
    const flags = `${p.onLink ? 'L' : ''}${p.autonomous ? 'A' : ''}`;
    const vl = p.vltime ?? INFINITE;
    const pl = p.pltime ?? INFINITE;
    const expire = p.expireMs ? sec2str(p.expireMs / 1000) : 'Never';
    const routers = (p.advertisedBy ?? []).map((a) => ({
      address: scopedText(a.address, ifs, a.ifindex ?? 0),
      reachable: a.reachable ?? false,
    }));
    text += `${prefix} if=${ifname}\n`;
    text += `flags=${flags} vltime=${vl === INFINITE ? 'infinity' : vl}, pltime=${pl === INFINITE ? 'infinity' : pl}, expire=${expire}\n`;
    if (routers.length === 0) text += '  No advertising router\n';
    else {
      text += '  advertised by\n';
      for (const r of routers) text += `    ${r.address} (${r.reachable ? 'reachable' : 'unreachable'})\n`;
    }
    return {
      prefix,
      interface: ifname,
      flags,
      vltime: vl === INFINITE ? null : vl,
      pltime: pl === INFINITE ? null : pl,
      expire: p.expireMs ? Math.ceil(p.expireMs / 1000) : null,
      advertisedBy: routers,
    };
  });
  return { text, json };
}

async function showRouters(client: KernelClient): Promise<Output> {
  const [rs, ifs] = await Promise.all([client.routers(), client.ifList()]);
  let text = '';
  const json = rs.map((r) => {
    const ifname = r.ifname || ifnameOf(ifs, r.ifindex ?? 0);
    const address = scopedText(r.address, ifs, r.ifindex ?? 0);
    const raf = r.raFlags ?? 0;
    const flags = `${raf & 0x80 ? 'M' : ''}${raf & 0x40 ? 'O' : ''}`;
    const pref = PREFERENCE[r.preference ?? 0] ?? 'medium';
    const expire = r.expireMs ? sec2str(r.expireMs / 1000) : 'Never';
    text += `${address} if=${ifname}, flags=${flags}, pref=${pref}, expire=${expire}\n`;
    return {
      address,
      interface: ifname,
      flags,
      preference: pref,
      expire: r.expireMs ? Math.ceil(r.expireMs / 1000) : null,
      installed: r.installed ?? false,
    };
  });
  return { text, json };
}

function msText(ms: number): string {
  return `${Math.floor(ms / 1000)}s${ms % 1000}ms`;
}

/** What `ndp -i IF expr...` changes: the nd_ifinfo fields, and the flag bits to set / clear. */
interface IfinfoChange {
  readonly fields: Omit<v1.NdSetIfinfo.$Properties, 'ifp' | 'flags'>;
  readonly set: number;
  readonly clear: number;
  readonly any: boolean;
}

/** basereachable=MS retrans=MS curhlim=N [-]nud [-]accept_rtadv (reference 10.1). */
function parseIfinfoExpressions(exprs: readonly string[]): IfinfoChange {
  const fields: { basereachableMs?: number; retransMs?: number; chlim?: number } = {};
  let set = 0;
  let clear = 0;
  for (const e of exprs) {
    const eq = e.indexOf('=');
    const key = eq >= 0 ? e.slice(0, eq) : e;
    const val = eq >= 0 ? e.slice(eq + 1) : undefined;
    if (key === 'basereachable') fields.basereachableMs = intArg(val, 'ndp -i: basereachable', 1, 3_600_000);
    else if (key === 'retrans') fields.retransMs = intArg(val, 'ndp -i: retrans', 1, 3_600_000);
    else if (key === 'curhlim') fields.chlim = intArg(val, 'ndp -i: curhlim', 0, 255);
    else if (val === undefined && /^-?(nud|accept_rtadv)$/.test(key)) {
      const bit = key.endsWith('nud') ? ND6_IFF_PERFORMNUD : ND6_IFF_ACCEPT_RTADV;
      if (key.startsWith('-')) clear |= bit;
      else set |= bit;
    } else throw new UsageError(`ndp -i: unknown expression ${e}`);
  }
  return { fields, set, clear, any: exprs.length > 0 };
}

/** ndp -i IF [expressions]: shows nd_ifinfo after applying the changes. */
async function ifinfo(client: KernelClient, ifname: string, change: IfinfoChange): Promise<Output> {
  if (change.any) {
    const req: v1.NdSetIfinfo.$Properties = { ifp: { ifname }, ...change.fields };
    if (change.set !== 0 || change.clear !== 0) {
      const cur = await client.request('ndGetIfinfo', { ifp: { ifname } });
      req.flags = ((cur.flags ?? 0) | change.set) & ~change.clear;
    }
    await client.request('ndSetIfinfo', req);
  }
  const [nd, ifp] = await Promise.all([
    client.request('ndGetIfinfo', { ifp: { ifname } }),
    client.ifGet(ifname),
  ]);
  const flags = nd.flags ?? 0;
  const flagNames = [
    ...(flags & ND6_IFF_PERFORMNUD ? ['nud'] : []),
    ...(flags & ND6_IFF_ACCEPT_RTADV ? ['accept_rtadv'] : []),
  ];
  const json = {
    interface: ifname,
    linkmtu: nd.linkmtu ?? 0,
    maxmtu: ifp.mtu ?? 0,
    curhlim: nd.chlim ?? 0,
    basereachableMs: nd.basereachableMs ?? 0,
    reachableMs: nd.reachableMs ?? 0,
    retransMs: nd.retransMs ?? 0,
    flags: flagNames,
  };
  const text =
    `linkmtu=${json.linkmtu}, maxmtu=${json.maxmtu}, curhlim=${json.curhlim}, ` +
    `basereachable=${msText(json.basereachableMs)}, reachable=${Math.round(json.reachableMs / 1000)}s, ` +
    `retrans=${msText(json.retransMs)}\n` +
    (flagNames.length > 0 ? `Flags: ${flagNames.join(' ')}\n` : '');
  return { text, json };
}

/** ndp -I [IF | delete]. */
async function defaultIf(client: KernelClient, arg: string | undefined): Promise<Output> {
  if (arg !== undefined) {
    const ifindex = arg === 'delete' ? 0 : ((await client.ifGet(arg)).index ?? 0);
    await client.request('ndSetDefaultIf', { ifindex });
  }
  const ifindex = (await client.request('ndGetDefaultIf', {})).ifindex ?? 0;
  if (ifindex === 0) return { text: "ND default interface isn't set\n", json: { interface: null } };
  const name = ifnameOf(await client.ifList(), ifindex);
  return { text: `ND default interface = ${name}\n`, json: { interface: name } };
}

type Run = (client: KernelClient) => Promise<Output>;

/**
 * One ndp command line (after the program's own options), checked before the
 * kernel is reached: usage errors exit 2 even without a kernel.
 */
export function ndpCommand(argv: readonly string[]): Run {
  // getopt bundles ("-an") become separate flags; -n (numeric) and -t (timestamps) change
  // nothing here: there is no resolver and no clock in the output.
  const args = argv
    .flatMap((a) => (/^-[acdiInprstPR]{2,}$/.test(a) ? [...a.slice(1)].map((c) => `-${c}`) : [a]))
    .filter((a) => a !== '-n' && a !== '-t' && a !== '--');
  const op = args[0];
  const rest = args.slice(1);
  const none = (what: string) => {
    if (rest.length > 0) throw new UsageError(`ndp ${what}: unexpected ${rest[0]!}`);
  };
  switch (op) {
    case '-a':
      none('-a');
      return (c) => showNeighbors(c);
    case '-R':
      none('-R');
      return (c) => flushList(c, v1.NdFlushTarget.ND_FLUSH_ROUTERS);
    case '-P':
      none('-P');
      return (c) => flushList(c, v1.NdFlushTarget.ND_FLUSH_PREFIXES);
    case '-c':
      none('-c');
      return flushNeighbors;
    case '-d': {
      if (rest.length !== 1) throw new UsageError('ndp -d: expected one address');
      const host = parseScoped(rest[0]!, 'ndp -d:');
      return (c) => deleteNeighbor(c, rest[0]!, host);
    }
    case '-p':
      none('-p');
      return showPrefixes;
    case '-r':
      none('-r');
      return showRouters;
    case '-i': {
      if (rest.length < 1) throw new UsageError('ndp -i: expected an interface');
      const change = parseIfinfoExpressions(rest.slice(1));
      return (c) => ifinfo(c, rest[0]!, change);
    }
    case '-I':
      if (rest.length > 1) throw new UsageError(`ndp -I: unexpected ${rest[1]!}`);
      return (c) => defaultIf(c, rest[0]);
    case '-s': {
      if (rest.length < 2 || rest.length > 4)
        throw new UsageError('ndp -s: expected nodename etheraddr [temp] [proxy]');
      parseScoped(rest[0]!, 'ndp -s:');
      try {
        MacAddress.parse(rest[1]!);
      } catch (e) {
        throw new UsageError(`ndp -s: bad link-layer address ${rest[1]!}: ${(e as Error).message}`);
      }
      for (const w of rest.slice(2))
        if (w !== 'temp' && w !== 'proxy') throw new UsageError(`ndp -s: unexpected ${w}`);
      const target = parseScoped(rest[0]!, 'ndp -s:');
      const mac = MacAddress.parse(rest[1]!);
      const extra = rest.slice(2);
      return async (c) => {
        // KAME: temp = an entry that ages like a learned one; proxy = answer NS for it. Only permanent here.
        if (extra.length)
          throw new KernelApiError('EOPNOTSUPP', `ndp -s: ${extra.join(' ')} entries are not supported`);
        // A link-local target names its interface; another one goes where the route to it goes.
        const ifp =
          target.zone !== undefined ? target.zone : ((await c.routeGet(target.address, {})).ifindex ?? 0);
        await c.setNeighbor(ifp, target.address, mac.bytes.slice());
        return { text: '', json: { ok: true } };
      };
    }
    default: {
      if (op !== undefined && !op.startsWith('-')) {
        none(op);
        const host = parseScoped(op, 'ndp:');
        return (c) => showNeighbors(c, host);
      }
      throw new UsageError(
        op === undefined
          ? 'ndp: expected -a, -c, -d host, -p, -r, -i interface, -I [interface|delete] or -s host lladdr'
          : `ndp: unknown option ${op}`,
      );
    }
  }
}
