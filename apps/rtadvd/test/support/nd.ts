import { MacAddress } from '@kame/addr';
import {
  emitNdMessage,
  ndMessageLen,
  type NdMessageRepr,
  type NdOption,
  type RouterAdvertRepr,
} from '@kame/wire';

export function encodeNd(r: NdMessageRepr): Uint8Array {
  const buf = new Uint8Array(ndMessageLen(r));
  emitNdMessage(r, buf, 0);
  return buf;
}

export function rsBytes(options: NdOption[] = [], code = 0): Uint8Array {
  return encodeNd({ kind: 'routerSolicit', code, options });
}

export function sllaOption(mac = '00:00:5e:00:53:99'): NdOption {
  return { kind: 'sourceLinkAddr', linkAddr: MacAddress.parse(mac) };
}

/** An RA matching ifConfig()'s defaults, with overrides. */
export function raBytes(o: Partial<RouterAdvertRepr> = {}): Uint8Array {
  return encodeNd({
    kind: 'routerAdvert',
    code: 0,
    curHopLimit: 64,
    managed: false,
    other: false,
    homeAgent: false,
    preference: 'medium',
    proxy: false,
    routerLifetime: 1800,
    reachableTime: 0,
    retransTimer: 0,
    options: [],
    ...o,
  });
}
