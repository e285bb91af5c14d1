import { Ipv6Address, multicastMac, needsScope } from '@kame/addr';
import type { KernelClient, v1 } from '@kame/kernel-api';
import { addrText, isLinkLocal, UsageError, type Output } from '../format';

/**
 * ifmcstat(8): the multicast groups each interface has joined, under the
 * interface's link-local address, with the Ethernet group address each maps
 * to (RFC 2464 7: 33:33 + the last 32 bits).
 */

function groupsOf(i: v1.Interface.$Properties) {
  const name = i.name ?? '';
  const ether = !!i.lladdr && i.lladdr.length === 6;
  const groups = (i.multicast ?? [])
    .map((g, k) => ({ g, refcnt: i.multicastRefcnt?.[k] ?? 1 }))
    .filter(({ g }) => g.length === 16)
    .map(({ g, refcnt }) => {
      const a = Ipv6Address.fromBytes(g);
      return {
        group: needsScope(a) ? `${a.toString()}%${name}` : a.toString(),
        refcnt,
        mcastMacaddr: ether && a.isMulticast() ? multicastMac(a).toString() : null,
        macRefcnt: 0,
      };
    });
  // An Ethernet group address is shared by every IPv6 group with the same last 32 bits (RFC 2464 7).
  for (const g of groups) g.macRefcnt = groups.filter((o) => o.mcastMacaddr === g.mcastMacaddr).length;
  return groups;
}

/** ifmcstat [-i interface] [-f inet6], checked before the kernel is reached. */
export function ifmcstatCommand(argv: readonly string[]): (client: KernelClient) => Promise<Output> {
  let only: string | undefined;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '-i') {
      only = argv[++k];
      if (only === undefined) throw new UsageError('ifmcstat: -i needs an interface');
    } else if (a === '-f') {
      const f = argv[++k];
      if (f !== 'inet6')
        throw new UsageError(`ifmcstat: address family ${String(f)} is not supported (inet6 only)`);
    } else throw new UsageError(`ifmcstat: unexpected ${a}`);
  }
  return (client) => ifmcstat(client, only);
}

export async function ifmcstat(client: KernelClient, only?: string): Promise<Output> {
  const ifs = only !== undefined ? [await client.ifGet(only)] : await client.ifList();
  let text = '';
  const json = ifs.map((i) => {
    const name = i.name ?? '';
    const ll = (i.addresses ?? []).find((a) => isLinkLocal(a.address));
    const inet6 = ll ? `${addrText(ll.address)}%${name}` : null;
    const groups = groupsOf(i);
    text += `${name}:\n`;
    const depth = inet6 ? '\t\t' : '\t';
    if (inet6) text += `\tinet6 ${inet6}\n`;
    for (const g of groups) {
      text += `${depth}group ${g.group} refcnt ${g.refcnt}\n`;
      if (g.mcastMacaddr) text += `${depth}\tmcast-macaddr ${g.mcastMacaddr} refcnt ${g.macRefcnt}\n`;
    }
    return { name, inet6, groups };
  });
  return { text, json };
}
