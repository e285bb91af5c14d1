import { createHash } from 'node:crypto';
import { MacAddress } from '@kame/addr';

/**
 * The MAC an interface gets when the config names none: 02 (locally
 * administered, unicast; IEEE 802 U/L bit) then the first five bytes of
 * SHA-256("node/ifname"). Deterministic, so link-local addresses stay the
 * same from run to run and node files can name their neighbours.
 */
export function deriveMac(node: string, ifname: string): MacAddress {
  const h = createHash('sha256').update(`${node}/${ifname}`).digest();
  const b = new Uint8Array(6);
  b[0] = 0x02;
  b.set(h.subarray(0, 5), 1);
  return MacAddress.fromBytes(b);
}
