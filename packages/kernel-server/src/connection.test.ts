import { ABI_VERSION, errnoNumber, helloFrame, memoryPair, requestFrame, v1 } from '@kame/kernel-api';
import { connect, newNode, newServer, TestClient, turns, until } from '../test/harness';

describe('handshake', () => {
  it('answers a Hello with a Welcome naming the node, capabilities and privilege', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const c = await connect(server, { name: 'route6d' });
    expect(c.welcome).toMatchObject({ abiVersion: ABI_VERSION, node: 'r1', privileged: true });
    expect(c.welcome?.capabilities).toEqual(
      expect.arrayContaining(['inet6', 'route', 'udp', 'raw', 'sysctl']),
    );
    const ro = await connect(newServer(node, { privileged: false }));
    expect(ro.welcome?.privileged).toBe(false);
    expect(ro.welcome?.capabilities).not.toContain('raw');
  });

  it('refuses another ABI version with an ErrorFrame naming both versions, then closes', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const c = await connect(server, { abiVersion: 99 });
    await until(() => c.closed);
    expect(c.welcome).toBeUndefined();
    expect(c.errors[0]?.errno).toBe(errnoNumber('EPROTO'));
    expect(c.errors[0]?.message).toMatch(/v99.*v1/);
    expect(server.connectionCount).toBe(0);
  });

  it('refuses a Request before the Hello with EPROTO and closes', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const [s, k] = memoryPair();
    server.accept(s);
    const c = new TestClient(k);
    c.send(requestFrame(1, 'ifList', {}));
    await until(() => c.closed);
    expect(c.errors[0]?.errno).toBe(errnoNumber('EPROTO'));
    expect(c.errors[0]?.message).toMatch(/Hello/);
  });

  it('refuses a second Hello', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    c.send(helloFrame({ name: 'again', pid: 1 }));
    await until(() => c.closed);
    expect(c.errors[0]?.errno).toBe(errnoNumber('EPROTO'));
  });
});

describe('requests', () => {
  it('yields between request batches through the defer option (a lab pump), requestsPerTurn at a time', async () => {
    const { node } = newNode();
    const deferred: (() => void)[] = [];
    const server = newServer(node, { defer: (fn) => deferred.push(fn), limits: { requestsPerTurn: 2 } });
    const c = await connect(server);
    const all = Promise.all([1, 2, 3, 4, 5].map(() => c.request('ifList', {})));
    await until(() => deferred.length > 0);
    let batches = 0;
    while (deferred.length > 0) {
      deferred.shift()!();
      batches++;
      await turns(2);
    }
    expect((await all).map((r) => r.result)).toEqual(['ifList', 'ifList', 'ifList', 'ifList', 'ifList']);
    expect(batches).toBe(3);
  });

  it('answers each request id exactly once, in order', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    const rs = await Promise.all([1, 2, 3].map(() => c.request('ifList', {})));
    expect(rs.map((r) => r.result)).toEqual(['ifList', 'ifList', 'ifList']);
    expect(new Set(rs.map((r) => r.id)).size).toBe(3);
  });

  it('answers an operation it does not serve with EOPNOTSUPP and a message', async () => {
    const { node } = newNode();
    const c = await connect(newServer(node));
    const r = await c.request('ifSetTunnel', { ifp: { ifname: 'em0' } });
    expect(r.errno).toBe(errnoNumber('EOPNOTSUPP'));
    expect(r.message).toMatch(/not supported/);
    // A request without an operation (a newer client's unknown op decodes to none).
    const id = 77;
    const p = new Promise<v1.Response.$Properties>((resolve) =>
      c.channel.onFrame((f) => f.response?.id === id && resolve(f.response)),
    );
    c.send({ request: { id } });
    expect((await p).errno).toBe(errnoNumber('EOPNOTSUPP'));
  });
});

describe('hostile clients', () => {
  it('drops a burst of 10,000 requests with ENOBUFS; the server and another client carry on', async () => {
    const { node } = newNode();
    const server = newServer(node);
    const good = await connect(server, { name: 'good' });
    const bad = await connect(server, { name: 'flood' });
    for (let i = 1; i <= 10_000; i++)
      bad.send(requestFrame(i, 'sysctlGet', { name: 'net.inet6.ip6.forwarding' }));
    await until(() => bad.closed);
    expect(bad.errors[0]?.errno).toBe(errnoNumber('ENOBUFS'));
    expect(server.connectionCount).toBe(1);
    expect((await good.call('ifList', {})).interfaces?.length).toBe(2);
  });

  it('disconnects a slow reader whose outgoing backlog passes the bound', async () => {
    const { node } = newNode();
    const server = newServer(node, { limits: { maxOutgoingBytes: 1000 } });
    const [s, k] = memoryPair();
    let backlog = 0;
    server.accept(s, { outgoingBytes: () => backlog });
    const c = new TestClient(k);
    await c.hello();
    await c.call('ifList', {});
    backlog = 5000;
    void c.request('ifList', {}).catch(() => undefined);
    await until(() => c.closed);
    expect(server.connectionCount).toBe(0);
    await turns();
  });
});
