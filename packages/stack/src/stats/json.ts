import { sparseHistogram } from './histogram';

export type StatJson = Record<string, number | Record<string, number>>;

/**
 * JSON form of any of the stat structs: scalars as numbers, histograms as
 * { "index": count } with only the non-zero buckets.
 */
export function statToJson(stat: object): StatJson {
  const out: StatJson = {};
  for (const [k, v] of Object.entries(stat)) {
    if (typeof v === 'number') out[k] = v;
    else if (Array.isArray(v)) out[k] = sparseHistogram(v as number[]);
  }
  return out;
}
