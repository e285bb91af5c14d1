import { Ipv6Address } from '@kame/addr';
import {
  DecodeError,
  IPV6_HEADER_LEN,
  IPPROTO_FRAGMENT,
  Ipv6Packet,
  isExtensionHeader,
  walkExtensionHeaders,
} from '@kame/wire';

/**
 * What ICMPv6 error generation needs to know about the packet that caused
 * the error (RFC 4443 2.4 (e)): its addresses and which upper-layer header
 * follows the extension headers. Parsing is defensive: the packet may be
 * truncated or malformed (it is, after all, the packet in error), so a
 * strict walk is tried first and a lenient scan takes over on a DecodeError.
 */
export interface InvokingPacketInfo {
  readonly src: Ipv6Address;
  readonly dst: Ipv6Address;
  /** The IPv6 Payload Length field (0 for a possible jumbogram). */
  readonly payloadLength: number;
  /** The first Next Header value that is not an extension header (0, 43, 44, 60). */
  readonly upperProtocol: number;
  /** Offset of that header from the start of the IPv6 packet. */
  readonly upperOffset: number;
  /** Offset of the Next Header field naming `upperProtocol` (RFC 4443 3.4 pointer, code 1). */
  readonly upperNextHeaderField: number;
  /** The upper-layer bytes belong to a non-first fragment (no header there). */
  readonly nonFirstFragment: boolean;
  /** The chain could not be walked to its end (truncated or malformed). */
  readonly incomplete: boolean;
}

/**
 * Inspects a whole IPv6 packet as received. Returns undefined when even the
 * 40-byte fixed header is missing (no addresses: no error can be sent).
 */
export function inspectInvokingPacket(original: Uint8Array): InvokingPacketInfo | undefined {
  let pkt: Ipv6Packet;
  try {
    pkt = Ipv6Packet.of(original);
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
  const src = Ipv6Address.fromBytes(original, 8);
  const dst = Ipv6Address.fromBytes(original, 24);
  // The payload as far as it was received (a truncated capture stays usable).
  const payload = pkt.payload;
  const base = {
    src,
    dst,
    payloadLength: pkt.payloadLength,
  };
  try {
    const chain = walkExtensionHeaders(pkt.nextHeader, payload);
    const last = chain.headers[chain.headers.length - 1];
    return {
      ...base,
      upperProtocol: chain.upperProtocol,
      upperOffset: IPV6_HEADER_LEN + chain.upperOffset,
      upperNextHeaderField: last === undefined ? 6 : IPV6_HEADER_LEN + last.offset,
      nonFirstFragment: last?.kind === 'fragment' && last.header.fragmentOffset !== 0,
      incomplete: false,
    };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
  return { ...base, ...scanLeniently(pkt.nextHeader, payload) };
}

/**
 * Steps over extension headers using only their Next Header and length
 * octets, tolerating what the strict walk rejects (Hop-by-Hop not first,
 * bad options, truncation). Every step advances at least 8 octets.
 */
function scanLeniently(
  firstNextHeader: number,
  payload: Uint8Array,
): Pick<
  InvokingPacketInfo,
  'upperProtocol' | 'upperOffset' | 'upperNextHeaderField' | 'nonFirstFragment' | 'incomplete'
> {
  let nh = firstNextHeader;
  let off = 0;
  let field = 6;
  while (isExtensionHeader(nh)) {
    if (off + 2 > payload.length) {
      return {
        upperProtocol: nh,
        upperOffset: IPV6_HEADER_LEN + off,
        upperNextHeaderField: field,
        nonFirstFragment: false,
        incomplete: true,
      };
    }
    const next = payload[off]!;
    field = IPV6_HEADER_LEN + off;
    if (nh === IPPROTO_FRAGMENT) {
      if (off + 4 > payload.length) {
        return {
          upperProtocol: next,
          upperOffset: field + 8,
          upperNextHeaderField: field,
          nonFirstFragment: false,
          incomplete: true,
        };
      }
      const fragOffset = ((payload[off + 2]! << 8) | payload[off + 3]!) >>> 3;
      off += 8;
      nh = next;
      if (fragOffset !== 0) {
        return {
          upperProtocol: nh,
          upperOffset: IPV6_HEADER_LEN + off,
          upperNextHeaderField: field,
          nonFirstFragment: true,
          incomplete: false,
        };
      }
    } else {
      // Hop-by-Hop (0), Routing (43), Destination Options (60): (Hdr Ext Len + 1) * 8.
      off += (payload[off + 1]! + 1) * 8;
      nh = next;
    }
  }
  return {
    upperProtocol: nh,
    upperOffset: IPV6_HEADER_LEN + off,
    upperNextHeaderField: field,
    nonFirstFragment: false,
    incomplete: off > payload.length,
  };
}
