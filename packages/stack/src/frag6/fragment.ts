import {
  IPPROTO_FRAGMENT,
  IPV6_FRAGMENT_HEADER_LEN,
  IPV6_HEADER_LEN,
  IPV6_MAX_PAYLOAD,
  type Ipv6Repr,
  ipv6,
  ipv6Fragment,
} from '@kame/wire';
import { hasWholeHeaderChain } from './header-chain';
import { unfragmentablePart } from './unfragmentable';

/** RFC 8200 5: every link has an MTU of at least 1280 octets. */
export const IPV6_MIN_MTU = 1280;

export type FragmentErrorReason =
  /** The Unfragmentable Part plus a Fragment header leaves no room for 8 octets of data. */
  | 'no-room'
  /** The packet cannot be described by fragment offsets (a jumbogram, RFC 2675 3). */
  | 'too-large'
  /** The packet already carries a Fragment header. */
  | 'already-fragmented'
  /** The first fragment could not hold the whole header chain (RFC 7112 5, RFC 8200 4.5). */
  | 'header-chain-too-long';

/** Why a packet cannot be fragmented; ip6_output counts it (ip6s_cantfrag) and drops the packet. */
export class FragmentError extends Error {
  override readonly name = 'FragmentError';
  constructor(
    readonly reason: FragmentErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Source fragmentation, RFC 8200 4.5. `packet` is the IPv6 header repr whose
 * `payload` is everything after the IPv6 header. Returns encoded IPv6 packets
 * (no link header), each at most `mtu` octets:
 *  - a packet that already fits is returned alone and unchanged: no atomic
 *    fragments are generated (RFC 8021, RFC 8200 4.5);
 *  - otherwise every fragment repeats the Unfragmentable Part (Payload Length
 *    rewritten, the Next Header of its last header set to 44), then a Fragment
 *    header naming the first Fragmentable header, `identification` and the
 *    offset, then the data: a multiple of 8 octets in all but the last
 *    fragment, whose M flag alone is clear.
 * The caller (the stack) draws `identification` from its Random. Throws
 * RangeError for an MTU below 1280 and FragmentError when the packet cannot
 * be fragmented.
 */
export function fragment(packet: Ipv6Repr, mtu: number, identification: number): Uint8Array[] {
  if (!Number.isInteger(mtu) || mtu < IPV6_MIN_MTU) {
    throw new RangeError(`fragment: MTU ${mtu} is below the IPv6 minimum ${IPV6_MIN_MTU} (RFC 8200 5)`);
  }
  const payload = packet.payload;
  if (IPV6_HEADER_LEN + payload.length <= mtu) return [ipv6.encode(packet)];

  const unfrag = unfragmentablePart(packet.nextHeader, payload);
  if (unfrag.hasFragmentHeader) {
    throw new FragmentError('already-fragmented', 'fragment: the packet already has a Fragment header');
  }
  if (payload.length > IPV6_MAX_PAYLOAD) {
    throw new FragmentError(
      'too-large',
      `fragment: payload of ${payload.length} octets exceeds ${IPV6_MAX_PAYLOAD} (a jumbogram cannot be fragmented, RFC 2675 3)`,
    );
  }
  const perFragment = unfrag.length + IPV6_FRAGMENT_HEADER_LEN;
  const maxData = Math.floor((mtu - IPV6_HEADER_LEN - perFragment) / 8) * 8;
  if (maxData < 8) {
    throw new FragmentError(
      'no-room',
      `fragment: ${unfrag.length} octets of Unfragmentable Part leave no room for data in an MTU of ${mtu}`,
    );
  }

  const head = payload.subarray(0, unfrag.length);
  const body = payload.subarray(unfrag.length);
  if (!hasWholeHeaderChain(unfrag.fragmentableNextHeader, body.subarray(0, maxData))) {
    throw new FragmentError(
      'header-chain-too-long',
      `fragment: the header chain does not fit the ${maxData} data octets of the first fragment (RFC 7112 5)`,
    );
  }
  const out: Uint8Array[] = [];
  for (let off = 0; off < body.length; off += maxData) {
    const data = body.subarray(off, off + maxData);
    const more = off + data.length < body.length;
    const fp = new Uint8Array(perFragment + data.length);
    fp.set(head, 0);
    if (unfrag.nextHeaderField >= 0) fp[unfrag.nextHeaderField] = IPPROTO_FRAGMENT;
    ipv6Fragment.emit(
      { nextHeader: unfrag.fragmentableNextHeader, fragmentOffset: off / 8, more, identification },
      fp,
      unfrag.length,
    );
    fp.set(data, perFragment);
    out.push(
      ipv6.encode({
        ...packet,
        nextHeader: unfrag.nextHeaderField >= 0 ? packet.nextHeader : IPPROTO_FRAGMENT,
        payload: fp,
      }),
    );
  }
  return out;
}
