import { Ipv6Address } from '@kame/addr';
import { type Codec, encodeWith, ensure, ensureRoom } from '../codec';
import { DecodeError } from '../decode-error';

/**
 * Routing header, RFC 8200 4.4:
 *   next header(8) hdr ext len(8) routing type(8) segments left(8) type-specific data
 * Type 0 (RFC 2460 4.4, deprecated by RFC 5095) is parsed with its address
 * list so the stack can refuse it; type 2 (RFC 6275 6.4) carries one home
 * address; other types are kept raw.
 */
export const ROUTING_TYPE_0 = 0;
export const ROUTING_TYPE_2 = 2;

interface RoutingBase {
  nextHeader: number;
  segmentsLeft: number;
}
/** RFC 2460 4.4 type 0: 4 reserved octets, then Hdr Ext Len / 2 addresses. */
export interface RoutingType0Repr extends RoutingBase {
  kind: 'type0';
  addresses: Ipv6Address[];
}
/** RFC 6275 6.4 type 2: 4 reserved octets, then the home address (Hdr Ext Len 2). */
export interface RoutingType2Repr extends RoutingBase {
  kind: 'type2';
  homeAddress: Ipv6Address;
}
/** Any other routing type: `data` is everything after the first 4 octets (zero-copy). */
export interface RoutingRawRepr extends RoutingBase {
  kind: 'raw';
  routingType: number;
  data: Uint8Array;
}
export type Ipv6RoutingRepr = RoutingType0Repr | RoutingType2Repr | RoutingRawRepr;

export function ipv6RoutingType(r: Ipv6RoutingRepr): number {
  return r.kind === 'type0' ? ROUTING_TYPE_0 : r.kind === 'type2' ? ROUTING_TYPE_2 : r.routingType;
}

const PROTO = 'IPv6 Routing';

/** Parses a routing header at `off`; error offsets are relative to `bytes`. */
export function parseRoutingHeaderAt(bytes: Uint8Array, off: number): Ipv6RoutingRepr {
  ensure(bytes, off, 4, PROTO, 'header');
  const hdrExtLen = bytes[off + 1]!;
  const len = (hdrExtLen + 1) * 8;
  ensure(bytes, off, len, PROTO, 'header');
  const nextHeader = bytes[off]!;
  const type = bytes[off + 2]!;
  const segmentsLeft = bytes[off + 3]!;
  if (type === ROUTING_TYPE_0) {
    if (hdrExtLen % 2 !== 0) {
      throw new DecodeError(PROTO, 'hdr ext len', off + 1, `${hdrExtLen} is odd for type 0`);
    }
    const n = hdrExtLen / 2;
    const addresses = new Array<Ipv6Address>(n);
    for (let k = 0; k < n; k++) addresses[k] = Ipv6Address.fromBytes(bytes, off + 8 + 16 * k);
    return { kind: 'type0', nextHeader, segmentsLeft, addresses };
  }
  if (type === ROUTING_TYPE_2) {
    if (hdrExtLen !== 2)
      throw new DecodeError(PROTO, 'hdr ext len', off + 1, `${hdrExtLen} (type 2 wants 2)`);
    return { kind: 'type2', nextHeader, segmentsLeft, homeAddress: Ipv6Address.fromBytes(bytes, off + 8) };
  }
  return {
    kind: 'raw',
    nextHeader,
    segmentsLeft,
    routingType: type,
    data: bytes.subarray(off + 4, off + len),
  };
}

function bufferLen(r: Ipv6RoutingRepr): number {
  switch (r.kind) {
    case 'type0':
      return 8 + 16 * r.addresses.length;
    case 'type2':
      return 24;
    case 'raw':
      return 4 + r.data.length;
  }
}

function emit(r: Ipv6RoutingRepr, buf: Uint8Array, offset: number): number {
  const n = bufferLen(r);
  if (n % 8 !== 0 || n > 256 * 8)
    throw new RangeError(`${PROTO}: length ${n} is not a multiple of 8 up to 2048`);
  ensureRoom(buf, offset, n, PROTO);
  buf[offset] = r.nextHeader;
  buf[offset + 1] = n / 8 - 1;
  buf[offset + 2] = ipv6RoutingType(r);
  buf[offset + 3] = r.segmentsLeft;
  switch (r.kind) {
    case 'type0':
      buf.fill(0, offset + 4, offset + 8);
      for (let k = 0; k < r.addresses.length; k++) buf.set(r.addresses[k]!.bytes, offset + 8 + 16 * k);
      break;
    case 'type2':
      buf.fill(0, offset + 4, offset + 8);
      buf.set(r.homeAddress.bytes, offset + 8);
      break;
    case 'raw':
      buf.set(r.data, offset + 4);
      break;
  }
  return n;
}

export const ipv6Routing: Codec<Ipv6RoutingRepr> = {
  protocol: PROTO,
  parse: (bytes: Uint8Array) => parseRoutingHeaderAt(bytes, 0),
  bufferLen,
  emit,
  encode: encodeWith(bufferLen, emit),
};
