import { v1 } from '@kame/kernel-api';
import { a6, b6, connect, newNode, newServer, until } from '../test/harness';

describe('sysctl operations', () => {
  it('gets, sets (number and text), lists; SYSCTL subscribers see the change', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const c = await connect(server);
    const w = await connect(server, { name: 'watcher' });
    await w.call('subscribe', { topics: [v1.Topic.TOPIC_SYSCTL] });
    expect(await c.call('sysctlGet', { name: 'net.inet6.ip6.forwarding' })).toMatchObject({
      value: 0,
      min: 0,
      max: 1,
      writable: true,
    });
    expect(await c.call('sysctlSet', { name: 'net.inet6.ip6.forwarding', numberValue: 1 })).toMatchObject({
      oldValue: 0,
      newValue: 1,
    });
    await c.call('sysctlSet', { name: 'net.inet6.ip6.hlim', stringValue: '32' });
    expect(node.sysctl.get('net.inet6.ip6.hlim')).toBe(32);
    await until(() => w.events.length >= 2);
    expect(w.events[0]?.sysctl).toMatchObject({ name: 'net.inet6.ip6.forwarding', value: 1, oldValue: 0 });
    const list = await c.call('sysctlList', { prefix: 'net.inet6.ip6' });
    expect(list.entries?.length).toBeGreaterThan(5);
    expect(list.entries?.every((e) => e.name?.startsWith('net.inet6.ip6.'))).toBe(true);
  });

  it('EINVAL for a bad value, ENOENT for an unknown name', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    expect(await c.errno('sysctlSet', { name: 'net.inet6.ip6.forwarding', numberValue: 7 })).toBe('EINVAL');
    expect(await c.errno('sysctlSet', { name: 'net.inet6.ip6.hlim', stringValue: 'many' })).toBe('EINVAL');
    expect(await c.errno('sysctlGet', { name: 'net.inet6.nonesuch' })).toBe('ENOENT');
  });
});

describe('statistics and ND', () => {
  it('reports stat groups by field name', async () => {
    const { node } = newNode();
    node.ip6stat.ip6s_total = 12;
    const c = await connect(newServer(node));
    const all = await c.call('statsGet', {});
    expect(all.groups?.map((g) => g.name)).toEqual(['ip6', 'icmp6', 'udp6', 'rip6']);
    expect(all.groups?.[0]?.counters?.['ip6s_total']).toBe(12);
    expect(await c.errno('statsGet', { groups: ['bogus'] })).toBe('EINVAL');
  });

  it('neighbors, routers, prefixes, default interface, nd_ifinfo', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    expect((await c.call('ndNeighbors', {})).neighbors).toEqual([]);
    expect((await c.call('ndRouters', {})).routers).toEqual([]);
    expect((await c.call('ndPrefixes', {})).prefixes).toEqual([]);
    await c.call('ndSetDefaultIf', { ifindex: 2 });
    expect((await c.call('ndGetDefaultIf', {})).ifindex).toBe(2);
    expect(await c.errno('ndSetDefaultIf', { ifindex: 42 })).toBe('ENXIO');
    await c.call('ndSetIfinfo', { ifp: { ifname: 'em0' }, retransMs: 2000, chlim: 32 });
    expect(await c.call('ndGetIfinfo', { ifp: { ifname: 'em0' } })).toMatchObject({
      retransMs: 2000,
      chlim: 32,
    });
    expect((await c.call('ndFlush', { target: v1.NdFlushTarget.ND_FLUSH_NEIGHBORS })).count).toBe(0);
    expect((await c.call('ndFlush', { target: v1.NdFlushTarget.ND_FLUSH_ROUTERS })).count).toBe(0);
    expect((await c.call('ndFlush', { target: v1.NdFlushTarget.ND_FLUSH_PREFIXES })).count).toBe(0);
    expect(await c.errno('ndDeleteNeighbor', { address: new Uint8Array(16).fill(0x20), ifindex: 2 })).toBe(
      'ESRCH',
    );
  });
});

describe('ndp -s (NdSetNeighbor)', () => {
  it('adds a permanent entry that ndp -a lists; refuses a bad lladdr, a multicast target and read-only clients', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const c = await connect(server);
    const address = b6('fe80::99');
    await c.call('ndSetNeighbor', { address, ifindex: 2, lladdr: Uint8Array.of(2, 0, 0, 0, 0, 0x99) });
    const n = (await c.call('ndNeighbors', {})).neighbors?.find((e) => e.permanent);
    expect(n).toMatchObject({ ifindex: 2, permanent: true, state: v1.NeighborState.ND_REACHABLE });
    expect(node.ifnet('em0')?.neighbors?.lookup(a6('fe80::99'))?.lladdr?.toString()).toBe(
      '02:00:00:00:00:99',
    );
    expect(await c.errno('ndSetNeighbor', { address, ifindex: 2, lladdr: Uint8Array.of(1, 2) })).toBe(
      'EINVAL',
    );
    expect(
      await c.errno('ndSetNeighbor', { address: b6('ff02::1'), ifindex: 2, lladdr: new Uint8Array(6) }),
    ).toBe('EINVAL');
    const ro = await connect(newServer(node, { privileged: false }));
    expect(await ro.errno('ndSetNeighbor', { address, ifindex: 2, lladdr: new Uint8Array(6) })).toBe('EPERM');
  });
});
