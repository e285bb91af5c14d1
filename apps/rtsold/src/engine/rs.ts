import type { MacAddress } from '@kame/addr';
import { emitNdMessage, ndMessageLen, type RouterSolicitRepr } from '@kame/wire';

/**
 * The Router Solicitation rtsold sends (reference 2.3, RFC 4861 4.1): type
 * 133, code 0, reserved 0, and a Source Link-Layer Address option only on
 * Ethernet-like interfaces (K:rtsold/if.c lladdropt_length). The checksum
 * is left zero for the kernel to fill in.
 */
export function routerSolicitation(lladdr: MacAddress | undefined): Uint8Array {
  const repr: RouterSolicitRepr = {
    kind: 'routerSolicit',
    code: 0,
    options: lladdr ? [{ kind: 'sourceLinkAddr', linkAddr: lladdr }] : [],
  };
  const out = new Uint8Array(ndMessageLen(repr));
  emitNdMessage(repr, out, 0);
  return out;
}
