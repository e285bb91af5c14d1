import type { KernelClient } from '@kame/kernel-api';
import { a6, LL_A, LL_B, turns, twoNodes, until } from '../test/lan';
import { Icmp6Endpoint, type Icmp6Message } from './icmp6-endpoint';
import { attachKernel } from './kernel';

const ND_ROUTER_SOLICIT = 133;
const ND_ROUTER_ADVERT = 134;
const ICMP6_ECHO_REQUEST = 128;
const ALL_ROUTERS = a6('ff02::2');
const ALL_NODES = a6('ff02::1');

/** RFC 4861 4.1 Router Solicitation without options; checksum left 0 for the kernel to fill. */
const routerSolicit = (): Uint8Array => Uint8Array.of(ND_ROUTER_SOLICIT, 0, 0, 0, 0, 0, 0, 0);
/** RFC 4443 4.1 Echo Request, id 7 seq 1, checksum 0. */
const echoRequest = (): Uint8Array => Uint8Array.of(ICMP6_ECHO_REQUEST, 0, 0, 0, 0, 7, 0, 1, 0xaa);

async function setup(types: readonly number[]) {
  const lan = twoNodes();
  const clock = lan.clock;
  const ca = await attachKernel({ name: 'test-a', channelFactory: lan.a.channelFactory, clock });
  const cb = await attachKernel({ name: 'test-b', channelFactory: lan.b.channelFactory, clock });
  const epA = await Icmp6Endpoint.open(ca, { types: [] });
  const epB = await Icmp6Endpoint.open(cb, { types });
  const got: Icmp6Message[] = [];
  epB.onMessage((m) => got.push(m));
  return { ...lan, ca, cb, epA, epB, got };
}

function teardown(...clients: KernelClient[]): void {
  for (const c of clients) c.close();
}

describe('Icmp6Endpoint', () => {
  it('RFC 4861 6.1.1 / RFC 3542 6: an RS sent on node a reaches node b with hop limit 255, pktinfo and source', async () => {
    const { clock, ca, cb, epA, epB, got } = await setup([ND_ROUTER_SOLICIT]);
    await epB.join('em0', ALL_ROUTERS);
    await epA.send('em0', ALL_ROUTERS, routerSolicit());
    await until(() => got.length > 0, clock);
    const m = got[0]!;
    expect(m.ifname).toBe('em0');
    expect(m.ifindex).toBe(cb.interface('em0')!.index);
    expect(m.src.toString()).toBe(LL_A.toString());
    expect(m.dst?.toString()).toBe('ff02::2');
    expect(m.hoplimit).toBe(255);
    expect(m.data[0]).toBe(ND_ROUTER_SOLICIT);
    expect(m.data).toHaveLength(8);
    expect(epA.stats.sent).toBe(1);
    expect(epB.stats.received).toBe(1);
    teardown(ca, cb);
  });

  it('RFC 3542 3.1: the kernel fills in the ICMPv6 checksum (b accepts a message sent with checksum 0)', async () => {
    const { clock, ca, cb, epA, got } = await setup([ND_ROUTER_SOLICIT]);
    await epA.send('em0', LL_B, routerSolicit());
    await until(() => got.length > 0, clock);
    const cksum = (got[0]!.data[2]! << 8) | got[0]!.data[3]!;
    expect(cksum).not.toBe(0);
    teardown(ca, cb);
  });

  it('RFC 4861 6.1.1: the hop limit given to send() is used (b’s kernel discards an RS with hop limit 64)', async () => {
    const { clock, ca, cb, epA, got } = await setup([ND_ROUTER_SOLICIT]);
    await epA.send('em0', LL_B, routerSolicit(), 64);
    await epA.send('em0', LL_B, routerSolicit());
    await until(() => got.length > 0, clock);
    await turns(20, clock);
    expect(got).toHaveLength(1);
    expect(got[0]!.hoplimit).toBe(255);
    teardown(ca, cb);
  });

  it('RFC 3542 3.2: ICMP6_FILTER passes only the listed types', async () => {
    const { clock, ca, cb, epA, got } = await setup([ND_ROUTER_SOLICIT]);
    // An echo request and an RA (types not listed) first, then an RS as the positive control.
    await epA.send('em0', LL_B, echoRequest(), 64);
    await epA.send(
      'em0',
      LL_B,
      Uint8Array.of(ND_ROUTER_ADVERT, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    );
    await epA.send('em0', LL_B, routerSolicit());
    await until(() => got.length > 0, clock);
    await turns(20, clock);
    expect(got.map((m) => m.data[0])).toEqual([ND_ROUTER_SOLICIT]);
    teardown(ca, cb);
  });

  it('RFC 3542 3.2: a listed echo request type does pass (the filter is not "block all")', async () => {
    const { clock, ca, cb, epA, got } = await setup([ICMP6_ECHO_REQUEST]);
    await epA.send('em0', LL_B, echoRequest(), 64);
    await until(() => got.length > 0, clock);
    expect(got[0]!.data[0]).toBe(ICMP6_ECHO_REQUEST);
    expect(got[0]!.hoplimit).toBe(64);
    teardown(ca, cb);
  });

  it('RFC 3493 5.2: IPV6_JOIN_GROUP makes a host receive all-routers traffic; leave stops it', async () => {
    const { clock, b, ca, cb, epA, epB, got } = await setup([ND_ROUTER_SOLICIT]);
    const member = () => b.node.isMember(b.node.ifnet('em0')!, ALL_ROUTERS);
    // Not a member of ff02::2 yet: b's kernel drops the RS; the ff02::1 control arrives.
    await epA.send('em0', ALL_ROUTERS, routerSolicit());
    await epA.send('em0', ALL_NODES, routerSolicit());
    await until(() => got.length > 0, clock);
    await turns(20, clock);
    expect(got.map((m) => m.dst?.toString())).toEqual(['ff02::1']);
    expect(member()).toBe(false);

    await epB.join('em0', ALL_ROUTERS);
    expect(epB.memberships().map((g) => `${g.ifname} ${g.group.toString()}`)).toEqual(['em0 ff02::2']);
    await epA.send('em0', ALL_ROUTERS, routerSolicit());
    await until(() => got.length > 1, clock);
    expect(got[1]!.dst?.toString()).toBe('ff02::2');
    expect(member()).toBe(true);

    await epB.leave('em0', ALL_ROUTERS);
    expect(epB.memberships()).toEqual([]);
    await epA.send('em0', ALL_ROUTERS, routerSolicit());
    await epA.send('em0', ALL_NODES, routerSolicit());
    await until(() => got.length > 2, clock);
    await turns(20, clock);
    expect(got.slice(2).map((m) => m.dst?.toString())).toEqual(['ff02::1']);
    teardown(ca, cb);
  });

  it('unknown interfaces are ENXIO, before anything is sent', async () => {
    const { ca, cb, epA, epB } = await setup([ND_ROUTER_SOLICIT]);
    await expect(epA.send('em9', LL_B, routerSolicit())).rejects.toThrow(/ENXIO.*em9/);
    await expect(epB.join('em9', ALL_ROUTERS)).rejects.toThrow(/ENXIO/);
    expect(epB.memberships()).toEqual([]);
    expect(epA.stats.sent).toBe(0);
    teardown(ca, cb);
  });

  it('rejects ICMPv6 types outside 0..255 before opening a socket', async () => {
    const { ca, cb } = await setup([ND_ROUTER_SOLICIT]);
    const before = ca.openSockets().length;
    await expect(Icmp6Endpoint.open(ca, { types: [256] })).rejects.toThrow(RangeError);
    expect(ca.openSockets()).toHaveLength(before);
    teardown(ca, cb);
  });

  it('survives a kernel reconnect: socket reopened, filter and options reapplied, groups re-joined', async () => {
    const { clock, a, b, ca, cb, epA, epB, got } = await setup([ND_ROUTER_SOLICIT]);
    await epB.join('em0', ALL_ROUTERS);
    const fdBefore = epB.fd;
    const reopened: number[] = [];
    epB.onReopen(() => reopened.push(clock.now()));
    const errors: Error[] = [];
    epB.onError((e) => errors.push(e));

    b.dropConnections();
    await until(() => cb.state === 'reconnecting', clock);
    expect(epB.ready).toBe(false);
    // The kernel closed the connection's sockets: b left ff02::2.
    expect(b.node.isMember(b.node.ifnet('em0')!, ALL_ROUTERS)).toBe(false);
    await expect(epB.send('em0', LL_A, routerSolicit())).rejects.toThrow(/ENOTCONN/);

    await until(() => reopened.length > 0, clock);
    expect(cb.state).toBe('connected');
    expect(epB.ready).toBe(true);
    expect(epB.stats.reopened).toBe(1);
    expect(errors).toEqual([]);
    expect(b.node.isMember(b.node.ifnet('em0')!, ALL_ROUTERS)).toBe(true);
    expect(epB.fd).toBeDefined();
    expect(fdBefore).toBeDefined();
    expect(cb.openSockets().map((s) => s.fd)).toEqual([epB.fd]);

    // Filter reapplied: an echo request is dropped, the RS to ff02::2 (group re-joined) arrives with pktinfo.
    await epA.send('em0', LL_B, echoRequest(), 64);
    await epA.send('em0', ALL_ROUTERS, routerSolicit());
    await until(() => got.length > 0, clock);
    await turns(20, clock);
    expect(got.map((m) => [m.data[0], m.dst?.toString(), m.hoplimit, m.ifname])).toEqual([
      [ND_ROUTER_SOLICIT, 'ff02::2', 255, 'em0'],
    ]);
    // Sending works again from b (a's endpoint passes nothing, so look at a's ICMPv6 input counters).
    const rsIn = () => a.node.icmp6stat.icp6s_inhist[ND_ROUTER_SOLICIT]!;
    const before = rsIn();
    await epB.send('em0', LL_A, routerSolicit());
    await until(() => rsIn() > before, clock);
    teardown(ca, cb);
  });

  it('a group whose interface is gone after the reconnect is reported by onError and kept', async () => {
    const { clock, b, ca, cb, epB } = await setup([ND_ROUTER_SOLICIT]);
    b.node.attachPseudo('gif0', 'gif');
    b.node.ifUp('gif0');
    await until(() => cb.interface('gif0') !== undefined, clock);
    await epB.join('gif0', ALL_ROUTERS);
    await epB.join('em0', ALL_ROUTERS);
    const errors: string[] = [];
    epB.onError((e) => errors.push(e.message));
    let reopened = 0;
    epB.onReopen(() => reopened++);

    b.dropConnections();
    await until(() => cb.state === 'reconnecting', clock);
    b.node.destroyInterface('gif0');
    await until(() => reopened === 1, clock);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/re-join gif0%ff02::2 after reconnect: ENXIO/);
    expect(b.node.isMember(b.node.ifnet('em0')!, ALL_ROUTERS)).toBe(true);
    expect(epB.memberships().map((g) => g.ifname)).toEqual(['gif0', 'em0']);
    teardown(ca, cb);
  });

  it('close() releases the kernel socket and its memberships', async () => {
    const { clock, b, ca, cb, epB } = await setup([ND_ROUTER_SOLICIT]);
    await epB.join('em0', ALL_ROUTERS);
    expect(cb.openSockets()).toHaveLength(1);
    epB.close();
    expect(epB.closed).toBe(true);
    await until(() => !b.node.isMember(b.node.ifnet('em0')!, ALL_ROUTERS), clock);
    expect(cb.openSockets()).toHaveLength(0);
    await expect(epB.send('em0', LL_A, routerSolicit())).rejects.toThrow(/EBADF/);
    teardown(ca, cb);
  });
});
