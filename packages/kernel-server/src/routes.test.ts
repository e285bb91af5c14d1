import { Ipv6Prefix } from '@kame/addr';
import { v1 } from '@kame/kernel-api';
import { RTF_GATEWAY, RTF_STATIC, RTF_UP } from '@kame/stack';
import { a6, b6, connect, newNode, newServer, until } from '../test/harness';

const route = (dst: string, len: number, gw: string, extra: Partial<v1.Route.$Properties> = {}) => ({
  route: { dst: { addr: b6(dst), length: len }, gateway: { address: b6(gw) }, ifindex: 2, ...extra },
});

describe('route operations', () => {
  it('adds with the client name as owner, gets, lists, changes, deletes', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node), { name: 'route6d', pid: 521 });
    await c.call('routeAdd', route('2001:db8:1::', 48, 'fe80::1', { flags: RTF_STATIC, metric: 3 }));
    const rt = node.routes.get(Ipv6Prefix.parse('2001:db8:1::/48'));
    expect(rt?.owner).toBe('route6d');
    expect(rt?.ifindex).toBe(2);
    const got = await c.call('routeGet', { dst: { addr: b6('2001:db8:1::99') } });
    expect(got).toMatchObject({
      type: v1.RtmType.RTM_GET,
      owner: 'route6d',
      metric: 3,
      ifindex: 2,
      pid: 521,
    });
    expect((got.flags ?? 0) & (RTF_UP | RTF_GATEWAY | RTF_STATIC)).toBe(RTF_UP | RTF_GATEWAY | RTF_STATIC);
    const exact = await c.errno('routeGet', { dst: { addr: b6('2001:db8:1::') }, prefixLength: 64 });
    expect(exact).toBe('ESRCH');
    const mine = await c.call('routeList', { family: 6, owner: 'route6d' });
    expect(mine.routes).toHaveLength(1);
    await c.call('routeChange', { dst: { addr: b6('2001:db8:1::'), length: 48 }, metric: 7 });
    expect(node.routes.get(Ipv6Prefix.parse('2001:db8:1::/48'))?.metric).toBe(7);
    await c.call('routeAdd', route('2001:db8:2::', 48, 'fe80::1', { owner: 'static' }));
    expect(node.routes.get(Ipv6Prefix.parse('2001:db8:2::/48'))?.owner).toBe('static');
    await c.call('routeDelete', { dst: { addr: b6('2001:db8:1::'), length: 48 } });
    expect(node.routes.get(Ipv6Prefix.parse('2001:db8:1::/48'))).toBeUndefined();
    expect((await c.call('routeFlush', { owner: 'static' })).count).toBe(1);
  });

  it('ESRCH for deleting or changing an absent route, EEXIST for adding one twice, EINVAL for nonsense', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    expect(await c.errno('routeDelete', { dst: { addr: b6('2001:db8:9::'), length: 48 } })).toBe('ESRCH');
    expect(await c.errno('routeChange', { dst: { addr: b6('2001:db8:9::'), length: 48 }, metric: 1 })).toBe(
      'ESRCH',
    );
    await c.call('routeAdd', route('2001:db8:1::', 48, 'fe80::1'));
    expect(await c.errno('routeAdd', route('2001:db8:1::', 48, 'fe80::1'))).toBe('EEXIST');
    expect(
      await c.errno('routeDelete', {
        dst: { addr: b6('2001:db8:1::'), length: 48 },
        gateway: { address: b6('fe80::2') },
      }),
    ).toBe('ESRCH');
    expect(await c.errno('routeAdd', { route: { dst: { addr: b6('2001:db8:3::'), length: 48 } } })).toBe(
      'EINVAL',
    );
    expect(await c.errno('routeAdd', route('2001:db8:3::', 200, 'fe80::1'))).toBe('EINVAL');
  });

  it('forwards routing messages to ROUTE subscribers, with the requester pid and seq', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const watcher = await connect(server, { name: 'watcher' });
    await watcher.call('subscribe', { topics: [v1.Topic.TOPIC_ROUTE] });
    const writer = await connect(server, { name: 'route6d', pid: 99 });
    const r = await writer.request('routeAdd', route('2001:db8:1::', 48, 'fe80::1'));
    await until(() => watcher.events.length > 0);
    const msg = watcher.events[0]?.rtm;
    expect(msg).toMatchObject({ type: v1.RtmType.RTM_ADD, pid: 99, seq: r.id, owner: 'route6d', ifindex: 2 });
    expect(msg?.dst?.length).toBe(48);
    // A failed request is announced with rtm_errno as well.
    await writer.request('routeDelete', { dst: { addr: b6('2001:db8:7::'), length: 48 } });
    await until(() => watcher.events.some((e) => e.rtm?.errno === v1.Errno.ESRCH));
    // Kernel-originated messages (an address add) too.
    node.addAddress('em0', a6('2001:db8::1'), 64);
    await until(() => watcher.events.some((e) => e.rtm?.type === v1.RtmType.RTM_NEWADDR));
  });

  it('withdraws the routes a client owns when it disconnects, unless the server retains them', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const d = await connect(server, { name: 'route6d' });
    await d.call('routeAdd', route('2001:db8:1::', 48, 'fe80::1'));
    await d.call('routeAdd', route('2001:db8:2::', 48, 'fe80::1', { owner: 'other' }));
    const watcher = await connect(server, { name: 'watcher' });
    await watcher.call('subscribe', { topics: [v1.Topic.TOPIC_ROUTE] });
    d.close();
    await until(() => server.connectionCount === 1);
    expect(node.routes.get(Ipv6Prefix.parse('2001:db8:1::/48'))).toBeUndefined();
    expect(node.routes.get(Ipv6Prefix.parse('2001:db8:2::/48'))?.owner).toBe('other');
    await until(() => watcher.events.some((e) => e.rtm?.type === v1.RtmType.RTM_DELETE));

    const keep = newServer(node, { retainRoutes: true });
    const k = await connect(keep, { name: 'rtadvd' });
    await k.call('routeAdd', route('2001:db8:3::', 48, 'fe80::1'));
    k.close();
    await until(() => keep.connectionCount === 0);
    expect(node.routes.get(Ipv6Prefix.parse('2001:db8:3::/48'))?.owner).toBe('rtadvd');
  });
  it('TOPIC_ROUTE_INTERFACE: interface routes and address messages, not gateway routes', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const c = await connect(server);
    const watcher = await connect(server, { name: 'rtadvd' });
    await watcher.call('subscribe', { topics: [v1.Topic.TOPIC_ROUTE_INTERFACE] });
    node.addAddress('em0', a6('2001:db8:5::1'), 64);
    await c.call('routeAdd', {
      route: { dst: { addr: b6('2001:db8:77::'), length: 48 }, gateway: { address: b6('2001:db8:5::fe') } },
    });
    await c.call('ifList', {});
    await until(() => watcher.events.some((e) => e.rtm?.type === v1.RtmType.RTM_NEWADDR));
    await watcher.call('ifList', {});
    const types = watcher.events.map((e) => e.rtm?.type);
    expect(types).toContain(v1.RtmType.RTM_NEWADDR);
    // The connected 2001:db8:5::/64 route came; the gateway route to 2001:db8:77::/48 did not.
    const adds = watcher.events
      .filter((e) => e.rtm?.type === v1.RtmType.RTM_ADD)
      .map((e) => e.rtm?.dst?.length);
    expect(adds).toEqual([64]);
  });
});
