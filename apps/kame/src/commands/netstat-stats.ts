import type { v1 } from '@kame/kernel-api';
import { NETSTAT_GROUPS, renderStatJson, type StatJson } from '@kame/stack';

/**
 * netstat -s text for the kernel's stat groups: the API carries each group
 * in the stack's JSON form (counters by KAME field name, sparse histograms),
 * and the stack's renderers give it KAME's wording. Every scalar counter is
 * printed, zero or not (a single -s); histogram entries only when non-zero.
 */

/** The groups netstat -s knows, in its order; -p takes these names. */
export const STAT_GROUPS = NETSTAT_GROUPS;

function statJson(g: v1.StatGroup.$Properties): StatJson {
  const out: StatJson = { ...(g.counters ?? {}) };
  for (const [k, h] of Object.entries(g.histograms ?? {})) out[k] = { ...(h.buckets ?? {}) };
  return out;
}

/** One group's netstat -s section ("ip6:" and its lines). */
export function renderStatGroup(g: v1.StatGroup.$Properties): string {
  const name = g.name ?? '';
  const text = renderStatJson(name, statJson(g));
  if (text !== undefined) return text;
  // A group this CLI has no wording for: its counters by field name.
  const lines = [`${name}:`];
  for (const [k, n] of Object.entries(g.counters ?? {}).sort()) lines.push(`\t${k}: ${n}`);
  return lines.join('\n') + '\n';
}

/** JSON form: counters by field, histograms as { index: count }. */
export function statGroupJson(g: v1.StatGroup.$Properties): Record<string, unknown> {
  const histograms: Record<string, Record<string, number>> = {};
  for (const [k, h] of Object.entries(g.histograms ?? {})) histograms[k] = { ...(h.buckets ?? {}) };
  return { name: g.name ?? '', counters: { ...(g.counters ?? {}) }, histograms };
}
