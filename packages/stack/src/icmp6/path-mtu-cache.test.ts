import { Ipv6Address } from '@kame/addr';
import { VirtualClock } from '@kame/time';
import { newIcmp6Stat } from '../stats/icmp6stat';
import { PMTU_EXPIRE_MS } from './constants';
import { PathMtuCache } from './path-mtu-cache';

const D = Ipv6Address.parse('2001:db8::d');
const E = Ipv6Address.parse('2001:db8::e');
const LL = Ipv6Address.parse('fe80::d');

function setup(options: { maxEntries?: number } = {}) {
  const clock = new VirtualClock();
  const stats = newIcmp6Stat();
  return { clock, stats, cache: new PathMtuCache({ clock, stats, ...options }) };
}

describe('PathMtuCache (RFC 8201)', () => {
  it('learns a lower PMTU from Packet Too Big and counts icp6s_pmtuchg', () => {
    const { cache, stats } = setup();
    expect(cache.get(D)).toBeUndefined();
    expect(cache.update(D, 1400, 1500)).toEqual({ result: 'lowered', mtu: 1400, clamped: false });
    expect(cache.get(D)).toBe(1400);
    expect(stats.icp6s_pmtuchg).toBe(1);
  });

  it('clamps a report below 1280 to 1280 (RFC 8201 4)', () => {
    const { cache } = setup();
    expect(cache.update(D, 576, 1500)).toEqual({ result: 'lowered', mtu: 1280, clamped: true });
    expect(cache.get(D)).toBe(1280);
    expect(cache.stats.clamped).toBe(1);
    // Already at the floor: a second tiny report changes nothing.
    expect(cache.update(D, 100, 1500).result).toBe('not-lower');
  });

  it('ignores a report above the link MTU', () => {
    const { cache } = setup();
    expect(cache.update(D, 9000, 1500)).toEqual({ result: 'above-link-mtu', mtu: 1500 });
    expect(cache.get(D)).toBeUndefined();
    cache.update(D, 1400, 1500);
    expect(cache.update(D, 1600, 1500).result).toBe('above-link-mtu');
    expect(cache.get(D)).toBe(1400);
  });

  it('never raises the estimate from a Packet Too Big', () => {
    const { cache } = setup();
    cache.update(D, 1300, 1500);
    expect(cache.update(D, 1450, 1500)).toEqual({ result: 'not-lower', mtu: 1300 });
    expect(cache.update(D, 1500, 1500).result).toBe('not-lower');
    expect(cache.get(D)).toBe(1300);
    expect(cache.stats.ignored).toBe(2);
  });

  it('expires an estimate after 10 minutes so the link MTU is tried again (RFC 8201 5.3)', () => {
    const { cache, clock } = setup();
    expect(PMTU_EXPIRE_MS).toBe(600_000);
    cache.update(D, 1400, 1500);
    clock.advance(PMTU_EXPIRE_MS - 1);
    expect(cache.get(D)).toBe(1400);
    clock.advance(1);
    expect(cache.get(D)).toBeUndefined();
    expect(cache.stats.expired).toBe(1);
  });

  it('a further decrease restarts the 10 minutes', () => {
    const { cache, clock } = setup();
    cache.update(D, 1400, 1500);
    clock.advance(5 * 60_000);
    cache.update(D, 1300, 1500);
    clock.advance(9 * 60_000);
    expect(cache.get(D)).toBe(1300);
    expect(cache.entries()[0]?.expiresAt).toBe(15 * 60_000);
  });

  it('is bounded with LRU eviction', () => {
    const { cache } = setup({ maxEntries: 2 });
    cache.update(D, 1400, 1500);
    cache.update(E, 1400, 1500);
    cache.get(D); // D is now the most recently used
    const F = Ipv6Address.parse('2001:db8::f');
    cache.update(F, 1400, 1500);
    expect(cache.size).toBe(2);
    expect(cache.get(E)).toBeUndefined();
    expect(cache.get(D)).toBe(1400);
    expect(cache.stats.evictions).toBe(1);
  });

  it('keys link-local destinations by zone, global ones not', () => {
    const { cache } = setup();
    cache.update(LL, 1400, 1500, 1);
    expect(cache.get(LL, 1)).toBe(1400);
    expect(cache.get(LL, 2)).toBeUndefined();
    cache.update(D, 1400, 1500, 3);
    expect(cache.get(D)).toBe(1400);
    expect(cache.entries().map((e) => [e.dst.toString(), e.zone, e.mtu])).toEqual([
      ['fe80::d', 1, 1400],
      ['2001:db8::d', 0, 1400],
    ]);
  });

  it('purge drops expired entries; delete forgets one', () => {
    const { cache, clock } = setup();
    cache.update(D, 1400, 1500);
    clock.advance(60_000);
    cache.update(E, 1400, 1500);
    clock.advance(PMTU_EXPIRE_MS - 30_000);
    expect(cache.purge()).toBe(1);
    expect(cache.entries().map((e) => e.dst.toString())).toEqual(['2001:db8::e']);
    expect(cache.delete(E)).toBe(true);
    expect(cache.size).toBe(0);
  });
});
