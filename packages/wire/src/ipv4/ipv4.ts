import { Ipv4Address } from '@kame/addr';
import { checksumValid, checksumWith } from '../checksum';
import { type Codec, encodeWith, ensure, ensureRoom, put16, u16 } from '../codec';
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
 * IPv4 header, RFC 791 3.1:
 *   version(4) IHL(4) | DSCP(6) ECN(2) (RFC 2474, RFC 3168) | total length(16)
 *   identification(16) | flags(3: reserved, DF, MF) fragment offset(13)
 *   TTL(8) protocol(8) header checksum(16) | source(32) | destination(32) | options
 */
export const IPV4_HEADER_LEN = 20;
export const IPV4_MAX_HEADER_LEN = 60;
export const IPV4_MAX_OPTIONS_LEN = 40;

export const IPV4_OPT_EOL = KL_OPT_EOL;
export const IPV4_OPT_NOP = KL_OPT_NOP;
/** RFC 2113 2.1: Router Alert, copied flag set, length 4, 16-bit value. */
export const IPV4_OPT_ROUTER_ALERT = 0x94;

export type Ipv4Option =
  /** End of Option List; parsing stops here (the rest of the header is padding). */
  | { kind: 'eol' }
  | { kind: 'nop' }
  /** RFC 2113: value 0 = "router shall examine packet". */
  | { kind: 'routerAlert'; value: number }
  /** Any other option, raw; `data` excludes the type and length octets. */
  | { kind: 'unknown'; type: number; data: Uint8Array };

export interface Ipv4Repr {
  /** Differentiated Services codepoint, 6 bits (RFC 2474). */
  dscp: number;
  /** ECN field, 2 bits (RFC 3168). */
  ecn: number;
  identification: number;
  dontFragment: boolean;
  moreFragments: boolean;
  /** In 8-octet units (13 bits). */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  src: Ipv4Address;
  dst: Ipv4Address;
  /** In wire order; emit pads the options area to 4 octets with EOL (zero) octets. */
  options: Ipv4Option[];
  /** Bytes up to Total Length (link padding trimmed); zero-copy on parse. */
  payload: Uint8Array;
}

/** Parse context: `verifyChecksum: false` skips the header checksum check (offloaded captures). */
export interface Ipv4ParseContext {
  verifyChecksum?: boolean;
}

/** Checked view over an IPv4 packet. */
export class Ipv4Packet {
  private constructor(readonly bytes: Uint8Array) {}

  /** Checks that the fixed header is present; IHL and lengths are checked by the repr parser. */
  static of(bytes: Uint8Array): Ipv4Packet {
    ensure(bytes, 0, IPV4_HEADER_LEN, 'IPv4', 'header');
    return new Ipv4Packet(bytes);
  }
  get version(): number {
    return this.bytes[0]! >>> 4;
  }
  /** Header length in octets (IHL * 4). */
  get headerLen(): number {
    return (this.bytes[0]! & 0x0f) * 4;
  }
  get dscp(): number {
    return this.bytes[1]! >>> 2;
  }
  get ecn(): number {
    return this.bytes[1]! & 3;
  }
  get totalLength(): number {
    return u16(this.bytes, 2);
  }
  get identification(): number {
    return u16(this.bytes, 4);
  }
  get dontFragment(): boolean {
    return (this.bytes[6]! & 0x40) !== 0;
  }
  get moreFragments(): boolean {
    return (this.bytes[6]! & 0x20) !== 0;
  }
  get fragmentOffset(): number {
    return u16(this.bytes, 6) & 0x1fff;
  }
  get ttl(): number {
    return this.bytes[8]!;
  }
  get protocol(): number {
    return this.bytes[9]!;
  }
  get checksum(): number {
    return u16(this.bytes, 10);
  }
}

type Ipv4OwnOption = Extract<Ipv4Option, { kind: 'routerAlert' }>;

/** RFC 791 3.1 option-type, option-length; the only option decoded is Router Alert. */
const OPTIONS: KindLengthSyntax<Ipv4OwnOption> = {
  protocol: 'IPv4',
  kindWord: 'type',
  known(type, bytes, i, len) {
    if (type !== IPV4_OPT_ROUTER_ALERT) return undefined;
    if (len !== 4) throw new DecodeError('IPv4', 'Router Alert length', i + 1, `${len} (want 4)`);
    return { kind: 'routerAlert', value: u16(bytes, i + 2) };
  },
};

function parse(bytes: Uint8Array, ctx: Ipv4ParseContext | void): Ipv4Repr {
  const p = Ipv4Packet.of(bytes);
  const version = p.version;
  if (version !== 4) throw new DecodeError('IPv4', 'version', 0, `${version} (want 4)`);
  const hlen = p.headerLen;
  if (hlen < IPV4_HEADER_LEN) throw new DecodeError('IPv4', 'IHL', 0, `${hlen / 4} (minimum 5)`);
  ensure(bytes, 0, hlen, 'IPv4', 'header');
  const total = p.totalLength;
  if (total < hlen)
    throw new DecodeError('IPv4', 'total length', 2, `${total} is less than the header length ${hlen}`);
  if (total > bytes.length) {
    throw new DecodeError('IPv4', 'total length', 2, `${total} exceeds the ${bytes.length}-byte buffer`);
  }
  if (!(ctx && ctx.verifyChecksum === false) && !checksumValid(0, bytes, 0, hlen)) {
    throw new DecodeError('IPv4', 'header checksum', 10, `0x${p.checksum.toString(16)} does not verify`);
  }
  return {
    dscp: p.dscp,
    ecn: p.ecn,
    identification: p.identification,
    dontFragment: p.dontFragment,
    moreFragments: p.moreFragments,
    fragmentOffset: p.fragmentOffset,
    ttl: p.ttl,
    protocol: p.protocol,
    src: Ipv4Address.fromBytes(bytes, 12),
    dst: Ipv4Address.fromBytes(bytes, 16),
    options: hlen === IPV4_HEADER_LEN ? [] : parseKindLengthOptions(bytes, IPV4_HEADER_LEN, hlen, OPTIONS),
    payload: bytes.subarray(hlen, total),
  };
}

export function ipv4OptionSize(o: Ipv4Option): number {
  return kindLengthOptionSize<Ipv4OwnOption>(o, () => 4); // Router Alert
}

/** Header length in octets for a repr: 20 plus the options padded to 4. */
export function ipv4HeaderLen(r: Ipv4Repr): number {
  return IPV4_HEADER_LEN + kindLengthOptionsLen(r.options, ipv4OptionSize);
}

function bufferLen(r: Ipv4Repr): number {
  return ipv4HeaderLen(r) + r.payload.length;
}

/** Writes the header with a correct header checksum (RFC 791 3.1). */
function emit(r: Ipv4Repr, buf: Uint8Array, offset: number): number {
  const hlen = ipv4HeaderLen(r);
  const n = hlen + r.payload.length;
  if (hlen > IPV4_MAX_HEADER_LEN)
    throw new RangeError(`IPv4: ${hlen - IPV4_HEADER_LEN} octets of options exceed 40`);
  if (n > 0xffff) throw new RangeError(`IPv4: total length ${n} exceeds 65535`);
  ensureRoom(buf, offset, n, 'IPv4');
  buf[offset] = 0x40 | (hlen >>> 2);
  buf[offset + 1] = ((r.dscp & 0x3f) << 2) | (r.ecn & 3);
  put16(buf, offset + 2, n);
  put16(buf, offset + 4, r.identification & 0xffff);
  put16(
    buf,
    offset + 6,
    (r.dontFragment ? 0x4000 : 0) | (r.moreFragments ? 0x2000 : 0) | (r.fragmentOffset & 0x1fff),
  );
  buf[offset + 8] = r.ttl;
  buf[offset + 9] = r.protocol;
  buf[offset + 10] = 0;
  buf[offset + 11] = 0;
  buf.set(r.src.bytes, offset + 12);
  buf.set(r.dst.bytes, offset + 16);
  const i = emitKindLengthOptions<Ipv4OwnOption>(r.options, buf, offset + IPV4_HEADER_LEN, (o, b, at) => {
    b[at] = IPV4_OPT_ROUTER_ALERT;
    b[at + 1] = 4;
    put16(b, at + 2, o.value & 0xffff);
    return 4;
  });
  buf.fill(IPV4_OPT_EOL, i, offset + hlen);
  put16(buf, offset + 10, checksumWith(0, buf, offset, offset + hlen));
  buf.set(r.payload, offset + hlen);
  return n;
}

export const ipv4: Codec<Ipv4Repr, Ipv4ParseContext | void> = {
  protocol: 'IPv4',
  parse,
  bufferLen,
  emit,
  encode: encodeWith(bufferLen, emit),
};
