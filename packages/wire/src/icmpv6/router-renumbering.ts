import { Ipv6Address } from '@kame/addr';
import { DecodeError } from '../decode-error';
import { ensure, put16, put32, u16, u32 } from '../codec';
import {
  ICMP6_ROUTER_RENUMBERING,
  ICMP6_ROUTER_RENUMBERING_COMMAND,
  ICMP6_ROUTER_RENUMBERING_RESULT,
  ICMP6_ROUTER_RENUMBERING_SEQNUM_RESET,
} from './constants';

/**
 * Router Renumbering, RFC 2894 (ICMPv6 type 138).
 *
 * Header (3.1), 16 bytes: type, code, checksum, SequenceNumber(4),
 * SegmentNumber(1), flags(1: T R A S P), MaxDelay(2, ms), reserved(4).
 * A Command (code 0) carries Prefix Control Operations (3.2.1): a 24-byte
 * Match-Prefix Part followed by 32-byte Use-Prefix Parts, OpLength = 3 + 4N
 * units of 8 octets. A Result (code 1) carries 24-byte Match Results (3.3).
 * A Sequence Number Reset (code 255) has no body (5).
 */

export const RR_HEADER_LEN = 16;
export const RR_MATCH_PREFIX_LEN = 24;
export const RR_USE_PREFIX_LEN = 32;
export const RR_RESULT_LEN = 24;

export const ICMP6_RR_FLAGS_TEST = 0x80;
export const ICMP6_RR_FLAGS_REQRESULT = 0x40;
export const ICMP6_RR_FLAGS_FORCEAPPLY = 0x20;
export const ICMP6_RR_FLAGS_SPECSITE = 0x10;
export const ICMP6_RR_FLAGS_PREVDONE = 0x08;

// Match-Prefix OpCodes, 3.2.1.1.
export const RPM_PCO_ADD = 1;
export const RPM_PCO_CHANGE = 2;
export const RPM_PCO_SETGLOBAL = 3;

// Use-Prefix FlagMask / RAFlags bits, 3.2.1.2.
export const ICMP6_RR_PCOUSE_RAFLAGS_ONLINK = 0x80;
export const ICMP6_RR_PCOUSE_RAFLAGS_AUTO = 0x40;

/** Fields every Router Renumbering message shares. */
export interface RrHeader {
  sequenceNumber: number;
  segmentNumber: number;
  /** T: test command, change nothing. */
  test: boolean;
  /** R: result requested. */
  requestResult: boolean;
  /** A: all interfaces, even administratively down ones. */
  allInterfaces: boolean;
  /** S: site-specific. */
  siteSpecific: boolean;
  /** P: processed previously (results only). */
  processedPreviously: boolean;
  /** Milliseconds. */
  maxDelay: number;
}

export interface RrUsePrefix {
  useLen: number;
  keepLen: number;
  flagMask: number;
  raFlags: number;
  validLifetime: number;
  preferredLifetime: number;
  /** V: decrement the valid lifetime in real time. */
  decrementValid: boolean;
  /** P: decrement the preferred lifetime in real time. */
  decrementPreferred: boolean;
  usePrefix: Ipv6Address;
}

export interface RrPrefixControlOp {
  /** RPM_PCO_ADD, RPM_PCO_CHANGE or RPM_PCO_SETGLOBAL. */
  opCode: number;
  ordinal: number;
  matchLen: number;
  minLen: number;
  maxLen: number;
  matchPrefix: Ipv6Address;
  usePrefixes: RrUsePrefix[];
}

export interface RrMatchResult {
  /** B: out of bounds (MinLen/MaxLen). */
  outOfBounds: boolean;
  /** F: forbidden (the use-prefix would be an invalid address). */
  forbidden: boolean;
  ordinal: number;
  matchedLen: number;
  interfaceIndex: number;
  matchedPrefix: Ipv6Address;
}

export interface RrCommandRepr extends RrHeader {
  kind: 'rrCommand';
  prefixControlOps: RrPrefixControlOp[];
}

export interface RrResultRepr extends RrHeader {
  kind: 'rrResult';
  matchResults: RrMatchResult[];
}

export interface RrSeqNumResetRepr extends RrHeader {
  kind: 'rrSeqNumReset';
}

export type RouterRenumberingRepr = RrCommandRepr | RrResultRepr | RrSeqNumResetRepr;

const P = 'ICMPv6';

/**
 * Parses a type 138 message with code 0, 1 or 255 (other codes are the caller's
 * `unknown`). Type and checksum were checked by the caller.
 */
export function parseRouterRenumbering(bytes: Uint8Array): RouterRenumberingRepr {
  ensure(bytes, 0, RR_HEADER_LEN, P, 'router renumbering header');
  const code = bytes[1]!;
  const flags = bytes[9]!;
  const h: RrHeader = {
    sequenceNumber: u32(bytes, 4),
    segmentNumber: bytes[8]!,
    test: (flags & ICMP6_RR_FLAGS_TEST) !== 0,
    requestResult: (flags & ICMP6_RR_FLAGS_REQRESULT) !== 0,
    allInterfaces: (flags & ICMP6_RR_FLAGS_FORCEAPPLY) !== 0,
    siteSpecific: (flags & ICMP6_RR_FLAGS_SPECSITE) !== 0,
    processedPreviously: (flags & ICMP6_RR_FLAGS_PREVDONE) !== 0,
    maxDelay: u16(bytes, 10),
  };
  if (code === ICMP6_ROUTER_RENUMBERING_COMMAND) {
    const prefixControlOps: RrPrefixControlOp[] = [];
    let o = RR_HEADER_LEN;
    while (o < bytes.length) {
      ensure(bytes, o, RR_MATCH_PREFIX_LEN, P, 'RR match-prefix part');
      const opLength = bytes[o + 1]!;
      if (opLength < 3 || (opLength - 3) % 4 !== 0) {
        throw new DecodeError(P, 'RR OpLength', o + 1, `${opLength}, want 3 + 4N`);
      }
      ensure(bytes, o, opLength * 8, P, 'RR prefix control operation');
      const usePrefixes: RrUsePrefix[] = [];
      for (let u = o + RR_MATCH_PREFIX_LEN; u < o + opLength * 8; u += RR_USE_PREFIX_LEN) {
        const vp = bytes[u + 12]!;
        usePrefixes.push({
          useLen: bytes[u]!,
          keepLen: bytes[u + 1]!,
          flagMask: bytes[u + 2]!,
          raFlags: bytes[u + 3]!,
          validLifetime: u32(bytes, u + 4),
          preferredLifetime: u32(bytes, u + 8),
          decrementValid: (vp & 0x80) !== 0,
          decrementPreferred: (vp & 0x40) !== 0,
          usePrefix: Ipv6Address.fromBytes(bytes, u + 16),
        });
      }
      prefixControlOps.push({
        opCode: bytes[o]!,
        ordinal: bytes[o + 2]!,
        matchLen: bytes[o + 3]!,
        minLen: bytes[o + 4]!,
        maxLen: bytes[o + 5]!,
        matchPrefix: Ipv6Address.fromBytes(bytes, o + 8),
        usePrefixes,
      });
      o += opLength * 8;
    }
    return { kind: 'rrCommand', ...h, prefixControlOps };
  }
  if (code === ICMP6_ROUTER_RENUMBERING_RESULT) {
    const body = bytes.length - RR_HEADER_LEN;
    if (body % RR_RESULT_LEN !== 0) {
      throw new DecodeError(P, 'RR match results', RR_HEADER_LEN, `${body} bytes is not a multiple of 24`);
    }
    const matchResults: RrMatchResult[] = [];
    for (let o = RR_HEADER_LEN; o < bytes.length; o += RR_RESULT_LEN) {
      const bf = bytes[o + 1]!;
      matchResults.push({
        outOfBounds: (bf & 0x02) !== 0,
        forbidden: (bf & 0x01) !== 0,
        ordinal: bytes[o + 2]!,
        matchedLen: bytes[o + 3]!,
        interfaceIndex: u32(bytes, o + 4),
        matchedPrefix: Ipv6Address.fromBytes(bytes, o + 8),
      });
    }
    return { kind: 'rrResult', ...h, matchResults };
  }
  // Sequence Number Reset: anything after the header is ignored.
  return { kind: 'rrSeqNumReset', ...h };
}

export function routerRenumberingLen(r: RouterRenumberingRepr): number {
  switch (r.kind) {
    case 'rrCommand': {
      let n = RR_HEADER_LEN;
      for (const pco of r.prefixControlOps)
        n += RR_MATCH_PREFIX_LEN + RR_USE_PREFIX_LEN * pco.usePrefixes.length;
      return n;
    }
    case 'rrResult':
      return RR_HEADER_LEN + RR_RESULT_LEN * r.matchResults.length;
    case 'rrSeqNumReset':
      return RR_HEADER_LEN;
  }
}

/** Writes the whole message with a zero checksum; the caller checked room. */
export function emitRouterRenumbering(r: RouterRenumberingRepr, buf: Uint8Array, offset: number): number {
  const o = offset;
  const n = routerRenumberingLen(r);
  buf.fill(0, o, o + n);
  buf[o] = ICMP6_ROUTER_RENUMBERING;
  buf[o + 1] =
    r.kind === 'rrCommand'
      ? ICMP6_ROUTER_RENUMBERING_COMMAND
      : r.kind === 'rrResult'
        ? ICMP6_ROUTER_RENUMBERING_RESULT
        : ICMP6_ROUTER_RENUMBERING_SEQNUM_RESET;
  put32(buf, o + 4, r.sequenceNumber);
  buf[o + 8] = r.segmentNumber;
  buf[o + 9] =
    (r.test ? ICMP6_RR_FLAGS_TEST : 0) |
    (r.requestResult ? ICMP6_RR_FLAGS_REQRESULT : 0) |
    (r.allInterfaces ? ICMP6_RR_FLAGS_FORCEAPPLY : 0) |
    (r.siteSpecific ? ICMP6_RR_FLAGS_SPECSITE : 0) |
    (r.processedPreviously ? ICMP6_RR_FLAGS_PREVDONE : 0);
  put16(buf, o + 10, r.maxDelay);
  let w = o + RR_HEADER_LEN;
  if (r.kind === 'rrCommand') {
    for (const pco of r.prefixControlOps) {
      const units = 3 + 4 * pco.usePrefixes.length;
      if (units > 255) throw new RangeError('RR prefix control operation: more than 63 use-prefix parts');
      buf[w] = pco.opCode;
      buf[w + 1] = units;
      buf[w + 2] = pco.ordinal;
      buf[w + 3] = pco.matchLen;
      buf[w + 4] = pco.minLen;
      buf[w + 5] = pco.maxLen;
      buf.set(pco.matchPrefix.bytes, w + 8);
      w += RR_MATCH_PREFIX_LEN;
      for (const up of pco.usePrefixes) {
        buf[w] = up.useLen;
        buf[w + 1] = up.keepLen;
        buf[w + 2] = up.flagMask;
        buf[w + 3] = up.raFlags;
        put32(buf, w + 4, up.validLifetime);
        put32(buf, w + 8, up.preferredLifetime);
        buf[w + 12] = (up.decrementValid ? 0x80 : 0) | (up.decrementPreferred ? 0x40 : 0);
        buf.set(up.usePrefix.bytes, w + 16);
        w += RR_USE_PREFIX_LEN;
      }
    }
  } else if (r.kind === 'rrResult') {
    for (const mr of r.matchResults) {
      buf[w + 1] = (mr.outOfBounds ? 0x02 : 0) | (mr.forbidden ? 0x01 : 0);
      buf[w + 2] = mr.ordinal;
      buf[w + 3] = mr.matchedLen;
      put32(buf, w + 4, mr.interfaceIndex);
      buf.set(mr.matchedPrefix.bytes, w + 8);
      w += RR_RESULT_LEN;
    }
  }
  return n;
}
