import { Ipv6Prefix, commonPrefixLength, extractScope, scopeOf, type Ipv6Address } from '@kame/addr';
import {
  isDeprecatedSource,
  isSelectableSource,
  type SourceCandidate,
  type SourceSelection,
  type SourceSelectionInput,
} from './candidate';

/** One row of the RFC 6724 2.1 policy table. */
export interface PolicyEntry {
  prefix: Ipv6Prefix;
  precedence: number;
  label: number;
}

/** The RFC 6724 2.1 default policy table. */
export const RFC6724_DEFAULT_POLICY: readonly PolicyEntry[] = Object.freeze(
  (
    [
      ['::1/128', 50, 0],
      ['::/0', 40, 1],
      ['::ffff:0:0/96', 35, 4],
      ['2002::/16', 30, 2],
      ['2001::/32', 5, 5],
      ['fc00::/7', 3, 13],
      ['::/96', 1, 3],
      ['fec0::/10', 1, 11],
      ['3ffe::/16', 1, 12],
    ] as const
  ).map(([p, precedence, label]) => ({ prefix: Ipv6Prefix.parse(p), precedence, label })),
);

/** Label of an address: the longest matching policy prefix (RFC 6724 2.1). */
export function policyLabel(
  addr: Ipv6Address,
  table: readonly PolicyEntry[] = RFC6724_DEFAULT_POLICY,
): number {
  let best: PolicyEntry | undefined;
  for (const e of table) {
    if (e.prefix.contains(addr) && (best === undefined || e.prefix.length > best.prefix.length)) best = e;
  }
  return best?.label ?? 1;
}

/**
 * RFC 6724 section 5 source selection, an alternative to the KAME rules:
 * the candidate set is the selectable addresses (deprecated ones only with
 * use_deprecated), ordered by rules 1 (same address), 2 (appropriate scope),
 * 3 (avoid deprecated), 5 (outgoing interface), 6 (matching label),
 * 7 (prefer temporary), 8 (longest matching prefix, up to the source's prefix
 * length). Rules 4 (home address) and 5.5 (next-hop) need state this input
 * does not carry and are skipped. An explicit source is handled as KAME rule 1.
 */
export function selectSourceAddressRfc6724(
  input: SourceSelectionInput,
  table: readonly PolicyEntry[] = RFC6724_DEFAULT_POLICY,
): SourceSelection {
  const dst = input.destination;
  if (input.explicitSource !== undefined && !input.explicitSource.isUnspecified()) {
    const src = input.explicitSource;
    const c = input.candidates.find((x) => x.address.equals(src));
    const f = c?.flags ?? {};
    if (c === undefined || f.tentative === true || f.duplicated === true || f.anycast === true) {
      return { ok: false, errno: 'EADDRNOTAVAIL' };
    }
    return { ok: true, address: c.address, candidate: c, rule: 1, deprecated: isDeprecatedSource(c) };
  }
  const allowDeprecated =
    input.useDeprecated === true || (typeof input.useDeprecated === 'number' && input.useDeprecated !== 0);
  const pool = input.candidates.filter(
    (c) => isSelectableSource(c) && (allowDeprecated || !isDeprecatedSource(c)),
  );
  const outIf = input.outgoingIfindex ?? (extractScope(dst).ifindex || undefined);
  const dstScope = scopeOf(dst);
  const dstLabel = policyLabel(dst, table);

  const compare = (a: SourceCandidate, b: SourceCandidate): number => {
    // Rule 1: prefer same address.
    const sa = a.address.equals(dst);
    const sb = b.address.equals(dst);
    if (sa !== sb) return sa ? -1 : 1;
    // Rule 2: prefer appropriate scope.
    const ka = scopeOf(a.address);
    const kb = scopeOf(b.address);
    if (ka < kb) return ka < dstScope ? 1 : -1;
    if (kb < ka) return kb < dstScope ? -1 : 1;
    // Rule 3: avoid deprecated addresses.
    if (isDeprecatedSource(a) !== isDeprecatedSource(b)) return isDeprecatedSource(a) ? 1 : -1;
    // Rule 5: prefer the outgoing interface.
    if (outIf !== undefined && (a.ifindex === outIf) !== (b.ifindex === outIf))
      return a.ifindex === outIf ? -1 : 1;
    // Rule 6: prefer matching label.
    const la = policyLabel(a.address, table) === dstLabel;
    const lb = policyLabel(b.address, table) === dstLabel;
    if (la !== lb) return la ? -1 : 1;
    // Rule 7: prefer temporary addresses.
    const ta = a.flags?.temporary === true;
    const tb = b.flags?.temporary === true;
    if (ta !== tb) return ta ? -1 : 1;
    // Rule 8: longest matching prefix (CommonPrefixLen up to the source's prefix length).
    const ma = Math.min(commonPrefixLength(a.address, dst), a.prefixLength);
    const mb = Math.min(commonPrefixLength(b.address, dst), b.prefixLength);
    return mb - ma;
  };

  let best: SourceCandidate | undefined;
  for (const c of pool) if (best === undefined || compare(c, best) < 0) best = c;
  if (best === undefined) return { ok: false, errno: 'EADDRNOTAVAIL' };
  return { ok: true, address: best.address, candidate: best, rule: 0, deprecated: isDeprecatedSource(best) };
}
