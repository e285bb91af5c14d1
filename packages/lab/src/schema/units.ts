/**
 * The units a lab file writes: durations (`500ms`, `10s`, `1.5m`, `2h`, or a sum `1m30s`),
 * rates (`64kbit`, `10mbit`, `1gbit`; decimal multipliers as in tc(8)) and loss percentages
 * (`1%`, `0.5%`). Each parser returns the value or the reason it is wrong.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** The longest duration a lab may name: one week. Bounds every timer derived from a lab file. */
export const MAX_DURATION_MS = 7 * 24 * 3_600_000;

/** `10s` -> 10000 (milliseconds, the unit of @kame/time's Clock). */
export function parseDuration(text: string): Parsed<number> {
  const t = text.trim();
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let ms = 0;
  let at = 0;
  if (t === '') return { ok: false, reason: 'empty duration' };
  while (at < t.length) {
    part.lastIndex = at;
    const m = part.exec(t);
    if (!m) return { ok: false, reason: 'must be a duration like 500ms, 10s, 2m or 1h' };
    ms += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    at = part.lastIndex;
  }
  if (ms > MAX_DURATION_MS) return { ok: false, reason: 'must be at most 168h' };
  return { ok: true, value: Math.round(ms * 1000) / 1000 };
}

const RATE_UNITS: Record<string, number> = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9 };

/** `10mbit` -> 10000000 (bits per second). */
export function parseRate(text: string): Parsed<number> {
  const m = /^(\d+(?:\.\d+)?)(bit|kbit|mbit|gbit)$/i.exec(text.trim());
  if (!m) return { ok: false, reason: 'must be a rate like 64kbit, 10mbit or 1gbit' };
  const bps = Math.round(Number(m[1]) * RATE_UNITS[m[2]!.toLowerCase()]!);
  if (bps < 1) return { ok: false, reason: 'must be at least 1bit' };
  if (bps > 1e12) return { ok: false, reason: 'must be at most 1000gbit' };
  return { ok: true, value: bps };
}

/** `1%` -> 1 (percent, 0..100). */
export function parsePercent(text: string): Parsed<number> {
  const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(text.trim());
  if (!m) return { ok: false, reason: 'must be a percentage like 1% or 0.5%' };
  const v = Number(m[1]);
  if (v > 100) return { ok: false, reason: 'must be 0..100%' };
  return { ok: true, value: v };
}

/** Formats milliseconds back in the largest exact unit: 90000 -> `90s`, 1500 -> `1500ms`. */
export function formatDuration(ms: number): string {
  if (ms !== 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Formats bits per second: 10000000 -> `10mbit`. */
export function formatRate(bps: number): string {
  if (bps % 1e9 === 0) return `${bps / 1e9}gbit`;
  if (bps % 1e6 === 0) return `${bps / 1e6}mbit`;
  if (bps % 1e3 === 0) return `${bps / 1e3}kbit`;
  return `${bps}bit`;
}
