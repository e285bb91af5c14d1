import {
  ICMP6_INFOMSG_MASK,
  ICMP6_PACKET_TOO_BIG,
  ICMP6_PARAM_PROB,
  ICMP6_PARAMPROB_OPTION,
  IPPROTO_ICMPV6,
  ND_REDIRECT,
} from '@kame/wire';
import type { Icmp6Stat } from '../stats/icmp6stat';
import { inspectInvokingPacket } from './invoking-packet';

/**
 * Why an ICMPv6 error is not sent, RFC 4443 2.4 (e) and KAME IMPLEMENTATION
 * 1.9 and 1.14. The rate limit, RFC 4443 2.4 (f), is separate
 * (Icmp6RateLimiter).
 */
export type Icmp6ErrorSuppression =
  /** Not even a 40-byte IPv6 header: no source to answer. */
  | 'no-ipv6-header'
  /** (e.1) the invoking packet is itself an ICMPv6 error message. */
  | 'error-message'
  /** (e.2), IMPLEMENTATION 1.9: the invoking packet is a Redirect. */
  | 'redirect'
  /** The invoking ICMPv6 message is cut before its type: it may be an error, so stay silent. */
  | 'icmp6-type-unreadable'
  /** (e.3) destined to a multicast address. */
  | 'multicast-destination'
  /** (e.4) received as a link-layer multicast. */
  | 'link-multicast'
  /** (e.5) received as a link-layer broadcast. */
  | 'link-broadcast'
  /** (e.6) the source does not identify a single node. */
  | 'unspecified-source'
  | 'multicast-source'
  | 'anycast-source'
  /** IMPLEMENTATION 1.14: IPv4-mapped / IPv4-compatible addresses never get an answer. */
  | 'v4-mapped-source'
  | 'v4-compatible-source';

export type Icmp6ErrorDecision = 'send' | Icmp6ErrorSuppression;

export interface Icmp6ErrorDecisionOptions {
  /** The packet arrived in a link-layer multicast frame (RFC 4443 2.4 (e.4)). */
  readonly receivedAsLinkMulticast?: boolean;
  /** The packet arrived in a link-layer broadcast frame (RFC 4443 2.4 (e.5)). */
  readonly receivedAsLinkBroadcast?: boolean;
  /** The source is an address this node knows to be anycast (RFC 4443 2.4 (e.6)). */
  readonly sourceIsAnycast?: boolean;
  /**
   * For Parameter Problem code 2: the pointer to the unrecognized option's
   * type octet. When given, the multicast exception applies only if the
   * option type's two high-order bits are 10 (RFC 4443 2.4 (e.3), RFC 8200
   * 4.2); without it code 2 alone is trusted.
   */
  readonly pointer?: number;
}

/** True for ICMPv6 error types (RFC 4443 2.1: high-order bit of the type clear). */
export function isIcmp6ErrorType(type: number): boolean {
  return Number.isInteger(type) && type >= 0 && type < ICMP6_INFOMSG_MASK;
}

/**
 * RFC 4443 2.4 (e.3)-(e.5) exceptions: Packet Too Big (so that Path MTU
 * Discovery works for multicast) and Parameter Problem code 2 for an
 * unrecognized option whose type has the high-order bits 10.
 */
function multicastExempt(
  original: Uint8Array,
  type: number,
  code: number,
  pointer: number | undefined,
): boolean {
  if (type === ICMP6_PACKET_TOO_BIG) return true;
  if (type !== ICMP6_PARAM_PROB || code !== ICMP6_PARAMPROB_OPTION) return false;
  if (pointer === undefined) return true;
  const optType = original[pointer];
  return optType !== undefined && (optType & 0xc0) === 0x80;
}

/**
 * Decides whether an ICMPv6 error of `type`/`code` may be sent about
 * `original` (a whole IPv6 packet as received), RFC 4443 2.4 (e). Never
 * throws on a malformed or truncated `original`; throws RangeError when
 * `type` is not an error type (a caller bug).
 */
export function icmp6ErrorDecision(
  original: Uint8Array,
  type: number,
  code: number,
  opts: Icmp6ErrorDecisionOptions = {},
): Icmp6ErrorDecision {
  if (!isIcmp6ErrorType(type))
    throw new RangeError(`ICMPv6 type ${type} is not an error type (RFC 4443 2.1)`);
  const info = inspectInvokingPacket(original);
  if (info === undefined) return 'no-ipv6-header';

  // (e.1), (e.2): never answer an error or a Redirect.
  if (info.upperProtocol === IPPROTO_ICMPV6 && !info.nonFirstFragment) {
    const icmpType = original[info.upperOffset];
    if (icmpType === undefined) return 'icmp6-type-unreadable';
    if (isIcmp6ErrorType(icmpType)) return 'error-message';
    if (icmpType === ND_REDIRECT) return 'redirect';
  }

  // (e.3)-(e.5): multicast, unless the error is exempt.
  if (!multicastExempt(original, type, code, opts.pointer)) {
    if (info.dst.isMulticast()) return 'multicast-destination';
    if (opts.receivedAsLinkMulticast === true) return 'link-multicast';
    if (opts.receivedAsLinkBroadcast === true) return 'link-broadcast';
  }

  // (e.6) and IMPLEMENTATION 1.14: the source must name one node.
  const src = info.src;
  if (src.isUnspecified()) return 'unspecified-source';
  if (src.isMulticast()) return 'multicast-source';
  if (src.isV4Mapped()) return 'v4-mapped-source';
  if (src.isV4Compatible()) return 'v4-compatible-source';
  if (opts.sourceIsAnycast === true) return 'anycast-source';
  return 'send';
}

/**
 * The icmp6stat counter a suppression bumps: icp6s_canterror counts errors
 * not generated because the invoking packet was an ICMPv6 error (or a
 * Redirect); the other reasons are silent discards.
 */
export function icmp6SuppressionCounter(reason: Icmp6ErrorSuppression): keyof Icmp6Stat | undefined {
  switch (reason) {
    case 'error-message':
    case 'redirect':
    case 'icmp6-type-unreadable':
      return 'icp6s_canterror';
    default:
      return undefined;
  }
}
