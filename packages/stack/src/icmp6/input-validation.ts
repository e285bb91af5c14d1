import { type Ipv6Address, isSolicitedNodeMulticast } from '@kame/addr';
import {
  DecodeError,
  ICMP6_INFOMSG_MASK,
  ICMPV6_ERROR_HEADER_LEN,
  IPV6_HEADER_LEN,
  type Icmpv6Repr,
  ND6_MAXNDOPT,
  ND_NEIGHBOR_ADVERT,
  ND_NEIGHBOR_SOLICIT,
  ND_NA_LEN,
  ND_NS_LEN,
  ND_RA_LEN,
  ND_REDIRECT,
  ND_REDIRECT_LEN,
  ND_ROUTER_ADVERT,
  ND_ROUTER_SOLICIT,
  ND_RS_LEN,
  type NdMessageRepr,
  type NdOption,
  checksumValid,
  icmpv6,
  ipv6PseudoHeaderSum,
  parseNdMessage,
  parseNdOptions,
  IPPROTO_ICMPV6,
} from '@kame/wire';
import type { Icmp6Stat } from '../stats/icmp6stat';
import { ICMP6_ND_HOP_LIMIT } from './constants';

/** A message icmp6_input may process, plus the counters it should bump on the way. */
export interface Icmp6InputAccepted {
  readonly ok: true;
  readonly type: number;
  readonly code: number;
  /** ND messages carry only their first nd6_maxndopt options (IMPLEMENTATION 1.2). */
  readonly repr: Icmpv6Repr;
  /** True when ND options beyond nd6_maxndopt were present and left unread. */
  readonly optionsCut: boolean;
  /** Counters to bump although the message is accepted (icp6s_nd_toomanyopt). */
  readonly counters: readonly (keyof Icmp6Stat)[];
}

/** A message to drop, with the one icmp6stat counter that records why. */
export interface Icmp6InputDropped {
  readonly ok: false;
  readonly counter: keyof Icmp6Stat;
  readonly reason: string;
}

export type Icmp6InputResult = Icmp6InputAccepted | Icmp6InputDropped;

export interface Icmp6ValidationOptions {
  /** Options looked at per ND message; default nd6_maxndopt (10). */
  readonly maxNdOptions?: number;
}

/**
 * The shortest ICMPv6 message accepted: type, code, checksum and the 32-bit
 * word every message defined by RFC 4443, RFC 4861 and RFC 2710 has.
 */
const ICMP6_MIN_LEN = 8;

type NdCounter = 'icp6s_badrs' | 'icp6s_badra' | 'icp6s_badns' | 'icp6s_badna' | 'icp6s_badredirect';

const ND: ReadonlyMap<number, { readonly fixed: number; readonly counter: NdCounter; readonly rfc: string }> =
  new Map([
    [ND_ROUTER_SOLICIT, { fixed: ND_RS_LEN, counter: 'icp6s_badrs', rfc: 'RFC 4861 6.1.1' }],
    [ND_ROUTER_ADVERT, { fixed: ND_RA_LEN, counter: 'icp6s_badra', rfc: 'RFC 4861 6.1.2' }],
    [ND_NEIGHBOR_SOLICIT, { fixed: ND_NS_LEN, counter: 'icp6s_badns', rfc: 'RFC 4861 7.1.1' }],
    [ND_NEIGHBOR_ADVERT, { fixed: ND_NA_LEN, counter: 'icp6s_badna', rfc: 'RFC 4861 7.1.2' }],
    [ND_REDIRECT, { fixed: ND_REDIRECT_LEN, counter: 'icp6s_badredirect', rfc: 'RFC 4861 8.1' }],
  ]);

function drop(counter: keyof Icmp6Stat, reason: string): Icmp6InputDropped {
  return { ok: false, counter, reason };
}

/**
 * Validates an ICMPv6 message (the IPv6 upper-layer payload) received from
 * `src` to `dst` with `hopLimit`, so that ip6_input / icmp6_input can drop and
 * count without throwing: length (icp6s_tooshort, icp6s_badlen), checksum
 * (RFC 4443 2.3, icp6s_checksum), and for Neighbor Discovery the receiver
 * rules of RFC 4861 6.1.1, 6.1.2, 7.1.1, 7.1.2 and 8.1 (code 0:
 * icp6s_badcode; hop limit 255 and the address rules: icp6s_badrs/badra/
 * badns/badna/badredirect; malformed options: icp6s_nd_badopt). Options
 * past nd6_maxndopt are cut and counted in icp6s_nd_toomanyopt.
 */
export function validateIcmp6Message(
  bytes: Uint8Array,
  src: Ipv6Address,
  dst: Ipv6Address,
  hopLimit: number,
  options: Icmp6ValidationOptions = {},
): Icmp6InputResult {
  if (bytes.length < ICMP6_MIN_LEN) {
    return drop(
      'icp6s_tooshort',
      `${bytes.length} bytes, fewer than the ${ICMP6_MIN_LEN}-byte ICMPv6 header`,
    );
  }
  if (!checksumValid(ipv6PseudoHeaderSum(src, dst, bytes.length, IPPROTO_ICMPV6), bytes)) {
    return drop('icp6s_checksum', 'bad checksum (RFC 4443 2.3)');
  }
  const type = bytes[0]!;
  const code = bytes[1]!;
  const nd = ND.get(type);
  if (nd !== undefined) return validateNd(bytes, type, code, src, dst, hopLimit, nd, options);

  // RFC 4443 2.4 (d): an error must quote at least the invoking IPv6 header
  // for the upper layer to be found.
  if (type < ICMP6_INFOMSG_MASK && bytes.length < ICMPV6_ERROR_HEADER_LEN + IPV6_HEADER_LEN) {
    return drop('icp6s_tooshort', `error message of ${bytes.length} bytes quotes no IPv6 header`);
  }
  try {
    const repr = icmpv6.parse(bytes, { src, dst, verifyChecksum: false });
    return { ok: true, type, code, repr, optionsCut: false, counters: [] };
  } catch (e) {
    if (e instanceof DecodeError) return drop('icp6s_badlen', e.message);
    throw e;
  }
}

function validateNd(
  bytes: Uint8Array,
  type: number,
  code: number,
  src: Ipv6Address,
  dst: Ipv6Address,
  hopLimit: number,
  nd: { readonly fixed: number; readonly counter: NdCounter; readonly rfc: string },
  options: Icmp6ValidationOptions,
): Icmp6InputResult {
  if (code !== 0) return drop('icp6s_badcode', `ND type ${type} with code ${code} (${nd.rfc}: code is 0)`);
  if (hopLimit !== ICMP6_ND_HOP_LIMIT) {
    return drop(nd.counter, `hop limit ${hopLimit}, not 255 (${nd.rfc}): sent from off-link`);
  }
  if (bytes.length < nd.fixed) {
    return drop(
      'icp6s_badlen',
      `ND type ${type} of ${bytes.length} bytes, fewer than ${nd.fixed} (${nd.rfc})`,
    );
  }
  const limit = options.maxNdOptions ?? ND6_MAXNDOPT;
  let opts: NdOption[];
  let end = nd.fixed;
  try {
    opts = parseNdOptions(bytes, nd.fixed, limit);
    for (let i = 0; i < opts.length; i++) end += bytes[end + 1]! * 8;
  } catch (e) {
    if (e instanceof DecodeError)
      return drop('icp6s_nd_badopt', `${e.message} (${nd.rfc}: option length > 0)`);
    throw e;
  }
  const optionsCut = end < bytes.length;
  const repr: NdMessageRepr = { ...parseNdMessage(bytes.subarray(0, nd.fixed)), options: opts };
  const bad = ndAddressRule(repr, src, dst);
  if (bad !== undefined) return drop(nd.counter, `${bad} (${nd.rfc})`);
  return {
    ok: true,
    type,
    code,
    repr,
    optionsCut,
    counters: optionsCut ? ['icp6s_nd_toomanyopt'] : [],
  };
}

/** The address-dependent validity rules of RFC 4861; undefined when they hold. */
function ndAddressRule(r: NdMessageRepr, src: Ipv6Address, dst: Ipv6Address): string | undefined {
  const hasSlla = r.options.some((o) => o.kind === 'sourceLinkAddr');
  switch (r.kind) {
    case 'routerSolicit':
      if (src.isUnspecified() && hasSlla) return 'unspecified source with a Source Link-Layer Address option';
      return undefined;
    case 'routerAdvert':
      if (!src.isLinkLocal()) return `source ${src.toString()} is not link-local`;
      return undefined;
    case 'neighborSolicit':
      if (r.target.isMulticast()) return `multicast target ${r.target.toString()}`;
      if (src.isUnspecified()) {
        if (!isSolicitedNodeMulticast(dst)) return 'unspecified source to a non-solicited-node destination';
        if (hasSlla) return 'unspecified source with a Source Link-Layer Address option';
      }
      return undefined;
    case 'neighborAdvert':
      if (r.target.isMulticast()) return `multicast target ${r.target.toString()}`;
      if (dst.isMulticast() && r.solicited) return 'Solicited flag set on a multicast advertisement';
      return undefined;
    case 'redirect':
      if (!src.isLinkLocal()) return `source ${src.toString()} is not link-local`;
      if (r.destination.isMulticast()) return `multicast Destination ${r.destination.toString()}`;
      if (!r.target.isLinkLocal() && !r.target.equals(r.destination)) {
        return 'Target is neither link-local nor the Destination';
      }
      return undefined;
  }
}
