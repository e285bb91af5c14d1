import { Ipv6Address } from '@kame/addr';
import { VirtualClock } from '@kame/time';
import { ipv6 } from '@kame/wire';
import { icmp6Send } from './icmp6-output';
import { a6, buildNodes, routeVia, Segment, settle, twoHosts } from '../../test/support/lan';
import { echoRequest, etherFrame, ipv6Frame, ipv6Packet } from '../../test/support/frames';

/**
 * host a (2001:db8:1::a) -- seg1 -- r (router) -- seg2 -- host c (2001:db8:2::c)
 * seg2 has a smaller MTU when asked.
 */
function routed(mtu2 = 1500) {
  const clock = new VirtualClock();
  const seg1 = new Segment(clock, 'seg1');
  const seg2 = new Segment(clock, 'seg2');
  // Room for every fragment of a datagram while its next hop is resolved
  // (KAME's nd6_maxqueuelen default of 1 keeps only the last).
  const q = { 'net.inet6.icmp6.nd6_maxqueuelen': 16 };
  const { a, r, c } = buildNodes(clock, [
    {
      name: 'a',
      seed: 1,
      sysctl: q,
      ports: [{ seg: seg1, mac: '02:00:00:00:01:0a', address: '2001:db8:1::a/64' }],
    },
    {
      name: 'r',
      seed: 2,
      sysctl: { ...q, 'net.inet6.ip6.forwarding': 1 },
      ports: [
        { seg: seg1, mac: '02:00:00:00:01:01', address: '2001:db8:1::1/64' },
        { seg: seg2, ifname: 'em1', mac: '02:00:00:00:02:01', mtu: mtu2, address: '2001:db8:2::1/64' },
      ],
    },
    {
      name: 'c',
      seed: 3,
      sysctl: q,
      ports: [{ seg: seg2, mac: '02:00:00:00:02:0c', mtu: mtu2, address: '2001:db8:2::c/64' }],
    },
  ]);
  // Static default routes via the router's link-local addresses (route add -inet6 default fe80:N::...).
  routeVia(a, '::/0', 'fe80::ff:fe00:101');
  routeVia(c, '::/0', 'fe80::ff:fe00:201');
  settle(clock, seg1, seg2);
  return { clock, seg1, seg2, a, r, c };
}

const echo = (data = new Uint8Array(8)) => echoRequest({ identifier: 5, sequence: 1, data });

describe('v6LC.1 forwarding (ip6_forward)', () => {
  it('a ping crosses the router both ways with the hop limit decremented by one', () => {
    const { clock, seg1, seg2, a, r } = routed();
    expect(icmp6Send(a, { dst: a6('2001:db8:2::c'), message: echo() })).toBeUndefined();
    clock.advance(50);
    const req2 = seg2.icmp6('echoRequest')[0]!;
    expect(req2.from).toBe('r:em1');
    expect(req2.layers.ipv6!.hopLimit).toBe(63);
    const rep1 = seg1.icmp6('echoReply')[0]!;
    expect(rep1.from).toBe('r:em0');
    expect(rep1.layers.ipv6!.src.toString()).toBe('2001:db8:2::c');
    expect(r.ip6stat.ip6s_forward).toBe(2);
  });

  it('RFC 4443 3.3: hop limit 1 at the router is answered with Time Exceeded code 0 quoting the packet', () => {
    const { clock, seg1, a, r } = routed();
    icmp6Send(a, { dst: a6('2001:db8:2::c'), hopLimit: 1, message: echo() });
    clock.advance(50);
    const te = seg1.icmp6('timeExceeded')[0]!;
    expect(te.from).toBe('r:em0');
    expect(te.layers.icmpv6).toMatchObject({ kind: 'timeExceeded', code: 0 });
    const quoted = ipv6.parse((te.layers.icmpv6 as { invoking: Uint8Array }).invoking);
    expect(quoted.dst.toString()).toBe('2001:db8:2::c');
    expect(r.ip6stat.ip6s_cantforward).toBe(1);
  });

  it('RFC 4443 3.1: no route at the router gives Destination Unreachable code 0 (no route)', () => {
    const { clock, seg1, a, r } = routed();
    icmp6Send(a, { dst: a6('2001:db8:77::1'), message: echo() });
    clock.advance(50);
    expect(seg1.icmp6('destUnreach')[0]!.layers.icmpv6).toMatchObject({ code: 0 });
    expect(r.ip6stat.ip6s_noroute).toBe(1);
  });

  it('IMPLEMENTATION 1.11: a packet bigger than the next link is never fragmented by the router: Packet Too Big with the MTU', () => {
    const { clock, seg1, seg2, a, r } = routed(1280);
    // 1400-byte packet fits seg1 (1500) but not seg2 (1280).
    icmp6Send(a, { dst: a6('2001:db8:2::c'), message: echo(new Uint8Array(1400 - 48)) });
    clock.advance(50);
    const ptb = seg1.icmp6('packetTooBig')[0]!;
    expect(ptb.layers.icmpv6).toMatchObject({ kind: 'packetTooBig', mtu: 1280 });
    // RFC 4443 2.4 c: the error fits the minimum MTU.
    expect(ptb.layers.ipv6!.payload.length + 40).toBeLessThanOrEqual(1280);
    expect(seg2.icmp6('echoRequest')).toHaveLength(0);
    expect(r.ip6stat.ip6s_cantfrag).toBe(1);
  });

  it('RFC 4007 9: a link-local destination is never forwarded', () => {
    const { clock, seg1, r } = routed();
    seg1.transmit(
      'x',
      ipv6Frame({
        dstMac: '02:00:00:00:01:01',
        srcMac: '02:00:00:00:01:0a',
        nextHeader: 59,
        src: a6('2001:db8:1::a'),
        dst: a6('fe80::1234'),
      }),
    );
    clock.advance(10);
    expect(r.ip6stat.ip6s_cantforward).toBe(1);
    expect(r.ip6stat.ip6s_forward).toBe(0);
  });

  it('a host (forwarding 0) silently drops packets for other destinations', () => {
    const { clock, seg2, c } = routed();
    seg2.transmit(
      'x',
      ipv6Frame({
        dstMac: '02:00:00:00:02:0c',
        srcMac: '02:00:00:00:02:01',
        nextHeader: 59,
        src: a6('2001:db8:2::1'),
        dst: a6('2001:db8:9::9'),
      }),
    );
    clock.advance(10);
    expect(c.ip6stat.ip6s_forward + c.ip6stat.ip6s_cantforward).toBe(0);
    expect(c.icmp6stat.icp6s_error).toBe(0);
  });

  it('RFC 4861 8.2: a router forwarding back out the arrival link sends a Redirect naming the better first hop', () => {
    const { clock, seg1, a, r } = routed();
    // b sits on seg1 too; a routes 2001:db8:3::/64 via r, but r knows b is the next hop on the same link.
    const { b } = buildNodes(clock, [
      { name: 'b', seed: 4, ports: [{ seg: seg1, mac: '02:00:00:00:01:0b', address: '2001:db8:1::b/64' }] },
    ]);
    b.addAddress('lo0', a6('2001:db8:3::b'), 128);
    settle(clock, seg1);
    routeVia(r, '2001:db8:3::/64', 'fe80::ff:fe00:10b');
    icmp6Send(a, { dst: a6('2001:db8:3::b'), message: echo() });
    clock.advance(50);
    const rd = seg1.icmp6('redirect')[0]!;
    expect(rd.from).toBe('r:em0');
    expect(rd.layers.ipv6!.hopLimit).toBe(255);
    expect(rd.layers.icmpv6).toMatchObject({
      kind: 'redirect',
      target: a6('fe80::ff:fe00:10b'),
      destination: a6('2001:db8:3::b'),
    });
    expect(r.ip6stat.ip6s_redirectsent).toBe(1);
    // The packet itself was still forwarded.
    expect(seg1.icmp6('echoRequest').filter((f) => f.from === 'r:em0')).toHaveLength(1);
  });
});

describe('v6LC.1 fragmentation (RFC 8200 4.5, 5)', () => {
  it('a 3000-byte echo is fragmented on output, reassembled by the peer, and the reply comes back fragmented too', () => {
    // KAME held one packet per unresolved neighbor (nd6_maxqueuelen 1), which
    // would keep only the last fragment; queue enough for all of them.
    const { clock, seg, a, b } = twoHosts({ sysctl: { 'net.inet6.icmp6.nd6_maxqueuelen': 16 } });
    const replies: number[] = [];
    a.tapIcmp6((_c, m) => {
      if (m.kind === 'echoReply') replies.push(m.data.length);
    });
    const data = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
    icmp6Send(a, { dst: a6('fe80::ff:fe00:b'), ifindex: 2, message: echo(data) });
    clock.advance(100);
    const frags = seg.seen.filter((f) => f.layers.fragment && f.from === 'a:em0');
    expect(frags.length).toBe(3);
    for (const f of frags) expect(f.frame.length - 14).toBeLessThanOrEqual(1500);
    expect(b.reassembler.stats.ip6s_reassembled).toBe(1);
    expect(replies).toEqual([3000]);
    expect(a.ip6stat.ip6s_fragmented).toBe(1);
  });
});

describe('v6LC.1 extension header processing', () => {
  function deliver(payload: Uint8Array, nextHeader: number, mutate?: (packet: Uint8Array) => void) {
    const clock = new VirtualClock();
    const seg = new Segment(clock);
    const { b } = buildNodes(clock, [{ name: 'b', seed: 2, ports: [{ seg, mac: '02:00:00:00:00:0b' }] }]);
    const src = a6('fe80::99');
    const p = ipv6Packet({ nextHeader, src, dst: a6('fe80::ff:fe00:b'), payload });
    mutate?.(p);
    // The sender answers resolution so B's error can leave.
    const { x } = buildNodes(clock, [{ name: 'x', seed: 9, ports: [{ seg, mac: '02:00:00:00:00:99' }] }]);
    x.deleteAddress('em0', a6('fe80::ff:fe00:99'));
    x.addAddress('em0', src, 64);
    settle(clock, seg);
    seg.transmit('x:em0', etherFrame(p, { dstMac: '02:00:00:00:00:0b', srcMac: '02:00:00:00:00:99' }));
    clock.advance(50);
    return { seg, b };
  }

  it('RFC 5095: a type 0 routing header with segments left is refused with Parameter Problem code 0 at its type field', () => {
    // Routing header: next 59, len 2 (one address), type 0, segleft 1, reserved, address.
    const rh = new Uint8Array(24);
    rh.set([59, 2, 0, 1]);
    rh.set(Ipv6Address.parse('2001:db8::1').bytes, 8);
    const { seg, b } = deliver(rh, 43);
    const pp = seg.icmp6('paramProblem')[0]!.layers.icmpv6!;
    expect(pp).toMatchObject({ code: 0, pointer: 42 });
    expect(b.ip6stat.ip6s_badoptions).toBe(1);
  });

  it('RFC 8200 4.2: an unknown option with action 10 is answered with Parameter Problem code 2 at the option', () => {
    // Destination options: next 59, len 0, option type 0x80 (action 10) len 4.
    const d = Uint8Array.of(59, 0, 0x80, 4, 0, 0, 0, 0);
    const { seg } = deliver(d, 60);
    expect(seg.icmp6('paramProblem')[0]!.layers.icmpv6).toMatchObject({ code: 2, pointer: 42 });
  });

  it('RFC 8200 4.2: an unknown option with action 00 is skipped and the packet goes on', () => {
    const d = Uint8Array.of(59, 0, 0x1e, 4, 0, 0, 0, 0);
    const { seg, b } = deliver(d, 60);
    expect(seg.icmp6('paramProblem')).toHaveLength(0);
    expect(b.ip6stat.ip6s_nxhist[59]).toBe(1);
  });

  it('RFC 8200 4.1: Hop-by-Hop anywhere but first is Parameter Problem code 1', () => {
    const d = Uint8Array.of(0, 0, 1, 4, 0, 0, 0, 0, 59, 0, 1, 4, 0, 0, 0, 0);
    const { seg } = deliver(d, 60);
    expect(seg.icmp6('paramProblem')[0]!.layers.icmpv6).toMatchObject({ code: 1, pointer: 40 });
  });

  it('RFC 2675 3: Payload Length 0 with a Hop-by-Hop header but no Jumbo option is Parameter Problem at offset 4', () => {
    const hbh = Uint8Array.of(59, 0, 1, 4, 0, 0, 0, 0);
    const { seg, b } = deliver(hbh, 0, (p) => {
      p[4] = 0;
      p[5] = 0;
    });
    expect(seg.icmp6('paramProblem')[0]!.layers.icmpv6).toMatchObject({ code: 0, pointer: 4 });
    expect(b.ip6stat.ip6s_nxhist[59]).toBe(0);
  });

  it('IMPLEMENTATION 1.7: a Jumbo Payload option in a packet of normal size is Parameter Problem at the option length', () => {
    // HBH: next 59, len 0, Jumbo (0xc2) len 4, value 70000 — but Payload Length is 8, not 0.
    const hbh = Uint8Array.of(59, 0, 0xc2, 4, 0, 1, 0x11, 0x70);
    const { seg, b } = deliver(hbh, 0);
    expect(seg.icmp6('paramProblem')[0]!.layers.icmpv6).toMatchObject({ code: 0, pointer: 44 });
    expect(b.ip6stat.ip6s_badoptions).toBe(1);
  });
});

describe('v6LC.4 Path MTU discovery (RFC 8201)', () => {
  it('RFC 8201 4: after Packet Too Big the host sends fragments that fit the path MTU and the ping gets through', () => {
    const { clock, seg2, a, c } = routed(1280);
    const replies: number[] = [];
    a.tapIcmp6((_ctx, m) => {
      if (m.kind === 'echoReply') replies.push(m.data.length);
    });
    const data = new Uint8Array(1400 - 48);
    icmp6Send(a, { dst: a6('2001:db8:2::c'), message: echo(data) });
    clock.advance(50);
    expect(a.pmtu.get(a6('2001:db8:2::c'))).toBe(1280);
    expect(a.icmp6stat.icp6s_pmtuchg).toBe(1);
    icmp6Send(a, { dst: a6('2001:db8:2::c'), message: echo(data) });
    clock.advance(50);
    const frags = seg2.seen.filter((f) => f.from === 'r:em1' && f.layers.fragment);
    expect(frags.length).toBe(2);
    for (const f of frags) expect(f.frame.length - 14).toBeLessThanOrEqual(1280);
    expect(c.reassembler.stats.ip6s_reassembled).toBe(1);
    expect(replies).toEqual([1352]);
  });

  it('RFC 8201 5.3: the learned MTU ages out after 10 minutes', () => {
    const { clock, a } = routed(1280);
    icmp6Send(a, { dst: a6('2001:db8:2::c'), message: echo(new Uint8Array(1400 - 48)) });
    clock.advance(50);
    expect(a.pmtu.get(a6('2001:db8:2::c'))).toBe(1280);
    clock.advance(10 * 60 * 1000);
    expect(a.pmtu.get(a6('2001:db8:2::c'))).toBeUndefined();
  });
});

describe('v6LC.5 ICMPv6 error rate limiting (RFC 4443 2.4 f)', () => {
  it('a flood of 300 bad packets in one second gets at most errppslimit (100) errors; the rest are counted as too frequent', () => {
    const clock = new VirtualClock();
    const seg = new Segment(clock);
    const { b } = buildNodes(clock, [
      { name: 'b', seed: 2, ports: [{ seg, mac: '02:00:00:00:00:0b' }] },
      { name: 'x', seed: 9, ports: [{ seg, mac: '02:00:00:00:00:99' }] },
    ]);
    settle(clock, seg);
    const f = ipv6Frame({
      dstMac: '02:00:00:00:00:0b',
      srcMac: '02:00:00:00:00:99',
      nextHeader: 253,
      src: a6('fe80::ff:fe00:99'),
      dst: a6('fe80::ff:fe00:b'),
      payload: new Uint8Array(8),
    });
    for (let i = 0; i < 300; i++) {
      seg.transmit('x:em0', f);
      clock.advance(3);
    }
    clock.advance(100);
    const errors = seg.icmp6('paramProblem').filter((s) => s.from === 'b:em0').length;
    expect(errors).toBeGreaterThanOrEqual(100);
    expect(errors).toBeLessThanOrEqual(100 + 90); // 100 in the bucket plus 0.9 s of refill
    expect(b.icmp6stat.icp6s_toofreq).toBe(300 - errors);
  });
});
