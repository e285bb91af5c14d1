import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import type { KernelRouteView, Route6dOptions } from '../src/engine/index';
import { stubPrefix } from './support/fabric';
import { request, response, rte, rteMap, solo, started } from './support/solo';

const P77 = '2001:db8:77::/48';
const filter = (p: string, ...ifnames: string[]) => ({ prefix: Ipv6Prefix.parse(p), ifnames });

/** The routes x advertised on `ifname` in its next periodic update (run until it happens). */
function periodicOn(x: ReturnType<typeof started>['x'], ifname: string): Map<string, number> {
  const n = x.engine.stats.periodicUpdates;
  expect(x.fabric.clock.runUntilTrue(() => x.engine.stats.periodicUpdates > n, 60_000)).toBe(true);
  const t = x.fabric.clock.now();
  return rteMap(
    x
      .responses(t, ifname)
      .filter((s) => s.time === t)
      .flatMap((s) => s.packet.rtes),
  );
}

describe('route6d flags (route6d.8)', () => {
  it('-q: listens only: learns routes, sends nothing, still answers a diagnostic query', () => {
    const { f, x } = started({ listenOnly: true });
    x.inject('eth0', { data: response(rte(P77, 1)) });
    expect(x.metric(P77)).toBe(2);
    f.run(200_000);
    expect(x.sent).toEqual([]);
    x.inject('eth0', { data: request(rte('::/0', 16)) });
    expect(x.sent).toEqual([]);
    x.inject('eth0', { srcPort: 4321, data: request(rte('::/0', 16)) });
    expect(x.sent.length).toBe(1);
    expect(x.sent[0]!.port).toBe(4321);
  });

  it('-N eth0: neither listens nor advertises there', () => {
    const { f, x } = started({ noUse: ['eth0'] });
    x.inject('eth0', { data: response(rte(P77, 1)) });
    expect(x.engine.route(P77)).toBeUndefined();
    expect(x.engine.stats.rxNoUseInterface).toBe(1);
    f.run(200_000);
    expect(x.sent.filter((s) => s.ifname === 'eth0')).toEqual([]);
    expect(x.sent.filter((s) => s.ifname === 'eth1').length).toBeGreaterThan(3);
  });

  it('-T eth1: only a default route (metric 1, tag) on eth1; the full table elsewhere', () => {
    const { x } = started({ defaultOnly: ['eth1'], routeTag: 7 });
    x.inject('eth0', { data: response(rte(P77, 1)) });
    const t = x.fabric.clock.now();
    const on1 = x.responses(t, 'eth1');
    expect(on1).toEqual([]); // no triggered updates on a default-only interface
    expect(periodicOn(x, 'eth1')).toEqual(new Map([['::/0', 1]]));
    const p = x.responses(t, 'eth1')[0]!.packet.rtes[0]!;
    expect(p.routeTag).toBe(7);
    expect(periodicOn(x, 'stub0').get(P77)).toBe(2);
  });

  it('-t 0x1234: originated routes carry the tag; learned routes keep theirs', () => {
    const { x } = started({ routeTag: 0x1234 });
    x.inject('eth0', { data: response(rte(P77, 1, 5)) });
    const t = x.fabric.clock.now();
    periodicOn(x, 'eth1');
    const rtes = x.responses(t, 'eth1').flatMap((s) => s.packet.rtes);
    expect(rtes.find((e) => e.prefixLength === 64)!.routeTag).toBe(0x1234);
    expect(rtes.find((e) => e.prefixLength === 48)!.routeTag).toBe(5);
  });

  it('-A 2001:db8::/32,eth1: aggregate only on eth1, more-specifics suppressed there, reject route via ::1', async () => {
    const { x } = started({ aggregates: [filter('2001:db8::/32', 'eth1')], routeTag: 9 });
    expect(x.fib.get('2001:db8::/32')).toEqual({
      prefix: Ipv6Prefix.parse('2001:db8::/32'),
      gateway: Ipv6Address.LOOPBACK,
      ifname: 'lo0',
      reject: true,
      owner: 'route6d',
    });
    x.inject('eth0', { data: response(rte(P77, 1), rte('2001:db9::/32', 1)) });
    expect(periodicOn(x, 'eth1')).toEqual(
      new Map([
        ['2001:db8::/32', 1],
        ['2001:db9::/32', 2],
      ]),
    );
    const on0 = periodicOn(x, 'stub0');
    expect(on0.has('2001:db8::/32')).toBe(false);
    expect(on0.get(P77)).toBe(2);
    await x.engine.shutdown();
    expect(x.fib.has('2001:db8::/32')).toBe(false);
  });

  it('-L 2001:db8:70::/44,eth0: only routes inside it are accepted from eth0', () => {
    const { x } = started({ inputFilters: [filter('2001:db8:70::/44', 'eth0')] });
    x.inject('eth0', { data: response(rte(P77, 1), rte('2001:db8:99::/48', 1), rte('2001:db8::/32', 1)) });
    expect(x.metric(P77)).toBe(2);
    expect(x.engine.route('2001:db8:99::/48')).toBeUndefined();
    expect(x.engine.route('2001:db8::/32')).toBeUndefined();
    expect(x.engine.stats.rteFiltered).toBe(2);
    x.inject('eth1', { data: response(rte('2001:db8:99::/48', 1)) });
    expect(x.metric('2001:db8:99::/48')).toBe(2);
  });

  it('-L ::/0,eth0: exactly the default route', () => {
    const { x } = started({ inputFilters: [filter('::/0', 'eth0')] });
    x.inject('eth0', { data: response(rte('::/0', 1), rte(P77, 1)) });
    expect(x.metric('::/0')).toBe(2);
    expect(x.engine.route(P77)).toBeUndefined();
  });

  it('-L twice on one interface: OR-ed', () => {
    const { x } = started({
      inputFilters: [filter('2001:db8:70::/44', 'eth0'), filter('2001:db8:90::/44', 'eth0')],
    });
    x.inject('eth0', { data: response(rte(P77, 1), rte('2001:db8:99::/48', 1), rte('2001:db8:a0::/48', 1)) });
    expect(x.engine.routes().length).toBe(3);
  });

  it('-O 2001:db8:70::/44,eth1: only routes inside it are advertised on eth1', () => {
    const { x } = started({ outputFilters: [filter('2001:db8:70::/44', 'eth1')] });
    x.inject('eth0', { data: response(rte(P77, 1), rte('2001:db8:99::/48', 1)) });
    expect(periodicOn(x, 'eth1')).toEqual(new Map([[P77, 2]]));
    expect([...periodicOn(x, 'stub0').keys()].sort()).toEqual([P77, '2001:db8:99::/48']);
  });

  it('-l: site-local routes exchanged', () => {
    const { x } = started({ siteLocal: true });
    x.inject('eth0', { data: response(rte('fec0:1::/32', 1)) });
    expect(x.metric('fec0:1::/32')).toBe(2);
  });

  it('-n: routes learned but the kernel is not touched', () => {
    const { x } = started({ noKernel: true, aggregates: [filter('2001:db8::/32', 'eth1')] });
    x.inject('eth0', { data: response(rte(P77, 1)) });
    expect(x.metric(P77)).toBe(2);
    expect(x.fibOps).toEqual([]);
  });

  describe('kernel routes: -s, -S, -a', () => {
    const staticRoute = (over: Partial<KernelRouteView> = {}): KernelRouteView => ({
      prefix: Ipv6Prefix.parse('2001:db8:5::/48'),
      gateway: Ipv6Address.parse('fe80::5'),
      ifname: 'eth0',
      static: true,
      ...over,
    });
    const withStatic = (opts: Partial<Route6dOptions>, routes: KernelRouteView[]) => {
      const r = solo();
      r.x.kernel.push(...routes);
      r.f.start(() => opts);
      return r;
    };

    it('without -s/-S static routes are not advertised', () => {
      const { x } = withStatic({}, [staticRoute()]);
      expect(periodicOn(x, 'eth1').has('2001:db8:5::/48')).toBe(false);
    });

    it('-s: advertised except on the interface they point to', () => {
      const { x } = withStatic({ advertiseStatic: 'split' }, [staticRoute()]);
      expect(periodicOn(x, 'eth1').get('2001:db8:5::/48')).toBe(1);
      expect(periodicOn(x, 'eth0').has('2001:db8:5::/48')).toBe(false);
    });

    it('-S: advertised everywhere, including their own interface', () => {
      const { x } = withStatic({ advertiseStatic: 'all' }, [staticRoute({ hopcount: 3 })]);
      expect(periodicOn(x, 'eth1').get('2001:db8:5::/48')).toBe(3);
      expect(periodicOn(x, 'eth0').get('2001:db8:5::/48')).toBe(3);
    });

    it('reject/blackhole, link-local and our own routes are never advertised', () => {
      const { x } = withStatic({ advertiseStatic: 'all' }, [
        staticRoute({ reject: true }),
        staticRoute({ prefix: Ipv6Prefix.parse('2001:db8:6::/48'), blackhole: true }),
        staticRoute({ prefix: Ipv6Prefix.parse('fe80::/64') }),
        staticRoute({ prefix: Ipv6Prefix.parse('2001:db8:8::/48'), owner: 'route6d' }),
        staticRoute({ prefix: Ipv6Prefix.parse('2001:db8:9::/48'), static: false }),
      ]);
      expect([...periodicOn(x, 'eth1').keys()]).toEqual([stubPrefix(1)]);
    });

    it('static routes win over RIP routes and never age without -a', () => {
      const { f, x } = withStatic({ advertiseStatic: 'split' }, [staticRoute()]);
      x.inject('eth1', { data: response(rte('2001:db8:5::/48', 1)) });
      expect(x.engine.route('2001:db8:5::/48')!.kind).toBe('static');
      f.run(1_000_000);
      expect(x.metric('2001:db8:5::/48')).toBe(1);
    });

    it('-a: static routes age like learned ones', () => {
      const { f, x } = withStatic({ advertiseStatic: 'split', ageStatic: true }, [staticRoute()]);
      f.run(179_000);
      expect(x.metric('2001:db8:5::/48')).toBe(1);
      f.run(180_000 + 45_000 - 179_000);
      expect(x.metric('2001:db8:5::/48')).toBe(16);
      f.run(200_000);
      expect(x.engine.route('2001:db8:5::/48')).toBeUndefined();
    });

    it('a gateway that is not link-local is flagged NOT-LL (no next-hop optimisation)', () => {
      const { x } = withStatic({ advertiseStatic: 'all' }, [
        staticRoute({ gateway: Ipv6Address.parse('2001:db8::5') }),
      ]);
      expect(x.engine.route('2001:db8:5::/48')!.nhNotLinkLocal).toBe(true);
      expect(x.engine.dump()).toMatch(
        /2001:db8:5::\/48 if\(3:eth0\) gw\(2001:db8::5\) \[1\] age\(0\) NOT-LL/,
      );
    });

    it('routing socket: a static route added later is advertised by a triggered update; deleted, withdrawn', () => {
      const { f, x } = withStatic({ advertiseStatic: 'split' }, []);
      f.run(20_000);
      const t = f.clock.now();
      x.engine.kernelRouteAdded(staticRoute());
      expect(rteMap(x.responses(t, 'eth1').flatMap((s) => s.packet.rtes)).get('2001:db8:5::/48')).toBe(1);
      f.run(6_000);
      const t2 = f.clock.now();
      x.engine.kernelRouteDeleted(staticRoute());
      expect(rteMap(x.responses(t2, 'eth1').flatMap((s) => s.packet.rtes)).get('2001:db8:5::/48')).toBe(16);
      f.run(400_000);
      expect(x.engine.route('2001:db8:5::/48')).toBeUndefined();
    });

    it('routing socket: RTM_CHANGE of a static route updates its metric', () => {
      const { x } = withStatic({ advertiseStatic: 'split' }, [staticRoute()]);
      x.engine.kernelRouteAdded(staticRoute({ hopcount: 4 }));
      expect(x.metric('2001:db8:5::/48')).toBe(4);
    });
  });
});
