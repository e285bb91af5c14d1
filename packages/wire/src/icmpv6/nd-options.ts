import { Ipv6Address, MacAddress } from '@kame/addr';
import { DecodeError } from '../decode-error';
import { put16, put32, u16, u32 } from '../codec';

/**
 * Neighbor Discovery options, RFC 4861 4.6: type(1) length(1, in units of 8
 * octets including type and length; 0 is invalid) value.
 *
 * Two levels of failure:
 *  - a broken TLV chain (length 0, or an option running past the end) is a
 *    DecodeError: RFC 4861 6.1.1/6.1.2 say the whole message is discarded;
 *  - a known option whose length does not fit its own layout (a Prefix
 *    Information option that is not 32 bytes, ...) becomes `malformed`, since
 *    the per-option rules (RFC 4861 6.3.4, RFC 4191 3.1, RFC 8106 5.3.1, and
 *    KAME's nd6_ra_input "invalid option len ..., ignored") ignore only that
 *    option, not the message.
 */

export const ND_OPT_SOURCE_LINKADDR = 1;
export const ND_OPT_TARGET_LINKADDR = 2;
export const ND_OPT_PREFIX_INFORMATION = 3;
export const ND_OPT_REDIRECTED_HEADER = 4;
export const ND_OPT_MTU = 5;
/** RFC 6275 7.3 */
export const ND_OPT_ADVINTERVAL = 7;
/** RFC 6275 7.4 */
export const ND_OPT_HOMEAGENT_INFO = 8;
/** RFC 3971 5.3.2 */
export const ND_OPT_NONCE = 14;
/** RFC 4191 2.3. KAME's icmp6.h used 200 while the draft had no number yet. */
export const ND_OPT_ROUTE_INFO = 24;
/** RFC 8106 5.1 */
export const ND_OPT_RDNSS = 25;
/** RFC 8106 5.2 */
export const ND_OPT_DNSSL = 31;

/** Prefix Information flags, RFC 4861 4.6.2 and RFC 6275 7.2 (R). */
export const ND_OPT_PI_FLAG_ONLINK = 0x80;
export const ND_OPT_PI_FLAG_AUTO = 0x40;
export const ND_OPT_PI_FLAG_ROUTER = 0x20;
/** RFC 4861 4.6.2: all ones means infinity for the valid and preferred lifetimes. */
export const ND6_INFINITE_LIFETIME = 0xffffffff;
/** KAME nd6.h: the most options nd6_options() walks in one message. */
export const ND6_MAXNDOPT = 10;

/** RFC 4191 2.1/2.2 two-bit preference: 01 high, 00 medium, 11 low, 10 reserved. */
export type RouterPreference = 'high' | 'medium' | 'low' | 'reserved';

const PREFS: readonly RouterPreference[] = ['medium', 'high', 'reserved', 'low'];

/** Decodes the Prf bits of a flags byte (mask 0x18). */
export function decodePreference(flags: number): RouterPreference {
  return PREFS[(flags >> 3) & 3]!;
}

/** Encodes a preference into its flags-byte position (mask 0x18). */
export function encodePreference(p: RouterPreference): number {
  switch (p) {
    case 'high':
      return 0x08;
    case 'medium':
      return 0x00;
    case 'reserved':
      return 0x10;
    case 'low':
      return 0x18;
  }
}

export interface LinkAddrOption {
  kind: 'sourceLinkAddr' | 'targetLinkAddr';
  /** A MacAddress when the option carries 6 bytes (RFC 2464 8), else the raw (padded) bytes. */
  linkAddr: MacAddress | Uint8Array;
}

export interface PrefixInfoOption {
  kind: 'prefixInfo';
  prefixLength: number;
  /** L flag */
  onLink: boolean;
  /** A flag */
  autonomous: boolean;
  /** R flag, RFC 6275 7.2: the prefix field holds the router's full address. */
  routerAddr: boolean;
  /** Seconds; ND6_INFINITE_LIFETIME is infinity. */
  validLifetime: number;
  /** Seconds; ND6_INFINITE_LIFETIME is infinity. */
  preferredLifetime: number;
  prefix: Ipv6Address;
}

export interface RedirectedHeaderOption {
  kind: 'redirectedHeader';
  /** The invoking IP packet as carried (including any zero padding). */
  packet: Uint8Array;
}

export interface MtuOption {
  kind: 'mtu';
  mtu: number;
}

export interface RouteInfoOption {
  kind: 'routeInfo';
  prefixLength: number;
  preference: RouterPreference;
  /** Seconds; 0xffffffff is infinity. */
  routeLifetime: number;
  /** Bits beyond the option's 0/8/16 prefix bytes are zero. */
  prefix: Ipv6Address;
  /**
   * The wire Length in 8-octet units (1..3), kept on parse when the sender
   * used more than the prefix length needs (RFC 4191 2.3 allows it: radvd
   * sends a /48 with Length 3). Emit uses it when it is large enough for the
   * prefix length, else the shortest Length, so such options re-encode
   * byte-identically.
   */
  length?: number;
}

/** RFC 4191 2.3: the shortest Length (8-octet units) for a Route Information prefix length. */
function routeInfoMinUnits(prefixLength: number): number {
  return prefixLength === 0 ? 1 : prefixLength <= 64 ? 2 : 3;
}

/** The Length emit writes: the repr's own when it fits the prefix length and 1..3, else the shortest. */
function routeInfoUnits(opt: RouteInfoOption): number {
  const min = routeInfoMinUnits(opt.prefixLength);
  const l = opt.length;
  return l !== undefined && Number.isInteger(l) && l >= min && l <= 3 ? l : min;
}

export interface RdnssOption {
  kind: 'rdnss';
  /** Seconds; 0xffffffff is infinity, 0 means stop using them. */
  lifetime: number;
  servers: Ipv6Address[];
}

export interface DnsslOption {
  kind: 'dnssl';
  /** Seconds; 0xffffffff is infinity, 0 means stop using them. */
  lifetime: number;
  /** Dotted names without the trailing dot, e.g. `example.com`. */
  domains: string[];
}

export interface NonceOption {
  kind: 'nonce';
  /** The nonce as carried: len*8-2 bytes (6 for len 1). */
  nonce: Uint8Array;
}

export interface AdvIntervalOption {
  kind: 'advInterval';
  /** Milliseconds between unsolicited RAs (RFC 6275 7.3). */
  interval: number;
}

export interface HomeAgentInfoOption {
  kind: 'homeAgentInfo';
  /** Signed 16-bit (RFC 6275 7.4). */
  preference: number;
  /** Seconds. */
  lifetime: number;
}

/** An option type this codec does not know, kept raw. */
export interface UnknownNdOption {
  kind: 'unknown';
  type: number;
  /** The bytes after type and length. */
  data: Uint8Array;
}

/** A known option type whose length does not fit its layout; receivers ignore it. */
export interface MalformedNdOption {
  kind: 'malformed';
  type: number;
  /** The bytes after type and length. */
  data: Uint8Array;
  reason: string;
}

export type NdOption =
  | LinkAddrOption
  | PrefixInfoOption
  | RedirectedHeaderOption
  | MtuOption
  | RouteInfoOption
  | RdnssOption
  | DnsslOption
  | NonceOption
  | AdvIntervalOption
  | HomeAgentInfoOption
  | UnknownNdOption
  | MalformedNdOption;

const P = 'ICMPv6';

function malformed(type: number, data: Uint8Array, reason: string): MalformedNdOption {
  return { kind: 'malformed', type, data, reason };
}

/**
 * Parses the one option at bytes[offset]. Its encoded size is bytes[offset+1]*8.
 * Throws DecodeError on a zero length or an overrun (RFC 4861 6.1).
 */
export function parseNdOption(bytes: Uint8Array, offset: number): NdOption {
  if (offset + 2 > bytes.length) {
    throw new DecodeError(
      P,
      'ND option header',
      offset,
      `truncated: need 2 bytes, have ${bytes.length - offset}`,
    );
  }
  const type = bytes[offset]!;
  const units = bytes[offset + 1]!;
  if (units === 0) throw new DecodeError(P, 'ND option length', offset + 1, 'zero');
  const end = offset + units * 8;
  if (end > bytes.length) {
    throw new DecodeError(
      P,
      'ND option length',
      offset + 1,
      `${units * 8} bytes overrun the message by ${end - bytes.length}`,
    );
  }
  const o = offset;
  switch (type) {
    case ND_OPT_SOURCE_LINKADDR:
    case ND_OPT_TARGET_LINKADDR:
      return {
        kind: type === ND_OPT_SOURCE_LINKADDR ? 'sourceLinkAddr' : 'targetLinkAddr',
        linkAddr: units === 1 ? MacAddress.fromBytes(bytes, o + 2) : bytes.subarray(o + 2, end),
      };
    case ND_OPT_PREFIX_INFORMATION: {
      if (units !== 4) return malformed(type, bytes.subarray(o + 2, end), `length ${units}, want 4`);
      const flags = bytes[o + 3]!;
      return {
        kind: 'prefixInfo',
        prefixLength: bytes[o + 2]!,
        onLink: (flags & ND_OPT_PI_FLAG_ONLINK) !== 0,
        autonomous: (flags & ND_OPT_PI_FLAG_AUTO) !== 0,
        routerAddr: (flags & ND_OPT_PI_FLAG_ROUTER) !== 0,
        validLifetime: u32(bytes, o + 4),
        preferredLifetime: u32(bytes, o + 8),
        prefix: Ipv6Address.fromBytes(bytes, o + 16),
      };
    }
    case ND_OPT_REDIRECTED_HEADER:
      // RFC 4861 4.6.3: 6 reserved bytes, then the IP header and data.
      return { kind: 'redirectedHeader', packet: bytes.subarray(o + 8, end) };
    case ND_OPT_MTU:
      if (units !== 1) return malformed(type, bytes.subarray(o + 2, end), `length ${units}, want 1`);
      return { kind: 'mtu', mtu: u32(bytes, o + 4) };
    case ND_OPT_ROUTE_INFO: {
      // RFC 4191 2.3: length 1, 2 or 3 for 0, 8 or 16 prefix bytes; 3.1: ignore
      // the option if the length is too small for the prefix length.
      const plen = bytes[o + 2]!;
      if (units > 3) return malformed(type, bytes.subarray(o + 2, end), `length ${units}, want 1-3`);
      if (plen > 128) return malformed(type, bytes.subarray(o + 2, end), `prefix length ${plen} > 128`);
      if (units < routeInfoMinUnits(plen)) {
        return malformed(
          type,
          bytes.subarray(o + 2, end),
          `length ${units} too short for prefix length ${plen}`,
        );
      }
      const p = new Uint8Array(16);
      p.set(bytes.subarray(o + 8, end));
      return {
        kind: 'routeInfo',
        prefixLength: plen,
        preference: decodePreference(bytes[o + 3]!),
        routeLifetime: u32(bytes, o + 4),
        prefix: Ipv6Address.fromBytes(p),
        ...(units > routeInfoMinUnits(plen) ? { length: units } : {}),
      };
    }
    case ND_OPT_RDNSS: {
      // RFC 8106 5.1: length 3 + 2 per further address, so odd and >= 3.
      if (units < 3 || (units & 1) === 0)
        return malformed(type, bytes.subarray(o + 2, end), `length ${units}, want odd >= 3`);
      const servers: Ipv6Address[] = [];
      for (let a = o + 8; a < end; a += 16) servers.push(Ipv6Address.fromBytes(bytes, a));
      return { kind: 'rdnss', lifetime: u32(bytes, o + 4), servers };
    }
    case ND_OPT_DNSSL: {
      if (units < 2) return malformed(type, bytes.subarray(o + 2, end), `length ${units}, want >= 2`);
      const domains: string[] = [];
      const err = decodeDomainNames(bytes, o + 8, end, domains);
      if (err !== undefined) return malformed(type, bytes.subarray(o + 2, end), err);
      return { kind: 'dnssl', lifetime: u32(bytes, o + 4), domains };
    }
    case ND_OPT_NONCE:
      return { kind: 'nonce', nonce: bytes.subarray(o + 2, end) };
    case ND_OPT_ADVINTERVAL:
      if (units !== 1) return malformed(type, bytes.subarray(o + 2, end), `length ${units}, want 1`);
      return { kind: 'advInterval', interval: u32(bytes, o + 4) };
    case ND_OPT_HOMEAGENT_INFO:
      if (units !== 1) return malformed(type, bytes.subarray(o + 2, end), `length ${units}, want 1`);
      return {
        kind: 'homeAgentInfo',
        preference: (u16(bytes, o + 4) << 16) >> 16,
        lifetime: u16(bytes, o + 6),
      };
    default:
      return { kind: 'unknown', type, data: bytes.subarray(o + 2, end) };
  }
}

/**
 * Parses options from `offset` to the end of `bytes`, or only the first `limit`
 * of them (KAME stops after nd6_maxndopt; the rest is then not looked at).
 */
export function parseNdOptions(bytes: Uint8Array, offset = 0, limit = Infinity): NdOption[] {
  const out: NdOption[] = [];
  let o = offset;
  while (o < bytes.length && out.length < limit) {
    out.push(parseNdOption(bytes, o));
    o += bytes[o + 1]! * 8;
  }
  return out;
}

/**
 * RFC 8106 5.2: a sequence of uncompressed DNS names (RFC 1035 3.1) followed by
 * zero padding. Returns an error text, or undefined after filling `out`.
 */
function decodeDomainNames(b: Uint8Array, start: number, end: number, out: string[]): string | undefined {
  let i = start;
  while (i < end) {
    if (b[i] === 0) {
      // Padding: the rest must be zero.
      for (let j = i; j < end; j++) if (b[j] !== 0) return `non-zero padding at ${j}`;
      return undefined;
    }
    let name = '';
    for (;;) {
      if (i >= end) return 'domain name runs past the option';
      const n = b[i]!;
      if (n === 0) {
        i++;
        break;
      }
      if (n > 63) return `label length ${n} at ${i} (compression is not allowed)`;
      if (i + 1 + n > end) return 'domain name runs past the option';
      if (name.length > 0) name += '.';
      for (let k = i + 1; k <= i + n; k++) name += String.fromCharCode(b[k]!);
      i += n + 1;
    }
    out.push(name);
  }
  return undefined;
}

function nameWireLen(name: string): number {
  const n = name.endsWith('.') ? name.length - 1 : name.length;
  if (n === 0) throw new RangeError('DNSSL: the root name cannot be carried (it reads as padding)');
  return n + 2;
}

function emitName(name: string, buf: Uint8Array, o: number): number {
  const n = name.endsWith('.') ? name.length - 1 : name.length;
  let lenAt = o;
  let w = o + 1;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 46 : name.charCodeAt(i);
    if (c === 46 /* . */) {
      const l = w - lenAt - 1;
      if (l < 1 || l > 63) throw new RangeError(`DNSSL: label of ${l} bytes in '${name}'`);
      buf[lenAt] = l;
      lenAt = w;
      w++;
    } else {
      if (c > 0xff) throw new RangeError(`DNSSL: non-byte character in '${name}'`);
      buf[w++] = c;
    }
  }
  buf[lenAt] = 0;
  return w - o;
}

function padded(n: number): number {
  return (n + 7) & ~7;
}

/** Encoded size of one option (a multiple of 8). */
export function ndOptionLen(opt: NdOption): number {
  switch (opt.kind) {
    case 'sourceLinkAddr':
    case 'targetLinkAddr':
      return padded(2 + (opt.linkAddr instanceof Uint8Array ? opt.linkAddr.length : 6));
    case 'prefixInfo':
      return 32;
    case 'redirectedHeader':
      return padded(8 + opt.packet.length);
    case 'mtu':
    case 'advInterval':
    case 'homeAgentInfo':
      return 8;
    case 'routeInfo':
      return 8 * routeInfoUnits(opt);
    case 'rdnss':
      return 8 + 16 * opt.servers.length;
    case 'dnssl': {
      let n = 8;
      for (const d of opt.domains) n += nameWireLen(d);
      return padded(n);
    }
    case 'nonce':
      return padded(2 + opt.nonce.length);
    case 'unknown':
    case 'malformed':
      return padded(2 + opt.data.length);
  }
}

/** Encoded size of a list of options. */
export function ndOptionsLen(opts: readonly NdOption[]): number {
  let n = 0;
  for (let i = 0; i < opts.length; i++) n += ndOptionLen(opts[i]!);
  return n;
}

/** Writes type and length and zeroes the option; returns its size. */
function begin(buf: Uint8Array, o: number, type: number, n: number): number {
  if (n > 255 * 8) throw new RangeError(`ND option of ${n} bytes exceeds 2040`);
  if (o < 0 || o + n > buf.length) throw new RangeError(`ND option: emit needs ${n} bytes at ${o}`);
  buf.fill(0, o, o + n);
  buf[o] = type;
  buf[o + 1] = n >>> 3;
  return n;
}

/**
 * Writes one option at buf[offset] and returns its size (ndOptionLen).
 * RangeError when the buffer is too small or the option cannot be encoded.
 */
export function emitNdOption(opt: NdOption, buf: Uint8Array, offset: number): number {
  const o = offset;
  switch (opt.kind) {
    case 'sourceLinkAddr':
    case 'targetLinkAddr': {
      const a = opt.linkAddr instanceof Uint8Array ? opt.linkAddr : opt.linkAddr.bytes;
      const type = opt.kind === 'sourceLinkAddr' ? ND_OPT_SOURCE_LINKADDR : ND_OPT_TARGET_LINKADDR;
      const n = begin(buf, o, type, padded(2 + a.length));
      buf.set(a, o + 2);
      return n;
    }
    case 'prefixInfo':
      begin(buf, o, ND_OPT_PREFIX_INFORMATION, 32);
      buf[o + 2] = opt.prefixLength;
      buf[o + 3] =
        (opt.onLink ? ND_OPT_PI_FLAG_ONLINK : 0) |
        (opt.autonomous ? ND_OPT_PI_FLAG_AUTO : 0) |
        (opt.routerAddr ? ND_OPT_PI_FLAG_ROUTER : 0);
      put32(buf, o + 4, opt.validLifetime);
      put32(buf, o + 8, opt.preferredLifetime);
      buf.set(opt.prefix.bytes, o + 16);
      return 32;
    case 'redirectedHeader': {
      const n = begin(buf, o, ND_OPT_REDIRECTED_HEADER, padded(8 + opt.packet.length));
      buf.set(opt.packet, o + 8);
      return n;
    }
    case 'mtu':
      begin(buf, o, ND_OPT_MTU, 8);
      put32(buf, o + 4, opt.mtu);
      return 8;
    case 'routeInfo': {
      const n = begin(buf, o, ND_OPT_ROUTE_INFO, ndOptionLen(opt));
      buf[o + 2] = opt.prefixLength;
      buf[o + 3] = encodePreference(opt.preference);
      put32(buf, o + 4, opt.routeLifetime);
      buf.set(opt.prefix.bytes.subarray(0, n - 8), o + 8);
      return n;
    }
    case 'rdnss': {
      const n = begin(buf, o, ND_OPT_RDNSS, 8 + 16 * opt.servers.length);
      put32(buf, o + 4, opt.lifetime);
      for (let i = 0; i < opt.servers.length; i++) buf.set(opt.servers[i]!.bytes, o + 8 + 16 * i);
      return n;
    }
    case 'dnssl': {
      const n = begin(buf, o, ND_OPT_DNSSL, ndOptionLen(opt));
      put32(buf, o + 4, opt.lifetime);
      let w = o + 8;
      for (const d of opt.domains) w += emitName(d, buf, w);
      return n;
    }
    case 'nonce': {
      const n = begin(buf, o, ND_OPT_NONCE, padded(2 + opt.nonce.length));
      buf.set(opt.nonce, o + 2);
      return n;
    }
    case 'advInterval':
      begin(buf, o, ND_OPT_ADVINTERVAL, 8);
      put32(buf, o + 4, opt.interval);
      return 8;
    case 'homeAgentInfo':
      begin(buf, o, ND_OPT_HOMEAGENT_INFO, 8);
      put16(buf, o + 4, opt.preference & 0xffff);
      put16(buf, o + 6, opt.lifetime);
      return 8;
    case 'unknown':
    case 'malformed': {
      const n = begin(buf, o, opt.type, padded(2 + opt.data.length));
      buf.set(opt.data, o + 2);
      return n;
    }
  }
}

/** Writes options in the order given; returns the bytes written. */
export function emitNdOptions(opts: readonly NdOption[], buf: Uint8Array, offset: number): number {
  let o = offset;
  for (let i = 0; i < opts.length; i++) o += emitNdOption(opts[i]!, buf, o);
  return o - offset;
}
