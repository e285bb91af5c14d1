import { Ipv6Address, Ipv6Prefix, MacAddress } from '@kame/addr';
import type { KernelClient } from '@kame/kernel-api';
import { isLinkLocal, table, UsageError, type Output } from '../format';
import { renderStatGroup, STAT_GROUPS, statGroupJson } from './netstat-stats';
import { routeShow } from './route';

/** netstat(1): -r (routing table), -s [-p proto] (statistics), -i (interfaces). */

export interface NetstatArgs {
  r: boolean;
  s: boolean;
  i: boolean;
  family?: string;
  protocol?: string;
}

/** getopt("rnsiaf:p:") over argv; -n is implied (no resolver). */
export function parseNetstatArgs(argv: readonly string[]): NetstatArgs {
  const o: NetstatArgs = { r: false, s: false, i: false };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (!a.startsWith('-') || a === '-') throw new UsageError(`netstat: unexpected ${a}`);
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === 'r' || c === 's' || c === 'i') o[c] = true;
      else if (c === 'n' || c === 'a') continue;
      else if (c === 'f' || c === 'p') {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++k];
        if (v === undefined) throw new UsageError(`netstat: -${c} needs an argument`);
        if (c === 'f') o.family = v;
        else o.protocol = v;
        break;
      } else throw new UsageError(`netstat: unknown option -${c}`);
    }
  }
  if (o.family !== undefined && o.family !== 'inet6')
    throw new UsageError(`netstat: address family ${o.family} is not supported (inet6 only)`);
  if (o.protocol !== undefined && !(STAT_GROUPS as readonly string[]).includes(o.protocol))
    throw new UsageError(`netstat: unknown protocol ${o.protocol} (expected ${STAT_GROUPS.join(', ')})`);
  if (Number(o.r) + Number(o.s) + Number(o.i) !== 1)
    throw new UsageError('netstat: expected exactly one of -r, -s or -i');
  if (o.protocol !== undefined && !o.s) throw new UsageError('netstat: -p goes with -s');
  return o;
}

async function stats(client: KernelClient, protocol: string | undefined): Promise<Output> {
  const groups = await client.stats(...(protocol ? [protocol] : STAT_GROUPS));
  return { text: groups.map(renderStatGroup).join(''), json: groups.map(statGroupJson) };
}

async function interfaces(client: KernelClient): Promise<Output> {
  const ifs = await client.ifList();
  const rows: string[][] = [
    ['Name', 'Mtu', 'Network', 'Address', 'Ipkts', 'Ierrs', 'Opkts', 'Oerrs', 'Coll'],
  ];
  const json = ifs.map((i) => {
    const name = i.name ?? '';
    const c = i.counters ?? {};
    const counts = [c.ipackets ?? 0, c.ierrors ?? 0, c.opackets ?? 0, c.oerrors ?? 0, 0].map(String);
    const mtu = String(i.mtu ?? 0);
    const mac = i.lladdr && i.lladdr.length === 6 ? MacAddress.fromBytes(i.lladdr).toString() : '';
    rows.push([name, mtu, `<Link#${i.index ?? 0}>`, mac, ...counts]);
    const addresses = (i.addresses ?? []).map((a) => {
      const plen = a.prefixLength ?? 0;
      const addr = Ipv6Address.fromBytes(a.address ?? new Uint8Array(16));
      const zone = isLinkLocal(a.address) ? `%${name}` : '';
      const net = Ipv6Prefix.of(addr, plen).network.toString();
      const row = { network: `${net}${zone}/${plen}`, address: `${addr.toString()}${zone}` };
      rows.push([name, mtu, row.network, row.address, ...counts]);
      return row;
    });
    return {
      name,
      mtu: i.mtu ?? 0,
      link: i.index ?? 0,
      ether: mac || null,
      addresses,
      ipackets: c.ipackets ?? 0,
      ierrors: c.ierrors ?? 0,
      opackets: c.opackets ?? 0,
      oerrors: c.oerrors ?? 0,
      collisions: 0,
    };
  });
  return { text: table(rows, [1, 4, 5, 6, 7, 8]), json };
}

/** netstat ARGV, checked before the kernel is reached. */
export function netstatCommand(argv: readonly string[]): (client: KernelClient) => Promise<Output> {
  const o = parseNetstatArgs(argv);
  return (client) => netstat(client, o);
}

export async function netstat(client: KernelClient, o: NetstatArgs): Promise<Output> {
  if (o.r) return routeShow(client);
  if (o.s) return stats(client, o.protocol);
  return interfaces(client);
}
