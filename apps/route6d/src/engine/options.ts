import { Ipv6Prefix } from '@kame/addr';

/** -A / -L / -O: a prefix and the interfaces it applies to. */
export interface Route6dFilter {
  prefix: Ipv6Prefix;
  ifnames: readonly string[];
}

export type SplitHorizon = 'plain' | 'poisoned' | 'off';
/** 'rfc': RFC 2080 2.5.1, at most one triggered update per random 1-5 s. 'kame': sent at once (route6d.8 NOTES). */
export type TriggeredMode = 'rfc' | 'kame';

export interface Route6dOptions {
  /** -a: static routes age too. */
  ageStatic: boolean;
  /** -A */
  aggregates: readonly Route6dFilter[];
  /** Split horizon: KAME's plain form by default; -h turns it off. */
  splitHorizon: SplitHorizon;
  /** -l: exchange site-local (fec0::/10) routes. */
  siteLocal: boolean;
  /** -L */
  inputFilters: readonly Route6dFilter[];
  /** -n: do not touch the kernel routing table. */
  noKernel: boolean;
  /** -N */
  noUse: readonly string[];
  /** -O */
  outputFilters: readonly Route6dFilter[];
  /** -q: listen only. */
  listenOnly: boolean;
  /** -s: advertise static routes (split horizon applies); -S: everywhere. */
  advertiseStatic: 'none' | 'split' | 'all';
  /** -T */
  defaultOnly: readonly string[];
  /** -t: the route tag of originated routes (16 bits). */
  routeTag: number;
  triggered: TriggeredMode;
  /** Bound on the routing table (entries); further new routes are dropped and counted. */
  maxRoutes: number;
  /** Bound on a received datagram (bytes of RIPng payload); larger ones are dropped and counted. */
  maxPacket: number;
}

/** KAME MAXFILTER. */
export const MAXFILTER = 40;

export function defaultOptions(): Route6dOptions {
  return {
    ageStatic: false,
    aggregates: [],
    splitHorizon: 'plain',
    siteLocal: false,
    inputFilters: [],
    noKernel: false,
    noUse: [],
    outputFilters: [],
    listenOnly: false,
    advertiseStatic: 'none',
    defaultOnly: [],
    routeTag: 0,
    triggered: 'rfc',
    maxRoutes: 10_000,
    // The largest UDP payload: 65535 - 8.
    maxPacket: 65_527,
  };
}

/** Parses `prefix/len,if1[,if2...]` (-A, -L, -O). Throws Error with a usage message. */
export function parseFilterArg(flag: string, arg: string): Route6dFilter {
  const parts = arg.split(',');
  const p = parts[0] ?? '';
  const ifnames = parts.slice(1).filter((s) => s !== '');
  if (!p.includes('/')) throw new Error(`-${flag} ${arg}: expected prefix/len,if1[,if2...]`);
  const prefix = Ipv6Prefix.tryParse(p);
  if (!prefix) throw new Error(`-${flag} ${arg}: invalid prefix ${p}`);
  if (ifnames.length === 0) throw new Error(`-${flag} ${arg}: no interface given`);
  return { prefix, ifnames };
}

/** Parses `if1[,if2...]` (-N, -T). */
export function parseIfList(flag: string, arg: string): string[] {
  const l = arg.split(',').filter((s) => s !== '');
  if (l.length === 0) throw new Error(`-${flag}: no interface given`);
  return l;
}

/** -t: strtoul(arg, 0) (decimal, 0octal, 0xhex), must fit 16 bits. */
export function parseRouteTag(arg: string): number {
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(arg)) v = parseInt(arg.slice(2), 16);
  else if (/^0[0-7]*$/.test(arg)) v = parseInt(arg, 8);
  else if (/^[1-9][0-9]*$/.test(arg)) v = parseInt(arg, 10);
  else throw new Error(`-t ${arg}: invalid route tag`);
  if (!(v >= 0 && v <= 0xffff)) throw new Error(`-t ${arg}: route tag must fit 16 bits`);
  return v;
}
