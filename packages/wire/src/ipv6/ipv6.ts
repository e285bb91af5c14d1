import { Ipv6Address } from '@kame/addr';
import { type Codec, encodeWith, ensure, ensureRoom, put16, put32, u16 } from '../codec';
import { DecodeError } from '../decode-error';
import { IPPROTO_HOPOPTS } from './protocols';

/**
 * IPv6 fixed header, RFC 8200 3:
 *   version(4) traffic class(8) flow label(20) | payload length(16)
 *   next header(8) hop limit(8) | source(128) | destination(128)
 */
export const IPV6_HEADER_LEN = 40;
export const IPV6_MAX_PAYLOAD = 0xffff;

export interface Ipv6Repr {
  trafficClass: number;
  /** 20 bits. */
  flowLabel: number;
  nextHeader: number;
  hopLimit: number;
  src: Ipv6Address;
  dst: Ipv6Address;
  /**
   * Everything the Payload Length covers (link padding trimmed). For a
   * possible jumbogram (Payload Length 0, Next Header Hop-by-Hop, RFC 2675)
   * the rest of the buffer; the stack checks it against the Jumbo Payload option.
   */
  payload: Uint8Array;
}

/** Checked view over an IPv6 packet. */
export class Ipv6Packet {
  private constructor(readonly bytes: Uint8Array) {}

  /** Checks the fixed-header length only. */
  static of(bytes: Uint8Array): Ipv6Packet {
    ensure(bytes, 0, IPV6_HEADER_LEN, 'IPv6', 'header');
    return new Ipv6Packet(bytes);
  }
  get version(): number {
    return this.bytes[0]! >>> 4;
  }
  get trafficClass(): number {
    return ((this.bytes[0]! & 0x0f) << 4) | (this.bytes[1]! >>> 4);
  }
  get flowLabel(): number {
    return ((this.bytes[1]! & 0x0f) << 16) | u16(this.bytes, 2);
  }
  get payloadLength(): number {
    return u16(this.bytes, 4);
  }
  get nextHeader(): number {
    return this.bytes[6]!;
  }
  get hopLimit(): number {
    return this.bytes[7]!;
  }
  /** RFC 2675 3: Payload Length 0 with a Hop-by-Hop header may be a jumbogram. */
  get maybeJumbo(): boolean {
    return this.payloadLength === 0 && this.nextHeader === IPPROTO_HOPOPTS;
  }
  get payload(): Uint8Array {
    if (this.maybeJumbo) return this.bytes.subarray(IPV6_HEADER_LEN);
    return this.bytes.subarray(IPV6_HEADER_LEN, IPV6_HEADER_LEN + this.payloadLength);
  }
}

function parse(bytes: Uint8Array): Ipv6Repr {
  const p = Ipv6Packet.of(bytes);
  const version = p.version;
  if (version !== 6) throw new DecodeError('IPv6', 'version', 0, `${version} (want 6)`);
  const plen = p.payloadLength;
  if (IPV6_HEADER_LEN + plen > bytes.length) {
    throw new DecodeError(
      'IPv6',
      'payload length',
      4,
      `${plen} exceeds the ${bytes.length - IPV6_HEADER_LEN} bytes after the header`,
    );
  }
  return {
    trafficClass: p.trafficClass,
    flowLabel: p.flowLabel,
    nextHeader: p.nextHeader,
    hopLimit: p.hopLimit,
    src: Ipv6Address.fromBytes(bytes, 8),
    dst: Ipv6Address.fromBytes(bytes, 24),
    payload: p.payload,
  };
}

function bufferLen(r: Ipv6Repr): number {
  return IPV6_HEADER_LEN + r.payload.length;
}

/** Payload Length is payload.length, or 0 when it exceeds 65535 (a jumbogram, RFC 2675 3). */
function emit(r: Ipv6Repr, buf: Uint8Array, offset: number): number {
  const n = bufferLen(r);
  ensureRoom(buf, offset, n, 'IPv6');
  const tc = r.trafficClass & 0xff;
  put32(buf, offset, (0x60000000 | (tc << 20) | (r.flowLabel & 0xfffff)) >>> 0);
  const plen = r.payload.length;
  put16(buf, offset + 4, plen > IPV6_MAX_PAYLOAD ? 0 : plen);
  buf[offset + 6] = r.nextHeader;
  buf[offset + 7] = r.hopLimit;
  buf.set(r.src.bytes, offset + 8);
  buf.set(r.dst.bytes, offset + 24);
  buf.set(r.payload, offset + IPV6_HEADER_LEN);
  return n;
}

export const ipv6: Codec<Ipv6Repr> = {
  protocol: 'IPv6',
  parse,
  bufferLen,
  emit,
  encode: encodeWith(bufferLen, emit),
};
