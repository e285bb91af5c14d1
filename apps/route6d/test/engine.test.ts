import { Ipv6Address } from '@kame/addr';
import { ripng } from '@kame/wire';
import { stubPrefix } from './support/fabric';
import { nh, request, response, rte, rteMap, solo, started } from './support/solo';

const NEIGHBOUR = 'fe80::99';

describe('timers (RFC 2080 2.3; route6d.h)', () => {
  it('route6d: a whole-table REQUEST on every usable interface at start, none on loopback', () => {
    const { f, x } = solo();
    x.addIface('nolink', { linkLocal: undefined });
    x.addIface('down0', { up: false });
    f.start();
    const reqs = x.sent.filter((s) => s.packet.command === 'request');
    expect(reqs.map((s) => s.ifname).sort()).toEqual(['eth0', 'eth1', 'stub0']);
    for (const r of reqs) {
      expect(r.time).toBe(0);
      expect(r.dst.toString()).toBe('ff02::9');
      expect(r.port).toBe(521);
      expect(r.packet.rtes).toEqual([rte('::/0', 16)]);
    }
    expect(x.responses().length).toBe(0);
    expect(x.logger.lines).toContain('warning: No ifindex found at nolink (no link-local address?)');
  });

  it('route6d INIT_INTERVAL6: the first update 10 s ±50 % after start', () => {
    const firsts: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const { f, x } = started({}, seed);
      f.run(16_000);
      const r = x.responses();
      expect(r.length).toBeGreaterThan(0);
      firsts.push(r[0]!.time);
    }
    expect(Math.min(...firsts)).toBeGreaterThanOrEqual(5_000);
    expect(Math.max(...firsts)).toBeLessThanOrEqual(15_000);
    // Jittered, not fixed.
    expect(Math.max(...firsts) - Math.min(...firsts)).toBeGreaterThan(5_000);
  });

  it('RFC 2080 2.3: periodic updates every 30 s ± 15 s, on every interface', () => {
    const { f, x } = started({}, 9);
    f.run(3_600_000);
    const times = [...new Set(x.responses(0, 'eth0').map((s) => s.time))];
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.length).toBeGreaterThan(80);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(15_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(45_000);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeGreaterThan(27_000);
    expect(mean).toBeLessThan(33_000);
    expect(x.responses(0, 'eth1').length).toBe(times.length);
    expect(x.engine.stats.periodicUpdates).toBe(times.length);
  });

  it('RFC 2080 2.3: a learned route times out after 180 s and is deleted 120 s later', () => {
    const { f, x } = started();
    f.run(20_000);
    x.inject('eth0', { data: response(rte('2001:db8:77::/48', 3)) });
    const t0 = f.clock.now();
    expect(x.metric('2001:db8:77::/48')).toBe(4);
    f.clock.runUntil(t0 + 179_999);
    expect(x.metric('2001:db8:77::/48')).toBe(4);
    f.clock.runUntil(t0 + 180_000 + 45_000);
    expect(x.metric('2001:db8:77::/48')).toBe(16);
    expect(x.fib.has('2001:db8:77::/48')).toBe(false);
    f.clock.runUntil(t0 + 299_999);
    expect(x.engine.route('2001:db8:77::/48')).toBeDefined();
    f.clock.runUntil(t0 + 300_000 + 45_000);
    expect(x.engine.route('2001:db8:77::/48')).toBeUndefined();
  });
});

describe('triggered updates (RFC 2080 2.5.1)', () => {
  /** Starts, waits for the first periodic update plus 1 s, returns the time. */
  function settle(opts: Parameters<typeof started>[0]) {
    const r = started(opts, 4);
    r.f.clock.runUntilTrue(() => r.x.responses().length > 0, 20_000);
    r.f.run(1_000);
    return { ...r, t0: r.f.clock.now() };
  }
  const burst = (x: ReturnType<typeof settle>['x'], f: ReturnType<typeof settle>['f']): void => {
    for (let i = 1; i <= 4; i++) {
      x.inject('eth0', { data: response(rte(`2001:db8:${i}0::/48`, 1)) });
      f.run(100);
    }
  };

  it('RFC 2080 2.5.1 (default): one at once, further changes held 1-5 s and sent together', () => {
    const { f, x, t0 } = settle({});
    burst(x, f);
    f.run(5_000);
    const sent = x.responses(t0, 'eth1');
    expect(sent.length).toBe(2);
    expect(sent[0]!.time).toBe(t0);
    expect([...rteMap(sent[0]!.packet.rtes).keys()]).toEqual(['2001:db8:10::/48']);
    const gap = sent[1]!.time - t0;
    expect(gap).toBeGreaterThanOrEqual(1_000);
    expect(gap).toBeLessThanOrEqual(5_000);
    expect([...rteMap(sent[1]!.packet.rtes).keys()].sort()).toEqual([
      '2001:db8:20::/48',
      '2001:db8:30::/48',
      '2001:db8:40::/48',
    ]);
    // Only changed routes are in a triggered update (the stub is not).
    expect(rteMap(sent[1]!.packet.rtes).has(stubPrefix(1))).toBe(false);
    expect(x.engine.stats.triggeredUpdates).toBe(2);
  });

  it('route6d.8 NOTES (kame mode): each change sent at once, not on the receiving interface', () => {
    const { f, x, t0 } = settle({ triggered: 'kame' });
    burst(x, f);
    const sent = x.responses(t0, 'eth1');
    expect(sent.map((s) => s.time - t0)).toEqual([0, 100, 200, 300]);
    expect(x.responses(t0, 'eth0').length).toBe(0);
  });

  it('kame mode: no triggered update when the periodic one is due within 5 s', () => {
    const { f, x } = started({ triggered: 'kame' }, 4);
    f.clock.runUntilTrue(() => x.responses().length > 0, 20_000);
    const first = x.responses()[0]!.time;
    // Find the next periodic update time, then act 2 s before it.
    f.clock.runUntilTrue(() => x.responses(first + 1).length > 0, 50_000);
    const second = x.responses(first + 1)[0]!.time;
    expect(second).toBe(f.clock.now());
    f.clock.runUntilTrue(() => x.responses(second + 1).length > 0, 50_000);
    const third = x.responses(second + 1)[0]!.time;
    // Re-run the same seed up to 2 s before the third update.
    const r = started({ triggered: 'kame' }, 4);
    r.f.clock.runUntil(third - 2_000);
    const before = r.x.responses().length;
    r.x.inject('eth0', { data: response(rte('2001:db8:55::/48', 1)) });
    expect(r.x.responses().length).toBe(before);
    expect(r.x.metric('2001:db8:55::/48')).toBe(2);
  });
});

describe('requests (RFC 2080 2.4.1)', () => {
  it('whole-table request from rip6query (other port, global source): answered by unicast, sized for 1280', () => {
    const { f, x } = started();
    const rtes = [];
    for (let i = 0; i < 100; i++) rtes.push(rte(`2001:db8:${(0x100 + i).toString(16)}::/48`, 3));
    x.inject('eth0', { data: response(...rtes) });
    const t0 = f.clock.now();
    x.inject('eth1', {
      src: Ipv6Address.parse('2001:db8:ffff::9'),
      srcPort: 40000,
      dst: Ipv6Address.parse('2001:db8:1::1'),
      hopLimit: 60,
      data: request(rte('::/0', 16)),
    });
    const r = x.sent.filter((s) => s.time >= t0 && s.port === 40000);
    // 101 routes; (1280 - 52) / 20 = 61 per packet, not the 72 of eth1's MTU 1500.
    expect(r.map((s) => s.packet.rtes.length)).toEqual([61, 40]);
    for (const s of r) {
      expect(s.dst.toString()).toBe('2001:db8:ffff::9');
      expect(s.ifname).toBe('eth1');
    }
    const m = rteMap(r.flatMap((s) => s.packet.rtes));
    expect(m.get(stubPrefix(1))).toBe(1);
    expect(m.get('2001:db8:100::/48')).toBe(4);
    expect(x.engine.stats.requestsAnswered).toBe(1);
  });

  it('whole-table request on the learning interface: split horizon applies', () => {
    const { x } = started();
    x.inject('eth0', { data: response(rte('2001:db8:77::/48', 3)) });
    x.inject('eth0', { src: Ipv6Address.parse('fe80::98'), data: request(rte('::/0', 16)) });
    const last = x.sent[x.sent.length - 1]!;
    expect(last.dst.toString()).toBe('fe80::98');
    expect(rteMap(last.packet.rtes).has('2001:db8:77::/48')).toBe(false);
  });

  it('specific request: our metric or 16 for each RTE, without split horizon', () => {
    const { x } = started();
    x.inject('eth0', { data: response(rte('2001:db8:77::/48', 3)) });
    x.inject('eth0', {
      src: Ipv6Address.parse('fe80::98'),
      srcPort: 3000,
      data: request(rte('2001:db8:77::/48', 0, 5), rte('2001:db8:88::/48', 1)),
    });
    const last = x.sent[x.sent.length - 1]!;
    expect(last.port).toBe(3000);
    expect(last.packet.command).toBe('response');
    expect(last.packet.rtes).toEqual([rte('2001:db8:77::/48', 4, 5), rte('2001:db8:88::/48', 16)]);
  });

  it('an empty table still answers a whole-table request (with no RTEs)', () => {
    const { f, x } = solo();
    x.ifaces.splice(
      x.ifaces.findIndex((i) => i.name === 'stub0'),
      1,
    );
    f.start();
    x.inject('eth0', { srcPort: 4000, data: request(rte('::/0', 16)) });
    const last = x.sent[x.sent.length - 1]!;
    expect(last.port).toBe(4000);
    expect(last.packet.rtes).toEqual([]);
  });
});

describe('output packing (RFC 2080 2.5.2; route6d maxrte)', () => {
  it('maxrte = (mtu - 40 - 8 - 4) / 20: 72 RTEs per packet at MTU 1500', () => {
    const { f, x } = started();
    const rtes = [];
    for (let i = 0; i < 150; i++) rtes.push(rte(`2001:db8:${(0x100 + i).toString(16)}::/48`, 1));
    x.inject('eth0', { data: response(...rtes) });
    const t0 = f.clock.now();
    f.clock.runUntilTrue(() => x.responses(t0 + 6_000, 'eth1').length > 0, 60_000);
    const t1 = x.responses(t0 + 6_000, 'eth1')[0]!.time;
    const periodic = x.responses(t1, 'eth1');
    expect(periodic.map((s) => s.packet.rtes.length)).toEqual([72, 72, 7]);
    for (const s of periodic) expect(s.bytes.length).toBeLessThanOrEqual(1500 - 48);
    const all = new Map(periodic.flatMap((s) => [...rteMap(s.packet.rtes)]));
    expect(all.size).toBe(151);
  });

  it('smaller MTU, smaller packets', () => {
    const { f, x } = solo();
    x.iface('eth1').mtu = 1280;
    f.start();
    const rtes = [];
    for (let i = 0; i < 100; i++) rtes.push(rte(`2001:db8:${(0x100 + i).toString(16)}::/48`, 1));
    x.inject('eth0', { data: response(...rtes) });
    const trig = x.responses(0, 'eth1');
    expect(trig.map((s) => s.packet.rtes.length)).toEqual([61, 39]);
  });

  it('RFC 2080 2.1.1: next-hop RTEs group routes by gateway and repeat after a packet break (-h)', () => {
    const { f, x } = started({ splitHorizon: 'off' });
    const g1 = [];
    const g2 = [];
    for (let i = 0; i < 50; i++) g1.push(rte(`2001:db8:${(0x100 + i).toString(16)}::/48`, 1));
    for (let i = 0; i < 50; i++) g2.push(rte(`2001:db8:${(0x200 + i).toString(16)}::/48`, 1));
    x.inject('eth0', { src: Ipv6Address.parse('fe80::a'), data: response(...g1) });
    x.inject('eth0', { src: Ipv6Address.parse('fe80::b'), data: response(...g2) });
    const t0 = f.clock.now() + 6_000;
    f.clock.runUntilTrue(() => x.responses(t0, 'eth0').length > 0, 60_000);
    const pkts = x.responses(t0, 'eth0').map((s) => s.packet.rtes);
    expect(pkts.every((p) => p.length <= 72)).toBe(true);
    // Decode next hops the way a receiver does.
    const via = new Map<string, string>();
    for (const p of pkts) {
      let cur = '::';
      for (const e of p) {
        if (e.metric === 0xff) cur = e.prefix.toString();
        else via.set(`${e.prefix.toString()}/${e.prefixLength}`, cur);
      }
    }
    expect(via.get(stubPrefix(1))).toBe('::');
    for (const e of g1) expect(via.get(`${e.prefix.toString()}/48`)).toBe('fe80::a');
    for (const e of g2) expect(via.get(`${e.prefix.toString()}/48`)).toBe('fe80::b');
    // A receiver applying these would use the gateways directly.
    const nhCount = pkts.flat().filter((e) => e.metric === 0xff).length;
    expect(nhCount).toBeGreaterThanOrEqual(2);
    expect(nhCount).toBeLessThanOrEqual(4);
  });

  it('RFC 2080 2.1.1: received next-hop RTEs are used; :: resets to the sender; a global one is ignored', () => {
    const { x } = started();
    x.inject('eth0', {
      data: response(
        nh('fe80::1:2'),
        rte('2001:db8:a::/48', 1),
        nh('::'),
        rte('2001:db8:b::/48', 1),
        nh('2001:db8::5'),
        rte('2001:db8:c::/48', 1),
      ),
    });
    expect(x.engine.route('2001:db8:a::/48')!.gateway.toString()).toBe('fe80::1:2');
    expect(x.engine.route('2001:db8:b::/48')!.gateway.toString()).toBe(NEIGHBOUR);
    expect(x.engine.route('2001:db8:c::/48')!.gateway.toString()).toBe(NEIGHBOUR);
    expect(x.engine.stats.rteInvalidNextHop).toBe(1);
    expect(x.fib.get('2001:db8:a::/48')!.gateway.toString()).toBe('fe80::1:2');
  });
});

describe('route update rules (RFC 2080 2.4.2)', () => {
  const P = '2001:db8:77::/48';
  it('metric = min(16, received + 1 + interface metric); metric 16 never creates a route', () => {
    const { x } = solo();
    x.iface('eth0').metric = 2;
    x.fabric.start();
    x.inject('eth0', { data: response(rte(P, 5), rte('2001:db8:78::/48', 16), rte('2001:db8:79::/48', 14)) });
    expect(x.metric(P)).toBe(8);
    expect(x.engine.route('2001:db8:78::/48')).toBeUndefined();
    expect(x.engine.route('2001:db8:79::/48')).toBeUndefined();
  });

  it('better metric from another router replaces; worse is ignored; worse from the same router is taken', () => {
    const { x } = started();
    x.inject('eth0', { data: response(rte(P, 5)) });
    x.inject('eth1', { src: Ipv6Address.parse('fe80::a'), data: response(rte(P, 7)) });
    expect(x.metric(P)).toBe(6);
    x.inject('eth1', { src: Ipv6Address.parse('fe80::a'), data: response(rte(P, 2)) });
    expect(x.metric(P)).toBe(3);
    expect(x.fib.get(P)!.ifname).toBe('eth1');
    expect(x.fibOps.map((o) => o.op)).toEqual(['add', 'change']);
    x.inject('eth1', { src: Ipv6Address.parse('fe80::a'), data: response(rte(P, 9)) });
    expect(x.metric(P)).toBe(10);
    x.inject('eth1', { src: Ipv6Address.parse('fe80::a'), data: response(rte(P, 16)) });
    expect(x.metric(P)).toBe(16);
    expect(x.fib.has(P)).toBe(false);
  });

  it('equal metric from another router: switch only when the current route is older than 90 s', () => {
    const { f, x } = started();
    x.inject('eth0', { data: response(rte(P, 5)) });
    f.run(80_000);
    x.inject('eth1', { src: Ipv6Address.parse('fe80::a'), data: response(rte(P, 5)) });
    expect(x.engine.route(P)!.ifname).toBe('eth0');
    f.run(11_000);
    x.inject('eth1', { src: Ipv6Address.parse('fe80::a'), data: response(rte(P, 5)) });
    expect(x.engine.route(P)!.ifname).toBe('eth1');
  });

  it('interface routes always win over learned ones', () => {
    const { x } = started();
    x.inject('eth0', { data: response(rte(stubPrefix(1), 1)) });
    expect(x.metric(stubPrefix(1))).toBe(1);
    expect(x.engine.route(stubPrefix(1))!.kind).toBe('interface');
    expect(x.fibOps).toEqual([]);
  });

  it('host bits in a received prefix are cleared; /128 host routes are kept', () => {
    const { x } = started();
    x.inject('eth0', { data: response(rte('2001:db8:77::1/48', 1), rte('2001:db8:99::5/128', 1)) });
    expect(x.metric('2001:db8:77::/48')).toBe(2);
    expect(x.metric('2001:db8:99::5/128')).toBe(2);
  });
});

describe('interfaces followed', () => {
  it('an interface coming up: its prefix is announced, a request and a full response sent on it', () => {
    const { f, x } = started();
    f.run(20_000);
    const t0 = f.clock.now();
    x.addIface('eth2', { addresses: [{ address: Ipv6Address.parse('2001:db8:e2::1'), prefixLength: 64 }] });
    x.engine.interfacesChanged();
    expect(x.metric('2001:db8:e2::/64')).toBe(1);
    const on2 = x.sent.filter((s) => s.time === t0 && s.ifname === 'eth2').map((s) => s.packet.command);
    expect(on2).toEqual(['request', 'response']);
    expect(rteMap(x.responses(t0, 'eth0')[0]!.packet.rtes).get('2001:db8:e2::/64')).toBe(1);
  });

  it('an interface going down: its routes and the routes learned through it go to 16 and are withdrawn', () => {
    const { f, x } = started();
    f.run(20_000);
    x.inject('eth0', { data: response(rte('2001:db8:77::/48', 1)) });
    f.run(6_000);
    const t0 = f.clock.now();
    x.setIface('eth0', { up: false });
    x.setIface('stub0', { up: false });
    expect(x.metric('2001:db8:77::/48')).toBe(16);
    expect(x.metric(stubPrefix(1))).toBe(16);
    expect(x.fib.has('2001:db8:77::/48')).toBe(false);
    const m = rteMap(x.responses(t0, 'eth1').flatMap((s) => s.packet.rtes));
    expect(m.get('2001:db8:77::/48')).toBe(16);
    f.run(6_000);
    expect(rteMap(x.responses(t0, 'eth1').flatMap((s) => s.packet.rtes)).get(stubPrefix(1))).toBe(16);
    f.run(400_000);
    expect(x.engine.route(stubPrefix(1))).toBeUndefined();
  });

  it('an address removed from a live interface is withdrawn; re-added, it comes back', () => {
    const { f, x } = started();
    f.run(20_000);
    const stub = x.iface('stub0');
    x.setIface('stub0', { addresses: [] });
    expect(x.metric(stubPrefix(1))).toBe(16);
    f.run(10_000);
    x.setIface('stub0', { addresses: stub.addresses });
    expect(x.metric(stubPrefix(1))).toBe(1);
    f.run(400_000);
    expect(x.metric(stubPrefix(1))).toBe(1);
  });

  it('p2p interfaces: local and peer /128 routes (KAME ifrt_p2p)', () => {
    const { f, x } = solo();
    x.addIface('gif0', {
      p2p: true,
      addresses: [
        {
          address: Ipv6Address.parse('2001:db8:f::1'),
          prefixLength: 128,
          peer: Ipv6Address.parse('2001:db8:f::2'),
        },
      ],
    });
    f.start();
    expect(x.metric('2001:db8:f::1/128')).toBe(1);
    expect(x.metric('2001:db8:f::2/128')).toBe(1);
  });
});

describe('shutdown (SIGTERM)', () => {
  it('advertises every route with metric 16 on every interface, then resolves', async () => {
    const { f, x } = started();
    f.run(20_000);
    x.inject('eth0', { data: response(rte('2001:db8:77::/48', 1)) });
    const t0 = f.clock.now();
    await x.engine.shutdown();
    const e1 = rteMap(x.responses(t0, 'eth1').flatMap((s) => s.packet.rtes));
    expect(e1).toEqual(
      new Map([
        [stubPrefix(1), 16],
        ['2001:db8:77::/48', 16],
      ]),
    );
    const e0 = rteMap(x.responses(t0, 'eth0').flatMap((s) => s.packet.rtes));
    expect(e0).toEqual(new Map([[stubPrefix(1), 16]]));
    expect(x.logger.lines).toContain('notice: **** Terminated ****');
    const n = x.sent.length;
    f.run(100_000);
    expect(x.sent.length).toBe(n);
    expect(x.engine.running).toBe(false);
    for (const s of x.sent) expect(() => ripng.parse(s.bytes)).not.toThrow();
  });
});
