import { type Codec, encodeWith, ensure, ensureRoom, put16, put32, u16, u32 } from '../codec';
import { DecodeError } from '../decode-error';

/**
 * Hop-by-Hop Options and Destination Options headers, RFC 8200 4.3 and 4.6:
 *   next header(8) hdr ext len(8, 8-octet units beyond the first 8) options...
 * Options are TLVs (RFC 8200 4.2) except Pad1, a single zero octet.
 */
export const IPV6_OPT_PAD1 = 0x00;
export const IPV6_OPT_PADN = 0x01;
/** RFC 2711 2: Router Alert, 2-octet value. */
export const IPV6_OPT_ROUTER_ALERT = 0x05;
/** RFC 2675 2: Jumbo Payload, 4-octet length. */
export const IPV6_OPT_JUMBO = 0xc2;

/** RFC 2711 2 Router Alert values. */
export const ROUTER_ALERT_MLD = 0;
export const ROUTER_ALERT_RSVP = 1;
export const ROUTER_ALERT_ACTIVE_NETWORKS = 2;

/** Largest options header: Hdr Ext Len 255. */
export const IPV6_OPTIONS_MAX_LEN = 256 * 8;

export type Ipv6Option =
  | { kind: 'pad1' }
  /** `length` data octets (written as zeros); the option occupies length + 2 octets. */
  | { kind: 'padN'; length: number }
  | { kind: 'routerAlert'; value: number }
  | { kind: 'jumboPayload'; length: number }
  /** Any other option, kept raw; `data` is a zero-copy subarray on parse. */
  | { kind: 'unknown'; type: number; data: Uint8Array };

export interface Ipv6OptionsRepr {
  nextHeader: number;
  /** In wire order, padding included. Emit pads the end to 8 octets. */
  options: Ipv6Option[];
}

/**
 * RFC 8200 4.2: the two high-order bits of an option type say what a node
 * that does not recognize the option must do.
 */
export const OPTION_ACTION_SKIP = 0;
export const OPTION_ACTION_DISCARD = 1;
/** Discard and send ICMPv6 Parameter Problem code 2, even to a multicast destination. */
export const OPTION_ACTION_DISCARD_ICMP = 2;
/** Discard and send ICMPv6 Parameter Problem code 2 only if the destination is not multicast. */
export const OPTION_ACTION_DISCARD_ICMP_UNICAST = 3;
export type OptionAction = 0 | 1 | 2 | 3;

export function optionAction(type: number): OptionAction {
  return ((type >>> 6) & 3) as OptionAction;
}
/** RFC 8200 4.2: third-highest bit: the option data may change en route. */
export function optionMayChange(type: number): boolean {
  return (type & 0x20) !== 0;
}

/** The option type octet of an option repr. */
export function ipv6OptionType(o: Ipv6Option): number {
  switch (o.kind) {
    case 'pad1':
      return IPV6_OPT_PAD1;
    case 'padN':
      return IPV6_OPT_PADN;
    case 'routerAlert':
      return IPV6_OPT_ROUTER_ALERT;
    case 'jumboPayload':
      return IPV6_OPT_JUMBO;
    case 'unknown':
      return o.type;
  }
}

/** Octets an option occupies on the wire. */
export function ipv6OptionSize(o: Ipv6Option): number {
  switch (o.kind) {
    case 'pad1':
      return 1;
    case 'padN':
      return 2 + o.length;
    case 'routerAlert':
      return 4;
    case 'jumboPayload':
      return 6;
    case 'unknown':
      return 2 + o.data.length;
  }
}

/**
 * Parses an options header starting at `off` (offsets in errors are relative
 * to `bytes`). Trailing bytes after the header are not examined.
 */
export function parseOptionsHeaderAt(bytes: Uint8Array, off: number, protocol: string): Ipv6OptionsRepr {
  ensure(bytes, off, 2, protocol, 'header');
  const len = (bytes[off + 1]! + 1) * 8;
  ensure(bytes, off, len, protocol, 'header');
  const end = off + len;
  const options: Ipv6Option[] = [];
  let i = off + 2;
  while (i < end) {
    const type = bytes[i]!;
    if (type === IPV6_OPT_PAD1) {
      options.push({ kind: 'pad1' });
      i += 1;
      continue;
    }
    if (i + 2 > end)
      throw new DecodeError(protocol, 'option length', i, 'option type without a length octet');
    const dlen = bytes[i + 1]!;
    const d = i + 2;
    if (d + dlen > end) {
      throw new DecodeError(protocol, 'option length', i + 1, `${dlen} runs past the header end at ${end}`);
    }
    switch (type) {
      case IPV6_OPT_PADN:
        options.push({ kind: 'padN', length: dlen });
        break;
      case IPV6_OPT_ROUTER_ALERT:
        if (dlen !== 2) throw new DecodeError(protocol, 'Router Alert length', i + 1, `${dlen} (want 2)`);
        options.push({ kind: 'routerAlert', value: u16(bytes, d) });
        break;
      case IPV6_OPT_JUMBO:
        if (dlen !== 4) throw new DecodeError(protocol, 'Jumbo Payload length', i + 1, `${dlen} (want 4)`);
        options.push({ kind: 'jumboPayload', length: u32(bytes, d) });
        break;
      default:
        options.push({ kind: 'unknown', type, data: bytes.subarray(d, d + dlen) });
    }
    i = d + dlen;
  }
  return { nextHeader: bytes[off]!, options };
}

function contentLen(r: Ipv6OptionsRepr): number {
  let n = 2;
  const opts = r.options;
  for (let k = 0; k < opts.length; k++) n += ipv6OptionSize(opts[k]!);
  return n;
}

function bufferLen(r: Ipv6OptionsRepr): number {
  return (contentLen(r) + 7) & ~7;
}

function makeEmit(protocol: string) {
  return function emit(r: Ipv6OptionsRepr, buf: Uint8Array, offset: number): number {
    const content = contentLen(r);
    const n = (content + 7) & ~7;
    if (n > IPV6_OPTIONS_MAX_LEN)
      throw new RangeError(`${protocol}: ${n} octets of options exceed ${IPV6_OPTIONS_MAX_LEN}`);
    ensureRoom(buf, offset, n, protocol);
    buf[offset] = r.nextHeader;
    buf[offset + 1] = n / 8 - 1;
    let i = offset + 2;
    const opts = r.options;
    for (let k = 0; k < opts.length; k++) {
      const o = opts[k]!;
      switch (o.kind) {
        case 'pad1':
          buf[i++] = IPV6_OPT_PAD1;
          break;
        case 'padN':
          buf[i] = IPV6_OPT_PADN;
          buf[i + 1] = o.length;
          buf.fill(0, i + 2, i + 2 + o.length);
          i += 2 + o.length;
          break;
        case 'routerAlert':
          buf[i] = IPV6_OPT_ROUTER_ALERT;
          buf[i + 1] = 2;
          put16(buf, i + 2, o.value & 0xffff);
          i += 4;
          break;
        case 'jumboPayload':
          buf[i] = IPV6_OPT_JUMBO;
          buf[i + 1] = 4;
          put32(buf, i + 2, o.length >>> 0);
          i += 6;
          break;
        case 'unknown':
          buf[i] = o.type;
          buf[i + 1] = o.data.length;
          buf.set(o.data, i + 2);
          i += 2 + o.data.length;
          break;
      }
    }
    // RFC 8200 4.2: pad to a multiple of 8 octets with Pad1 or PadN.
    const pad = n - content;
    if (pad === 1) {
      buf[i] = IPV6_OPT_PAD1;
    } else if (pad > 1) {
      buf[i] = IPV6_OPT_PADN;
      buf[i + 1] = pad - 2;
      buf.fill(0, i + 2, i + pad);
    }
    return n;
  };
}

function makeCodec(protocol: string): Codec<Ipv6OptionsRepr> {
  const emit = makeEmit(protocol);
  return {
    protocol,
    parse: (bytes: Uint8Array) => parseOptionsHeaderAt(bytes, 0, protocol),
    bufferLen,
    emit,
    encode: encodeWith(bufferLen, emit),
  };
}

/** RFC 8200 4.3 Hop-by-Hop Options header (Next Header 0). */
export const ipv6HopByHop: Codec<Ipv6OptionsRepr> = makeCodec('IPv6 Hop-by-Hop');
/** RFC 8200 4.6 Destination Options header (Next Header 60). */
export const ipv6DestOpts: Codec<Ipv6OptionsRepr> = makeCodec('IPv6 Destination Options');
