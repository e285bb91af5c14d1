import { Ipv6Address } from '@kame/addr';
import { FakeHost, ifConfig, prefixConfig } from '../../test/support/fake-host';
import { raBytes, rsBytes } from '../../test/support/nd';
import { ctime } from './dump';
import { RtadvdEngine } from './rtadvd-engine';

describe('dump file (KAME dump.c, reference 1.7)', () => {
  it('ctime(3) format: day-of-month padded with a space', () => {
    expect(ctime(Date.UTC(2026, 10, 6, 9, 5, 3))).toBe('Fri Nov  6 09:05:03 2026');
    expect(ctime(Date.UTC(2026, 10, 26, 12, 15, 3, 999))).toBe('Thu Nov 26 12:15:03 2026');
  });

  it('reference 1.7: golden dump of two interfaces (sent RAs, timers, statistics, prefixes, routes)', () => {
    const host = new FakeHost(3)
      .addIf('ne0', { mtu: 1500, lladdr: '00:0a:5e:00:53:01', addresses: ['fe80::1/64', '2001:db8:1::1/64'] })
      .addIf('ne1', { mtu: 1500, lladdr: '00:00:5e:00:53:02', up: false });
    const engine = new RtadvdEngine(host, [
      ifConfig('ne0', { clockSkew: 5, managed: true }),
      ifConfig('ne1', {
        maxInterval: 30,
        minInterval: 10,
        routerLifetime: 90,
        other: true,
        preference: 1,
        linkMtu: 1480,
        reachableTimeMs: 30000,
        retransTimerMs: 1000,
        learnPrefixes: false,
        prefixes: [
          prefixConfig('2001:db8:10::/64'),
          prefixConfig('2001:db8:11::/64', {
            validLifetime: 0xffffffff,
            preferredLifetime: 86400,
            preferredLifetimeDecrements: true,
            autonomous: false,
          }),
        ],
        routes: [
          { prefix: Ipv6Address.parse('2001:db8:100::'), prefixLength: 48, preference: 3, lifetime: 900 },
          { prefix: Ipv6Address.parse('::'), prefixLength: 0, preference: 0, lifetime: 0xffffffff },
        ],
      }),
    ]);
    engine.start();
    host.clock.advance(20_000);
    engine.input({ ifname: 'ne0', src: Ipv6Address.parse('fe80::2'), hoplimit: 255, data: rsBytes() });
    engine.input({
      ifname: 'ne0',
      src: Ipv6Address.parse('fe80::3'),
      hoplimit: 255,
      data: raBytes({ curHopLimit: 1 }),
    });
    engine.onRouteAdd('ne0', Ipv6Address.parse('2001:db8:2::'), 64);
    engine.onRouteDelete('ne0', Ipv6Address.parse('2001:db8:1::'), 64);
    host.clock.advance(1_000);
    expect(engine.dump()).toMatchSnapshot();
    expect(engine.dump(['ne1'])).toBe(engine.dump().slice(engine.dump().indexOf('ne1:\n')));
    engine.stop();
  });
});

describe('reload, enable, disable (FreeBSD rtadvd SIGHUP / rtadvctl)', () => {
  function running() {
    const host = new FakeHost(1).addIf('ne0').addIf('ne1', { lladdr: '00:00:5e:00:53:02' });
    const cfg0 = ifConfig('ne0', { prefixes: [prefixConfig('2001:db8:1::/64')] });
    const cfg1 = ifConfig('ne1', { prefixes: [prefixConfig('2001:db8:2::/64')] });
    const engine = new RtadvdEngine(host, [cfg0, cfg1]);
    engine.start();
    host.clock.advance(100_000);
    return { host, engine, cfg0, cfg1 };
  }

  it('FreeBSD rtadvd(8): a changed entry sends one RA of the old config with lifetime 0, then the new one fast', () => {
    const { host, engine, cfg0, cfg1 } = running();
    const before = host.sent.length;
    const r = engine.reload([cfg0, { ...cfg1, prefixes: [prefixConfig('2001:db8:3::/64')] }]);
    expect(r).toEqual({ changed: ['ne1'], unchanged: ['ne0'], added: [], removed: [] });
    const goodbye = host.sent.slice(before);
    expect(goodbye).toHaveLength(1);
    expect(goodbye[0]!.ifname).toBe('ne1');
    expect(goodbye[0]!.ra.routerLifetime).toBe(0);
    const pio = goodbye[0]!.ra.options.find((o) => o.kind === 'prefixInfo');
    expect(pio && pio.kind === 'prefixInfo' && pio.prefix.toString()).toBe('2001:db8:2::');
    const t0 = host.clock.now();
    host.clock.advance(48_000);
    const fresh = host.sent.slice(before + 1).filter((s) => s.ifname === 'ne1');
    expect(fresh.map((s) => s.time - t0)).toEqual([16_000, 32_000, 48_000]);
    for (const s of fresh) {
      expect(s.ra.routerLifetime).toBe(1800);
      const p = s.ra.options.find((o) => o.kind === 'prefixInfo');
      expect(p && p.kind === 'prefixInfo' && p.prefix.toString()).toBe('2001:db8:3::');
    }
    // the unchanged interface kept its state (no fast RAs)
    expect(engine.interface('ne0')!.initcounter).toBe(3);
    engine.stop();
  });

  it('FreeBSD rtadvd(8): a reload refused by a check keeps the old configuration', () => {
    const { host, engine, cfg0, cfg1 } = running();
    host.forwardingOn = false;
    expect(() => engine.reload([cfg0, { ...cfg1, routerLifetime: 1200 }])).toThrow(
      /non zero router lifetime/,
    );
    expect(engine.interface('ne1')!.config).toBe(cfg1);
    engine.stop();
  });

  it('rtadvctl(8) disable: one RA with lifetime 0, then no RA and no RS answer; enable restarts fast RAs', () => {
    const { host, engine } = running();
    const before = host.sent.length;
    engine.disable('ne0');
    expect(host.sent.slice(before).map((s) => [s.ifname, s.ra.routerLifetime])).toEqual([['ne0', 0]]);
    engine.input({ ifname: 'ne0', src: Ipv6Address.parse('fe80::2'), hoplimit: 255, data: rsBytes() });
    host.clock.advance(3600_000);
    expect(host.sent.slice(before + 1).filter((s) => s.ifname === 'ne0')).toHaveLength(0);
    expect(engine.dump(['ne0'])).toContain('  RA timer is stopped\n');
    engine.enable('ne0');
    const t0 = host.clock.now();
    host.clock.advance(16_000);
    const back = host.sent.filter((s) => s.ifname === 'ne0' && s.time > t0);
    expect(back.map((s) => s.time - t0)).toEqual([16_000]);
    expect(() => engine.enable('ne7')).toThrow('ne7 is not an advertising interface');
    engine.stop();
  });
});
