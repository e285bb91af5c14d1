import {
  checksumValid,
  checksumWith,
  isIpv6PseudoHeader,
  transportPseudoSum,
  type PseudoHeader,
} from '../checksum';
import { type Codec, encodeWith, ensure, ensureRoom, put16, u16 } from '../codec';
import { DecodeError } from '../decode-error';

/**
 * UDP, RFC 768: source port(16) destination port(16) length(16) checksum(16).
 * Over IPv6 the checksum is mandatory (RFC 8200 8.1) and a jumbogram's UDP
 * length is written as 0 and taken from the IPv6 payload (RFC 2675 4).
 * A zero checksum over IPv6 is accepted only when the context allows it for
 * a tunnel (RFC 6935, RFC 6936: `allowZeroChecksum`).
 */
export const UDP_HEADER_LEN = 8;
const IPPROTO_UDP = 17;

export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  /** Bytes up to the UDP length (trailing bytes trimmed); zero-copy on parse. */
  payload: Uint8Array;
}

/** Checked view over a UDP datagram. */
export class UdpDatagram {
  private constructor(readonly bytes: Uint8Array) {}

  static of(bytes: Uint8Array): UdpDatagram {
    ensure(bytes, 0, UDP_HEADER_LEN, 'UDP', 'header');
    return new UdpDatagram(bytes);
  }
  get srcPort(): number {
    return u16(this.bytes, 0);
  }
  get dstPort(): number {
    return u16(this.bytes, 2);
  }
  get length(): number {
    return u16(this.bytes, 4);
  }
  get checksum(): number {
    return u16(this.bytes, 6);
  }
}

function parse(bytes: Uint8Array, ctx: PseudoHeader): UdpRepr {
  const d = UdpDatagram.of(bytes);
  const v6 = isIpv6PseudoHeader(ctx);
  const field = d.length;
  let len: number;
  if (field === 0 && v6 && bytes.length > 0xffff) {
    len = bytes.length; // RFC 2675 4: jumbogram
  } else if (field < UDP_HEADER_LEN) {
    throw new DecodeError('UDP', 'length', 4, `${field} (minimum 8)`);
  } else if (field > bytes.length) {
    throw new DecodeError('UDP', 'length', 4, `${field} exceeds the ${bytes.length} bytes received`);
  } else {
    len = field;
  }
  const checksum = d.checksum;
  if (checksum === 0) {
    // RFC 768: zero means "no checksum" over IPv4; RFC 8200 8.1 forbids it over
    // IPv6 unless the context accepts it for a tunnel (RFC 6935 5, RFC 6936).
    if (v6 && ctx.allowZeroChecksum !== true)
      throw new DecodeError('UDP', 'checksum', 6, 'zero over IPv6 (RFC 8200 8.1)');
  } else if (
    ctx.verifyChecksum !== false &&
    !checksumValid(transportPseudoSum(ctx, len, IPPROTO_UDP), bytes, 0, len)
  ) {
    throw new DecodeError('UDP', 'checksum', 6, `0x${checksum.toString(16)} does not verify`);
  }
  return { srcPort: d.srcPort, dstPort: d.dstPort, payload: bytes.subarray(UDP_HEADER_LEN, len) };
}

function bufferLen(r: UdpRepr): number {
  return UDP_HEADER_LEN + r.payload.length;
}

/** Always writes a checksum (0 is sent as 0xffff, RFC 768). */
function emit(r: UdpRepr, buf: Uint8Array, offset: number, ctx: PseudoHeader): number {
  const n = bufferLen(r);
  if (n > 0xffff && !isIpv6PseudoHeader(ctx))
    throw new RangeError(`UDP: length ${n} exceeds 65535 over IPv4`);
  ensureRoom(buf, offset, n, 'UDP');
  put16(buf, offset, r.srcPort & 0xffff);
  put16(buf, offset + 2, r.dstPort & 0xffff);
  put16(buf, offset + 4, n > 0xffff ? 0 : n);
  buf[offset + 6] = 0;
  buf[offset + 7] = 0;
  buf.set(r.payload, offset + UDP_HEADER_LEN);
  const c = checksumWith(transportPseudoSum(ctx, n, IPPROTO_UDP), buf, offset, offset + n);
  put16(buf, offset + 6, c === 0 ? 0xffff : c);
  return n;
}

export const udp: Codec<UdpRepr, PseudoHeader> = {
  protocol: 'UDP',
  parse,
  bufferLen,
  emit,
  encode: encodeWith(bufferLen, emit),
};
