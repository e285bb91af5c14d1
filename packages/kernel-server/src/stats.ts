import type { v1 } from '@kame/kernel-api';
import { statToJson } from '@kame/stack';
import type { OpContext } from './context';
import { fail } from './op-error';

/** netstat -s: the stat structs by field name, histograms as sparse buckets. */

const GROUPS = ['ip6', 'icmp6', 'udp6', 'rip6'] as const;
type Group = (typeof GROUPS)[number];

function statOf(ctx: OpContext, g: Group): object {
  switch (g) {
    case 'ip6':
      return ctx.node.ip6stat;
    case 'icmp6':
      return ctx.node.icmp6stat;
    case 'udp6':
      return ctx.node.udp6stat;
    case 'rip6':
      return ctx.node.sockets.rip6stat;
  }
}

export function statsGet(ctx: OpContext, args: v1.StatsGet.$Properties): v1.StatsReply.$Properties {
  const asked = args.groups && args.groups.length > 0 ? args.groups : GROUPS;
  const groups: v1.StatGroup.$Properties[] = [];
  for (const name of asked) {
    if (!(GROUPS as readonly string[]).includes(name)) {
      if (name === 'nd6') fail('EOPNOTSUPP', 'nd6 statistics are not kept by this kernel');
      fail('EINVAL', `unknown statistics group ${JSON.stringify(name)}`);
    }
    const counters: Record<string, number> = {};
    const histograms: Record<string, v1.Histogram.$Properties> = {};
    for (const [k, v] of Object.entries(statToJson(statOf(ctx, name as Group)))) {
      if (typeof v === 'number') counters[k] = v;
      else histograms[k] = { buckets: { ...v } };
    }
    groups.push({ name, counters, histograms });
  }
  return { groups };
}
