import { ND6_INFINITE_LIFETIME, v1 } from '@kame/kernel-api';
import { IN6_IFF_ANYCAST, IN6_IFF_TENTATIVE } from '@kame/stack';
import { a6, a6FromBytes, b6, connect, newNode, newServer, until } from '../test/harness';

describe('address operations', () => {
  it('adds with lifetimes and flags, lists, deletes', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    await c.call('addrAdd', {
      ifp: { ifname: 'em0' },
      address: b6('2001:db8::1'),
      prefixLength: 64,
      vltime: 3600,
      pltime: 1800,
    });
    await c.call('addrAdd', {
      ifp: { ifname: 'em0' },
      address: b6('2001:db8::a'),
      prefixLength: 64,
      flags: IN6_IFF_ANYCAST,
    });
    const list = await c.call('addrList', { ifp: { ifname: 'em0' } });
    const added = list.addresses?.find((a) => a6('2001:db8::1').equals(a6FromBytes(a.address)));
    expect(added).toMatchObject({ prefixLength: 64, ifindex: 2, vltime: 3600, pltime: 1800 });
    const anycast = list.addresses?.find((a) => a6('2001:db8::a').equals(a6FromBytes(a.address)));
    expect(anycast?.flags).toBe(IN6_IFF_ANYCAST);
    expect(anycast?.vltime).toBe(ND6_INFINITE_LIFETIME);
    // Every interface when no IfRef is given (lo0's ::1 and fe80::1 too).
    expect((await c.call('addrList', {})).addresses?.length).toBe(5);
    await c.call('addrDelete', { ifp: { ifname: 'em0' }, address: b6('2001:db8::1') });
    expect(node.findAddress(a6('2001:db8::1'))).toBeUndefined();
  });

  it('EEXIST for an address already there, EADDRNOTAVAIL to delete one that is not, EINVAL for a bad length', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    const add = { ifp: { ifname: 'em0' }, address: b6('2001:db8::1'), prefixLength: 64 };
    await c.call('addrAdd', add);
    const r = await c.request('addrAdd', add);
    expect(r.errno).toBe(v1.Errno.EEXIST);
    expect(r.message).toMatch(/2001:db8::1/);
    expect(await c.errno('addrDelete', { ifp: { ifname: 'em0' }, address: b6('2001:db8::2') })).toBe(
      'EADDRNOTAVAIL',
    );
    expect(
      await c.errno('addrAdd', { ifp: { ifname: 'em0' }, address: Uint8Array.of(1, 2), prefixLength: 64 }),
    ).toBe('EINVAL');
  });

  it('IFACE subscription: full dump in the reply, then deltas after addAddress', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const watcher = await connect(server, { name: 'watcher' });
    const dump = await watcher.call('subscribe', { topics: [v1.Topic.TOPIC_IFACE] });
    expect(dump.interfaces?.map((i) => i.name)).toEqual(['lo0', 'em0']);
    expect(watcher.events).toHaveLength(0);
    node.addAddress('em0', a6('2001:db8::5'), 64);
    await until(() => watcher.events.length > 0);
    const ev = watcher.events[0]?.addr;
    expect(ev?.kind).toBe(v1.DeltaKind.DELTA_ADD);
    expect(a6FromBytes(ev?.address?.address).toString()).toBe('2001:db8::5');
    node.setMtu('em0', 1400);
    await until(() => watcher.events.some((e) => e.iface));
    const delta = watcher.events.find((e) => e.iface)?.iface;
    expect(delta).toMatchObject({ kind: v1.DeltaKind.DELTA_CHANGE, iface: { name: 'em0', mtu: 1400 } });
    // Unsubscribed: no more deltas.
    await watcher.call('unsubscribe', { topics: [v1.Topic.TOPIC_IFACE] });
    const n = watcher.events.length;
    node.deleteAddress('em0', a6('2001:db8::5'));
    await watcher.call('ifList', {});
    expect(watcher.events.length).toBe(n);
  });
  it('IFACE subscribers see DAD finish: the address comes tentative, then again without IN6_IFF_TENTATIVE', async () => {
    const { node, clock } = newNode();
    const server = newServer(node);
    const watcher = await connect(server, { name: 'watcher' });
    await watcher.call('subscribe', { topics: [v1.Topic.TOPIC_IFACE] });
    node.addAddress('em0', a6('2001:db8::7'), 64);
    await until(() => watcher.events.length > 0);
    clock.advance(5000);
    await until(() => watcher.events.length > 1);
    const flags = watcher.events.map((e) => e.addr?.address?.flags ?? -1);
    expect(flags).toEqual([IN6_IFF_TENTATIVE, 0]);
  });
});
