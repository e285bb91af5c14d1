import { Ipv4Address, Ipv4Prefix, Ipv6Address, Ipv6Prefix, embedScope, extractScope } from '@kame/addr';
import { VirtualClock } from '@kame/time';
import { RouteError } from './route-error';
import type { RtMessage, RtRouteMsg } from './rt-msg';
import {
  RTF_BLACKHOLE,
  RTF_DONE,
  RTF_DYNAMIC,
  RTF_GATEWAY,
  RTF_HOST,
  RTF_MODIFIED,
  RTF_STATIC,
  RTF_UP,
} from './rtflags';
import { RoutingTable } from './routing-table';

const P = (s: string): Ipv6Prefix => Ipv6Prefix.parse(s);
const A = (s: string): Ipv6Address => Ipv6Address.parse(s);
const gw6 = (s: string) => ({ kind: 'inet6' as const, address: A(s) });

function setup(maxEntries?: number) {
  const clock = new VirtualClock(1000);
  const rt = new RoutingTable({ clock, maxEntries });
  const msgs: RtMessage[] = [];
  rt.subscribe((m) => msgs.push(m));
  const routeMsgs = () => msgs.filter((m): m is RtRouteMsg => 'dst' in m);
  return { clock, rt, msgs, routeMsgs };
}

function errnoOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof RouteError) return e.errno;
    throw e;
  }
  return undefined;
}

describe('RoutingTable', () => {
  it('route(4) RTM_ADD: derives UP, GATEWAY and HOST and announces the route with RTF_DONE', () => {
    const { rt, routeMsgs } = setup();
    const r = rt.add({
      dst: P('2001:db8::/32'),
      gateway: gw6('2001:db8:ff::1'),
      flags: RTF_STATIC,
      owner: 'route6d',
      metric: 3,
    });
    expect(r.flags).toBe(RTF_UP | RTF_GATEWAY | RTF_STATIC);
    const h = rt.add({ dst: P('2001:db8::5/128'), gateway: { kind: 'link', ifindex: 2 } });
    expect(h.flags).toBe(RTF_UP | RTF_HOST);
    expect(h.ifindex).toBe(2);
    const [m] = routeMsgs();
    expect(m).toMatchObject({ type: 'RTM_ADD', pid: 0, owner: 'route6d', metric: 3, seq: 1 });
    expect(m!.flags).toBe(RTF_UP | RTF_GATEWAY | RTF_STATIC | RTF_DONE);
    expect(m!.dst.toString()).toBe('2001:db8::/32');
  });

  it('route(4) EEXIST on a second RTM_ADD; a socket request also gets an errno reply', () => {
    const { rt, routeMsgs } = setup();
    rt.add({ dst: P('2001:db8::/32'), gateway: gw6('2001:db8:ff::1') });
    expect(errnoOf(() => rt.add({ dst: P('2001:db8::/32'), gateway: gw6('2001:db8:ff::2') }))).toBe('EEXIST');
    expect(routeMsgs()).toHaveLength(1); // kernel-internal failure: no message
    expect(
      errnoOf(() =>
        rt.add(
          { dst: P('2001:db8::/32'), gateway: gw6('2001:db8:ff::2') },
          { pid: 42, seq: 9, owner: 'route' },
        ),
      ),
    ).toBe('EEXIST');
    expect(routeMsgs()[1]).toMatchObject({
      type: 'RTM_ADD',
      pid: 42,
      seq: 9,
      errno: 'EEXIST',
      owner: 'route',
    });
    expect(rt.get(P('2001:db8::/32'))!.gateway).toEqual(gw6('2001:db8:ff::1'));
  });

  it('route(4) ESRCH for RTM_DELETE and RTM_CHANGE of an absent route', () => {
    const { rt } = setup();
    expect(errnoOf(() => rt.delete(P('2001:db8::/32')))).toBe('ESRCH');
    expect(errnoOf(() => rt.change(P('2001:db8::/32'), { metric: 1 }))).toBe('ESRCH');
  });

  it('route(4) ENOBUFS when the table is full, across both families', () => {
    const { rt } = setup(2);
    rt.add({ dst: P('2001:db8::/32'), gateway: gw6('2001:db8:ff::1') });
    rt.add({
      dst: Ipv4Prefix.parse('10.0.0.0/8'),
      gateway: { kind: 'inet', address: Ipv4Address.parse('192.0.2.1') },
    });
    expect(errnoOf(() => rt.add({ dst: P('2001:db8:1::/48'), gateway: gw6('2001:db8:ff::1') }))).toBe(
      'ENOBUFS',
    );
    rt.delete(Ipv4Prefix.parse('10.0.0.0/8'));
    rt.add({ dst: P('2001:db8:1::/48'), gateway: gw6('2001:db8:ff::1') });
    expect(rt.size).toBe(2);
  });

  it.each([
    [
      'an IPv4 gateway for an IPv6 destination',
      { kind: 'inet' as const, address: Ipv4Address.parse('192.0.2.1') },
      undefined,
    ],
    ['a link-local gateway with no interface (IMPLEMENTATION 1.3)', gw6('fe80::1'), undefined],
    [
      'a link-local gateway whose zone differs from the interface',
      { kind: 'inet6' as const, address: embedScope(A('fe80::1'), 1) },
      2,
    ],
    ['link#0', { kind: 'link' as const, ifindex: 0 }, undefined],
  ])('EINVAL for %s', (_name, gateway, ifindex) => {
    const { rt } = setup();
    expect(errnoOf(() => rt.add({ dst: P('2001:db8::/32'), gateway, ifindex }))).toBe('EINVAL');
  });

  it('EINVAL for an expiry that is not in the future', () => {
    const { rt, clock } = setup();
    expect(errnoOf(() => rt.add({ dst: P('::/0'), gateway: gw6('2001:db8::1'), expire: clock.now() }))).toBe(
      'EINVAL',
    );
  });

  it('IMPLEMENTATION 1.3.1: a link-local gateway is stored with the interface index embedded', () => {
    const { rt, routeMsgs } = setup();
    const r = rt.add({ dst: P('::/0'), gateway: gw6('fe80::1'), ifindex: 3, owner: 'rtsold' });
    expect(r.gateway.kind === 'inet6' && r.gateway.address.toString()).toBe('fe80:3::1');
    expect(r.ifindex).toBe(3);
    // Already embedded: the index comes from the address.
    const s = rt.add({
      dst: P('2001:db8::/32'),
      gateway: { kind: 'inet6', address: embedScope(A('fe80::2'), 4) },
    });
    expect(s.ifindex).toBe(4);
    expect(s.gateway.kind === 'inet6' && extractScope(s.gateway.address)).toEqual({
      address: A('fe80::2'),
      ifindex: 4,
    });
    // The routing socket carries the kernel form too.
    const g = routeMsgs()[0]!.gateway;
    expect(g?.kind === 'inet6' && g.address.toString()).toBe('fe80:3::1');
  });

  it('RTM_CHANGE replaces gateway and metric, keeps the rest, and is announced', () => {
    const { rt, routeMsgs } = setup();
    rt.add({
      dst: P('2001:db8::/32'),
      gateway: gw6('fe80::1'),
      ifindex: 1,
      flags: RTF_STATIC,
      owner: 'route6d',
    });
    const r = rt.change(
      P('2001:db8::/32'),
      { gateway: gw6('fe80::2'), ifindex: 2, metric: 5 },
      { pid: 7, seq: 3 },
    );
    expect(r).toMatchObject({
      ifindex: 2,
      metric: 5,
      owner: 'route6d',
      flags: RTF_UP | RTF_GATEWAY | RTF_STATIC,
    });
    expect(rt.lookup(A('2001:db8::9'))).toBe(r);
    expect(routeMsgs().map((m) => [m.type, m.pid, m.seq])).toEqual([
      ['RTM_ADD', 0, 1],
      ['RTM_CHANGE', 7, 3],
    ]);
  });

  it('route(4) LPM via lookup / lookup6, and RTM_MISS for an address with no route', () => {
    const { rt, routeMsgs } = setup();
    const a = rt.add({ dst: P('2001:db8::/32'), gateway: gw6('2001:db8:ff::1') });
    const b = rt.add({ dst: P('2001:db8:1::/48'), gateway: { kind: 'link', ifindex: 1 } });
    expect(rt.lookup(A('2001:db8:1::1'))).toBe(b);
    expect(rt.lookup(A('2001:db8:2::1'))).toBe(a);
    const hdr = new Uint8Array(40);
    hdr.set(A('2001:db8:1::7').bytes, 24);
    expect(rt.lookup6(hdr, 24)).toBe(b);
    expect(rt.lookup(A('2001:db9::1'))).toBeUndefined();
    rt.miss(A('2001:db9::1'));
    expect(routeMsgs()[2]).toMatchObject({ type: 'RTM_MISS', pid: 0 });
    expect(routeMsgs()[2]!.dst.toString()).toBe('2001:db9::1/128');
  });

  it('IPv4 routes live in their own table (rt_tables[AF_INET])', () => {
    const { rt } = setup();
    const d = rt.add({
      dst: Ipv4Prefix.parse('0.0.0.0/0'),
      gateway: { kind: 'inet', address: Ipv4Address.parse('192.0.2.1') },
    });
    rt.add({ dst: P('::/0'), gateway: gw6('2001:db8::1') });
    expect(rt.lookup(Ipv4Address.parse('198.51.100.7'))).toBe(d);
    expect(rt.lookup4(Ipv4Address.parse('198.51.100.7').bytes, 0)).toBe(d);
    expect(rt.list('inet')).toEqual([d]);
    expect(rt.list().map((r) => r.family)).toEqual(['inet6', 'inet']);
  });

  it('rmx_expire: a route vanishes at its deadline on the injected clock and RTM_DELETE is emitted', () => {
    const { rt, clock, routeMsgs } = setup();
    rt.add({
      dst: P('2001:db8::/32'),
      gateway: gw6('fe80::1'),
      ifindex: 1,
      owner: 'rtadvd',
      expire: 1000 + 30_000,
    });
    rt.add({ dst: P('2001:db8:1::/48'), gateway: gw6('fe80::1'), ifindex: 1 });
    clock.advance(29_999);
    expect(rt.get(P('2001:db8::/32'))).toBeDefined();
    clock.advance(1);
    expect(rt.get(P('2001:db8::/32'))).toBeUndefined();
    expect(rt.lookup(A('2001:db8:2::1'))).toBeUndefined();
    expect(rt.lookup(A('2001:db8:1::1'))).toBeDefined();
    expect(routeMsgs().map((m) => [m.type, m.dst.toString(), m.owner, m.pid])).toEqual([
      ['RTM_ADD', '2001:db8::/32', 'rtadvd', 0],
      ['RTM_ADD', '2001:db8:1::/48', 'kernel', 0],
      ['RTM_DELETE', '2001:db8::/32', 'rtadvd', 0],
    ]);
  });

  it('rmx_expire: RTM_CHANGE moves the deadline; delete cancels the timer', () => {
    const { rt, clock, routeMsgs } = setup();
    rt.add({ dst: P('2001:db8::/32'), gateway: gw6('2001:db8::1'), expire: 2000 });
    rt.change(P('2001:db8::/32'), { expire: 5000 });
    clock.advance(1500);
    expect(rt.get(P('2001:db8::/32'))).toBeDefined();
    clock.advance(2500);
    expect(rt.get(P('2001:db8::/32'))).toBeUndefined();
    rt.add({ dst: P('2001:db8::/32'), gateway: gw6('2001:db8::1'), expire: 9000 });
    rt.change(P('2001:db8::/32'), { expire: null });
    rt.add({ dst: P('2001:db8:1::/48'), gateway: gw6('2001:db8::1'), expire: 9000 });
    rt.delete(P('2001:db8:1::/48'));
    clock.advance(10_000);
    expect(rt.get(P('2001:db8::/32'))?.expire).toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
    expect(routeMsgs().filter((m) => m.type === 'RTM_DELETE')).toHaveLength(2);
  });

  it('flush by owner removes only that owner, announcing each RTM_DELETE in prefix order', () => {
    const { rt, routeMsgs } = setup();
    rt.add({ dst: P('2001:db8:2::/48'), gateway: gw6('2001:db8::1'), owner: 'route6d' });
    rt.add({ dst: P('2001:db8:1::/48'), gateway: gw6('2001:db8::1'), owner: 'route6d' });
    rt.add({ dst: P('2001:db8::/32'), gateway: gw6('2001:db8::1'), owner: 'kernel' });
    expect(rt.flush('route6d')).toBe(2);
    expect(rt.list().map((r) => r.dst.toString())).toEqual(['2001:db8::/32']);
    expect(
      routeMsgs()
        .slice(3)
        .map((m) => [m.type, m.dst.toString()]),
    ).toEqual([
      ['RTM_DELETE', '2001:db8:1::/48'],
      ['RTM_DELETE', '2001:db8:2::/48'],
    ]);
  });

  it('notifications arrive in operation order with increasing kernel sequence numbers', () => {
    const { rt, msgs } = setup();
    rt.add({ dst: P('2001:db8::/32'), gateway: gw6('2001:db8::1') });
    rt.change(P('2001:db8::/32'), { flags: RTF_BLACKHOLE });
    rt.delete(P('2001:db8::/32'));
    expect(msgs.map((m) => [m.type, m.seq])).toEqual([
      ['RTM_ADD', 1],
      ['RTM_CHANGE', 2],
      ['RTM_DELETE', 3],
    ]);
  });

  it('RFC 4861 8.3 redirect: creates a dynamic host route, then modifies it; static host routes win', () => {
    const { rt, routeMsgs } = setup();
    rt.add({ dst: P('::/0'), gateway: gw6('fe80::1'), ifindex: 1 });
    const r = rt.redirect(A('2001:db8::5'), gw6('fe80::2'), {
      ifindex: 1,
      author: embedScope(A('fe80::1'), 1),
    });
    expect(r.flags).toBe(RTF_UP | RTF_GATEWAY | RTF_HOST | RTF_DYNAMIC);
    expect(rt.lookup(A('2001:db8::5'))).toBe(r);
    const r2 = rt.redirect(A('2001:db8::5'), { kind: 'link', ifindex: 1 });
    expect(r2.flags).toBe(RTF_UP | RTF_HOST | RTF_DYNAMIC | RTF_MODIFIED);
    expect(
      routeMsgs()
        .slice(1)
        .map((m) => m.type),
    ).toEqual(['RTM_REDIRECT', 'RTM_REDIRECT']);
    expect(routeMsgs()[1]!.author?.toString()).toBe('fe80:1::1');
    rt.add({ dst: P('2001:db8::6/128'), gateway: gw6('fe80::1'), ifindex: 1, flags: RTF_STATIC });
    expect(errnoOf(() => rt.redirect(A('2001:db8::6'), gw6('fe80::3'), { ifindex: 1 }))).toBe('EEXIST');
  });

  it('dispose cancels expiry timers', () => {
    const { rt, clock } = setup();
    rt.add({ dst: P('2001:db8::/32'), gateway: gw6('2001:db8::1'), expire: 5000 });
    rt.dispose();
    expect(clock.pendingTimers).toBe(0);
  });
});
