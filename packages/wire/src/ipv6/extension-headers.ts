import { DecodeError } from '../decode-error';
import { IPV6_FRAGMENT_HEADER_LEN, type Ipv6FragmentRepr, parseFragmentHeaderAt } from './fragment';
import { type Ipv6OptionsRepr, parseOptionsHeaderAt } from './options';
import { IPPROTO_DSTOPTS, IPPROTO_FRAGMENT, IPPROTO_HOPOPTS, IPPROTO_ROUTING } from './protocols';
import { type Ipv6RoutingRepr, parseRoutingHeaderAt } from './routing';

/**
 * Walks an IPv6 extension header chain (RFC 8200 4, 4.1) iteratively: a loop,
 * never recursion (KAME IMPLEMENTATION 1.8), so a long chain cannot exhaust
 * the stack, and bounded by a header count.
 */

/** Default bound on the number of extension headers walked. */
export const IPV6_EXT_HEADER_LIMIT = 64;

interface ExtBase {
  /** Next Header value that named this header (0, 60, 43 or 44). */
  protocol: number;
  /** Offset of the header in the walked bytes (the IPv6 payload). */
  offset: number;
  /** Octets the header occupies. */
  length: number;
}
export type Ipv6ExtHeader =
  | (ExtBase & { kind: 'hopByHop'; header: Ipv6OptionsRepr })
  | (ExtBase & { kind: 'destinationOptions'; header: Ipv6OptionsRepr })
  | (ExtBase & { kind: 'routing'; header: Ipv6RoutingRepr })
  | (ExtBase & { kind: 'fragment'; header: Ipv6FragmentRepr });

export interface Ipv6ExtChain {
  headers: Ipv6ExtHeader[];
  /**
   * The first Next Header value that is not a walked extension header: an
   * upper-layer protocol, 59 (No Next Header), or, after a non-first fragment,
   * the fragment header's Next Header.
   */
  upperProtocol: number;
  /** Offset of `payload` in the walked bytes. */
  upperOffset: number;
  /**
   * The bytes from upperOffset on: the upper-layer packet, the fragment data
   * (last header is a fragment with non-zero offset), or ignored bytes after 59.
   */
  payload: Uint8Array;
}

/** True for the Next Header values the walker steps over: 0, 43, 44, 60. */
export function isExtensionHeader(nextHeader: number): boolean {
  return (
    nextHeader === IPPROTO_HOPOPTS ||
    nextHeader === IPPROTO_ROUTING ||
    nextHeader === IPPROTO_FRAGMENT ||
    nextHeader === IPPROTO_DSTOPTS
  );
}

/**
 * Walks the headers in `bytes` (the IPv6 payload) starting with
 * `firstNextHeader` (the IPv6 header's Next Header). Stops at the first
 * non-extension protocol, at No Next Header (59), and at a Fragment header
 * whose offset is non-zero. Throws DecodeError on a truncated or malformed
 * header, on Hop-by-Hop anywhere but first (RFC 8200 4.1), and when more
 * than `maxHeaders` extension headers are present.
 */
export function walkExtensionHeaders(
  firstNextHeader: number,
  bytes: Uint8Array,
  maxHeaders: number = IPV6_EXT_HEADER_LIMIT,
): Ipv6ExtChain {
  const headers: Ipv6ExtHeader[] = [];
  let nh = firstNextHeader;
  let off = 0;
  // Offset of the Next Header field that named the current header (-1: the IPv6 header).
  let nhField = -1;
  while (isExtensionHeader(nh)) {
    if (headers.length >= maxHeaders) {
      throw new DecodeError('IPv6', 'extension headers', off, `more than ${maxHeaders} extension headers`);
    }
    let length: number;
    switch (nh) {
      case IPPROTO_HOPOPTS: {
        if (headers.length !== 0) {
          throw new DecodeError(
            'IPv6',
            'next header',
            nhField,
            'Hop-by-Hop Options header not first (RFC 8200 4.1)',
          );
        }
        const header = parseOptionsHeaderAt(bytes, off, 'IPv6 Hop-by-Hop');
        length = (bytes[off + 1]! + 1) * 8;
        headers.push({ kind: 'hopByHop', protocol: nh, offset: off, length, header });
        nh = header.nextHeader;
        break;
      }
      case IPPROTO_DSTOPTS: {
        const header = parseOptionsHeaderAt(bytes, off, 'IPv6 Destination Options');
        length = (bytes[off + 1]! + 1) * 8;
        headers.push({ kind: 'destinationOptions', protocol: nh, offset: off, length, header });
        nh = header.nextHeader;
        break;
      }
      case IPPROTO_ROUTING: {
        const header = parseRoutingHeaderAt(bytes, off);
        length = (bytes[off + 1]! + 1) * 8;
        headers.push({ kind: 'routing', protocol: nh, offset: off, length, header });
        nh = header.nextHeader;
        break;
      }
      default: {
        // IPPROTO_FRAGMENT
        const header = parseFragmentHeaderAt(bytes, off);
        length = IPV6_FRAGMENT_HEADER_LEN;
        headers.push({ kind: 'fragment', protocol: nh, offset: off, length, header });
        nh = header.nextHeader;
        if (header.fragmentOffset !== 0) {
          // Not the first fragment: what follows is fragment data, not headers.
          off += length;
          return { headers, upperProtocol: nh, upperOffset: off, payload: bytes.subarray(off) };
        }
        break;
      }
    }
    nhField = off;
    off += length;
  }
  // An upper-layer protocol, or IPPROTO_NONE (59): RFC 8200 4.7 says to ignore what follows.
  return { headers, upperProtocol: nh, upperOffset: off, payload: bytes.subarray(off) };
}
