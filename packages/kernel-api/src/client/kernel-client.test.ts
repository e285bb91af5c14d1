import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { VirtualClock } from '@kame/time';
import { ether, FakeKernel, global6, ll, settle } from '../../test/fake-kernel';
import { ABI_VERSION } from '../abi';
import { KernelApiError } from '../errno';
import { v1 } from '../proto';
import { KernelClient, type KernelClientOptions } from './kernel-client';
import type { Datagram } from './socket';

function setup(over: Partial<KernelClientOptions> = {}): {
  kernel: FakeKernel;
  clock: VirtualClock;
  opts: KernelClientOptions;
} {
  const kernel = new FakeKernel();
  const clock = new VirtualClock(1000);
  kernel.now = () => clock.now();
  kernel.interfaces = [ether(1, 'ne0'), ether(2, 'ne1')];
  return {
    kernel,
    clock,
    opts: { channelFactory: kernel.factory, name: 'route6d', pid: 42, clock, ...over },
  };
}

async function connected(over: Partial<KernelClientOptions> = {}) {
  const s = setup(over);
  const client = await KernelClient.connect(s.opts);
  return { ...s, client };
}

describe('KernelClient handshake', () => {
  it('sends Hello, keeps the Welcome and subscribes TOPIC_IFACE', async () => {
    const { kernel, client } = await connected();
    expect(kernel.conn.hello).toMatchObject({ name: 'route6d', pid: 42, abiVersion: ABI_VERSION });
    expect(client.state).toBe('connected');
    expect(client.welcome).toMatchObject({ node: 'r1', abiVersion: ABI_VERSION, privileged: true });
    expect(client.welcome.capabilities).toContain('sysctl');
    expect([...kernel.conn.topics]).toEqual([v1.Topic.TOPIC_IFACE]);
    client.close();
  });

  it('rejects a Welcome of another ABI version, naming both versions', async () => {
    const { kernel, opts } = setup();
    kernel.welcomeVersion = ABI_VERSION + 1;
    const p = KernelClient.connect(opts);
    await expect(p).rejects.toThrow(KernelApiError);
    await expect(p).rejects.toThrow(`v${ABI_VERSION + 1}`);
    await expect(p).rejects.toThrow(`this client speaks v${ABI_VERSION}`);
    await settle();
    expect(kernel.conn.closed).toBe(true);
  });

  it('reports the kernel refusing its Hello (ErrorFrame) with the errno and both versions', async () => {
    const { opts } = setup({ abiVersion: 9 });
    const err = await KernelClient.connect(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KernelApiError);
    expect((err as KernelApiError).errno).toBe('EPROTO');
    expect((err as KernelApiError).message).toMatch(/v9.*v1|v1.*v9/);
  });

  it('rejects when the channel factory fails', async () => {
    const { kernel, opts } = setup();
    kernel.refuse = true;
    await expect(KernelClient.connect(opts)).rejects.toThrow('ECONNREFUSED');
  });

  it('times out a silent kernel on the injected clock', async () => {
    const { kernel, clock, opts } = setup({ handshakeTimeoutMs: 500 });
    kernel.silent = true;
    const p = KernelClient.connect(opts);
    const result = p.catch((e: unknown) => e);
    await settle();
    clock.advance(499);
    await settle();
    clock.advance(1);
    const err = await result;
    expect((err as KernelApiError).errno).toBe('ETIMEDOUT');
  });
});

describe('KernelClient requests', () => {
  it('correlates out-of-order responses by id', async () => {
    const { kernel, client } = await connected();
    const a = client.sysctlGet('net.inet6.ip6.forwarding');
    const b = client.sysctlGet('net.inet6.ip6.hlim');
    const c = client.routeList();
    await settle();
    const held = kernel.conn.held;
    expect(held.map((h) => h.op)).toEqual(['sysctlGet', 'sysctlGet', 'routeList']);
    expect(new Set(held.map((h) => h.id)).size).toBe(3);
    kernel.conn.reply(held[2]!.id, 'routeList', { routes: [{ ifindex: 7 }] });
    kernel.conn.reply(held[1]!.id, 'sysctlGet', { name: 'net.inet6.ip6.hlim', value: 64 });
    kernel.conn.reply(held[0]!.id, 'sysctlGet', { name: 'net.inet6.ip6.forwarding', value: 1 });
    expect((await a).value).toBe(1);
    expect((await b).value).toBe(64);
    expect((await c)[0]!.ifindex).toBe(7);
    client.close();
  });

  it('rejects with KernelApiError carrying the errno name', async () => {
    const { kernel, client } = await connected();
    kernel.handlers.routeAdd = (_a, _conn, id) => ({
      response: { id, errno: v1.Errno.EEXIST, message: 'route already exists' },
    });
    const err = await client.routeAdd({ dst: { addr: global6(0), length: 64 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KernelApiError);
    expect((err as KernelApiError).errno).toBe('EEXIST');
    expect((err as KernelApiError).detail).toBe('route already exists');
    client.close();
  });

  it('reports an unknown errno number as EPROTO', async () => {
    const { kernel, client } = await connected();
    kernel.handlers.sysctlGet = (_a, _c, id) => ({
      response: { id, errno: 999 as v1.Errno, message: 'new' },
    });
    await expect(client.sysctlGet('x')).rejects.toMatchObject({ errno: 'EPROTO' });
    client.close();
  });

  it('rejects the request an ErrorFrame names', async () => {
    const { kernel, client } = await connected();
    kernel.handlers.ifList = (_a, _c, id) => ({
      error: { errno: v1.Errno.EPROTO, message: 'bad request', requestId: id },
    });
    await expect(client.ifList()).rejects.toMatchObject({ errno: 'EPROTO', detail: 'bad request' });
    client.close();
  });

  it('builds the requests of the convenience wrappers', async () => {
    const { kernel, client } = await connected();
    const ok = (_a: unknown, _c: unknown, id: number) => ({ response: { id, ok: {} } });
    kernel.handlers.addrAdd = ok;
    kernel.handlers.addrDelete = ok;
    kernel.handlers.routeDelete = ok;
    kernel.handlers.sysctlSet = (_a, _c, id) => ({
      response: { id, sysctlSet: { name: 'n', oldValue: 0, newValue: 1 } },
    });
    kernel.handlers.routeFlush = (_a, _c, id) => ({ response: { id, routeFlush: { count: 3 } } });
    kernel.handlers.ndRouters = (_a, _c, id) => ({
      response: { id, ndRouters: { routers: [{ ifname: 'ne0' }] } },
    });
    const addr = Ipv6Address.parse('2001:db8::1');
    await client.addressAdd('ne0', { address: addr, prefixLength: 64, vltime: 3600 });
    await client.addressDelete(2, addr);
    await client.routeDelete(Ipv6Prefix.parse('2001:db8::/32'), { owner: 'route6d' });
    expect((await client.sysctlSet('net.inet6.ip6.forwarding', 1)).newValue).toBe(1);
    expect(await client.routeFlush()).toBe(3);
    expect((await client.routers())[0]!.ifname).toBe('ne0');
    const [, add, del, rdel, sset, flush] = kernel.conn.requests;
    expect(add!.args).toMatchObject({ ifp: { ifname: 'ne0' }, prefixLength: 64, vltime: 3600 });
    expect([...(add!.args as v1.AddrAdd.$Properties).address!]).toEqual([...addr.bytes]);
    expect((add!.args as v1.AddrAdd.$Properties).pltime ?? undefined).toBeUndefined();
    expect(del!.args).toMatchObject({ ifp: { ifindex: 2 } });
    expect(rdel!.args).toMatchObject({ dst: { length: 32 }, owner: 'route6d' });
    expect(sset!.args).toMatchObject({ name: 'net.inet6.ip6.forwarding', numberValue: 1 });
    expect(flush!.args).toMatchObject({ owner: 'route6d' });
    client.close();
  });

  it('rejects requests after close() with ENOTCONN', async () => {
    const { client } = await connected();
    client.close();
    expect(client.state).toBe('closed');
    await expect(client.routeList()).rejects.toMatchObject({ errno: 'ENOTCONN' });
  });
});

describe('KernelClient events', () => {
  it('subscribes topics and dispatches rtm, sysctl and socket errors', async () => {
    const { kernel, client } = await connected();
    await client.subscribe('route', v1.Topic.TOPIC_SYSCTL);
    expect([...kernel.conn.topics].sort()).toEqual([1, 2, 3]);
    const rtms: v1.RtMsg.$Properties[] = [];
    const sysctls: unknown[] = [];
    const errs: [number, string][] = [];
    client.on('rtm', (m) => rtms.push(m));
    client.on('sysctl', (c) => sysctls.push(c));
    client.on('sockError', (fd, e) => errs.push([fd, e.errno]));
    kernel.conn.event('rtm', { type: v1.RtmType.RTM_ADD, ifindex: 1, dst: { addr: global6(0), length: 64 } });
    kernel.conn.event('sysctl', { name: 'net.inet6.ip6.forwarding', value: 1, oldValue: 0 });
    kernel.conn.event('sockError', { fd: 5, errno: v1.Errno.EHOSTUNREACH, message: 'unreachable' });
    await settle();
    expect(rtms).toHaveLength(1);
    expect(rtms[0]!.type).toBe(v1.RtmType.RTM_ADD);
    expect(sysctls).toEqual([{ name: 'net.inet6.ip6.forwarding', value: 1, oldValue: 0 }]);
    expect(errs).toEqual([[5, 'EHOSTUNREACH']]);
    await client.unsubscribe('route', 'iface');
    expect(kernel.conn.requests.at(-1)!.args).toEqual({ topics: [v1.Topic.TOPIC_ROUTE] });
    expect(client.subscribedTopics).toEqual([v1.Topic.TOPIC_IFACE, v1.Topic.TOPIC_SYSCTL]);
    client.close();
  });

  it('routes datagrams to the socket of their fd', async () => {
    const { kernel, client } = await connected();
    let nextFd = 3;
    kernel.handlers.sockOpen = (_a, _c, id) => ({ response: { id, sockOpen: { fd: nextFd++ } } });
    kernel.handlers.sockBind = (_a, _c, id) => ({ response: { id, ok: {} } });
    kernel.handlers.sockSetOpt = (_a, _c, id) => ({ response: { id, ok: {} } });
    kernel.handlers.sockSendmsg = (a, _c, id) => ({
      response: { id, sockSendmsg: { bytes: (a as v1.SockSendmsg.$Properties).data!.length } },
    });
    kernel.handlers.sockClose = (_a, _c, id) => ({ response: { id, ok: {} } });
    const udp = await client.socket('dgram');
    const raw = await client.socket('raw', 58);
    expect([udp.fd, raw.fd]).toEqual([3, 4]);
    await udp.bind({ address: Ipv6Address.UNSPECIFIED, port: 521 });
    await udp.setsockopt({ ipv6Recvpktinfo: true });
    const sent = await udp.sendmsg(new Uint8Array([1, 2, 3]), {
      to: { address: Ipv6Address.parse('ff02::9'), port: 521, zone: 1 },
      hoplimit: 255,
      pktinfo: { ifindex: 1 },
    });
    expect(sent).toBe(3);
    const send = kernel.conn.requests.find((r) => r.op === 'sockSendmsg')!.args as v1.SockSendmsg.$Properties;
    expect(send).toMatchObject({
      fd: 3,
      hoplimit: 255,
      to: { port: 521, scopeId: 1 },
      pktinfo: { ifindex: 1 },
    });

    const onUdp: Datagram[] = [];
    const onRaw: Datagram[] = [];
    const all: Datagram[] = [];
    udp.on('datagram', (d) => onUdp.push(d));
    raw.on('datagram', (d) => onRaw.push(d));
    client.on('datagram', (d) => all.push(d));
    kernel.conn.event('datagram', {
      fd: 3,
      data: new Uint8Array([9]),
      from: { addr: ll(1), port: 521, scopeId: 1 },
      pktinfo: { addr: ll(2), ifindex: 1 },
      hoplimit: 255,
    });
    await settle();
    expect(onRaw).toHaveLength(0);
    expect(onUdp).toHaveLength(1);
    expect(all).toHaveLength(1);
    const d = onUdp[0]!;
    expect(d.from!.address.toString()).toBe('fe80::1');
    expect(d.from!.zone).toBe(1);
    expect(d.pktinfo!.address!.toString()).toBe('fe80::2');
    expect(d.hoplimit).toBe(255);

    const closes: (Error | undefined)[] = [];
    udp.on('close', (r) => closes.push(r));
    await udp.close();
    expect(udp.closed).toBe(true);
    expect(closes).toEqual([undefined]);
    expect(kernel.conn.requests.at(-1)).toMatchObject({ op: 'sockClose', args: { fd: 3 } });
    await expect(udp.bind({ address: Ipv6Address.UNSPECIFIED })).rejects.toMatchObject({ errno: 'EBADF' });
    expect(client.openSockets()).toEqual([raw]);
    client.close();
  });
});
