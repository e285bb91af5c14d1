import { v1 } from '@kame/kernel-api';
import { a6, a6FromBytes, b6, connect, newNode, newServer, until } from '../test/harness';

const DGRAM = { type: v1.SocketType.SOCK_DGRAM };

describe('datagram sockets', () => {
  it("client A's sendmsg over ::1 arrives as a datagram event on client B's socket", async () => {
    const { node, clock } = newNode();
    const server = newServer(node);
    const a = await connect(server, { name: 'a', pid: 1 });
    const b = await connect(server, { name: 'b', pid: 2 });
    const { fd: bfd } = await b.call('sockOpen', DGRAM);
    await b.call('sockBind', { fd: bfd, addr: { addr: b6('::1'), port: 5000 } });
    await b.call('sockSetOpt', { fd: bfd, opt: { ipv6Recvpktinfo: true } });
    const { fd: afd } = await a.call('sockOpen', DGRAM);
    expect(afd).toBe(3); // per-connection handles
    await a.call('sockBind', { fd: afd, addr: { addr: b6('::1'), port: 6000 } });
    const sent = await a.call('sockSendmsg', {
      fd: afd,
      data: Uint8Array.of(1, 2, 3),
      to: { addr: b6('::1'), port: 5000 },
    });
    expect(sent.bytes).toBe(3);
    clock.advance(0); // lo0 loops the packet back on the next tick
    await until(() => b.events.some((e) => e.datagram));
    const d = b.events.find((e) => e.datagram)?.datagram;
    expect(d?.fd).toBe(bfd);
    expect(Array.from(d?.data ?? [])).toEqual([1, 2, 3]);
    expect(d?.from?.port).toBe(6000);
    expect(a6FromBytes(d?.from?.addr).toString()).toBe('::1');
    expect(a6FromBytes(d?.pktinfo?.addr).toString()).toBe('::1');
    expect(a.events.filter((e) => e.datagram)).toHaveLength(0);
  });

  it('EADDRINUSE for a second bind to the same port, EBADF for another connection’s handle', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const a = await connect(server);
    const b = await connect(server);
    const { fd: fa } = await a.call('sockOpen', DGRAM);
    await a.call('sockBind', { fd: fa, addr: { addr: b6('::'), port: 7000 } });
    const { fd: fb } = await b.call('sockOpen', DGRAM);
    const r = await b.request('sockBind', { fd: fb, addr: { addr: b6('::'), port: 7000 } });
    expect(r.errno).toBe(v1.Errno.EADDRINUSE);
    expect(r.message).toMatch(/7000/);
    expect(await b.errno('sockClose', { fd: 99 })).toBe('EBADF');
  });

  it('getsockopt / setsockopt, getsockname / getpeername, connect, list and close', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const c = await connect(server, { pid: 1234 });
    const { fd } = await c.call('sockOpen', DGRAM);
    await c.call('sockSetOpt', { fd, opt: { ipv6UnicastHops: 17 } });
    expect(await c.call('sockGetOpt', { fd, name: v1.SockOptName.IPV6_UNICAST_HOPS })).toMatchObject({
      ipv6UnicastHops: 17,
    });
    expect(await c.errno('sockSetOpt', { fd, opt: { ipv6UnicastHops: 999 } })).toBe('EINVAL');
    await c.call('sockConnect', { fd, addr: { addr: b6('::1'), port: 9 } });
    const peer = await c.call('sockGetName', { fd, peer: true });
    expect(peer.port).toBe(9);
    const local = await c.call('sockGetName', { fd });
    expect(local.port).toBeGreaterThan(0);
    const list = await c.call('sockList', {});
    expect(list.sockets).toEqual([
      expect.objectContaining({ fd, type: v1.SocketType.SOCK_DGRAM, pid: 1234, protocol: 17 }),
    ]);
    await c.call('sockClose', { fd });
    expect(node.sockets.size).toBe(0);
    expect(await c.errno('sockOpen', { type: v1.SocketType.SOCK_STREAM })).toBe('EPROTONOSUPPORT');
  });

  it('closes a connection’s sockets (and their group memberships) when it goes', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const c = await connect(server);
    const { fd } = await c.call('sockOpen', DGRAM);
    await c.call('sockSetOpt', { fd, opt: { ipv6JoinGroup: { group: b6('ff02::1:2'), ifindex: 2 } } });
    const em0 = node.ifnet('em0')!;
    expect(node.isMember(em0, a6('ff02::1:2'))).toBe(true);
    c.close();
    await until(() => server.connectionCount === 0);
    expect(node.sockets.size).toBe(0);
    expect(node.isMember(em0, a6('ff02::1:2'))).toBe(false);
  });

  it('raw ICMPv6 sockets on a privileged connection, with ICMP6_FILTER', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    const { fd } = await c.call('sockOpen', { type: v1.SocketType.SOCK_RAW, protocol: 58 });
    const pass = new Uint8Array(32);
    pass[16] = 1 << 6; // type 134 (Router Advertisement)
    await c.call('sockSetOpt', { fd, opt: { icmp6Filter: { pass } } });
    const got = await c.call('sockGetOpt', { fd, name: v1.SockOptName.ICMP6_FILTER });
    expect(Array.from(got.icmp6Filter?.pass ?? [])).toEqual(Array.from(pass));
  });
});
