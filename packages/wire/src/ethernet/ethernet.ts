import { MacAddress } from '@kame/addr';
import { type Codec, encodeWith, ensure, ensureRoom, put16, u16 } from '../codec';
import { DecodeError } from '../decode-error';

/**
 * Ethernet II framing (IEEE 802.3 type interpretation, RFC 894 for IPv4,
 * RFC 2464 for IPv6): dst(6) src(6) EtherType(2) payload, no FCS.
 * An IEEE 802.1Q tag (TPID 0x8100, TCI) may sit before the EtherType.
 */
export const ETHERNET_HEADER_LEN = 14;
export const ETHERNET_VLAN_HEADER_LEN = 18;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;
/** EtherType values below this are IEEE 802.3 length fields, not Ethernet II types. */
export const ETHERTYPE_MIN = 0x0600;

/** IEEE 802.1Q Tag Control Information. */
export interface VlanTag {
  /** Priority Code Point, 3 bits. */
  pcp: number;
  /** Drop Eligible Indicator. */
  dei: boolean;
  /** VLAN identifier, 12 bits. */
  vid: number;
}

export interface EthernetRepr {
  dst: MacAddress;
  src: MacAddress;
  /** The EtherType of the payload (the inner one when `vlan` is present). */
  etherType: number;
  /** Present when the frame carries one 802.1Q tag. */
  vlan?: VlanTag;
  /** Everything after the header (including any link padding). */
  payload: Uint8Array;
}

/** Checked view over an Ethernet II frame (with or without one 802.1Q tag). */
export class EthernetFrame {
  private constructor(
    readonly bytes: Uint8Array,
    /** 14, or 18 when tagged. */
    readonly headerLen: number,
  ) {}

  /** Checks the lengths only; the EtherType range is checked by the repr parser. */
  static of(bytes: Uint8Array): EthernetFrame {
    ensure(bytes, 0, ETHERNET_HEADER_LEN, 'Ethernet', 'header');
    if (u16(bytes, 12) === ETHERTYPE_VLAN) {
      ensure(bytes, ETHERNET_HEADER_LEN, 4, 'Ethernet', '802.1Q tag');
      return new EthernetFrame(bytes, ETHERNET_VLAN_HEADER_LEN);
    }
    return new EthernetFrame(bytes, ETHERNET_HEADER_LEN);
  }
  get tagged(): boolean {
    return this.headerLen === ETHERNET_VLAN_HEADER_LEN;
  }
  /** Tag Control Information (only meaningful when tagged). */
  get tci(): number {
    return u16(this.bytes, 14);
  }
  get etherType(): number {
    return u16(this.bytes, this.headerLen - 2);
  }
  get payload(): Uint8Array {
    return this.bytes.subarray(this.headerLen);
  }
}

function parse(bytes: Uint8Array): EthernetRepr {
  const f = EthernetFrame.of(bytes);
  const etherType = f.etherType;
  if (etherType < ETHERTYPE_MIN) {
    throw new DecodeError(
      'Ethernet',
      'EtherType',
      f.headerLen - 2,
      `0x${etherType.toString(16)} is an 802.3 length, not an Ethernet II type`,
    );
  }
  const dst = MacAddress.fromBytes(bytes, 0);
  const src = MacAddress.fromBytes(bytes, 6);
  if (!f.tagged) return { dst, src, etherType, payload: f.payload };
  const tci = f.tci;
  const vlan: VlanTag = { pcp: tci >>> 13, dei: (tci & 0x1000) !== 0, vid: tci & 0x0fff };
  return { dst, src, etherType, vlan, payload: f.payload };
}

function bufferLen(r: EthernetRepr): number {
  return (r.vlan ? ETHERNET_VLAN_HEADER_LEN : ETHERNET_HEADER_LEN) + r.payload.length;
}

/** Writes the frame; does not pad to the 60-byte minimum (callers decide). */
function emit(r: EthernetRepr, buf: Uint8Array, offset: number): number {
  const n = bufferLen(r);
  ensureRoom(buf, offset, n, 'Ethernet');
  buf.set(r.dst.bytes, offset);
  buf.set(r.src.bytes, offset + 6);
  let o = offset + 12;
  const v = r.vlan;
  if (v) {
    put16(buf, o, ETHERTYPE_VLAN);
    put16(buf, o + 2, ((v.pcp & 7) << 13) | (v.dei ? 0x1000 : 0) | (v.vid & 0x0fff));
    o += 4;
  }
  put16(buf, o, r.etherType & 0xffff);
  buf.set(r.payload, o + 2);
  return n;
}

export const ethernet: Codec<EthernetRepr> = {
  protocol: 'Ethernet',
  parse,
  bufferLen,
  emit,
  encode: encodeWith(bufferLen, emit),
};
