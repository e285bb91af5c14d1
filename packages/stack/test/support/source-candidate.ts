import { Ipv6Address } from '@kame/addr';
import type { SourceAddressFlags, SourceCandidate } from '../../src/in6-src/candidate';

/** A source-address candidate from text, for the in6-src policy tests. */
export const cand = (
  address: string,
  ifindex: number,
  flags: SourceAddressFlags = {},
  prefixLength = 64,
): SourceCandidate => ({
  address: Ipv6Address.parse(address),
  ifindex,
  prefixLength,
  flags,
});
