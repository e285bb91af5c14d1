import type { Ipv6Address } from '@kame/addr';
import {
  ICMP6_DST_UNREACH,
  ICMP6_DST_UNREACH_ADDR,
  ICMP6_DST_UNREACH_ADMIN,
  ICMP6_DST_UNREACH_BEYONDSCOPE,
  ICMP6_DST_UNREACH_NOPORT,
  ICMP6_DST_UNREACH_NOROUTE,
  ICMP6_PACKET_TOO_BIG,
  ICMP6_PARAM_PROB,
  ICMP6_PARAMPROB_HEADER,
  ICMP6_PARAMPROB_NEXTHEADER,
  ICMP6_PARAMPROB_OPTION,
  ICMP6_TIME_EXCEED_REASSEMBLY,
  ICMP6_TIME_EXCEED_TRANSIT,
  ICMP6_TIME_EXCEEDED,
  IPV6_HEADER_LEN,
  type Icmpv6Repr,
  icmpv6,
} from '@kame/wire';
import type { Icmp6Stat } from '../stats/icmp6stat';
import { ICMP6_ERROR_MAX_QUOTE } from './constants';
import { isIcmp6ErrorType } from './error-decision';

/**
 * The part of `original` an error message quotes (RFC 4443 3.1-3.4: "as much
 * of invoking packet as possible without the ICMPv6 packet exceeding the
 * minimum IPv6 MTU"; IMPLEMENTATION 1.11: unchanged, up to 1280 in all).
 * Link-layer padding after the IPv6 Payload Length is not part of the packet
 * and is left out. Zero-copy.
 */
export function icmp6ErrorQuote(original: Uint8Array): Uint8Array {
  let end = original.length;
  if (original.length >= IPV6_HEADER_LEN) {
    const plen = (original[4]! << 8) | original[5]!;
    if (plen !== 0 && IPV6_HEADER_LEN + plen < end) end = IPV6_HEADER_LEN + plen;
  }
  return original.subarray(0, Math.min(end, ICMP6_ERROR_MAX_QUOTE));
}

/**
 * Encodes an ICMPv6 error message (the IPv6 payload: ICMPv6 header and the
 * quote) from `src` to `dst` with a correct checksum. `param` fills the
 * 32-bit word after the checksum: the MTU for Packet Too Big (RFC 4443 3.2),
 * the pointer for Parameter Problem (3.4; it may point beyond the quote),
 * ignored (sent as 0) for Destination Unreachable and Time Exceeded.
 * Other error types (< 128) carry `param` verbatim. Throws RangeError for an
 * informational type.
 */
export function buildIcmp6Error(
  original: Uint8Array,
  type: number,
  code: number,
  param: number,
  src: Ipv6Address,
  dst: Ipv6Address,
): Uint8Array {
  if (!isIcmp6ErrorType(type))
    throw new RangeError(`ICMPv6 type ${type} is not an error type (RFC 4443 2.1)`);
  if (!Number.isInteger(code) || code < 0 || code > 0xff)
    throw new RangeError(`ICMPv6 code ${code} out of range`);
  if (!Number.isInteger(param) || param < 0 || param > 0xffffffff) {
    throw new RangeError(`ICMPv6 error parameter ${param} out of range`);
  }
  const invoking = icmp6ErrorQuote(original);
  let repr: Icmpv6Repr;
  switch (type) {
    case ICMP6_DST_UNREACH:
      repr = { kind: 'destUnreach', code, invoking };
      break;
    case ICMP6_TIME_EXCEEDED:
      repr = { kind: 'timeExceeded', code, invoking };
      break;
    case ICMP6_PACKET_TOO_BIG:
      repr = { kind: 'packetTooBig', code, mtu: param, invoking };
      break;
    case ICMP6_PARAM_PROB:
      repr = { kind: 'paramProblem', code, pointer: param, invoking };
      break;
    default: {
      const body = new Uint8Array(4 + invoking.length);
      new DataView(body.buffer).setUint32(0, param);
      body.set(invoking, 4);
      repr = { kind: 'unknown', type, code, body };
    }
  }
  return icmpv6.encode(repr, { src, dst });
}

/**
 * The icmp6stat "errors to be generated" counter for an error of
 * `type`/`code` (netstat's histogram of error kinds).
 */
export function icmp6ErrorKindCounter(type: number, code: number): keyof Icmp6Stat {
  switch (type) {
    case ICMP6_DST_UNREACH:
      switch (code) {
        case ICMP6_DST_UNREACH_NOROUTE:
          return 'icp6s_odst_unreach_noroute';
        case ICMP6_DST_UNREACH_ADMIN:
          return 'icp6s_odst_unreach_admin';
        case ICMP6_DST_UNREACH_BEYONDSCOPE:
          return 'icp6s_odst_unreach_beyondscope';
        case ICMP6_DST_UNREACH_ADDR:
          return 'icp6s_odst_unreach_addr';
        case ICMP6_DST_UNREACH_NOPORT:
          return 'icp6s_odst_unreach_noport';
      }
      break;
    case ICMP6_PACKET_TOO_BIG:
      return 'icp6s_opacket_too_big';
    case ICMP6_TIME_EXCEEDED:
      if (code === ICMP6_TIME_EXCEED_TRANSIT) return 'icp6s_otime_exceed_transit';
      if (code === ICMP6_TIME_EXCEED_REASSEMBLY) return 'icp6s_otime_exceed_reassembly';
      break;
    case ICMP6_PARAM_PROB:
      if (code === ICMP6_PARAMPROB_HEADER) return 'icp6s_oparamprob_header';
      if (code === ICMP6_PARAMPROB_NEXTHEADER) return 'icp6s_oparamprob_nextheader';
      if (code === ICMP6_PARAMPROB_OPTION) return 'icp6s_oparamprob_option';
      break;
  }
  return 'icp6s_ounknown';
}
