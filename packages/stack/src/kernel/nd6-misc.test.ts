import { Ipv6Address, Ipv6Prefix, MacAddress } from '@kame/addr';
import { VirtualClock } from '@kame/time';
import { RTF_DYNAMIC } from '../route/rtflags';
import { icmp6Send } from './icmp6-output';
import { a6, buildNodes, newNode, routeVia, Segment, settle, twoHosts } from '../../test/support/lan';
import { echoRequest, icmp6Frame } from '../../test/support/frames';

const echo = (data = new Uint8Array(8)) => echoRequest({ identifier: 3, sequence: 1, data });

/** a, r (router) and b on one segment; a's default route is r; r reaches 2001:db8:3::/64 via b. */
function redirectLan() {
  const clock = new VirtualClock();
  const seg = new Segment(clock);
  const { a, r, b } = buildNodes(clock, [
    { name: 'a', seed: 1, ports: [{ seg, mac: '02:00:00:00:00:0a', address: '2001:db8:1::a/64' }] },
    {
      name: 'r',
      seed: 2,
      sysctl: { 'net.inet6.ip6.forwarding': 1 },
      ports: [{ seg, mac: '02:00:00:00:00:01', address: '2001:db8:1::1/64' }],
    },
    { name: 'b', seed: 3, ports: [{ seg, mac: '02:00:00:00:00:0b', address: '2001:db8:1::b/64' }] },
  ]);
  b.addAddress('lo0', a6('2001:db8:3::b'), 128);
  routeVia(a, '::/0', 'fe80::ff:fe00:1');
  routeVia(r, '2001:db8:3::/64', 'fe80::ff:fe00:b');
  settle(clock, seg);
  return { clock, seg, a, r, b };
}

describe('v6LC.2 Redirect (RFC 4861 8.3)', () => {
  it('RFC 4861 8.3: the host obeys the first-hop router: a dynamic host route to the target, used by the next packet', () => {
    const { clock, seg, a } = redirectLan();
    icmp6Send(a, { dst: a6('2001:db8:3::b'), message: echo() });
    clock.advance(50);
    const host = a.routes.get(Ipv6Prefix.parse('2001:db8:3::b/128'));
    expect(host).toBeDefined();
    expect(host!.flags & RTF_DYNAMIC).toBeTruthy();
    seg.clear();
    icmp6Send(a, { dst: a6('2001:db8:3::b'), message: echo() });
    clock.advance(50);
    const req = seg.icmp6('echoRequest').find((f) => f.from === 'a:em0')!;
    expect(req.layers.ethernet!.dst.toString()).toBe('02:00:00:00:00:0b');
  });

  it('net.inet6.icmp6.redirtimeout: the redirect route expires (600 s)', () => {
    const { clock, a } = redirectLan();
    icmp6Send(a, { dst: a6('2001:db8:3::b'), message: echo() });
    clock.advance(50);
    expect(a.routes.get(Ipv6Prefix.parse('2001:db8:3::b/128'))).toBeDefined();
    clock.advance(600_000);
    expect(a.routes.get(Ipv6Prefix.parse('2001:db8:3::b/128'))).toBeUndefined();
  });

  it('RFC 4861 8.1: a Redirect from a node that is not the current first hop is ignored and counted', () => {
    const { clock, seg, a } = redirectLan();
    seg.transmit(
      'b:em0',
      icmp6Frame(
        {
          kind: 'redirect',
          code: 0,
          target: a6('fe80::ff:fe00:b'),
          destination: a6('2001:db8:9::9'),
          options: [],
        },
        {
          src: a6('fe80::ff:fe00:b'), // b is not a's router
          dst: a6('fe80::ff:fe00:a'),
          hopLimit: 255,
          dstMac: '02:00:00:00:00:0a',
          srcMac: '02:00:00:00:00:0b',
        },
      ),
    );
    clock.advance(10);
    expect(a.icmp6stat.icp6s_badredirect).toBe(1);
    expect(a.routes.get(Ipv6Prefix.parse('2001:db8:9::9/128'))).toBeUndefined();
  });
});

describe('v6LC.2 on-link determination with an empty router list (ndp -I, IMPLEMENTATION 1.2)', () => {
  it('with a default interface set and no router, an off-prefix destination is resolved on that link', () => {
    const clock = new VirtualClock();
    const seg = new Segment(clock);
    const { a } = buildNodes(clock, [
      { name: 'a', seed: 1, ports: [{ seg, mac: '02:00:00:00:00:0a', address: '2001:db8:1::a/64' }] },
    ]);
    settle(clock, seg);
    expect(icmp6Send(a, { dst: a6('2001:db8:77::1'), message: echo() })).toBe('ENETUNREACH');
    a.nd6.setDefaultInterface(2);
    expect(icmp6Send(a, { dst: a6('2001:db8:77::1'), message: echo() })).toBeUndefined();
    clock.advance(10);
    const ns = seg.icmp6('neighborSolicit')[0]!;
    expect((ns.layers.icmpv6 as { target: Ipv6Address }).target.toString()).toBe('2001:db8:77::1');
  });
});

describe('v6LC.2 unsolicited Neighbor Advertisements (RFC 4861 7.2.6)', () => {
  it('a link-layer address change is announced 3 times, RetransTimer apart, with Override set; neighbors update', () => {
    const { clock, seg, a, b } = twoHosts();
    icmp6Send(b, { dst: a6('fe80::ff:fe00:a'), ifindex: 2, message: echo() });
    clock.advance(10);
    seg.clear();
    a.setLladdr('em0', MacAddress.parse('02:00:00:00:00:aa'));
    clock.advance(5000);
    const nas = seg.icmp6('neighborAdvert').filter((f) => f.from === 'a:em0');
    expect(nas.map((f) => f.time - nas[0]!.time)).toEqual([0, 1000, 2000]);
    expect(nas[0]!.layers.icmpv6).toMatchObject({ solicited: false, override: true });
    expect(nas[0]!.layers.ipv6!.dst.toString()).toBe('ff02::1');
    expect(b.ifnet('em0')!.neighbors!.lookup(a6('fe80::ff:fe00:a'))?.lladdr?.toString()).toBe(
      '02:00:00:00:00:aa',
    );
  });
});

describe('interfaces: RTM_IFINFO, pseudo-interfaces (IMPLEMENTATION 1.4.1)', () => {
  it('ifconfig down/up and an MTU change are announced as RTM_IFINFO', () => {
    const clock = new VirtualClock();
    const seg = new Segment(clock);
    const a = newNode(clock, 'a', 1);
    seg.attach(a, 'em0', '02:00:00:00:00:0a');
    const msgs: string[] = [];
    a.routes.subscribe((m) => {
      if (m.type === 'RTM_IFINFO') msgs.push(`${m.ifindex} ${m.linkState} ${m.mtu}`);
    });
    a.ifUp('em0');
    a.setMtu('em0', 1400);
    a.ifDown('em0');
    expect(msgs).toEqual(['2 up 1500', '2 up 1400', '2 down 1400']);
    expect(() => a.setMtu('em0', 1000)).toThrow(/EINVAL/);
  });

  it('a pseudo-interface borrows the Ethernet interface id for its link-local address', () => {
    const clock = new VirtualClock();
    const seg = new Segment(clock);
    const a = newNode(clock, 'a', 1);
    seg.attach(a, 'em0', '02:00:00:00:00:0a');
    const gif = a.attachPseudo('gif0', 'gif');
    a.ifUp('gif0');
    expect(gif.addresses[0]!.address.toString()).toBe('fe80::ff:fe00:a');
  });

  it('with no Ethernet interface, the id comes from MD5(hostname): stable per name, U/L bit clear', () => {
    const mk = (name: string) => {
      const n = newNode(new VirtualClock(), name);
      const gif = n.attachPseudo('gif0', 'gif');
      n.ifUp('gif0');
      return gif.addresses[0]!.address;
    };
    const x = mk('kame1');
    expect(x.equals(mk('kame1'))).toBe(true);
    expect(x.equals(mk('kame2'))).toBe(false);
    expect(x.isLinkLocal()).toBe(true);
    expect(x.bytes[8]! & 0x02).toBe(0);
  });
});

describe('IMPLEMENTATION 1.7: jumbograms on the loopback interface', () => {
  it('ping6 -s 68000 ::1 works once lo0 has a large MTU (Hop-by-Hop Jumbo Payload)', () => {
    const clock = new VirtualClock();
    const n = newNode(clock, 'n');
    const replies: number[] = [];
    n.tapIcmp6((ctx, m) => {
      if (m.kind === 'echoReply') replies.push(m.data.length);
      void ctx;
    });
    const data = new Uint8Array(68000);
    expect(icmp6Send(n, { dst: Ipv6Address.LOOPBACK, message: echo(data) })).toBe('EMSGSIZE');
    n.setMtu('lo0', 100_000);
    expect(icmp6Send(n, { dst: Ipv6Address.LOOPBACK, message: echo(data) })).toBeUndefined();
    clock.advance(1);
    expect(replies).toEqual([68000]);
  });
});

describe('hostile input: every table has a bound', () => {
  it('10,000 NS from distinct sources fill a counter, not memory: the neighbor cache stays at its bound', () => {
    const clock = new VirtualClock();
    const seg = new Segment(clock);
    const { b } = buildNodes(clock, [{ name: 'b', seed: 2, ports: [{ seg, mac: '02:00:00:00:00:0b' }] }]);
    settle(clock, seg);
    const target = a6('fe80::ff:fe00:b');
    const dst = a6('ff02::1:ff00:b');
    for (let i = 0; i < 10_000; i++) {
      const src = Ipv6Address.fromBytes(
        Uint8Array.from([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, i >> 8, i & 0xff]),
      );
      const mac = MacAddress.fromBytes(Uint8Array.from([2, 0, 0, 1, i >> 8, i & 0xff]));
      b.input(
        2,
        icmp6Frame(
          { kind: 'neighborSolicit', code: 0, target, options: [{ kind: 'sourceLinkAddr', linkAddr: mac }] },
          { src, dst, hopLimit: 255, dstMac: '33:33:ff:00:00:0b', srcMac: mac },
        ),
      );
    }
    clock.advance(10);
    const nc = b.ifnet('em0')!.neighbors!;
    expect(nc.size).toBeLessThanOrEqual(nc.params.maxEntries);
    expect(nc.stats.evictions).toBeGreaterThanOrEqual(10_000 - nc.params.maxEntries);
  });
});
