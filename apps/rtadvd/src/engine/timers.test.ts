import { Ipv6Address } from '@kame/addr';
import { FakeHost, ifConfig, prefixConfig } from '../../test/support/fake-host';
import { rsBytes } from '../../test/support/nd';
import { RtadvdEngine } from './rtadvd-engine';

const LL = Ipv6Address.parse('fe80::2');

function setup(seed = 1, cfg = ifConfig('ne0', { prefixes: [prefixConfig('2001:db8:1::/64')] })) {
  const host = new FakeHost(seed).addIf('ne0');
  const engine = new RtadvdEngine(host, [cfg]);
  engine.start();
  return { host, engine };
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

function solicit(engine: RtadvdEngine, ifname = 'ne0', src = LL): void {
  engine.input({ ifname, src, hoplimit: 255, data: rsBytes() });
}

describe('periodic RAs (RFC 4861 6.2.4, KAME ra_timer_update)', () => {
  it('RFC 4861 6.2.4: the first 3 RAs are at most MAX_INITIAL_RTR_ADVERT_INTERVAL (16 s) apart', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { host, engine } = setup(seed);
      host.clock.advance(16_000 * 3);
      const t = host.sentTimes('ne0');
      expect(t.length).toBeGreaterThanOrEqual(3);
      // default MinRtrAdvInterval is 200 s > 16: every initial interval is clamped to exactly 16 s
      expect(t.slice(0, 3)).toEqual([16_000, 32_000, 48_000]);
      engine.stop();
    }
  });

  it('RFC 4861 6.2.4: after the initial RAs, whole-second intervals in [MinRtrAdvInterval, MaxRtrAdvInterval)', () => {
    const { host, engine } = setup(
      3,
      ifConfig('ne0', { maxInterval: 30, minInterval: 10, routerLifetime: 90 }),
    );
    host.clock.advance(3600_000);
    const g = gaps(host.sentTimes('ne0'));
    expect(g.length).toBeGreaterThan(100);
    const initial = g.slice(0, 2);
    for (const x of initial) expect(x).toBeLessThanOrEqual(16_000);
    const later = g.slice(2);
    for (const x of later) {
      expect(x % 1000).toBe(0);
      expect(x).toBeGreaterThanOrEqual(10_000);
      expect(x).toBeLessThan(30_000);
    }
    // random, not constant: several distinct values
    expect(new Set(later).size).toBeGreaterThan(5);
    expect(engine.interface('ne0')!.stats.raOutput).toBe(g.length + 1);
    engine.stop();
  });

  it('IMPLEMENTATION 1.5: initial intervals below 16 s are not clamped up (min 3, max 4)', () => {
    const { host, engine } = setup(1, ifConfig('ne0', { maxInterval: 4, minInterval: 3, routerLifetime: 0 }));
    host.clock.advance(30_000);
    for (const x of host.sentTimes('ne0')) expect(x % 3000).toBe(0);
    engine.stop();
  });

  it('RFC 4861 6.2.2: the RA leaves for ff02::1 with router lifetime, hop limit and prefix from the config', () => {
    const { host, engine } = setup();
    host.clock.advance(16_000);
    expect(host.sent).toHaveLength(1);
    const ra = host.sent[0]!.ra;
    expect(ra.routerLifetime).toBe(1800);
    expect(ra.curHopLimit).toBe(64);
    expect(ra.options.map((o) => o.kind)).toEqual(['sourceLinkAddr', 'prefixInfo']);
    engine.stop();
  });

  it('KAME ra_output: nothing is sent while the interface is down, and sending resumes without -s tracking', () => {
    const { host, engine } = setup();
    host.setUp('ne0', false);
    host.clock.advance(60_000);
    expect(host.sent).toHaveLength(0);
    host.setUp('ne0', true);
    host.clock.advance(16_000);
    expect(host.sent).toHaveLength(1);
    engine.stop();
  });

  it('KAME rtmsg_input: UP->DOWN stops the timer, DOWN->UP restarts the initial fast RAs', () => {
    const { host, engine } = setup();
    host.clock.advance(16_000 * 5);
    const before = host.sent.length;
    expect(engine.interface('ne0')!.initcounter).toBe(3);
    host.setUp('ne0', false);
    engine.onInterfaceChange('ne0');
    expect(engine.interface('ne0')!.timer).toBeUndefined();
    expect(host.logger.messages('info')).toContain('<rtmsg_input> interface ne0 becomes down. stop timer.');
    host.clock.advance(3600_000);
    expect(host.sent.length).toBe(before);
    host.setUp('ne0', true);
    engine.onInterfaceChange('ne0');
    expect(engine.interface('ne0')!.initcounter).toBe(0);
    const t0 = host.clock.now();
    host.clock.advance(48_000);
    expect(host.sent.slice(before).map((s) => s.time - t0)).toEqual([16_000, 32_000, 48_000]);
    engine.stop();
  });
});

describe('Router Solicitations (RFC 4861 6.2.6, KAME rs_input / set_short_delay)', () => {
  it('RFC 4861 6.2.6: an RS is answered by a multicast RA within MAX_RA_DELAY_TIME (0.5 s)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { host, engine } = setup(seed);
      // initial RAs at 16, 32, 48 s; the next is due >= 200 s later (MinRtrAdvInterval)
      host.clock.advance(100_000);
      expect(host.sentTimes('ne0')).toEqual([16_000, 32_000, 48_000]);
      solicit(engine);
      host.clock.advance(500);
      const t = host.sentTimes('ne0');
      expect(t).toHaveLength(4);
      expect(t[3]!).toBeGreaterThanOrEqual(100_000);
      expect(t[3]!).toBeLessThan(100_500);
      expect(engine.interface('ne0')!.stats.rsInput).toBe(1);
      // the periodic schedule resumes from the reply: MinRtrAdvInterval (200 s) or more
      host.clock.advance(199_000);
      expect(host.sentTimes('ne0')).toHaveLength(4);
      engine.stop();
    }
  });

  it('RFC 4861 6.2.6: the delay is random (different seeds, different delays), sub-second', () => {
    const delays = new Set<number>();
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const host = new FakeHost(seed).addIf('ne0');
      const engine = new RtadvdEngine(host, [ifConfig('ne0')]);
      engine.start();
      host.clock.advance(5_000); // first RA at 16 s: none sent yet, no MIN_DELAY rule
      solicit(engine);
      const t0 = host.clock.now();
      host.clock.advance(1_000);
      expect(host.sent).toHaveLength(1);
      const d = host.sent[0]!.time - t0;
      expect(d).toBeLessThan(500);
      delays.add(d);
      engine.stop();
    }
    expect(delays.size).toBeGreaterThan(3);
  });

  it('RFC 4861 6.2.6: the reply is never later than the RA already scheduled', () => {
    const host = new FakeHost(5).addIf('ne0');
    const engine = new RtadvdEngine(host, [ifConfig('ne0')]);
    engine.start();
    host.clock.advance(15_900); // the first RA is due at 16 s: 100 ms left
    solicit(engine);
    host.clock.advance(100);
    expect(host.sentTimes('ne0')).toEqual([16_000]);
    engine.stop();
  });

  it('RFC 4861 6.2.6: MIN_DELAY_BETWEEN_RAS: a reply comes no sooner than 3 s after the last multicast RA', () => {
    for (const seed of [1, 2, 3, 4]) {
      const { host, engine } = setup(seed);
      host.clock.advance(16_000); // RA #1 at 16 s
      host.clock.advance(1_000); // 1 s later
      solicit(engine);
      host.clock.advance(4_000);
      const t = host.sentTimes('ne0');
      expect(t[1]).toBeDefined();
      expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(3_000);
      expect(t[1]! - t[0]!).toBeLessThan(3_500);
      engine.stop();
    }
  });

  it('KAME rs_input: solicitations while a reply is pending coalesce into one RA (waiting)', () => {
    const { host, engine } = setup(2);
    host.clock.advance(5_000);
    for (let i = 0; i < 20; i++) solicit(engine, 'ne0', Ipv6Address.parse(`fe80::${i + 1}`));
    expect(engine.interface('ne0')!.waiting).toBe(20);
    host.clock.advance(600);
    expect(host.sent).toHaveLength(1);
    expect(engine.interface('ne0')!.waiting).toBe(0);
    expect(engine.interface('ne0')!.stats.rsInput).toBe(20);
    // after the reply the periodic schedule resumes (initial interval clamp: 16 s)
    const t = host.clock.now();
    host.clock.advance(16_000);
    expect(host.sent).toHaveLength(2);
    expect(host.sent[1]!.time - t).toBeLessThanOrEqual(16_000);
    engine.stop();
  });

  it('RFC 4861 6.2.6: an RS from :: (no SLLA) is answered too', () => {
    const { host, engine } = setup(2);
    host.clock.advance(5_000);
    solicit(engine, 'ne0', Ipv6Address.UNSPECIFIED);
    host.clock.advance(600);
    expect(host.sent).toHaveLength(1);
    engine.stop();
  });
});

describe('SIGTERM (RFC 4861 6.2.5, KAME die())', () => {
  it('RFC 4861 6.2.5: 3 final RAs with router lifetime 0, MIN_DELAY_BETWEEN_RAS apart, then resolves', async () => {
    const host = new FakeHost(1).addIf('ne0').addIf('ne1', { lladdr: '00:00:5e:00:53:02' });
    const engine = new RtadvdEngine(host, [ifConfig('ne0'), ifConfig('ne1')]);
    engine.start();
    host.clock.advance(100_000);
    const before = host.sent.length;
    let done = false;
    const p = engine.shutdown().then(() => {
      done = true;
    });
    const t0 = host.clock.now();
    host.clock.advance(8_999);
    await Promise.resolve();
    expect(done).toBe(false);
    host.clock.advance(1);
    await p;
    expect(done).toBe(true);
    const finals = host.sent.slice(before);
    expect(finals).toHaveLength(6);
    for (const f of finals) expect(f.ra.routerLifetime).toBe(0);
    expect(finals.filter((f) => f.ifname === 'ne0').map((f) => f.time - t0)).toEqual([0, 3000, 6000]);
    expect(finals.filter((f) => f.ifname === 'ne1').map((f) => f.time - t0)).toEqual([0, 3000, 6000]);
    // nothing more afterwards, RSs ignored
    solicit(engine);
    host.clock.advance(3600_000);
    expect(host.sent.length).toBe(before + 6);
    expect(host.clock.pendingTimers).toBe(0);
  });
});

describe('routing socket prefix tracking (KAME rtmsg_input, reference 1.5)', () => {
  function learning() {
    const host = new FakeHost(1).addIf('ne0', { addresses: ['fe80::1/64', '2001:db8:1::1/64'] });
    const engine = new RtadvdEngine(host, [ifConfig('ne0')]);
    engine.start();
    host.clock.advance(100_000);
    return { host, engine };
  }
  const pios = (host: FakeHost) =>
    host.sent[host.sent.length - 1]!.ra.options.flatMap((o) => (o.kind === 'prefixInfo' ? [o] : []));

  it('KAME get_prefix: without addr*, prefixes come from the interface addresses (not link-local)', () => {
    const { host, engine } = learning();
    expect(pios(host).map((p) => `${p.prefix}/${p.prefixLength}`)).toEqual(['2001:db8:1::/64']);
    expect(engine.interface('ne0')!.prefixes[0]!.origin).toBe('KERNEL');
    engine.stop();
  });

  it('KAME invalidate_prefix: a deleted prefix is advertised with zero lifetimes for 2 h, then removed', () => {
    const { host, engine } = learning();
    const t0 = host.clock.now();
    engine.onRouteDelete('ne0', Ipv6Address.parse('2001:db8:1::'), 64);
    // prefix change: fast RAs again, the first after a short delay
    host.clock.advance(3_500);
    expect(host.sent[host.sent.length - 1]!.time - t0).toBeLessThan(3_500);
    const p = pios(host)[0]!;
    expect([p.validLifetime, p.preferredLifetime]).toEqual([0, 0]);
    host.clock.runUntil(t0 + 7200_000 - 1);
    expect(engine.interface('ne0')!.prefixes).toHaveLength(1);
    const last = pios(host)[0]!;
    expect([last.validLifetime, last.preferredLifetime]).toEqual([0, 0]);
    host.clock.runUntil(t0 + 7200_000);
    expect(engine.interface('ne0')!.prefixes).toHaveLength(0);
    host.clock.advance(700_000);
    expect(pios(host)).toEqual([]);
    expect(host.logger.messages('info')).toContain(
      '<delete_prefix> prefix 2001:db8:1::/64 was deleted on ne0',
    );
    engine.stop();
  });

  it('KAME update_prefix: a prefix re-added while invalidated is advertised again with its lifetimes', () => {
    const { host, engine } = learning();
    engine.onRouteDelete('ne0', Ipv6Address.parse('2001:db8:1::'), 64);
    host.clock.advance(600_000);
    engine.onRouteAdd('ne0', Ipv6Address.parse('2001:db8:1::'), 64);
    expect(engine.interface('ne0')!.initcounter).toBe(0);
    host.clock.advance(4_000);
    const p = pios(host)[0]!;
    expect([p.validLifetime, p.preferredLifetime]).toEqual([2592000, 604800]);
    host.clock.advance(7200_000);
    expect(engine.interface('ne0')!.prefixes).toHaveLength(1);
    engine.stop();
  });

  it('KAME make_prefix: an RTM_ADD of a new interface route adds a DYNAMIC prefix at the head of the list', () => {
    const { host, engine } = learning();
    engine.onRouteAdd('ne0', Ipv6Address.parse('2001:db8:2::'), 64);
    host.clock.advance(4_000);
    expect(pios(host).map((p) => `${p.prefix}/${p.prefixLength}`)).toEqual([
      '2001:db8:2::/64',
      '2001:db8:1::/64',
    ]);
    expect(engine.interface('ne0')!.prefixes[0]!.origin).toBe('DYNAMIC');
    engine.stop();
  });

  it('KAME rtmsg_input: prefix lengths outside 4..127 and link-local routes are ignored', () => {
    const { host, engine } = learning();
    engine.onRouteAdd('ne0', Ipv6Address.parse('2001:db8:3::1'), 128);
    engine.onRouteAdd('ne0', Ipv6Address.parse('2000::'), 3);
    engine.onRouteAdd('ne0', Ipv6Address.parse('fe80::'), 64);
    expect(engine.interface('ne0')!.prefixes).toHaveLength(1);
    expect(engine.interface('ne0')!.initcounter).toBe(3); // no prefix change: no fast RAs
    expect(host.logger.messages('info')).toEqual([
      '<rtmsg_input> prefix length 128 on ne0 is invalid (must be 4..127)',
      '<rtmsg_input> prefix length 3 on ne0 is invalid (must be 4..127)',
    ]);
    engine.stop();
  });

  it('every table has a bound: at most MAXPREFIX (100) prefixes per interface, the rest counted', () => {
    const { host, engine } = learning();
    for (let i = 0; i < 150; i++)
      engine.onRouteAdd('ne0', Ipv6Address.parse(`2001:db8:100:${i.toString(16)}::`), 64);
    expect(engine.interface('ne0')!.prefixes).toHaveLength(100);
    expect(engine.counters.prefixTableFull).toBe(51);
    host.clock.advance(100_000);
    engine.stop();
  });
});
