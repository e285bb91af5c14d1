import { Ipv6Address, MacAddress } from '@kame/addr';
import { v1, type KernelClient } from '@kame/kernel-api';
import {
  addrText,
  bits,
  IFF_BITS,
  IFF_UP,
  IN6_IFF_BITS,
  INFINITE,
  isLinkLocal,
  parseScoped,
  UsageError,
  type Output,
} from '../format';

/** ifconfig(8): show interfaces, add / delete inet6 addresses, up / down / mtu. */

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

function parsePrefixLen(s: string | undefined): number {
  const n = Number(s);
  if (s === undefined || s === '' || !Number.isInteger(n) || n < 0 || n > 128)
    throw new UsageError(`bad prefixlen ${String(s)}`);
  return n;
}

/** ifconfig [-a] [IF] and ifconfig IF inet6 ADDR [prefixlen N] [-alias] | up | down | mtu N | create | destroy. */
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
  if (verb === 'create' || verb === 'destroy') {
    // Cloned interfaces (SIOCIFCREATE / SIOCIFDESTROY): gifN and faithN.
    if (rest.length !== 1) throw new UsageError(`ifconfig: unexpected ${rest[1]!}`);
    if (verb === 'destroy') {
      await client.request('ifDestroy', { ifp: { ifname } });
      return { text: '', json: { ok: true } };
    }
    const type = /^gif\d+$/.test(ifname)
      ? v1.LinkType.LINK_GIF
      : /^faith\d+$/.test(ifname)
        ? v1.LinkType.LINK_FAITH
        : undefined;
    if (type === undefined) throw new UsageError(`ifconfig: ${ifname}: only gifN and faithN can be created`);
    await client.request('ifCreate', { name: ifname, type });
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
    const address: Ipv6Address = parseScoped(addrText6, 'ifconfig:').address;
    if (del) await client.addressDelete(ifname, address);
    else await client.addressAdd(ifname, { address, prefixLength });
    return { text: '', json: { ok: true } };
  }
  throw new UsageError(`ifconfig: unknown command ${verb}`);
}
