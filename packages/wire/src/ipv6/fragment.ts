import { type Codec, encodeWith, ensure, ensureRoom, put16, put32, u16, u32 } from '../codec';

/**
 * Fragment header, RFC 8200 4.5:
 *   next header(8) reserved(8) fragment offset(13) res(2) M(1) identification(32)
 */
export const IPV6_FRAGMENT_HEADER_LEN = 8;

export interface Ipv6FragmentRepr {
  nextHeader: number;
  /** In 8-octet units (13 bits). */
  fragmentOffset: number;
  /** M flag: more fragments follow. */
  more: boolean;
  identification: number;
}

const PROTO = 'IPv6 Fragment';

/** Parses a fragment header at `off`; error offsets are relative to `bytes`. */
export function parseFragmentHeaderAt(bytes: Uint8Array, off: number): Ipv6FragmentRepr {
  ensure(bytes, off, IPV6_FRAGMENT_HEADER_LEN, PROTO, 'header');
  const w = u16(bytes, off + 2);
  // The reserved octet and the two reserved bits are ignored on reception.
  return {
    nextHeader: bytes[off]!,
    fragmentOffset: w >>> 3,
    more: (w & 1) !== 0,
    identification: u32(bytes, off + 4),
  };
}

function bufferLen(): number {
  return IPV6_FRAGMENT_HEADER_LEN;
}

function emit(r: Ipv6FragmentRepr, buf: Uint8Array, offset: number): number {
  ensureRoom(buf, offset, IPV6_FRAGMENT_HEADER_LEN, PROTO);
  buf[offset] = r.nextHeader;
  buf[offset + 1] = 0;
  put16(buf, offset + 2, ((r.fragmentOffset & 0x1fff) << 3) | (r.more ? 1 : 0));
  put32(buf, offset + 4, r.identification >>> 0);
  return IPV6_FRAGMENT_HEADER_LEN;
}

export const ipv6Fragment: Codec<Ipv6FragmentRepr> = {
  protocol: PROTO,
  parse: (bytes: Uint8Array) => parseFragmentHeaderAt(bytes, 0),
  bufferLen,
  emit,
  encode: encodeWith(bufferLen, emit),
};
