import { ND_RA_FLAG_OTHER, ND_RA_LEN, ND_ROUTER_ADVERT } from '@kame/wire';
import type { RtsoldIcmp6Input } from './host';

/**
 * The checks rtsold makes on a received RA before counting it (reference
 * 2.3, K:rtsold/rtsol.c rtsol_input; RFC 4861 6.1.2). Options are not
 * parsed: the kernel does the autoconfiguration, rtsold only notices that
 * a router answered and whether the O flag is set.
 */

/** Why a message was dropped; each is a counter in RtsoldStats. */
export type RaDropReason =
  | 'noPktinfo'
  | 'noHoplimit'
  | 'tooShort'
  | 'notRa'
  | 'badCode'
  | 'badHoplimit'
  | 'notLinkLocal'
  | 'unknownInterface';

export type RaVerdict =
  | { readonly ok: true; readonly other: boolean }
  | { readonly ok: false; readonly reason: RaDropReason; readonly detail: string };

/** Validates one received ICMPv6 message as an RA for rtsold; never throws. */
export function checkRa(m: RtsoldIcmp6Input): RaVerdict {
  if (m.dst === undefined) return drop('noPktinfo', 'failed to get receiving interface');
  if (m.hoplimit === undefined) return drop('noHoplimit', 'failed to get receiving hop limit');
  const data = m.data;
  if (data.length < ND_RA_LEN) return drop('tooShort', `packet size(${data.length}) is too short`);
  if (data[0] !== ND_ROUTER_ADVERT) return drop('notRa', `invalid icmp type(${data[0]})`);
  if (data[1] !== 0) return drop('badCode', `invalid icmp code(${data[1]})`);
  // RFC 4861 6.1.2: hop limit 255, link-local source.
  if (m.hoplimit !== 255) {
    return drop('badHoplimit', `invalid RA with hop limit(${m.hoplimit}) from ${m.src.toString()}`);
  }
  if (!m.src.isLinkLocal())
    return drop('notLinkLocal', `invalid RA with non link-local source from ${m.src.toString()}`);
  return { ok: true, other: (data[5]! & ND_RA_FLAG_OTHER) !== 0 };
}

function drop(reason: RaDropReason, detail: string): RaVerdict {
  return { ok: false, reason, detail };
}
