import { parseImpairmentWords, type UdpRemote } from '@kame/link';
import type { InterfaceConfig, LinkConfig, RouteConfig } from '../config/config';
import { FieldError } from '../config/config-error';
import {
  checkVxlanFamilies,
  parseGateway,
  parseHubName,
  parseIfName,
  parseInterfaceAddress,
  parseMac,
  parseMtu,
  parseRouteDestination,
  parseUdpEndpoint,
  parseVni,
} from '../config/fields';

export const IF_SPEC_SYNTAX =
  'IFNAME,vni=N,bind=ADDR:PORT,remote=ADDR:PORT[,remote=..][,mac=MAC][,mtu=N][,addr=ADDRESS/LEN]...[,down]' +
  ' or IFNAME,hub=NAME[,...]; impairments of what it sends: ,delay=10ms,jitter=1ms,loss=1%,rate=10mbit,...';

/**
 * One --if value: `em0,vni=4242,bind=127.0.0.1:4789,remote=127.0.0.1:4790,addr=2001:db8::1/64`.
 * Keys: vni, bind, remote (repeatable), hub, mac, mtu, addr (repeatable), and
 * the bare words up / down. Throws FieldError(key, reason).
 */
export function parseIfSpec(spec: string): InterfaceConfig {
  const parts = spec.split(',');
  const name = parseIfName('name', parts[0] ?? '');
  const ifc: Omit<InterfaceConfig, 'link'> = {
    name,
    mac: undefined,
    mtu: undefined,
    addresses: [],
    up: true,
  };
  let vni: number | undefined;
  let bind: UdpRemote | undefined;
  let hub: string | undefined;
  const remotes: UdpRemote[] = [];
  const impairWords: string[] = [];
  const once = (key: string, seen: unknown) => {
    if (seen !== undefined) throw new FieldError(key, `given twice; expected ${key}= once`);
  };
  for (const part of parts.slice(1)) {
    if (part === 'up' || part === 'down') {
      ifc.up = part === 'up';
      continue;
    }
    const eq = part.indexOf('=');
    if (eq <= 0)
      throw new FieldError(part || '(empty)', `expected KEY=VALUE or up/down; syntax: ${IF_SPEC_SYNTAX}`);
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    switch (key) {
      case 'vni':
        once(key, vni);
        vni = parseVni(key, value);
        break;
      case 'bind':
        once(key, bind);
        bind = parseUdpEndpoint(key, value, true);
        break;
      case 'remote':
        remotes.push(parseUdpEndpoint(key, value, false));
        break;
      case 'hub':
        once(key, hub);
        hub = parseHubName(key, value);
        break;
      case 'mac':
        once(key, ifc.mac);
        ifc.mac = parseMac(key, value);
        break;
      case 'mtu':
        once(key, ifc.mtu);
        ifc.mtu = parseMtu(key, value);
        break;
      case 'addr':
        ifc.addresses.push(parseInterfaceAddress(key, value));
        break;
      case 'delay':
      case 'jitter':
      case 'loss':
      case 'duplicate':
      case 'reorder':
      case 'rate':
      case 'queue':
        impairWords.push(key, value);
        break;
      default:
        throw new FieldError(
          key,
          `unknown key; expected vni, bind, remote, hub, mac, mtu, addr, delay, jitter, loss, duplicate, reorder, rate, queue, up or down`,
        );
    }
  }
  if (impairWords.length) {
    try {
      ifc.impair = parseImpairmentWords(impairWords);
    } catch (e) {
      throw new FieldError('impair', e instanceof Error ? e.message : String(e));
    }
  }
  let link: LinkConfig;
  if (hub !== undefined) {
    if (vni !== undefined || bind !== undefined || remotes.length)
      throw new FieldError('hub', 'a hub interface takes no vni, bind or remote; expected one link kind');
    link = { kind: 'hub', name: hub };
  } else {
    if (vni === undefined) throw new FieldError('vni', `missing; expected ${IF_SPEC_SYNTAX}`);
    if (bind === undefined) throw new FieldError('bind', `missing; expected ${IF_SPEC_SYNTAX}`);
    if (remotes.length === 0) throw new FieldError('remote', `missing; expected ${IF_SPEC_SYNTAX}`);
    checkVxlanFamilies('remote', bind, remotes);
    link = { kind: 'vxlan', vni, bind, remotes };
  }
  return { ...ifc, link };
}

export const ROUTE_SPEC_SYNTAX = 'DEST,GATEWAY or DEST,interface=IFNAME (DEST: PREFIX/LEN or default)';

/** One --route value: `2001:db8:2::/64,fe80::1%em0`, `default,2001:db8::ff`, `2001:db8:9::/64,interface=em1`. */
export function parseRouteSpec(spec: string): RouteConfig {
  const parts = spec.split(',');
  if (parts.length !== 2) throw new FieldError('route', `expected ${ROUTE_SPEC_SYNTAX}`);
  const dst = parseRouteDestination('dest', parts[0]!);
  const gw = parts[1]!;
  if (gw.startsWith('interface='))
    return {
      dst,
      gateway: { kind: 'link', ifname: parseIfName('interface', gw.slice('interface='.length)) },
    };
  const g = parseGateway('gateway', gw);
  return { dst, gateway: { kind: 'inet6', address: g.address, ifname: g.ifname } };
}
