import { Ipv6Address } from '@kame/addr';
import { type RipngRte, ripng, ripngPacket } from '@kame/wire';
import type { Route6dOptions } from '../../src/engine/index';
import { Fabric, type FabricNode, stubPrefix } from './fabric';

/** One router x: eth0 and eth1 (links to nowhere) and stub0 with 2001:db8:1::/64. Not started. */
export function solo(seed = 1): { f: Fabric; x: FabricNode } {
  const f = new Fabric(seed);
  const x = f.addNode('x');
  f.stub(x, stubPrefix(x.id));
  x.addIface('eth0');
  x.addIface('eth1');
  return { f, x };
}

export function started(opts: Partial<Route6dOptions> = {}, seed = 1): { f: Fabric; x: FabricNode } {
  const r = solo(seed);
  r.f.start(() => opts);
  return r;
}

export const rte = (prefix: string, metric: number, routeTag = 0): RipngRte => {
  const [a = '', l = '128'] = prefix.split('/');
  return { prefix: Ipv6Address.parse(a), routeTag, prefixLength: Number(l), metric };
};

export const nh = (addr: string): RipngRte => ({
  prefix: Ipv6Address.parse(addr),
  routeTag: 0,
  prefixLength: 0,
  metric: 0xff,
});

export const response = (...rtes: RipngRte[]): Uint8Array => ripng.encode(ripngPacket('response', rtes));
export const request = (...rtes: RipngRte[]): Uint8Array => ripng.encode(ripngPacket('request', rtes));

/** RTEs of packets, next-hop RTEs removed, as "prefix/len" -> metric. */
export function rteMap(rtes: readonly RipngRte[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of rtes) if (e.metric !== 0xff) m.set(`${e.prefix.toString()}/${e.prefixLength}`, e.metric);
  return m;
}
