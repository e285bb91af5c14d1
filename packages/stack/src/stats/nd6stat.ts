import { NetstatWriter, type CounterLine, type NetstatOptions } from './netstat-format';

/**
 * Neighbor Discovery drops. KAME keeps these as log messages rather than a
 * netstat section; the emulator counts them so tests can see them. The ND
 * option overflow of IMPLEMENTATION 1.2 is icmp6stat's icp6s_nd_toomanyopt.
 */
export interface Nd6Stat {
  /** packets dropped from a neighbor's hold queue (net.inet6.icmp6.nd6_maxqueuelen) */
  nd6s_holdqdrop: number;
  /** address resolutions abandoned after nd6_mmaxtries solicitations */
  nd6s_resolvefail: number;
  /** neighbors declared unreachable by NUD after nd6_umaxtries probes */
  nd6s_nudfail: number;
  /** addresses marked duplicated by DAD (IMPLEMENTATION 1.2) */
  nd6s_dadfail: number;
}

/** A zero-initialised nd6 drop counter set. */
export function newNd6Stat(): Nd6Stat {
  return { nd6s_holdqdrop: 0, nd6s_resolvefail: 0, nd6s_nudfail: 0, nd6s_dadfail: 0 };
}

const LINES: readonly CounterLine<Nd6Stat>[] = [
  ['nd6s_holdqdrop', 'packet%s dropped from the address resolution queue'],
  ['nd6s_resolvefail', 'address resolution%s failed'],
  ['nd6s_nudfail', 'neighbor%s found unreachable'],
  ['nd6s_dadfail', 'DAD failure%s'],
];

/** An "nd6:" section in the netstat -s shape (emulator-specific, no BSD counterpart). */
export function renderNd6Stat(s: Nd6Stat, options: NetstatOptions = {}): string {
  const w = new NetstatWriter(options);
  w.header('nd6:');
  w.counters(s, LINES);
  return w.text();
}
