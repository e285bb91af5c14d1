import { type Codec, encodeWith, ensure, ensureRoom, put16, put32, u16, u32 } from '../codec';
import { type PseudoHeader, checksumWith, transportPseudoSum, verifyChecksumAt2 } from '../checksum';
import {
  ICMP6_DST_UNREACH,
  ICMP6_ECHO_REPLY,
  ICMP6_ECHO_REQUEST,
  ICMP6_NI_QUERY,
  ICMP6_NI_REPLY,
  ICMP6_PACKET_TOO_BIG,
  ICMP6_PARAM_PROB,
  ICMP6_ROUTER_RENUMBERING,
  ICMP6_ROUTER_RENUMBERING_COMMAND,
  ICMP6_ROUTER_RENUMBERING_RESULT,
  ICMP6_ROUTER_RENUMBERING_SEQNUM_RESET,
  ICMP6_TIME_EXCEEDED,
  ICMPV6_NEXT_HEADER,
  MLDV2_LISTENER_REPORT,
  MLD_LISTENER_DONE,
  MLD_LISTENER_QUERY,
  MLD_LISTENER_REPORT,
  ND_NEIGHBOR_ADVERT,
  ND_NEIGHBOR_SOLICIT,
  ND_REDIRECT,
  ND_ROUTER_ADVERT,
  ND_ROUTER_SOLICIT,
} from './constants';
import { type MldRepr, emitMld, mldLen, parseMld } from './mld';
import { type NdMessageRepr, emitNdMessage, ndMessageLen, parseNdMessage } from './nd';
import { type NodeInfoRepr, emitNodeInfo, nodeInfoLen, parseNodeInfo } from './node-info';
import {
  type RouterRenumberingRepr,
  emitRouterRenumbering,
  parseRouterRenumbering,
  routerRenumberingLen,
} from './router-renumbering';

/**
 * ICMPv6, RFC 4443: type(1) code(1) checksum(2) body. The checksum covers the
 * RFC 8200 8.1 pseudo-header with next header 58. The error messages (2.1,
 * 3.1-3.4) and echo (4.1, 4.2) are here; ND, MLD, Router Renumbering and Node
 * Information live in their own files.
 */

export const ICMPV6_HEADER_LEN = 4;
/** Type, code, checksum and the 4-byte word every error and echo message has. */
export const ICMPV6_ERROR_HEADER_LEN = 8;

/** RFC 4443 3.1 / 3.3: a code and as much of the invoking packet as fits. */
export interface Icmpv6ErrorRepr {
  kind: 'destUnreach' | 'timeExceeded';
  code: number;
  /** The invoking packet (zero-copy on parse). */
  invoking: Uint8Array;
}

/** RFC 4443 3.2 */
export interface PacketTooBigRepr {
  kind: 'packetTooBig';
  /** 0 when sent; ignored by receivers. */
  code: number;
  mtu: number;
  invoking: Uint8Array;
}

/** RFC 4443 3.4 */
export interface ParamProblemRepr {
  kind: 'paramProblem';
  code: number;
  /** Octet offset of the error within the invoking packet. */
  pointer: number;
  invoking: Uint8Array;
}

/** RFC 4443 4.1 / 4.2 */
export interface EchoRepr {
  kind: 'echoRequest' | 'echoReply';
  code: number;
  identifier: number;
  sequence: number;
  /** Zero-copy on parse. */
  data: Uint8Array;
}

/** Any other type (or an RR code this codec does not know), kept raw. */
export interface UnknownIcmpv6Repr {
  kind: 'unknown';
  type: number;
  code: number;
  /** Everything after the checksum (zero-copy on parse). */
  body: Uint8Array;
}

export type Icmpv6Repr =
  | Icmpv6ErrorRepr
  | PacketTooBigRepr
  | ParamProblemRepr
  | EchoRepr
  | NdMessageRepr
  | MldRepr
  | RouterRenumberingRepr
  | NodeInfoRepr
  | UnknownIcmpv6Repr;

const P = 'ICMPv6';

function pseudoSum(ctx: PseudoHeader, length: number): number {
  if (ctx.src.bytes.length !== 16 || ctx.dst.bytes.length !== 16) {
    throw new RangeError('ICMPv6: the pseudo-header needs IPv6 source and destination addresses');
  }
  return transportPseudoSum(ctx, length, ICMPV6_NEXT_HEADER);
}

function parse(bytes: Uint8Array, ctx: PseudoHeader): Icmpv6Repr {
  ensure(bytes, 0, ICMPV6_HEADER_LEN, P, 'header');
  if (ctx.verifyChecksum !== false) verifyChecksumAt2(P, bytes, pseudoSum(ctx, bytes.length));
  const type = bytes[0]!;
  const code = bytes[1]!;
  switch (type) {
    case ICMP6_DST_UNREACH:
    case ICMP6_TIME_EXCEEDED:
      ensure(bytes, 0, ICMPV6_ERROR_HEADER_LEN, P, 'error message header');
      return {
        kind: type === ICMP6_DST_UNREACH ? 'destUnreach' : 'timeExceeded',
        code,
        invoking: bytes.subarray(ICMPV6_ERROR_HEADER_LEN),
      };
    case ICMP6_PACKET_TOO_BIG:
      ensure(bytes, 0, ICMPV6_ERROR_HEADER_LEN, P, 'packet too big header');
      return {
        kind: 'packetTooBig',
        code,
        mtu: u32(bytes, 4),
        invoking: bytes.subarray(ICMPV6_ERROR_HEADER_LEN),
      };
    case ICMP6_PARAM_PROB:
      ensure(bytes, 0, ICMPV6_ERROR_HEADER_LEN, P, 'parameter problem header');
      return {
        kind: 'paramProblem',
        code,
        pointer: u32(bytes, 4),
        invoking: bytes.subarray(ICMPV6_ERROR_HEADER_LEN),
      };
    case ICMP6_ECHO_REQUEST:
    case ICMP6_ECHO_REPLY:
      ensure(bytes, 0, ICMPV6_ERROR_HEADER_LEN, P, 'echo header');
      return {
        kind: type === ICMP6_ECHO_REQUEST ? 'echoRequest' : 'echoReply',
        code,
        identifier: u16(bytes, 4),
        sequence: u16(bytes, 6),
        data: bytes.subarray(ICMPV6_ERROR_HEADER_LEN),
      };
    case ND_ROUTER_SOLICIT:
    case ND_ROUTER_ADVERT:
    case ND_NEIGHBOR_SOLICIT:
    case ND_NEIGHBOR_ADVERT:
    case ND_REDIRECT:
      return parseNdMessage(bytes);
    case MLD_LISTENER_QUERY:
    case MLD_LISTENER_REPORT:
    case MLD_LISTENER_DONE:
    case MLDV2_LISTENER_REPORT:
      return parseMld(bytes);
    case ICMP6_ROUTER_RENUMBERING:
      if (
        code === ICMP6_ROUTER_RENUMBERING_COMMAND ||
        code === ICMP6_ROUTER_RENUMBERING_RESULT ||
        code === ICMP6_ROUTER_RENUMBERING_SEQNUM_RESET
      ) {
        return parseRouterRenumbering(bytes);
      }
      break;
    case ICMP6_NI_QUERY:
    case ICMP6_NI_REPLY:
      return parseNodeInfo(bytes);
  }
  return { kind: 'unknown', type, code, body: bytes.subarray(ICMPV6_HEADER_LEN) };
}

function bufferLen(r: Icmpv6Repr): number {
  switch (r.kind) {
    case 'destUnreach':
    case 'timeExceeded':
    case 'packetTooBig':
    case 'paramProblem':
      return ICMPV6_ERROR_HEADER_LEN + r.invoking.length;
    case 'echoRequest':
    case 'echoReply':
      return ICMPV6_ERROR_HEADER_LEN + r.data.length;
    case 'routerSolicit':
    case 'routerAdvert':
    case 'neighborSolicit':
    case 'neighborAdvert':
    case 'redirect':
      return ndMessageLen(r);
    case 'mldQuery':
    case 'mldReport':
    case 'mldDone':
    case 'mldv2Query':
    case 'mldv2Report':
      return mldLen(r);
    case 'rrCommand':
    case 'rrResult':
    case 'rrSeqNumReset':
      return routerRenumberingLen(r);
    case 'nodeInfoQuery':
    case 'nodeInfoReply':
      return nodeInfoLen(r);
    case 'unknown':
      return ICMPV6_HEADER_LEN + r.body.length;
  }
}

/** Writes the message body (checksum field zero) and returns its length. */
function emitBody(r: Icmpv6Repr, buf: Uint8Array, o: number): number {
  switch (r.kind) {
    case 'destUnreach':
    case 'timeExceeded':
    case 'packetTooBig':
    case 'paramProblem':
      buf[o] =
        r.kind === 'destUnreach'
          ? ICMP6_DST_UNREACH
          : r.kind === 'timeExceeded'
            ? ICMP6_TIME_EXCEEDED
            : r.kind === 'packetTooBig'
              ? ICMP6_PACKET_TOO_BIG
              : ICMP6_PARAM_PROB;
      buf[o + 1] = r.code;
      put16(buf, o + 2, 0);
      put32(buf, o + 4, r.kind === 'packetTooBig' ? r.mtu : r.kind === 'paramProblem' ? r.pointer : 0);
      buf.set(r.invoking, o + ICMPV6_ERROR_HEADER_LEN);
      return ICMPV6_ERROR_HEADER_LEN + r.invoking.length;
    case 'echoRequest':
    case 'echoReply':
      buf[o] = r.kind === 'echoRequest' ? ICMP6_ECHO_REQUEST : ICMP6_ECHO_REPLY;
      buf[o + 1] = r.code;
      put16(buf, o + 2, 0);
      put16(buf, o + 4, r.identifier);
      put16(buf, o + 6, r.sequence);
      buf.set(r.data, o + ICMPV6_ERROR_HEADER_LEN);
      return ICMPV6_ERROR_HEADER_LEN + r.data.length;
    case 'routerSolicit':
    case 'routerAdvert':
    case 'neighborSolicit':
    case 'neighborAdvert':
    case 'redirect':
      return emitNdMessage(r, buf, o);
    case 'mldQuery':
    case 'mldReport':
    case 'mldDone':
    case 'mldv2Query':
    case 'mldv2Report':
      return emitMld(r, buf, o);
    case 'rrCommand':
    case 'rrResult':
    case 'rrSeqNumReset':
      return emitRouterRenumbering(r, buf, o);
    case 'nodeInfoQuery':
    case 'nodeInfoReply':
      return emitNodeInfo(r, buf, o);
    case 'unknown':
      buf[o] = r.type;
      buf[o + 1] = r.code;
      put16(buf, o + 2, 0);
      buf.set(r.body, o + ICMPV6_HEADER_LEN);
      return ICMPV6_HEADER_LEN + r.body.length;
  }
}

function emit(r: Icmpv6Repr, buf: Uint8Array, offset: number, ctx: PseudoHeader): number {
  const n = bufferLen(r);
  ensureRoom(buf, offset, n, P);
  emitBody(r, buf, offset);
  put16(buf, offset + 2, checksumWith(pseudoSum(ctx, n), buf, offset, offset + n));
  return n;
}

export const icmpv6: Codec<Icmpv6Repr, PseudoHeader> = {
  protocol: P,
  parse,
  bufferLen,
  emit,
  encode: encodeWith(bufferLen, emit),
};
