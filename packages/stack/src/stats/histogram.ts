/** A zeroed histogram of `size` buckets (256 for ICMPv6 types and next headers). */
export function newHistogram(size = 256): number[] {
  return new Array<number>(size).fill(0);
}

/** hist[index] += by; indices outside the histogram are ignored. */
export function countHistogram(hist: number[], index: number, by = 1): void {
  if (!Number.isInteger(index) || index < 0 || index >= hist.length) return;
  hist[index] = hist[index]! + by;
}

/** Non-zero buckets as { "index": count } (the JSON form of a histogram). */
export function sparseHistogram(hist: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  hist.forEach((n, i) => {
    if (n !== 0) out[String(i)] = n;
  });
  return out;
}
