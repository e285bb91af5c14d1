import { checksumValid, checksumWith, transportPseudoSum, type PseudoHeader } from '../checksum';
import { type Codec, encodeWith, ensure, ensureRoom, put16, put32, u16, u32 } from '../codec';
import { DecodeError } from '../decode-error';
import {
  KL_OPT_EOL,
  KL_OPT_NOP,
  type KindLengthSyntax,
  emitKindLengthOptions,
  kindLengthOptionSize,
  kindLengthOptionsLen,
  parseKindLengthOptions,
} from '../kind-length-options';

/**
 * TCP header, RFC 9293 3.1:
 *   src port(16) dst port(16) | seq(32) | ack(32) |
 *   data offset(4) reserved(4) flags(8) window(16) | checksum(16) urgent pointer(16) | options
 * The segment length is not in the header: it is the IP payload length, so
 * parse takes the whole segment and the checksum covers all of it.
 */
export const TCP_HEADER_LEN = 20;
export const TCP_MAX_OPTIONS_LEN = 40;
const IPPROTO_TCP = 6;

/** RFC 9293 3.1 control bits (byte 13), plus ECE/CWR from RFC 3168 6.1. */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

export const TCP_OPT_EOL = KL_OPT_EOL;
export const TCP_OPT_NOP = KL_OPT_NOP;
/** RFC 9293 3.2 Maximum Segment Size. */
export const TCP_OPT_MSS = 2;
/** RFC 7323 2.2 Window Scale. */
export const TCP_OPT_WINDOW_SCALE = 3;
/** RFC 2018 2 SACK-Permitted. */
export const TCP_OPT_SACK_PERMITTED = 4;
/** RFC 2018 3 SACK. */
export const TCP_OPT_SACK = 5;
/** RFC 7323 3.2 Timestamps. */
export const TCP_OPT_TIMESTAMPS = 8;

export interface SackBlock {
  left: number;
  right: number;
}

export type TcpOption =
  /** End of Option List; parsing stops here. */
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; mss: number }
  | { kind: 'windowScale'; shift: number }
  | { kind: 'sackPermitted' }
  | { kind: 'sack'; blocks: SackBlock[] }
  | { kind: 'timestamps'; tsVal: number; tsEcr: number }
  /** Any other option, raw; `data` excludes kind and length octets. */
  | { kind: 'unknown'; type: number; data: Uint8Array };

export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** Bitwise OR of TCP_FIN ... TCP_CWR. The 4 reserved bits are ignored and written as zero. */
  flags: number;
  window: number;
  urgentPointer: number;
  /** In wire order; emit pads to 4 octets with zero (EOL) octets. */
  options: TcpOption[];
  payload: Uint8Array;
}

/** Checked view over a TCP segment. */
export class TcpSegment {
  private constructor(readonly bytes: Uint8Array) {}

  static of(bytes: Uint8Array): TcpSegment {
    ensure(bytes, 0, TCP_HEADER_LEN, 'TCP', 'header');
    return new TcpSegment(bytes);
  }
  get srcPort(): number {
    return u16(this.bytes, 0);
  }
  get dstPort(): number {
    return u16(this.bytes, 2);
  }
  get seq(): number {
    return u32(this.bytes, 4);
  }
  get ack(): number {
    return u32(this.bytes, 8);
  }
  /** Header length in octets (data offset * 4). */
  get headerLen(): number {
    return (this.bytes[12]! >>> 4) * 4;
  }
  get flags(): number {
    return this.bytes[13]!;
  }
  get window(): number {
    return u16(this.bytes, 14);
  }
  get checksum(): number {
    return u16(this.bytes, 16);
  }
  get urgentPointer(): number {
    return u16(this.bytes, 18);
  }
}

function badLen(i: number, name: string, len: number, want: string): DecodeError {
  return new DecodeError('TCP', `${name} option length`, i + 1, `${len} (want ${want})`);
}

type TcpOwnOption = Exclude<TcpOption, { kind: 'eol' | 'nop' | 'unknown' }>;

/** RFC 9293 3.2 option-kind, option-length: MSS, window scale, SACK-permitted, SACK and timestamps decoded. */
const OPTIONS: KindLengthSyntax<TcpOwnOption> = {
  protocol: 'TCP',
  kindWord: 'kind',
  known(kind, bytes, i, len) {
    switch (kind) {
      case TCP_OPT_MSS:
        if (len !== 4) throw badLen(i, 'MSS', len, '4');
        return { kind: 'mss', mss: u16(bytes, i + 2) };
      case TCP_OPT_WINDOW_SCALE:
        if (len !== 3) throw badLen(i, 'window scale', len, '3');
        return { kind: 'windowScale', shift: bytes[i + 2]! };
      case TCP_OPT_SACK_PERMITTED:
        if (len !== 2) throw badLen(i, 'SACK-permitted', len, '2');
        return { kind: 'sackPermitted' };
      case TCP_OPT_SACK: {
        if (len < 10 || (len - 2) % 8 !== 0) throw badLen(i, 'SACK', len, '2 + 8n, n >= 1');
        const n = (len - 2) / 8;
        const blocks = new Array<SackBlock>(n);
        for (let k = 0; k < n; k++) {
          const o = i + 2 + 8 * k;
          blocks[k] = { left: u32(bytes, o), right: u32(bytes, o + 4) };
        }
        return { kind: 'sack', blocks };
      }
      case TCP_OPT_TIMESTAMPS:
        if (len !== 10) throw badLen(i, 'timestamps', len, '10');
        return { kind: 'timestamps', tsVal: u32(bytes, i + 2), tsEcr: u32(bytes, i + 6) };
      default:
        return undefined;
    }
  },
};

function parse(bytes: Uint8Array, ctx: PseudoHeader): TcpRepr {
  const s = TcpSegment.of(bytes);
  const hlen = s.headerLen;
  if (hlen < TCP_HEADER_LEN) throw new DecodeError('TCP', 'data offset', 12, `${hlen / 4} (minimum 5)`);
  ensure(bytes, 0, hlen, 'TCP', 'header');
  if (
    ctx.verifyChecksum !== false &&
    !checksumValid(transportPseudoSum(ctx, bytes.length, IPPROTO_TCP), bytes)
  ) {
    throw new DecodeError('TCP', 'checksum', 16, `0x${s.checksum.toString(16)} does not verify`);
  }
  return {
    srcPort: s.srcPort,
    dstPort: s.dstPort,
    seq: s.seq,
    ack: s.ack,
    flags: s.flags,
    window: s.window,
    urgentPointer: s.urgentPointer,
    options: hlen === TCP_HEADER_LEN ? [] : parseKindLengthOptions(bytes, TCP_HEADER_LEN, hlen, OPTIONS),
    payload: bytes.subarray(hlen),
  };
}

export function tcpOptionSize(o: TcpOption): number {
  return kindLengthOptionSize<TcpOwnOption>(o, ownOptionSize);
}

function ownOptionSize(o: TcpOwnOption): number {
  switch (o.kind) {
    case 'mss':
      return 4;
    case 'windowScale':
      return 3;
    case 'sackPermitted':
      return 2;
    case 'sack':
      return 2 + 8 * o.blocks.length;
    case 'timestamps':
      return 10;
  }
}

/** Header length in octets for a repr: 20 plus the options padded to 4. */
export function tcpHeaderLen(r: TcpRepr): number {
  return TCP_HEADER_LEN + kindLengthOptionsLen(r.options, tcpOptionSize);
}

function bufferLen(r: TcpRepr): number {
  return tcpHeaderLen(r) + r.payload.length;
}

function emitOwnOption(o: TcpOwnOption, buf: Uint8Array, i: number): number {
  switch (o.kind) {
    case 'mss':
      buf[i] = TCP_OPT_MSS;
      buf[i + 1] = 4;
      put16(buf, i + 2, o.mss & 0xffff);
      return 4;
    case 'windowScale':
      buf[i] = TCP_OPT_WINDOW_SCALE;
      buf[i + 1] = 3;
      buf[i + 2] = o.shift;
      return 3;
    case 'sackPermitted':
      buf[i] = TCP_OPT_SACK_PERMITTED;
      buf[i + 1] = 2;
      return 2;
    case 'sack': {
      const len = 2 + 8 * o.blocks.length;
      buf[i] = TCP_OPT_SACK;
      buf[i + 1] = len;
      for (let b = 0; b < o.blocks.length; b++) {
        const blk = o.blocks[b]!;
        put32(buf, i + 2 + 8 * b, blk.left >>> 0);
        put32(buf, i + 6 + 8 * b, blk.right >>> 0);
      }
      return len;
    }
    case 'timestamps':
      buf[i] = TCP_OPT_TIMESTAMPS;
      buf[i + 1] = 10;
      put32(buf, i + 2, o.tsVal >>> 0);
      put32(buf, i + 6, o.tsEcr >>> 0);
      return 10;
  }
}

/** Writes the segment with a correct checksum (RFC 9293 3.1). */
function emit(r: TcpRepr, buf: Uint8Array, offset: number, ctx: PseudoHeader): number {
  const hlen = tcpHeaderLen(r);
  if (hlen > TCP_HEADER_LEN + TCP_MAX_OPTIONS_LEN) {
    throw new RangeError(`TCP: ${hlen - TCP_HEADER_LEN} octets of options exceed 40`);
  }
  const n = hlen + r.payload.length;
  ensureRoom(buf, offset, n, 'TCP');
  put16(buf, offset, r.srcPort & 0xffff);
  put16(buf, offset + 2, r.dstPort & 0xffff);
  put32(buf, offset + 4, r.seq >>> 0);
  put32(buf, offset + 8, r.ack >>> 0);
  buf[offset + 12] = (hlen >>> 2) << 4;
  buf[offset + 13] = r.flags & 0xff;
  put16(buf, offset + 14, r.window & 0xffff);
  buf[offset + 16] = 0;
  buf[offset + 17] = 0;
  put16(buf, offset + 18, r.urgentPointer & 0xffff);
  const end = emitKindLengthOptions<TcpOwnOption>(r.options, buf, offset + TCP_HEADER_LEN, emitOwnOption);
  buf.fill(TCP_OPT_EOL, end, offset + hlen);
  buf.set(r.payload, offset + hlen);
  put16(buf, offset + 16, checksumWith(transportPseudoSum(ctx, n, IPPROTO_TCP), buf, offset, offset + n));
  return n;
}

export const tcp: Codec<TcpRepr, PseudoHeader> = {
  protocol: 'TCP',
  parse,
  bufferLen,
  emit,
  encode: encodeWith(bufferLen, emit),
};
