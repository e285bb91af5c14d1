import { Scope, commonPrefixLength, extractScope, scopeOf, type Ipv6Address } from '@kame/addr';
import {
  isDeprecatedSource,
  isSelectableSource,
  type SourceCandidate,
  type SourceRule,
  type SourceSelection,
  type SourceSelectionInput,
} from './candidate';

const NOT_AVAILABLE: SourceSelection = { ok: false, errno: 'EADDRNOTAVAIL' };

/**
 * KAME source address selection, IMPLEMENTATION 1.6, in order:
 *  1. an explicitly given source is used (it must be one of the node's
 *     addresses and usable: not tentative, duplicated or anycast);
 *  2. an address of the outgoing interface with the destination's scope
 *     (scopeOf), longest match with the destination;
 *  3. else a global address of any interface, longest match;
 *  4. else the address of the route entry for the destination (may violate
 *     scope); without one, the outgoing interface's best address of any scope.
 * Rules 2-4 first run over non-deprecated addresses only; deprecated ones are
 * a last resort ("if no other choices are available"), by the same rules, and
 * only with use_deprecated. Longest match compares whole addresses; ties go
 * to the outgoing interface, then to candidate order.
 */
export function selectSourceAddress(input: SourceSelectionInput): SourceSelection {
  const { destination, candidates } = input;

  if (input.explicitSource !== undefined && !input.explicitSource.isUnspecified()) {
    const src = input.explicitSource;
    const c = candidates.find((x) => x.address.equals(src));
    // Detached and deprecated addresses are still the node's own: a user may name them.
    if (c === undefined || !isExplicitSourceUsable(c)) return NOT_AVAILABLE;
    return { ok: true, address: c.address, candidate: c, rule: 1, deprecated: isDeprecatedSource(c) };
  }

  const outIf = input.outgoingIfindex ?? impliedIfindex(destination);
  const usable = candidates.filter(isSelectableSource);
  const fresh = usable.filter((c) => !isDeprecatedSource(c));
  const found = byRules(fresh, input, outIf);
  if (found !== undefined) return found;
  const allowDeprecated =
    input.useDeprecated === true || (typeof input.useDeprecated === 'number' && input.useDeprecated !== 0);
  if (allowDeprecated) {
    const stale = usable.filter(isDeprecatedSource);
    const last = byRules(stale, input, outIf);
    if (last !== undefined) return last;
  }
  return NOT_AVAILABLE;
}

function isExplicitSourceUsable(c: SourceCandidate): boolean {
  const f = c.flags ?? {};
  return !(f.tentative === true || f.duplicated === true || f.anycast === true);
}

/** A link-scoped destination in KAME kernel form names its interface (1.3.1). */
function impliedIfindex(destination: Ipv6Address): number | undefined {
  const { ifindex } = extractScope(destination);
  return ifindex === 0 ? undefined : ifindex;
}

function byRules(
  pool: readonly SourceCandidate[],
  input: SourceSelectionInput,
  outIf: number | undefined,
): SourceSelection | undefined {
  const dst = input.destination;
  const dstScope = scopeOf(dst);

  // Rule 2: outgoing interface, same scope.
  if (outIf !== undefined) {
    const c = longestMatch(
      pool.filter((x) => x.ifindex === outIf && scopeOf(x.address) === dstScope),
      dst,
      outIf,
    );
    if (c !== undefined) return chosen(c, 2);
  }

  // Rule 3: a global address of any interface.
  const g = longestMatch(
    pool.filter((x) => scopeOf(x.address) === Scope.Global),
    dst,
    outIf,
  );
  if (g !== undefined) return chosen(g, 3);

  // Rule 4: the route entry's address, last resort (may violate scope).
  if (input.routeSource !== undefined) {
    const rs = input.routeSource;
    const r = pool.find((x) => x.address.equals(rs));
    if (r !== undefined) return chosen(r, 4);
  }
  if (outIf !== undefined) {
    const o = longestMatch(
      pool.filter((x) => x.ifindex === outIf),
      dst,
      outIf,
    );
    if (o !== undefined) return chosen(o, 4);
  }
  return undefined;
}

function chosen(c: SourceCandidate, rule: SourceRule): SourceSelection {
  return { ok: true, address: c.address, candidate: c, rule, deprecated: isDeprecatedSource(c) };
}

function longestMatch(
  pool: readonly SourceCandidate[],
  dst: Ipv6Address,
  outIf: number | undefined,
): SourceCandidate | undefined {
  let best: SourceCandidate | undefined;
  let bestLen = -1;
  for (const c of pool) {
    const len = commonPrefixLength(c.address, dst);
    const better =
      len > bestLen ||
      (len === bestLen && best !== undefined && best.ifindex !== outIf && c.ifindex === outIf);
    if (better) {
      best = c;
      bestLen = len;
    }
  }
  return best;
}
