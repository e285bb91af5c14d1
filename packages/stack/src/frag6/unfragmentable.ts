import { walkExtensionHeaders } from '@kame/wire';

/** Where the Unfragmentable Part of an IPv6 payload ends (RFC 8200 4.5). */
export interface UnfragmentablePart {
  /** Octets of extension headers in the Unfragmentable Part (the IPv6 header not included). */
  length: number;
  /**
   * Offset in the payload of the Next Header field that names the first header
   * of the Fragmentable Part, or -1 when that field is the IPv6 header's own.
   */
  nextHeaderField: number;
  /** The Next Header value naming the first header of the Fragmentable Part. */
  fragmentableNextHeader: number;
  /** True when the payload already carries a Fragment header. */
  hasFragmentHeader: boolean;
}

/**
 * Splits an IPv6 payload per RFC 8200 4.5: the Unfragmentable Part is every
 * header up to and including the Routing header if there is one (so a
 * Destination Options header before it belongs there too), else the
 * Hop-by-Hop Options header if there is one, else nothing. Throws the
 * DecodeError of walkExtensionHeaders on a malformed chain.
 */
export function unfragmentablePart(nextHeader: number, payload: Uint8Array): UnfragmentablePart {
  const chain = walkExtensionHeaders(nextHeader, payload);
  let end = 0;
  let field = -1;
  let next = nextHeader;
  let hasFragmentHeader = false;
  for (const h of chain.headers) {
    if (h.kind === 'fragment') {
      hasFragmentHeader = true;
      break;
    }
    if (h.kind === 'routing' || (h.kind === 'hopByHop' && h.offset === 0)) {
      end = h.offset + h.length;
      field = h.offset;
      next = h.header.nextHeader;
    }
  }
  return { length: end, nextHeaderField: field, fragmentableNextHeader: next, hasFragmentHeader };
}
