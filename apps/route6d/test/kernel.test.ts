/**
 * route6d on real emulated kernels: three KernelNodes in a line (r1 - r2 - r3)
 * on in-memory hubs, each kernel served by a KernelServer over memoryPair, a
 * route6d per node through KernelClient, in virtual time.
 */
import { Ipv6Address, Ipv6Prefix, extractScope } from '@kame/addr';
import type { KernelNode } from '@kame/stack';
import { P1, P3, type Router, buildLine, linkLocal, runFor } from './support/kernels';
import type { VirtualClock } from '@kame/time';
import type { Route6dOptions } from '../src/engine/index';

describe('route6d on emulated kernels (KernelClient over memoryPair)', () => {
  let clock: VirtualClock;
  let routers: Router[];
  let start: (r: Router, seed: number, options?: Partial<Route6dOptions>) => Promise<void>;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    const line = await buildLine();
    ({ clock, routers, start, dispose } = line);
  });

  afterEach(async () => {
    await dispose();
  });

  it('RFC 2080: routes learned over real UDP/521 multicast are installed with owner route6d', async () => {
    for (const [i, r] of routers.entries()) await start(r, 10 + i);
    const [r1, r2, r3] = routers.map((r) => r.node) as [KernelNode, KernelNode, KernelNode];
    const ok = await runFor(
      clock,
      60_000,
      () => r1.routes.get(P3) !== undefined && r3.routes.get(P1) !== undefined,
    );
    expect(ok).toBe(true);
    const rt = r1.routes.get(P3)!;
    expect(rt.owner).toBe('route6d');
    expect(rt.gateway.kind).toBe('inet6');
    if (rt.gateway.kind === 'inet6') {
      const { address, ifindex } = extractScope(rt.gateway.address);
      expect(address.equals(linkLocal(r2, 'em0'))).toBe(true);
      expect(ifindex).toBe(r1.mustIfnet('em1').index);
    }
    expect(routers[0]!.handle!.engine.route(P3)!.metric).toBe(3);
    expect(routers[1]!.handle!.engine.route(P1)!.metric).toBe(2);
    // Nothing dropped on the way: real packets pass every RFC 2080 2.4.2 check.
    for (const r of routers) {
      const s = r.handle!.engine.stats;
      expect(s.rxResponses).toBeGreaterThan(0);
      expect(s.rxBadHopLimit + s.rxBadPort + s.rxNotLinkLocal + s.rxNoHopLimit + s.rxMalformed).toBe(0);
    }
  });

  it('SIGTERM on the middle router withdraws its routes (metric 16) from both neighbours at once', async () => {
    for (const [i, r] of routers.entries()) await start(r, 20 + i);
    const [r1, , r3] = routers.map((r) => r.node) as [KernelNode, KernelNode, KernelNode];
    expect(
      await runFor(clock, 60_000, () => r1.routes.get(P3) !== undefined && r3.routes.get(P1) !== undefined),
    ).toBe(true);
    await routers[1]!.handle!.stop();
    routers[1]!.handle = undefined;
    expect(
      await runFor(clock, 1_000, () => r1.routes.get(P3) === undefined && r3.routes.get(P1) === undefined),
    ).toBe(true);
    expect(routers[0]!.handle!.engine.route(P3)!.metric).toBe(16);
  });

  it('-A: reject route via ::1 installed, the aggregate advertised instead of the /64, removed at exit', async () => {
    const r1 = routers[0]!;
    await start(routers[1]!, 31);
    await start(routers[2]!, 32);
    await start(r1, 33, { aggregates: [{ prefix: Ipv6Prefix.parse('2001:db8::/32'), ifnames: ['em1'] }] });
    await runFor(clock, 100);
    const agg = r1.node.routes.get(Ipv6Prefix.parse('2001:db8::/32'));
    expect(agg?.owner).toBe('route6d');
    expect(agg!.flags & 0x8).toBe(0x8); // RTF_REJECT
    // r2 hears the aggregate, not r1's /64.
    const r2e = routers[1]!.handle!.engine;
    expect(await runFor(clock, 60_000, () => r2e.route('2001:db8::/32') !== undefined)).toBe(true);
    expect(r2e.route(P1)).toBeUndefined();
    await r1.handle!.stop();
    r1.handle = undefined;
    await runFor(clock, 100);
    expect(r1.node.routes.get(Ipv6Prefix.parse('2001:db8::/32'))).toBeUndefined();
  });

  it('-n: routes learned, the kernel table untouched', async () => {
    await start(routers[0]!, 41, { noKernel: true });
    await start(routers[1]!, 42);
    await start(routers[2]!, 43);
    const e1 = routers[0]!.handle!.engine;
    expect(await runFor(clock, 60_000, () => e1.route(P3) !== undefined)).toBe(true);
    expect(routers[2]!.node.routes.get(P1)).toBeDefined();
    expect(routers[0]!.node.routes.get(P3)).toBeUndefined();
    expect(routers[0]!.node.routes.list().filter((r) => r.owner === 'route6d')).toEqual([]);
  });

  it('a static route added with the routing socket is advertised with -s', async () => {
    await start(routers[0]!, 51, { advertiseStatic: 'split' });
    await start(routers[1]!, 52);
    const e2 = routers[1]!.handle!.engine;
    await routers[0]!.client!.routeAdd({
      dst: { addr: Ipv6Address.parse('2001:db8:55::').bytes, length: 48 },
      gateway: { address: Ipv6Address.parse('fe80::55').bytes },
      ifindex: routers[0]!.node.mustIfnet('em0').index,
      flags: 0x800, // RTF_STATIC
      owner: 'admin',
    });
    expect(await runFor(clock, 60_000, () => e2.route('2001:db8:55::/48') !== undefined)).toBe(true);
    expect(e2.route('2001:db8:55::/48')!.metric).toBe(2);
    expect(routers[1]!.node.routes.get(Ipv6Prefix.parse('2001:db8:55::/48'))?.owner).toBe('route6d');
  });
  it('interface and address changes are followed through the mirror: down withdraws, a new prefix is announced', async () => {
    for (const [i, r] of routers.entries()) await start(r, 70 + i);
    const [r1, r2, r3] = routers.map((r) => r.node) as [KernelNode, KernelNode, KernelNode];
    expect(await runFor(clock, 60_000, () => r1.routes.get(P3) !== undefined)).toBe(true);
    // r3's stub interface goes down: r3 withdraws at once, r2 passes it on (triggered updates).
    r3.ifDown('em1');
    expect(await runFor(clock, 12_000, () => r1.routes.get(P3) === undefined)).toBe(true);
    expect(routers[0]!.handle!.engine.route(P3)!.metric).toBe(16);
    // A new global prefix on r2's em1 reaches r1.
    const P9 = Ipv6Prefix.parse('2001:db8:9::/64');
    r2.addAddress('em1', Ipv6Address.parse('2001:db8:9::2'), 64);
    expect(await runFor(clock, 12_000, () => r1.routes.get(P9) !== undefined)).toBe(true);
    expect(routers[0]!.handle!.engine.route(P9)!.metric).toBe(2);
  });
});
