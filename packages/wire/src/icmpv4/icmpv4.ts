import { Ipv4Address } from '@kame/addr';
import { type Codec, encodeWith, ensure, ensureRoom, put16, u16 } from '../codec';
import { checksumWith, verifyChecksumAt2 } from '../checksum';

/**
 * ICMP for IPv4, RFC 792: type(1) code(1) checksum(2) a 4-byte word, then
 * data. The checksum covers the ICMP message only (no pseudo-header).
 * Names follow BSD's netinet/ip_icmp.h.
 */

export const ICMP_HEADER_LEN = 8;

export const ICMP_ECHOREPLY = 0;
export const ICMP_UNREACH = 3;
export const ICMP_SOURCEQUENCH = 4;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIMXCEED = 11;
export const ICMP_PARAMPROB = 12;
export const ICMP_TSTAMP = 13;
export const ICMP_TSTAMPREPLY = 14;

// Destination Unreachable codes (RFC 792, RFC 1122 3.2.2.1, RFC 1812 5.2.7.1).
export const ICMP_UNREACH_NET = 0;
export const ICMP_UNREACH_HOST = 1;
export const ICMP_UNREACH_PROTOCOL = 2;
export const ICMP_UNREACH_PORT = 3;
/** Fragmentation needed and DF set; carries the next-hop MTU (RFC 1191 4). */
export const ICMP_UNREACH_NEEDFRAG = 4;
export const ICMP_UNREACH_SRCFAIL = 5;
export const ICMP_UNREACH_FILTER_PROHIB = 13;

export const ICMP_REDIRECT_NET = 0;
export const ICMP_REDIRECT_HOST = 1;
export const ICMP_REDIRECT_TOSNET = 2;
export const ICMP_REDIRECT_TOSHOST = 3;

export const ICMP_TIMXCEED_INTRANS = 0;
export const ICMP_TIMXCEED_REASS = 1;

export const ICMP_PARAMPROB_ERRATPTR = 0;
export const ICMP_PARAMPROB_OPTABSENT = 1;
export const ICMP_PARAMPROB_LENGTH = 2;

/** RFC 792 echo / echo reply. */
export interface Icmpv4EchoRepr {
  kind: 'echoRequest' | 'echoReply';
  code: number;
  identifier: number;
  sequence: number;
  /** Zero-copy on parse. */
  data: Uint8Array;
}

/** RFC 792 destination unreachable. */
export interface Icmpv4DestUnreachRepr {
  kind: 'destUnreach';
  code: number;
  /**
   * Bytes 6-7: the next-hop MTU for code 4 (RFC 1191 4); 0 (unused) for the
   * other codes and from pre-RFC 1191 routers.
   */
  nextHopMtu: number;
  /** The invoking IP header and at least 64 bits of its data. */
  invoking: Uint8Array;
}

/** RFC 792 time exceeded. */
export interface Icmpv4TimeExceededRepr {
  kind: 'timeExceeded';
  code: number;
  invoking: Uint8Array;
}

/** RFC 792 parameter problem. */
export interface Icmpv4ParamProblemRepr {
  kind: 'paramProblem';
  code: number;
  /** Octet in the invoking header where the error was found. */
  pointer: number;
  invoking: Uint8Array;
}

/** RFC 792 redirect. */
export interface Icmpv4RedirectRepr {
  kind: 'redirect';
  code: number;
  gateway: Ipv4Address;
  invoking: Uint8Array;
}

/** Any other type, kept raw. */
export interface Icmpv4UnknownRepr {
  kind: 'unknown';
  type: number;
  code: number;
  /** Everything after the checksum (zero-copy on parse). */
  body: Uint8Array;
}

export type Icmpv4Repr =
  | Icmpv4EchoRepr
  | Icmpv4DestUnreachRepr
  | Icmpv4TimeExceededRepr
  | Icmpv4ParamProblemRepr
  | Icmpv4RedirectRepr
  | Icmpv4UnknownRepr;

/** Parse options: the checksum is verified unless verifyChecksum is false. */
export interface Icmpv4Context {
  verifyChecksum?: boolean;
}

const P = 'ICMPv4';

function parse(bytes: Uint8Array, ctx: Icmpv4Context | void): Icmpv4Repr {
  ensure(bytes, 0, 4, P, 'header');
  if ((ctx as Icmpv4Context | undefined)?.verifyChecksum !== false) verifyChecksumAt2(P, bytes, 0);
  const type = bytes[0]!;
  const code = bytes[1]!;
  switch (type) {
    case ICMP_ECHO:
    case ICMP_ECHOREPLY:
      ensure(bytes, 0, ICMP_HEADER_LEN, P, 'echo header');
      return {
        kind: type === ICMP_ECHO ? 'echoRequest' : 'echoReply',
        code,
        identifier: u16(bytes, 4),
        sequence: u16(bytes, 6),
        data: bytes.subarray(ICMP_HEADER_LEN),
      };
    case ICMP_UNREACH:
      ensure(bytes, 0, ICMP_HEADER_LEN, P, 'destination unreachable header');
      return {
        kind: 'destUnreach',
        code,
        nextHopMtu: u16(bytes, 6),
        invoking: bytes.subarray(ICMP_HEADER_LEN),
      };
    case ICMP_TIMXCEED:
      ensure(bytes, 0, ICMP_HEADER_LEN, P, 'time exceeded header');
      return { kind: 'timeExceeded', code, invoking: bytes.subarray(ICMP_HEADER_LEN) };
    case ICMP_PARAMPROB:
      ensure(bytes, 0, ICMP_HEADER_LEN, P, 'parameter problem header');
      return { kind: 'paramProblem', code, pointer: bytes[4]!, invoking: bytes.subarray(ICMP_HEADER_LEN) };
    case ICMP_REDIRECT:
      ensure(bytes, 0, ICMP_HEADER_LEN, P, 'redirect header');
      return {
        kind: 'redirect',
        code,
        gateway: Ipv4Address.fromBytes(bytes, 4),
        invoking: bytes.subarray(ICMP_HEADER_LEN),
      };
    default:
      return { kind: 'unknown', type, code, body: bytes.subarray(4) };
  }
}

function bufferLen(r: Icmpv4Repr): number {
  switch (r.kind) {
    case 'echoRequest':
    case 'echoReply':
      return ICMP_HEADER_LEN + r.data.length;
    case 'unknown':
      return 4 + r.body.length;
    default:
      return ICMP_HEADER_LEN + r.invoking.length;
  }
}

function emit(r: Icmpv4Repr, buf: Uint8Array, offset: number): number {
  const n = bufferLen(r);
  ensureRoom(buf, offset, n, P);
  const o = offset;
  buf[o + 1] = r.code;
  put16(buf, o + 2, 0);
  switch (r.kind) {
    case 'echoRequest':
    case 'echoReply':
      buf[o] = r.kind === 'echoRequest' ? ICMP_ECHO : ICMP_ECHOREPLY;
      put16(buf, o + 4, r.identifier);
      put16(buf, o + 6, r.sequence);
      buf.set(r.data, o + ICMP_HEADER_LEN);
      break;
    case 'destUnreach':
      buf[o] = ICMP_UNREACH;
      put16(buf, o + 4, 0);
      put16(buf, o + 6, r.nextHopMtu);
      buf.set(r.invoking, o + ICMP_HEADER_LEN);
      break;
    case 'timeExceeded':
      buf[o] = ICMP_TIMXCEED;
      buf.fill(0, o + 4, o + 8);
      buf.set(r.invoking, o + ICMP_HEADER_LEN);
      break;
    case 'paramProblem':
      buf[o] = ICMP_PARAMPROB;
      buf.fill(0, o + 4, o + 8);
      buf[o + 4] = r.pointer;
      buf.set(r.invoking, o + ICMP_HEADER_LEN);
      break;
    case 'redirect':
      buf[o] = ICMP_REDIRECT;
      buf.set(r.gateway.bytes, o + 4);
      buf.set(r.invoking, o + ICMP_HEADER_LEN);
      break;
    case 'unknown':
      buf[o] = r.type;
      buf.set(r.body, o + 4);
      break;
  }
  put16(buf, o + 2, checksumWith(0, buf, o, o + n));
  return n;
}

export const icmpv4: Codec<Icmpv4Repr, Icmpv4Context | void> = {
  protocol: P,
  parse,
  bufferLen,
  emit,
  encode: encodeWith(bufferLen, emit),
};
