import { MacAddress } from '@kame/addr';
import type { LinkEndpoint } from '../src/endpoint';

/** IEEE 802 Local Experimental EtherType 1: dissectors show the payload as data, never malformed. */
export const ETHERTYPE_EXPERIMENTAL = 0x88b5;

/**
 * An Ethernet frame dst/src/0x88b5 whose payload starts with `seq` as a
 * 32-bit big-endian number (so tests can tell frames apart) and is
 * `payloadLen` bytes long (default 46, the Ethernet minimum).
 */
export function frame(dst: string, src: string, seq = 0, payloadLen = 46): Uint8Array {
  const f = new Uint8Array(14 + payloadLen);
  f.set(MacAddress.parse(dst).bytes, 0);
  f.set(MacAddress.parse(src).bytes, 6);
  f[12] = ETHERTYPE_EXPERIMENTAL >> 8;
  f[13] = ETHERTYPE_EXPERIMENTAL & 0xff;
  if (payloadLen >= 4) new DataView(f.buffer).setUint32(14, seq >>> 0);
  return f;
}

/** The sequence number `frame()` wrote. */
export function seqOf(f: Uint8Array): number {
  return new DataView(f.buffer, f.byteOffset, f.byteLength).getUint32(14);
}

export const MAC_A = '02:00:00:00:00:0a';
export const MAC_B = '02:00:00:00:00:0b';
export const MAC_C = '02:00:00:00:00:0c';
export const MAC_D = '02:00:00:00:00:0d';
export const BROADCAST = 'ff:ff:ff:ff:ff:ff';

export interface Arrival {
  at: number;
  frame: Uint8Array;
}

/** Records every frame delivered to `ep` with the clock time it arrived. */
export function record(ep: LinkEndpoint, now: () => number): Arrival[] {
  const got: Arrival[] = [];
  ep.onReceive((f) => got.push({ at: now(), frame: f }));
  return got;
}
