import { newRip6Stat, type Rip6Stat } from '../socket/rip6stat';
import { newIcmp6Stat, renderIcmp6Stat } from './icmp6stat';
import { newIp6Stat, renderIp6Stat } from './ip6stat';
import type { StatJson } from './json';
import { NetstatWriter, type CounterLine, type NetstatOptions } from './netstat-format';
import { newUdp6Stat, renderUdp6Stat } from './udp6stat';

/** `netstat -s -p rip6` (KAME rip6stat wording). */
const RIP6: readonly CounterLine<Rip6Stat>[] = [
  ['rip6s_ipackets', 'message%s received'],
  ['rip6s_isum', 'checksum calculation%s on inbound'],
  ['rip6s_badsum', 'message%s with bad checksum'],
  ['rip6s_nosock', 'message%s dropped due to no socket'],
  ['rip6s_nosockmcast', 'multicast message%s dropped due to no socket'],
  ['rip6s_fullsock', 'message%s dropped due to full socket buffers'],
];

export function renderRip6Stat(s: Rip6Stat, options: NetstatOptions = {}): string {
  const w = new NetstatWriter(options);
  w.header('rip6:');
  w.counters(s, RIP6);
  const delivered =
    s.rip6s_ipackets - s.rip6s_badsum - s.rip6s_nosock - s.rip6s_nosockmcast - s.rip6s_fullsock;
  w.counter(delivered, 'delivered');
  w.counter(s.rip6s_opackets, 'datagram%s output');
  return w.text();
}

/** The inverse of statToJson over a zeroed struct: scalars by field, sparse histogram buckets. */
export function statFromJson<T extends object>(template: T, json: StatJson): T {
  const out = template as Record<string, unknown>;
  for (const [k, v] of Object.entries(json)) {
    const cur = out[k];
    if (typeof v === 'number' && typeof cur === 'number') out[k] = v;
    else if (typeof v === 'object' && Array.isArray(cur))
      for (const [i, n] of Object.entries(v)) {
        const idx = Number(i);
        if (Number.isInteger(idx) && idx >= 0 && idx < cur.length) cur[idx] = n;
      }
  }
  return template;
}

/** The groups `netstat -s` shows, in its order (`-p` takes these names). */
export const NETSTAT_GROUPS = ['ip6', 'icmp6', 'udp6', 'rip6'] as const;
export type NetstatGroup = (typeof NETSTAT_GROUPS)[number];

/**
 * One group's `netstat -s` section from its JSON form (what the kernel API
 * carries), or undefined for a group without KAME wording.
 */
export function renderStatJson(
  group: string,
  json: StatJson,
  options: NetstatOptions = {},
): string | undefined {
  switch (group) {
    case 'ip6':
      return renderIp6Stat(statFromJson(newIp6Stat(), json), options);
    case 'icmp6':
      return renderIcmp6Stat(statFromJson(newIcmp6Stat(), json), options);
    case 'udp6':
      return renderUdp6Stat(statFromJson(newUdp6Stat(), json), options);
    case 'rip6':
      return renderRip6Stat(statFromJson(newRip6Stat(), json), options);
    default:
      return undefined;
  }
}
