import { parseDurationMs, parseImpairmentWords, parseProbability, parseRateBps } from './impairment-text';

describe('impairment text (tc-netem words)', () => {
  it('parses durations with units; a bare number is ms', () => {
    expect(parseDurationMs('10ms')).toBe(10);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
    expect(parseDurationMs('250us')).toBeCloseTo(0.25);
    expect(parseDurationMs('7')).toBe(7);
    expect(() => parseDurationMs('10 parsecs')).toThrow(/bad duration/);
    expect(() => parseDurationMs('-1ms')).toThrow(/bad duration/);
  });

  it('parses tc rates: bit units and byte units', () => {
    expect(parseRateBps('10mbit')).toBe(10e6);
    expect(parseRateBps('512kbit')).toBe(512e3);
    expect(parseRateBps('1gbit')).toBe(1e9);
    expect(parseRateBps('100kbps')).toBe(800e3);
    expect(() => parseRateBps('0mbit')).toThrow(/above 0/);
    expect(() => parseRateBps('fast')).toThrow(/bad rate/);
  });

  it('parses probabilities as percent or fraction, 0..1 only', () => {
    expect(parseProbability('1%')).toBeCloseTo(0.01);
    expect(parseProbability('0.5')).toBe(0.5);
    expect(parseProbability('100%')).toBe(1);
    expect(() => parseProbability('101%')).toThrow(/bad probability/);
    expect(() => parseProbability('%')).toThrow(/bad probability/);
  });

  it('turns netem words into a validated Impairment', () => {
    expect(
      parseImpairmentWords(['delay', '10ms', 'jitter', '1ms', 'loss', '1%', 'rate', '10mbit', 'mtu', '1400']),
    ).toEqual({ delayMs: 10, jitterMs: 1, loss: 0.01, rateBitsPerSecond: 10e6, mtu: 1400 });
    expect(() => parseImpairmentWords(['delay'])).toThrow(/has no value/);
    expect(() => parseImpairmentWords(['latency', '1ms'])).toThrow(/unknown key "latency"/);
    expect(() => parseImpairmentWords(['loss', '1%', 'loss', '2%'])).toThrow(/given twice/);
    expect(() => parseImpairmentWords(['mtu', '70000'])).toThrow(/mtu/);
  });
});
