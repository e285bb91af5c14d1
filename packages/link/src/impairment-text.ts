import { validateImpairment, type Impairment } from './impairment';

/*
 * Impairments written the way tc-netem(8) takes them: "delay 10ms jitter 1ms
 * loss 1% duplicate 0.1% reorder 5% rate 10mbit queue 100 mtu 1400", used by
 * kame-kernel's node file and by lab files.
 */

const DURATION = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)?$/;
const DURATION_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "10ms", "1.5s", "2m", "1h", "250us" (a bare number is milliseconds) → ms. */
export function parseDurationMs(text: string): number {
  const m = DURATION.exec(text.trim());
  if (!m) throw new RangeError(`bad duration "${text}": expected a number with us, ms, s, m or h`);
  return Number(m[1]) * DURATION_MS[m[2] ?? 'ms']!;
}

const RATE = /^(\d+(?:\.\d+)?)(bit|kbit|mbit|gbit|bps|kbps|mbps|gbps)?$/i;
const RATE_BPS: Record<string, number> = {
  bit: 1,
  kbit: 1e3,
  mbit: 1e6,
  gbit: 1e9,
  // tc's bps means bytes per second.
  bps: 8,
  kbps: 8e3,
  mbps: 8e6,
  gbps: 8e9,
};

/** tc-style rate: "10mbit", "512kbit", "1gbit", "100kbps" (bytes/s) → bits per second. */
export function parseRateBps(text: string): number {
  const m = RATE.exec(text.trim());
  if (!m)
    throw new RangeError(
      `bad rate "${text}": expected a number with bit, kbit, mbit, gbit (or bps, kbps, mbps)`,
    );
  const bps = Number(m[1]) * RATE_BPS[(m[2] ?? 'bit').toLowerCase()]!;
  if (!(bps > 0)) throw new RangeError(`bad rate "${text}": must be above 0`);
  return bps;
}

/** "1%", "0.5%" or a fraction "0.01" → probability 0..1. */
export function parseProbability(text: string): number {
  const t = text.trim();
  const pct = t.endsWith('%');
  const n = Number(pct ? t.slice(0, -1) : t);
  const p = pct ? n / 100 : n;
  if (t === '' || t === '%' || !Number.isFinite(p) || p < 0 || p > 1)
    throw new RangeError(`bad probability "${text}": expected 0%..100% or 0..1`);
  return p;
}

const KEYS = ['delay', 'jitter', 'loss', 'duplicate', 'reorder', 'rate', 'queue', 'mtu'] as const;

/** netem-style words, key then value: ["delay", "10ms", "loss", "1%"] → a validated Impairment. */
export function parseImpairmentWords(words: readonly string[]): Impairment {
  if (words.length % 2 !== 0) throw new RangeError(`impairment: "${words.at(-1)}" has no value`);
  const imp: Impairment = {};
  const seen = new Set<string>();
  for (let i = 0; i < words.length; i += 2) {
    const key = words[i]!;
    const value = words[i + 1]!;
    if (!(KEYS as readonly string[]).includes(key))
      throw new RangeError(`impairment: unknown key "${key}"; expected ${KEYS.join(', ')}`);
    if (seen.has(key)) throw new RangeError(`impairment: ${key} given twice`);
    seen.add(key);
    switch (key as (typeof KEYS)[number]) {
      case 'delay':
        imp.delayMs = parseDurationMs(value);
        break;
      case 'jitter':
        imp.jitterMs = parseDurationMs(value);
        break;
      case 'loss':
        imp.loss = parseProbability(value);
        break;
      case 'duplicate':
        imp.duplicate = parseProbability(value);
        break;
      case 'reorder':
        imp.reorder = parseProbability(value);
        break;
      case 'rate':
        imp.rateBitsPerSecond = parseRateBps(value);
        break;
      case 'queue':
        imp.queueFrames = Number(value);
        if (!Number.isInteger(imp.queueFrames) || imp.queueFrames < 1)
          throw new RangeError(`impairment: queue "${value}" must be a whole number of frames >= 1`);
        break;
      case 'mtu':
        imp.mtu = Number(value);
        break;
    }
  }
  return { ...validateImpairment(imp) };
}
