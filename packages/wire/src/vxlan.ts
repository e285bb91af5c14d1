import { DecodeError } from './decode-error';
import { type Codec, encodeWith, ensure, ensureRoom, put24, u24 } from './codec';

/**
 * VXLAN header, RFC 7348 5:
 *   flags(1: I = 0x08) reserved(3) VNI(3) reserved(1), then the inner Ethernet frame.
 */
export const VXLAN_HEADER_LEN = 8;
export const VXLAN_FLAG_I = 0x08;
/** IANA port (RFC 7348 5); Linux defaults to 8472. */
export const VXLAN_PORT = 4789;

/** Checked view over a VXLAN datagram. */
export class VxlanPacket {
  private constructor(readonly bytes: Uint8Array) {}

  /** Checks the length only; field rules are checked by the repr parser. */
  static of(bytes: Uint8Array): VxlanPacket {
    ensure(bytes, 0, VXLAN_HEADER_LEN, 'VXLAN', 'header');
    return new VxlanPacket(bytes);
  }
  get flags(): number {
    return this.bytes[0]!;
  }
  get vni(): number {
    return u24(this.bytes, 4);
  }
  get payload(): Uint8Array {
    return this.bytes.subarray(VXLAN_HEADER_LEN);
  }
}

export interface VxlanRepr {
  /** 24-bit VXLAN Network Identifier. */
  vni: number;
  /** The inner Ethernet frame (no FCS). */
  payload: Uint8Array;
}

function parse(bytes: Uint8Array): VxlanRepr {
  const v = VxlanPacket.of(bytes);
  // RFC 7348 5: the I flag MUST be 1 for a valid VNI; the other bits are reserved.
  if (v.flags !== VXLAN_FLAG_I) {
    throw new DecodeError('VXLAN', 'flags', 0, `0x${v.flags.toString(16)} (want 0x08: I set, rest zero)`);
  }
  return { vni: v.vni, payload: v.payload };
}

function bufferLen(r: VxlanRepr): number {
  return VXLAN_HEADER_LEN + r.payload.length;
}

function emit(r: VxlanRepr, buf: Uint8Array, offset: number): number {
  const n = bufferLen(r);
  ensureRoom(buf, offset, n, 'VXLAN');
  buf.fill(0, offset, offset + VXLAN_HEADER_LEN);
  buf[offset] = VXLAN_FLAG_I;
  put24(buf, offset + 4, r.vni & 0xffffff);
  buf.set(r.payload, offset + VXLAN_HEADER_LEN);
  return n;
}

export const vxlan: Codec<VxlanRepr> = {
  protocol: 'VXLAN',
  parse,
  bufferLen,
  emit,
  encode: encodeWith(bufferLen, emit),
};
