import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { IN6_IFF_AUTOCONF, IN6_IFF_DUPLICATED } from '@kame/stack';
import { Lab, PingError, startRaSender } from '../src/index';

const a6 = (s: string) => Ipv6Address.parse(s);

/** h1 --lan1-- r --lan2-- h2, static routes, r forwarding. */
function routed(mtu2 = 1500) {
  const lab = new Lab({ seed: 7 });
  lab.segment('lan1');
  lab.segment('lan2');
  const h1 = lab.node('h1');
  const r = lab.node('r', { sysctl: { 'net.inet6.ip6.forwarding': 1 } });
  const h2 = lab.node('h2');
  lab.attach(h1, 'em0', 'lan1', { addresses: ['2001:db8:1::10/64'] });
  lab.attach(r, 'em0', 'lan1', { addresses: ['2001:db8:1::1/64'] });
  lab.attach(r, 'em1', 'lan2', { addresses: ['2001:db8:2::1/64'], mtu: mtu2 });
  lab.attach(h2, 'em0', 'lan2', { addresses: ['2001:db8:2::10/64'] });
  const via = (n: typeof h1, gw: string) =>
    n.routes.add({ dst: Ipv6Prefix.parse('::/0'), gateway: { kind: 'inet6', address: a6(gw) }, ifindex: 2 });
  via(h1, '2001:db8:1::1');
  via(h2, '2001:db8:2::1');
  lab.settle();
  return { lab, h1, r, h2 };
}

describe('Lab (virtual time, in-memory hubs)', () => {
  it('gives deterministic MACs and settles DAD on every node', () => {
    const { lab, h1, r } = routed();
    expect(h1.mustIfnet('em0').lladdr?.toString()).toBe('02:00:00:00:01:01');
    expect(r.mustIfnet('em1').lladdr?.toString()).toBe('02:00:00:00:02:02');
    expect(lab.allDadDone()).toBe(true);
    expect(lab.clock.now()).toBeLessThan(10_000);
    lab.close();
  });

  it('a router forwards pings between two hubs with the hop limit decremented', async () => {
    const { lab, h1, r } = routed();
    const reply = await lab.ping(h1, '2001:db8:2::10');
    expect(reply.from.toString()).toBe('2001:db8:2::10');
    expect(reply.hopLimit).toBe(63);
    expect(r.ip6stat.ip6s_forward).toBe(2);
    lab.close();
  });

  it('fragments a 4000-byte echo and gets the whole data back', async () => {
    const { lab, h1, h2 } = routed();
    // Resolve the neighbors first: KAME queues one packet per unresolved neighbor (nd6_maxqueuelen).
    await lab.ping(h1, '2001:db8:2::10');
    const reply = await lab.ping(h1, '2001:db8:2::10', { size: 4000, sequence: 2 });
    expect([reply.bytes, reply.dataMatches]).toEqual([4000, true]);
    expect(h1.ip6stat.ip6s_fragmented).toBe(1);
    expect(h2.ip6stat.ip6s_fragmented).toBe(1);
    lab.close();
  });

  it('a ping toward a smaller-MTU link is answered with Packet Too Big (PingError with the MTU)', async () => {
    const { lab, h1 } = routed(1280);
    const err = await lab.ping(h1, '2001:db8:2::10', { size: 1400, sequence: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PingError);
    const pe = err as PingError;
    expect(pe.reason).toBe('icmp6');
    expect(pe.icmp?.kind === 'packetTooBig' && pe.icmp.mtu).toBe(1280);
    expect(pe.from?.toString()).toBe('2001:db8:1::1');
    lab.close();
  });

  it('a ping with nobody there times out on the virtual clock', async () => {
    const { lab, h1 } = routed();
    const t0 = lab.clock.now();
    await expect(lab.ping(h1, '2001:db8:1::99', { timeoutMs: 1500 })).rejects.toThrow(/no reply/);
    expect(lab.clock.now() - t0).toBeGreaterThanOrEqual(1500);
    lab.close();
  });

  it('an address already used on the link is marked duplicated', () => {
    const lab = new Lab();
    lab.segment('lan');
    lab.attach(lab.node('a'), 'em0', 'lan', { addresses: ['2001:db8::1/64'] });
    lab.settle();
    lab.attach(lab.node('b'), 'em0', 'lan', { addresses: ['2001:db8::1/64'] });
    lab.settle();
    const ia = lab
      .mustNode('b')
      .mustIfnet('em0')
      .addresses.find((x) => x.address.equals(a6('2001:db8::1')));
    expect(ia && ia.flags & IN6_IFF_DUPLICATED).toBeTruthy();
    lab.close();
  });

  it('startRaSender: a host (accept_rtadv=1) autoconfigures from the RAs and answers with a default route', () => {
    const lab = new Lab();
    lab.segment('lan');
    const r = lab.node('r', { sysctl: { 'net.inet6.ip6.forwarding': 1 } });
    const h = lab.node('h', { sysctl: { 'net.inet6.ip6.accept_rtadv': 1 } });
    lab.attach(r, 'em0', 'lan');
    lab.attach(h, 'em0', 'lan');
    lab.settle();
    const ra = startRaSender(r, 'em0', {
      prefixes: [{ prefix: '2001:db8:77::/64' }],
      routerLifetime: 1800,
      intervalMs: 1000,
    });
    const slaac = () =>
      h
        .mustIfnet('em0')
        .addresses.find((a) => a.flags & IN6_IFF_AUTOCONF && a.address.toString().startsWith('2001:db8:77:'));
    expect(lab.runUntil(() => slaac() !== undefined, 5000)).toBe(true);
    expect(slaac()!.address.toString()).toBe('2001:db8:77::ff:fe00:201');
    const def = h.routes.get(Ipv6Prefix.parse('::/0'));
    expect(def?.gateway.kind).toBe('inet6');
    lab.run(3000);
    expect(ra.sent).toBeGreaterThanOrEqual(3);
    ra.stop();
    const n = ra.sent;
    lab.run(3000);
    expect(ra.sent).toBe(n);
    lab.close();
  });
});
