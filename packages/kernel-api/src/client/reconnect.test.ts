import { VirtualClock } from '@kame/time';
import { ether, FakeKernel, global6, ifaddr, ll, settle } from '../../test/fake-kernel';
import { KernelApiError } from '../errno';
import { v1 } from '../proto';
import { KernelClient, type KernelClientOptions } from './kernel-client';
import type { MirrorChange } from './mirror';

async function start(over: Partial<KernelClientOptions> = {}) {
  const kernel = new FakeKernel();
  const clock = new VirtualClock(0);
  kernel.now = () => clock.now();
  const ne0 = ether(1, 'ne0');
  ne0.addresses = [ifaddr(1, ll(1)), ifaddr(1, global6(1))];
  kernel.interfaces = [ne0];
  const client = await KernelClient.connect({
    channelFactory: kernel.factory,
    name: 'route6d',
    pid: 7,
    clock,
    reconnect: { initialMs: 100, maxMs: 1000, factor: 2 },
    ...over,
  });
  const events: string[] = [];
  client.on('disconnected', (e) => events.push(`disconnected ${e.message}`));
  client.on('reconnected', (w) => events.push(`reconnected ${w.node}`));
  client.on('reconnectFailed', (_e, n, next) => events.push(`failed ${n} next ${next}`));
  client.on('closed', () => events.push('closed'));
  return { kernel, clock, client, events };
}

/** Runs virtual time to `t`, letting the memory channels and promises settle on the way. */
async function runTo(clock: VirtualClock, t: number): Promise<void> {
  for (;;) {
    const next = clock.nextDeadline();
    if (next === undefined || next > t) break;
    clock.runUntil(next);
    await settle();
  }
  clock.runUntil(t);
  await settle();
}

describe('KernelClient disconnect and reconnect', () => {
  it('rejects every pending request with ECONNRESET when the connection drops', async () => {
    const { kernel, client, events } = await start();
    const a = client.routeList();
    const b = client.sysctlGet('net.inet6.ip6.forwarding');
    await settle();
    expect(kernel.conn.held).toHaveLength(2);
    kernel.conn.close();
    await expect(a).rejects.toMatchObject({ errno: 'ECONNRESET' });
    await expect(b).rejects.toBeInstanceOf(KernelApiError);
    expect(client.state).toBe('reconnecting');
    expect(events).toEqual(['disconnected kernel closed the connection']);
    await expect(client.routeList()).rejects.toMatchObject({ errno: 'ENOTCONN' });
    client.close();
  });

  it('keeps the kernel ErrorFrame as the reason of the disconnect', async () => {
    const { kernel, client, events } = await start();
    kernel.conn.channel.send({ error: { errno: v1.Errno.EPROTO, message: 'bad frame' } });
    kernel.conn.close();
    await settle();
    expect(events).toEqual(['disconnected EPROTO: bad frame']);
    client.close();
  });

  it('retries after initialMs, then doubling up to maxMs, on the injected clock', async () => {
    const { kernel, clock, client, events } = await start();
    kernel.refuse = true;
    const t0 = clock.now();
    kernel.conn.close();
    await settle();
    expect(clock.nextDeadline()).toBe(t0 + 100);
    await runTo(clock, t0 + 99);
    expect(kernel.attempts).toHaveLength(1); // only the initial connect
    await runTo(clock, t0 + 3500);
    const retries = kernel.attempts.slice(1).map((t) => t - t0);
    expect(retries).toEqual([100, 300, 700, 1500, 2500, 3500]);
    expect(events.slice(1, 4)).toEqual(['failed 1 next 200', 'failed 2 next 400', 'failed 3 next 800']);
    kernel.refuse = false;
    await runTo(clock, t0 + 4500);
    expect(kernel.attempts.at(-1)! - t0).toBe(4500);
    expect(client.state).toBe('connected');
    expect(events.at(-1)).toBe('reconnected r1');
    client.close();
  });

  it('redoes Hello, resubscribes its topics and resyncs the mirror, with change events before "reconnected"', async () => {
    const { kernel, clock, client, events } = await start();
    await client.subscribe('route');
    const changes: string[] = [];
    client.on('change', (c: MirrorChange) => {
      changes.push(
        c.kind === 'interface' ? `${c.op} if ${c.iface.name}` : `${c.op} addr ${c.address.address}`,
      );
      events.push('change');
    });
    const old = kernel.conn;
    old.close();
    await settle();
    // While it is down the kernel changes: ne0 loses an address and goes to MTU 1280, ne1 appears.
    const ne0 = { ...ether(1, 'ne0'), mtu: 1280, addresses: [ifaddr(1, ll(1))] };
    const ne1 = { ...ether(2, 'ne1'), addresses: [ifaddr(2, ll(2))] };
    kernel.interfaces = [ne0, ne1];
    await runTo(clock, clock.now() + 100);
    const fresh = kernel.conn;
    expect(fresh).not.toBe(old);
    expect(fresh.hello).toMatchObject({ name: 'route6d', pid: 7 });
    expect([...fresh.topics].sort()).toEqual([v1.Topic.TOPIC_ROUTE, v1.Topic.TOPIC_IFACE]);
    expect(changes).toEqual(['delete addr 2001:db8::1', 'change if ne0', 'add if ne1', 'add addr fe80::2']);
    expect(events.at(-1)).toBe('reconnected r1');
    expect(events.indexOf('reconnected r1')).toBeGreaterThan(events.lastIndexOf('change'));
    expect(client.interface('ne0')!.mtu).toBe(1280);
    expect(client.addresses().map((a) => a.address.toString())).toEqual(['fe80::1', 'fe80::2']);
    // Requests work on the new connection, deltas too.
    kernel.handlers.sysctlGet = (_a, _c, id) => ({ response: { id, sysctlGet: { name: 'x', value: 3 } } });
    expect((await client.sysctlGet('x')).value).toBe(3);
    fresh.event('addr', { kind: v1.DeltaKind.DELTA_ADD, address: ifaddr(2, global6(2)) });
    await settle();
    expect(client.addresses('ne1')).toHaveLength(2);
    client.close();
  });

  it('reports sockets of the lost connection closed', async () => {
    const { kernel, client } = await start();
    kernel.handlers.sockOpen = (_a, _c, id) => ({ response: { id, sockOpen: { fd: 3 } } });
    const sock = await client.socket('raw', 58);
    const reasons: (Error | undefined)[] = [];
    sock.on('close', (r) => reasons.push(r));
    kernel.conn.close();
    await settle();
    expect(sock.closed).toBe(true);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ errno: 'ECONNRESET' });
    expect(client.openSockets()).toEqual([]);
    client.close();
  });

  it('resets the backoff after a successful reconnect', async () => {
    const { kernel, clock, client } = await start();
    kernel.refuse = true;
    kernel.conn.close();
    await runTo(clock, 300); // failures at 100 and 300
    kernel.refuse = false;
    await runTo(clock, 700);
    expect(client.state).toBe('connected');
    kernel.conn.close();
    await settle();
    expect(clock.nextDeadline()).toBe(clock.now() + 100);
    client.close();
  });

  it('without reconnect, a lost connection closes the client', async () => {
    const { kernel, clock, client, events } = await start({ reconnect: false });
    kernel.conn.close();
    await settle();
    expect(client.state).toBe('closed');
    expect(events).toEqual(['disconnected kernel closed the connection', 'closed']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('close() stops the reconnect loop and rejects pending requests', async () => {
    const { kernel, client, events } = await start();
    const p = client.routeList();
    await settle();
    client.close();
    await expect(p).rejects.toMatchObject({ errno: 'ENOTCONN' });
    await settle();
    expect(kernel.conn.closed).toBe(true);
    expect(events).toEqual(['closed']);

    const again = await start();
    again.kernel.refuse = true;
    again.kernel.conn.close();
    await runTo(again.clock, 100);
    const n = again.kernel.attempts.length;
    again.client.close();
    await runTo(again.clock, 10_000);
    expect(again.kernel.attempts).toHaveLength(n);
    expect(again.clock.pendingTimers).toBe(0);
    expect(again.events.at(-1)).toBe('closed');
  });
});
