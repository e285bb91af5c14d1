import { Ipv6Address } from '@kame/addr';
import { ripng, ripngPacket } from '@kame/wire';
import type { SplitHorizon } from '../src/engine/index';
import { Fabric, type FabricNode, stubPrefix } from './support/fabric';

/** a - b, a has stub 2001:db8:1::/64 on stub0 (learned by b via a). */
function pair(sh: SplitHorizon, seed = 1): { f: Fabric; a: FabricNode; b: FabricNode } {
  const f = new Fabric(seed);
  const a = f.addNode('a');
  const b = f.addNode('b');
  f.stub(a, stubPrefix(a.id));
  f.stub(b, stubPrefix(b.id));
  f.link('ab', [a, 'eth0'], [b, 'eth0']);
  f.start(() => ({ splitHorizon: sh }));
  f.run(60_000);
  return { f, a, b };
}

/** The RTEs (prefix/len -> metric) b advertised on eth0 in its last periodic response. */
function advertised(n: FabricNode, since: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of n.responses(since, 'eth0'))
    for (const e of s.packet.rtes)
      if (e.metric !== 0xff) m.set(`${e.prefix.toString()}/${e.prefixLength}`, e.metric);
  return m;
}

describe('split horizon (RFC 2080 2.6; route6d.8 -h)', () => {
  it('plain (KAME default): a route is not advertised on the interface it was learned on', () => {
    const { f, b } = pair('plain');
    const t = f.clock.now();
    f.run(50_000);
    const adv = advertised(b, t);
    expect(adv.get(stubPrefix(2))).toBe(1);
    expect(adv.has(stubPrefix(1))).toBe(false);
  });

  it('poisoned reverse (option): advertised back with metric 16', () => {
    const { f, b } = pair('poisoned');
    const t = f.clock.now();
    f.run(50_000);
    const adv = advertised(b, t);
    expect(adv.get(stubPrefix(2))).toBe(1);
    expect(adv.get(stubPrefix(1))).toBe(16);
  });

  it('off (-h): advertised back with its metric, after a next-hop RTE naming the gateway (RFC 2080 2.1.1)', () => {
    const { f, a, b } = pair('off');
    const t = f.clock.now();
    f.run(50_000);
    const adv = advertised(b, t);
    expect(adv.get(stubPrefix(1))).toBe(2);
    const pkt = b.responses(t, 'eth0')[0]!.packet;
    const i = pkt.rtes.findIndex((e) => e.prefixLength === 64 && e.prefix.toString() === '2001:db8:1::');
    const nh = pkt.rtes[i - 1]!;
    expect(nh.metric).toBe(0xff);
    expect(nh.prefix.equals(a.iface('eth0').linkLocal!)).toBe(true);
    // a ignores it: its own interface route always wins.
    expect(a.metric(stubPrefix(1))).toBe(1);
  });

  /**
   * A loop made on purpose: a loses its stub, then a stale update "from b"
   * (as if b's periodic update crossed a's withdrawal) claims the prefix at
   * metric 2. How long the a <-> b loop lives depends on split horizon.
   */
  function loopLifetime(sh: SplitHorizon): { ms: number; maxMetric: number; rounds: number } {
    const { f, a, b } = pair(sh, 21);
    const p = stubPrefix(1);
    a.setIface('stub0', { addresses: [] });
    f.run(10);
    expect(b.metric(p)).toBe(16);
    const stale = ripng.encode(
      ripngPacket('response', [
        { prefix: Ipv6Address.parse('2001:db8:1::'), routeTag: 0, prefixLength: 64, metric: 2 },
      ]),
    );
    a.inject('eth0', { src: b.iface('eth0').linkLocal!, data: stale });
    expect(a.metric(p)).toBe(3);
    const t0 = f.clock.now();
    let maxMetric = 0;
    const seen = new Set<number>();
    const ok = f.clock.runUntilTrue(() => {
      for (const n of [a, b]) {
        const m = n.metric(p);
        if (m !== undefined && m < 16) {
          maxMetric = Math.max(maxMetric, m);
          seen.add(m);
        }
      }
      return [a, b].every((n) => (n.metric(p) ?? 16) >= 16);
    }, 1_000_000);
    expect(ok).toBe(true);
    return { ms: f.clock.now() - t0, maxMetric, rounds: seen.size };
  }

  it('RFC 2080 2.2: without split horizon the loop counts to infinity and ends at 16', () => {
    const r = loopLifetime('off');
    expect(r.maxMetric).toBe(15);
    expect(r.rounds).toBeLessThanOrEqual(16);
    // Triggered updates, each at most 5 s apart (RFC 2080 2.5.1): well under one timeout.
    expect(r.ms).toBeLessThan(16 * 5_000);
  });

  it('RFC 2080 2.6: poisoned reverse breaks the two-router loop at once', () => {
    const r = loopLifetime('poisoned');
    // a's update (held at most 5 s), b's poisoned answer, a's withdrawal (held at most 5 s each).
    expect(r.ms).toBeLessThan(3 * 5_000 + 10);
    expect(r.maxMetric).toBeLessThanOrEqual(4);
  });

  it('RFC 2080 2.6: plain split horizon breaks it by timeout (the loop route is never refreshed)', () => {
    const r = loopLifetime('plain');
    expect(r.ms).toBeGreaterThan(100_000);
    expect(r.ms).toBeLessThanOrEqual(180_000 + 45_000 + 10);
    expect(r.maxMetric).toBeLessThanOrEqual(4);
  });
});
