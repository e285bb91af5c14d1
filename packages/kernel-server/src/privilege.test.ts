import { v1 } from '@kame/kernel-api';
import { b6, connect, newNode, newServer } from '../test/harness';

describe('the non-privileged (.ro) server', () => {
  it('allows reads, subscriptions and UDP sockets', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node, { privileged: false }));
    expect((await c.call('ifList', {})).interfaces).toHaveLength(2);
    expect((await c.call('routeList', {})).routes?.length).toBeGreaterThan(0);
    expect((await c.call('sysctlGet', { name: 'net.inet6.ip6.forwarding' })).value).toBe(0);
    await c.call('subscribe', { topics: [v1.Topic.TOPIC_ROUTE] });
    const { fd } = await c.call('sockOpen', { type: v1.SocketType.SOCK_DGRAM });
    await c.call('sockBind', { fd, addr: { addr: b6('::'), port: 5353 } });
    // Ports below 1024 stay privileged (SocketLayer: EACCES).
    const { fd: low } = await c.call('sockOpen', { type: v1.SocketType.SOCK_DGRAM });
    expect(await c.errno('sockBind', { fd: low, addr: { addr: b6('::'), port: 521 } })).toBe('EACCES');
  });

  it('answers EPERM to route, address, interface, ND and sysctl changes and raw sockets', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node, { privileged: false }));
    const em0 = { ifname: 'em0' };
    const cases: [string, Promise<string | undefined>][] = [
      [
        'routeAdd',
        c.errno('routeAdd', {
          route: {
            dst: { addr: b6('2001:db8::'), length: 32 },
            gateway: { address: b6('fe80::1') },
            ifindex: 2,
          },
        }),
      ],
      ['routeDelete', c.errno('routeDelete', { dst: { addr: b6('::1'), length: 128 } })],
      ['routeFlush', c.errno('routeFlush', { owner: 'kernel' })],
      ['addrAdd', c.errno('addrAdd', { ifp: em0, address: b6('2001:db8::1'), prefixLength: 64 })],
      ['addrDelete', c.errno('addrDelete', { ifp: em0, address: b6('::1') })],
      ['ifSetFlags', c.errno('ifSetFlags', { ifp: em0, clear: 1 })],
      ['ifSetMtu', c.errno('ifSetMtu', { ifp: em0, mtu: 1400 })],
      ['sysctlSet', c.errno('sysctlSet', { name: 'net.inet6.ip6.forwarding', numberValue: 1 })],
      ['ndSetDefaultIf', c.errno('ndSetDefaultIf', { ifindex: 2 })],
      ['raw socket', c.errno('sockOpen', { type: v1.SocketType.SOCK_RAW, protocol: 58 })],
    ];
    for (const [what, p] of cases) expect([what, await p]).toEqual([what, 'EPERM']);
    expect(node.sysctl.get('net.inet6.ip6.forwarding')).toBe(0);
    expect(node.ifnet('em0')?.up).toBe(true);
    expect(node.ifnet('em0')?.mtu).toBe(1500);
  });
});
