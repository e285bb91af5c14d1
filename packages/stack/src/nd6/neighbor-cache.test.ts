import { Ipv6Address, MacAddress } from '@kame/addr';
import { SeededRandom, VirtualClock } from '@kame/time';
import { NeighborCache, type NeighborCacheOutput, type NsDestination } from './neighbor-cache';
import type { NeighborCacheParams } from './params';

/** A solicited, override NA from a host (RFC 4861 7.2.5's common case). */
const solicitedNa = (target: Ipv6Address, lladdr: MacAddress) => ({
  target,
  lladdr,
  router: false,
  solicited: true,
  override: true,
});

const A = Ipv6Address.parse('fe80::a');
const B = Ipv6Address.parse('fe80::b');
const C = Ipv6Address.parse('fe80::c');
const MAC_A = MacAddress.parse('02:00:00:00:00:0a');
const MAC_A2 = MacAddress.parse('02:00:00:00:00:aa');

interface Sent {
  at: number;
  target: string;
  dest: NsDestination;
}

function setup(params: Partial<NeighborCacheParams> = {}, seed = 1) {
  const clock = new VirtualClock();
  const ns: Sent[] = [];
  const transmitted: Array<{ packet: string; lladdr: string | undefined }> = [];
  const failed: Array<{ at: number; target: string; dropped: string[] }> = [];
  const routerChanges: Array<{ target: string; wasRouter: boolean }> = [];
  const output: NeighborCacheOutput<string> = {
    sendNeighborSolicitation: (target, dest) => ns.push({ at: clock.now(), target: target.toString(), dest }),
    transmit: (packet, lladdr) => transmitted.push({ packet, lladdr: lladdr?.toString() }),
    resolutionFailed: (target, dropped) =>
      failed.push({ at: clock.now(), target: target.toString(), dropped: [...dropped] }),
    isRouterChanged: (target, wasRouter) => routerChanges.push({ target: target.toString(), wasRouter }),
  };
  const cache = new NeighborCache<string>({ clock, random: new SeededRandom(seed), params, output });
  return { clock, cache, ns, transmitted, failed, routerChanges };
}

/** An entry in REACHABLE with MAC_A, reached through address resolution. */
function reachable(params: Partial<NeighborCacheParams> = {}) {
  const env = setup(params);
  env.cache.resolve(A, 'p0');
  env.cache.onNeighborAdvertisement(solicitedNa(A, MAC_A));
  env.ns.length = 0;
  env.transmitted.length = 0;
  return env;
}

function state(cache: NeighborCache<string>, addr: Ipv6Address) {
  return cache.lookup(addr)?.state;
}

describe('RFC 4861 7.2.2: address resolution', () => {
  it('RFC 4861 7.2.2: first packet creates INCOMPLETE, queues it and multicasts one NS', () => {
    const { cache, ns } = setup();
    expect(cache.resolve(A, 'p1')).toEqual({ status: 'queued' });
    expect(state(cache, A)).toBe('INCOMPLETE');
    expect(ns).toEqual([{ at: 0, target: 'fe80::a', dest: { unicast: false } }]);
    expect(cache.lookup(A)).toMatchObject({ probes: 1, queued: 1, expire: 1000 });
  });

  it('RFC 4861 7.2.2: NS retransmitted every RetransTimer (1 s), not per packet', () => {
    const { clock, cache, ns } = setup();
    cache.resolve(A, 'p1');
    clock.advance(500);
    cache.resolve(A, 'p2');
    expect(ns).toHaveLength(1);
    clock.advance(500);
    expect(ns.map((s) => s.at)).toEqual([0, 1000]);
    clock.advance(1000);
    expect(ns.map((s) => s.at)).toEqual([0, 1000, 2000]);
    expect(ns.every((s) => !s.dest.unicast)).toBe(true);
  });

  it('RFC 4861 7.2.2: failure after 3 s and 3 NS reports the dropped packets', () => {
    const { clock, cache, ns, failed } = setup({ maxQueuedPerEntry: 2 });
    cache.resolve(A, 'p1');
    cache.resolve(A, 'p2');
    clock.advance(2999);
    expect(failed).toEqual([]);
    clock.advance(1);
    expect(ns).toHaveLength(3);
    expect(failed).toEqual([{ at: 3000, target: 'fe80::a', dropped: ['p1', 'p2'] }]);
    expect(cache.lookup(A)).toBeUndefined();
    expect(cache.stats.resolutionFailures).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('RFC 4861 7.2.2: the queue is bounded; a new packet replaces the oldest (KAME default: 1)', () => {
    const { cache, clock, failed } = setup();
    cache.resolve(A, 'p1');
    cache.resolve(A, 'p2');
    cache.resolve(A, 'p3');
    expect(cache.stats.queueDrops).toBe(2);
    clock.advance(3000);
    expect(failed[0]?.dropped).toEqual(['p3']);
  });

  it('RFC 4861 7.2.2: with a bound of 2 the oldest packet is the one dropped', () => {
    const { cache, transmitted } = setup({ maxQueuedPerEntry: 2 });
    cache.resolve(A, 'p1');
    cache.resolve(A, 'p2');
    cache.resolve(A, 'p3');
    expect(cache.stats.queueDrops).toBe(1);
    cache.onNeighborAdvertisement(solicitedNa(A, MAC_A));
    expect(transmitted.map((t) => t.packet)).toEqual(['p2', 'p3']);
  });

  it('RFC 4861 7.2.5: solicited NA flushes the queue to the new lladdr and goes REACHABLE', () => {
    const { cache, clock, ns, transmitted } = setup({ maxQueuedPerEntry: 3 });
    cache.resolve(A, 'p1');
    cache.resolve(A, 'p2');
    clock.advance(1500);
    cache.onNeighborAdvertisement(solicitedNa(A, MAC_A));
    expect(transmitted).toEqual([
      { packet: 'p1', lladdr: MAC_A.toString() },
      { packet: 'p2', lladdr: MAC_A.toString() },
    ]);
    expect(state(cache, A)).toBe('REACHABLE');
    clock.advance(10_000);
    expect(ns).toHaveLength(2); // retransmission stopped
    expect(cache.resolve(A, 'p3')).toEqual({ status: 'send', lladdr: MAC_A });
  });

  it('RFC 4861 7.2.5: NA without TLLA for an INCOMPLETE entry is discarded', () => {
    const { cache, transmitted } = setup();
    cache.resolve(A, 'p1');
    cache.onNeighborAdvertisement({ target: A, router: false, solicited: true, override: false });
    expect(state(cache, A)).toBe('INCOMPLETE');
    expect(transmitted).toEqual([]);
  });

  it('RFC 4861 7.2.5: unsolicited NA completes INCOMPLETE as STALE; sending the queue starts DELAY', () => {
    const { cache, transmitted } = setup();
    cache.resolve(A, 'p1');
    cache.onNeighborAdvertisement({
      target: A,
      lladdr: MAC_A,
      router: true,
      solicited: false,
      override: false,
    });
    expect(transmitted).toHaveLength(1);
    expect(cache.lookup(A)).toMatchObject({ state: 'DELAY', isRouter: true });
  });

  it('RFC 4861 7.2.1: multicast targets are never resolved', () => {
    const { cache } = setup();
    expect(() => cache.resolve(Ipv6Address.parse('ff02::1'), 'x')).toThrow(RangeError);
  });
});

describe('RFC 4861 7.3.3: Neighbor Unreachability Detection', () => {
  it('RFC 4861 7.3.3: REACHABLE -> STALE after ReachableTime, within [0.5, 1.5) x base', () => {
    const { cache, clock } = reachable();
    const rt = cache.reachableTime;
    expect(rt).toBeGreaterThanOrEqual(15_000);
    expect(rt).toBeLessThan(45_000);
    expect(cache.lookup(A)?.expire).toBe(rt);
    clock.advance(rt - 1);
    expect(state(cache, A)).toBe('REACHABLE');
    clock.advance(1);
    expect(state(cache, A)).toBe('STALE');
    expect(cache.lookup(A)?.expire).toBeUndefined();
  });

  it('RFC 4861 7.3.1: upper-layer confirmation extends REACHABLE', () => {
    const { cache, clock } = reachable();
    const rt = cache.reachableTime;
    clock.advance(rt - 100);
    expect(cache.reachabilityConfirmed(A)).toBe(true);
    clock.advance(rt - 1);
    expect(state(cache, A)).toBe('REACHABLE');
    clock.advance(1);
    expect(state(cache, A)).toBe('STALE');
  });

  it('RFC 4861 7.3.3: STALE -> DELAY on first use (send now)', () => {
    const { cache, clock } = reachable();
    clock.advance(cache.reachableTime);
    expect(cache.resolve(A, 'p')).toEqual({ status: 'send', lladdr: MAC_A });
    expect(state(cache, A)).toBe('DELAY');
  });

  it('RFC 4861 7.3.3: DELAY -> PROBE after 5 s with a unicast NS', () => {
    const { cache, clock, ns } = reachable();
    clock.advance(cache.reachableTime);
    cache.resolve(A, 'p');
    const t0 = clock.now();
    clock.advance(4999);
    expect(ns).toEqual([]);
    clock.advance(1);
    expect(state(cache, A)).toBe('PROBE');
    expect(ns).toEqual([{ at: t0 + 5000, target: 'fe80::a', dest: { unicast: true, unicastTo: MAC_A } }]);
  });

  it('RFC 4861 7.3.3: DELAY -> REACHABLE on confirmation, no probe sent', () => {
    const { cache, clock, ns } = reachable();
    clock.advance(cache.reachableTime);
    cache.resolve(A, 'p');
    clock.advance(2000);
    cache.reachabilityConfirmed(A);
    clock.advance(5000);
    expect(state(cache, A)).toBe('REACHABLE');
    expect(ns).toEqual([]);
  });

  it('RFC 4861 7.3.3: PROBE -> deleted after 3 unicast NS, 1 s apart', () => {
    const { cache, clock, ns, failed } = reachable();
    clock.advance(cache.reachableTime);
    cache.resolve(A, 'p');
    const t0 = clock.now();
    clock.advance(5000 + 2999);
    expect(state(cache, A)).toBe('PROBE');
    expect(cache.lookup(A)?.probes).toBe(3);
    clock.advance(1);
    expect(cache.lookup(A)).toBeUndefined();
    expect(ns.map((s) => s.at - t0)).toEqual([5000, 6000, 7000]);
    expect(ns.every((s) => s.dest.unicast && s.dest.unicastTo?.equals(MAC_A) === true)).toBe(true);
    expect(cache.stats.nudFailures).toBe(1);
    expect(failed).toEqual([]);
  });

  it('RFC 4861 7.2.5: solicited NA in PROBE -> REACHABLE and probing stops', () => {
    const { cache, clock, ns } = reachable();
    clock.advance(cache.reachableTime);
    cache.resolve(A, 'p');
    clock.advance(5500);
    cache.onNeighborAdvertisement({
      target: A,
      lladdr: MAC_A,
      router: false,
      solicited: true,
      override: false,
    });
    clock.advance(3000);
    expect(state(cache, A)).toBe('REACHABLE');
    expect(ns).toHaveLength(1);
  });
});

describe('RFC 4861 7.2.5 / 7.2.6: NA on an existing entry', () => {
  it('RFC 4861 7.2.5 (a): O=0 with a different lladdr turns REACHABLE into STALE, address kept', () => {
    const { cache } = reachable();
    cache.onNeighborAdvertisement({
      target: A,
      lladdr: MAC_A2,
      router: false,
      solicited: true,
      override: false,
    });
    expect(cache.lookup(A)).toMatchObject({ state: 'STALE', lladdr: MAC_A });
  });

  it('RFC 4861 7.2.6: unsolicited NA with O=1 installs the new lladdr as STALE', () => {
    const { cache } = reachable();
    cache.onNeighborAdvertisement({
      target: A,
      lladdr: MAC_A2,
      router: false,
      solicited: false,
      override: true,
    });
    expect(cache.lookup(A)).toMatchObject({ state: 'STALE', lladdr: MAC_A2 });
    expect(cache.resolve(A, 'p')).toEqual({ status: 'send', lladdr: MAC_A2 });
  });

  it('RFC 4861 7.2.5: IsRouter TRUE -> FALSE is reported to the caller', () => {
    const { cache, routerChanges } = setup();
    cache.onSolicitationOrRouterMessage(A, MAC_A, { kind: 'RA' });
    expect(routerChanges).toEqual([]);
    expect(cache.lookup(A)?.isRouter).toBe(true);
    cache.onNeighborAdvertisement(solicitedNa(A, MAC_A));
    expect(routerChanges).toEqual([{ target: 'fe80::a', wasRouter: true }]);
  });

  it('RFC 4861 7.2.5: NA for an unknown target creates nothing', () => {
    const { cache } = setup();
    cache.onNeighborAdvertisement({
      target: A,
      lladdr: MAC_A,
      router: false,
      solicited: false,
      override: true,
    });
    expect(cache.size).toBe(0);
  });
});

describe('RFC 4861 7.2.3 / 6.3.4 / 8.3: entries from NS, RS, RA and Redirect', () => {
  it('RFC 4861 7.2.3: NS with SLLA creates a STALE entry, IsRouter FALSE', () => {
    const { cache } = setup();
    cache.onSolicitationOrRouterMessage(A, MAC_A, { kind: 'NS' });
    expect(cache.lookup(A)).toMatchObject({ state: 'STALE', lladdr: MAC_A, isRouter: false });
  });

  it('RFC 4861 Appendix C: NS with SLLA completes INCOMPLETE and sends the queued packet', () => {
    const { cache, transmitted, clock, ns } = setup();
    cache.resolve(A, 'p1');
    cache.onSolicitationOrRouterMessage(A, MAC_A, { kind: 'NS' });
    expect(transmitted).toEqual([{ packet: 'p1', lladdr: MAC_A.toString() }]);
    expect(state(cache, A)).toBe('DELAY');
    clock.advance(5000);
    expect(ns.map((s) => s.dest.unicast)).toEqual([false, true]);
  });

  it('IMPLEMENTATION 1.2 (1): unsolicited NS/RS/RA without lladdr and no entry create nothing', () => {
    const { cache, ns } = setup();
    cache.onSolicitationOrRouterMessage(A, undefined, { kind: 'NS' });
    cache.onSolicitationOrRouterMessage(A, undefined, { kind: 'RS' });
    cache.onSolicitationOrRouterMessage(A, undefined, { kind: 'RA' });
    expect(cache.size).toBe(0);
    expect(ns).toEqual([]);
  });

  it('IMPLEMENTATION 1.2 (1) / RFC 4861 8.3: Redirect without TLLA keeps IsRouter and resolves the target', () => {
    const { cache, ns, clock, failed } = setup();
    cache.onSolicitationOrRouterMessage(A, undefined, { kind: 'REDIRECT', isRouter: true });
    expect(cache.lookup(A)).toMatchObject({ state: 'INCOMPLETE', isRouter: true, queued: 0 });
    expect(ns).toHaveLength(1);
    clock.advance(3000);
    expect(failed).toEqual([{ at: 3000, target: 'fe80::a', dropped: [] }]);
  });

  it('RFC 4861 8.3: Redirect with a new TLLA on a REACHABLE entry -> STALE, same TLLA -> unchanged', () => {
    const { cache } = reachable();
    cache.onSolicitationOrRouterMessage(A, MAC_A, { kind: 'REDIRECT' });
    expect(state(cache, A)).toBe('REACHABLE');
    cache.onSolicitationOrRouterMessage(A, MAC_A2, { kind: 'REDIRECT', isRouter: true });
    expect(cache.lookup(A)).toMatchObject({ state: 'STALE', lladdr: MAC_A2, isRouter: true });
  });

  it('RFC 4861 6.2.6: RS clears IsRouter even without SLLA', () => {
    const { cache, routerChanges } = setup();
    cache.onSolicitationOrRouterMessage(A, MAC_A, { kind: 'RA' });
    cache.onSolicitationOrRouterMessage(A, undefined, { kind: 'RS' });
    expect(cache.lookup(A)?.isRouter).toBe(false);
    expect(routerChanges).toEqual([{ target: 'fe80::a', wasRouter: true }]);
  });

  it('IMPLEMENTATION 1.2 (2): media without link-layer addresses keep entries for IsRouter and NUD', () => {
    const { cache, clock, ns } = setup({ linkHasAddresses: false });
    cache.onSolicitationOrRouterMessage(A, undefined, { kind: 'RA' });
    expect(cache.lookup(A)).toMatchObject({ state: 'STALE', isRouter: true, lladdr: undefined });
    expect(cache.resolve(B, 'p')).toEqual({ status: 'send', lladdr: undefined });
    expect(state(cache, B)).toBe('DELAY');
    clock.advance(5000);
    expect(ns).toEqual([{ at: 5000, target: 'fe80::b', dest: { unicast: true } }]);
  });
});

describe('bounds, counters, ndp', () => {
  it('maxEntries: evicts the least recently used STALE entry first, never a busy INCOMPLETE', () => {
    const { cache, failed } = setup({ maxEntries: 3 });
    cache.resolve(A, 'pa'); // INCOMPLETE with a queued packet
    cache.onSolicitationOrRouterMessage(B, MAC_A, { kind: 'NS' }); // STALE
    cache.onSolicitationOrRouterMessage(C, MAC_A2, { kind: 'NS' }); // STALE, newer
    cache.resolve(B, 'pb'); // B used: now DELAY, C is the only STALE entry
    cache.onSolicitationOrRouterMessage(Ipv6Address.parse('fe80::d'), MAC_A, { kind: 'NS' });
    expect(cache.entries().map((e) => e.address.toString())).toEqual(['fe80::a', 'fe80::b', 'fe80::d']);
    expect(cache.stats.evictions).toBe(1);
    expect(failed).toEqual([]);
  });

  it('maxEntries: an INCOMPLETE entry with packets goes last, and its packets are reported', () => {
    const { cache, failed } = setup({ maxEntries: 1 });
    cache.resolve(A, 'pa');
    cache.resolve(B, 'pb');
    expect(cache.entries().map((e) => e.address.toString())).toEqual(['fe80::b']);
    expect(failed).toEqual([{ at: 0, target: 'fe80::a', dropped: ['pa'] }]);
    expect(cache.stats).toMatchObject({ evictions: 1, queueDrops: 1 });
  });

  it('ndp -a lists address, lladdr, state, expire, IsRouter and probes; delete and flush', () => {
    const { cache, clock } = setup();
    cache.resolve(B, 'p');
    cache.onSolicitationOrRouterMessage(A, MAC_A, { kind: 'RA' });
    clock.advance(1000);
    expect(cache.entries()).toEqual([
      {
        address: A,
        lladdr: MAC_A,
        state: 'STALE',
        expire: undefined,
        isRouter: true,
        probes: 0,
        queued: 0,
        permanent: false,
      },
      {
        address: B,
        lladdr: undefined,
        state: 'INCOMPLETE',
        expire: 2000,
        isRouter: false,
        probes: 2,
        queued: 1,
        permanent: false,
      },
    ]);
    expect(cache.delete(B)).toBe(true);
    expect(cache.delete(B)).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    cache.flush();
    expect(cache.size).toBe(0);
  });
});

describe('RFC 4861 6.3.2 / 6.3.4: ReachableTime randomization', () => {
  it('RFC 4861 6.3.2: differs between two seeds, reproducible for one seed', () => {
    const a1 = setup({}, 7).cache.reachableTime;
    const a2 = setup({}, 7).cache.reachableTime;
    const b = setup({}, 8).cache.reachableTime;
    expect(a1).toBe(a2);
    expect(a1).not.toBe(b);
  });

  it('RFC 4861 6.3.4: a new base from an RA re-randomizes within bounds; 0 is ignored', () => {
    const { cache } = setup();
    cache.setBaseReachableTime(10_000);
    expect(cache.baseReachableTime).toBe(10_000);
    expect(cache.reachableTime).toBeGreaterThanOrEqual(5_000);
    expect(cache.reachableTime).toBeLessThan(15_000);
    cache.setBaseReachableTime(0);
    expect(cache.baseReachableTime).toBe(10_000);
  });

  it('RFC 4861 6.3.4: RetransTimer from an RA paces the next resolution', () => {
    const { cache, clock, ns } = setup();
    cache.setRetransTimer(250);
    cache.resolve(A, 'p');
    clock.advance(750);
    expect(ns.map((s) => s.at)).toEqual([0, 250, 500]);
  });
});

describe('ndp -s: static (permanent) entries', () => {
  it('sends at once, never probes or expires, ignores NAs, flushes the queue of an INCOMPLETE entry', () => {
    const { clock, cache, ns, transmitted } = setup();
    cache.resolve(A, 'queued-1');
    expect(ns).toHaveLength(1);
    cache.setPermanent(A, MAC_A);
    expect(transmitted).toEqual([{ packet: 'queued-1', lladdr: MAC_A.toString() }]);
    expect(cache.resolve(A, 'p2')).toEqual({ status: 'send', lladdr: MAC_A });
    clock.advance(3_600_000);
    cache.onNeighborAdvertisement(solicitedNa(A, MAC_A2));
    expect(cache.lookup(A)).toMatchObject({ lladdr: MAC_A, permanent: true, expire: undefined });
    expect(ns).toHaveLength(1);
    expect(clock.nextDeadline()).toBeUndefined();
  });

  it('is never evicted for room; ndp -d removes it', () => {
    const { cache } = setup({ maxEntries: 2 });
    cache.setPermanent(A, MAC_A);
    cache.resolve(B, 'b');
    cache.resolve(C, 'c');
    expect(cache.lookup(A)?.permanent).toBe(true);
    expect(cache.delete(A)).toBe(true);
    expect(cache.lookup(A)).toBeUndefined();
  });
});
