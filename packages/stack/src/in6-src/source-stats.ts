import { scopeOf } from '@kame/addr';
import type { Ip6Stat } from '../stats/ip6stat';
import type { SourceSelection, SourceSelectionInput } from './candidate';

/**
 * Counts a selection result into ip6stat's ip6s_sources_* (per scope of the
 * chosen source): same/other interface than the outgoing one, same/other scope
 * than the destination, deprecated; failures into ip6s_sources_none.
 */
export function countSourceSelection(s: Ip6Stat, input: SourceSelectionInput, result: SourceSelection): void {
  if (!result.ok) {
    s.ip6s_sources_none++;
    return;
  }
  const scope = scopeOf(result.address);
  const bump = (h: number[]): void => {
    h[scope] = (h[scope] ?? 0) + 1;
  };
  const outIf = input.outgoingIfindex;
  if (outIf === undefined || result.candidate.ifindex === outIf) bump(s.ip6s_sources_sameif);
  else bump(s.ip6s_sources_otherif);
  if (scope === scopeOf(input.destination)) bump(s.ip6s_sources_samescope);
  else bump(s.ip6s_sources_otherscope);
  if (result.deprecated) bump(s.ip6s_sources_deprecated);
}
