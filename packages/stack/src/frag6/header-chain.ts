import {
  IPPROTO_AH,
  IPPROTO_DSTOPTS,
  IPPROTO_ESP,
  IPPROTO_FRAGMENT,
  IPPROTO_HOPOPTS,
  IPPROTO_ICMPV6,
  IPPROTO_IPV4,
  IPPROTO_IPV6,
  IPPROTO_NONE,
  IPPROTO_ROUTING,
  IPPROTO_TCP,
  IPPROTO_UDP,
} from '@kame/wire';

const IPPROTO_SCTP = 132;

/**
 * Octets of the upper-layer header that must be present in a first fragment
 * (RFC 7112 2: the header chain ends with the upper-layer header). For TCP the
 * Data Offset says how long the header with its options is; protocols not
 * listed here are not inspected (0).
 */
function upperLayerHeaderLength(protocol: number, bytes: Uint8Array, off: number): number {
  switch (protocol) {
    case IPPROTO_TCP:
      // Data Offset, the high nibble of octet 12, in 32-bit words (at least 5).
      return off + 13 <= bytes.length ? Math.max(20, (bytes[off + 12]! >>> 4) * 4) : 20;
    case IPPROTO_UDP:
      return 8;
    case IPPROTO_ICMPV6:
      return 4; // type, code, checksum (RFC 4443 2.1)
    case IPPROTO_ESP:
      return 8; // SPI and sequence number (RFC 4303 2)
    case IPPROTO_SCTP:
      return 12; // common header (RFC 9260 3.1)
    case IPPROTO_IPV4:
      return 20;
    case IPPROTO_IPV6:
      return 40;
    default:
      return 0;
  }
}

/**
 * RFC 7112 5 / RFC 8200 4.5: does `bytes` (the data of a first fragment, the
 * octets after its Fragment header) hold the rest of the IPv6 header chain,
 * starting with `nextHeader` (the Fragment header's Next Header)? Extension
 * headers are measured by their length fields only; the walk is a bounded
 * loop (each step advances at least 8 octets).
 */
export function hasWholeHeaderChain(nextHeader: number, bytes: Uint8Array): boolean {
  let nh = nextHeader;
  let off = 0;
  for (;;) {
    let len: number;
    switch (nh) {
      case IPPROTO_NONE:
        return true;
      case IPPROTO_HOPOPTS:
      case IPPROTO_ROUTING:
      case IPPROTO_DSTOPTS:
        if (off + 2 > bytes.length) return false;
        len = (bytes[off + 1]! + 1) * 8;
        break;
      case IPPROTO_FRAGMENT:
        len = 8;
        break;
      case IPPROTO_AH:
        if (off + 2 > bytes.length) return false;
        len = (bytes[off + 1]! + 2) * 4; // RFC 4302 2.2: in 32-bit words, minus 2
        break;
      default:
        return off + upperLayerHeaderLength(nh, bytes, off) <= bytes.length;
    }
    if (off + len > bytes.length) return false;
    nh = bytes[off]!;
    off += len;
  }
}
