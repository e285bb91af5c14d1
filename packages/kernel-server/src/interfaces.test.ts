import { errnoNumber, v1 } from '@kame/kernel-api';
import { IFF_UP } from '@kame/stack';
import { connect, newNode, newServer, until } from '../test/harness';

describe('interface operations', () => {
  it('lists and gets interfaces with addresses, flags, MTU and lladdr', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    const list = await c.call('ifList', {});
    expect(list.interfaces?.map((i) => i.name)).toEqual(['lo0', 'em0']);
    const em0 = await c.call('ifGet', { ifp: { ifname: 'em0' } });
    expect(em0).toMatchObject({ index: 2, type: v1.LinkType.LINK_ETHER, mtu: 1500 });
    expect(Array.from(em0.lladdr ?? [])).toEqual([2, 0, 0, 0, 0, 0x0a]);
    expect((em0.flags ?? 0) & IFF_UP).toBe(IFF_UP);
    expect(em0.addresses?.length).toBe(1);
    expect(em0.linkState).toBe(v1.LinkState.LINK_STATE_UP);
    expect(await c.errno('ifGet', { ifp: { ifindex: 9 } })).toBe('ENXIO');
  });

  it('sets flags (down/up), MTU and lladdr; refuses a bad MTU with EINVAL', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    await c.call('ifSetFlags', { ifp: { ifname: 'em0' }, clear: IFF_UP });
    expect(node.ifnet('em0')?.up).toBe(false);
    await c.call('ifSetFlags', { ifp: { ifindex: 2 }, set: IFF_UP });
    expect(node.ifnet('em0')?.up).toBe(true);
    await c.call('ifSetMtu', { ifp: { ifname: 'em0' }, mtu: 1400 });
    expect(node.ifnet('em0')?.mtu).toBe(1400);
    expect(await c.errno('ifSetMtu', { ifp: { ifname: 'em0' }, mtu: 100 })).toBe('EINVAL');
    await c.call('ifSetLladdr', { ifp: { ifname: 'em0' }, lladdr: Uint8Array.of(2, 0, 0, 0, 0, 0xbb) });
    expect(node.ifnet('em0')?.lladdr?.toString()).toBe('02:00:00:00:00:bb');
    expect(await c.errno('ifSetLladdr', { ifp: { ifname: 'em0' }, lladdr: Uint8Array.of(1) })).toBe('EINVAL');
  });

  it('creates a gif pseudo-interface; a duplicate is EEXIST', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    await c.call('ifCreate', { name: 'gif0', type: v1.LinkType.LINK_GIF });
    expect(node.ifnet('gif0')?.linkType).toBe('gif');
    expect(node.ifnet('gif0')?.mtu).toBe(1280);
    const r = await c.request('ifCreate', { name: 'gif0', type: v1.LinkType.LINK_GIF });
    expect(r.errno).toBe(errnoNumber('EEXIST'));
    expect(await c.errno('ifCreate', { name: 'x0', type: v1.LinkType.LINK_ETHER })).toBe('EINVAL');
  });
  it('destroys a cloned interface: IFACE subscribers get DELTA_DELETE, ROUTE subscribers RTM_IFANNOUNCE departure', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const c = await connect(server);
    const watcher = await connect(server);
    await watcher.call('subscribe', { topics: [v1.Topic.TOPIC_ROUTE, v1.Topic.TOPIC_IFACE] });
    await c.call('ifCreate', { name: 'gif0', type: v1.LinkType.LINK_GIF });
    const index = node.ifnet('gif0')!.index;
    await until(() => watcher.events.some((e) => e.iface?.kind === v1.DeltaKind.DELTA_ADD));
    await c.call('ifDestroy', { ifp: { ifname: 'gif0' } });
    expect(node.ifnet('gif0')).toBeUndefined();
    await until(() => watcher.events.some((e) => e.iface?.kind === v1.DeltaKind.DELTA_DELETE));
    const gone = watcher.events.find((e) => e.iface?.kind === v1.DeltaKind.DELTA_DELETE)?.iface?.iface;
    expect(gone).toMatchObject({ index, name: 'gif0' });
    const ann = watcher.events.filter((e) => e.rtm?.type === v1.RtmType.RTM_IFANNOUNCE).map((e) => e.rtm);
    expect(ann.map((m) => [m?.ifname, m?.departure ?? false])).toEqual([
      ['gif0', false],
      ['gif0', true],
    ]);
    // Physical interfaces are not cloned: EINVAL; an unknown one: ENXIO.
    expect(await c.errno('ifDestroy', { ifp: { ifname: 'em0' } })).toBe('EINVAL');
    expect(await c.errno('ifDestroy', { ifp: { ifname: 'gif0' } })).not.toBe('ERRNO_NONE');
  });
});
