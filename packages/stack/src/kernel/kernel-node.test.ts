import { Ipv6Address, Ipv6Prefix, MacAddress, embedScope } from '@kame/addr';
import { SeededRandom, VirtualClock } from '@kame/time';
import type { NdOption } from '@kame/wire';
import { IFF_RUNNING, IFF_UP } from './ifnet';
import { IN6_IFF_DEPRECATED, IN6_IFF_TENTATIVE } from './in6-ifaddr';
import { KernelError } from './kernel-error';
import { KernelNode } from './kernel-node';
import { icmp6Send } from './icmp6-output';
import { a6, newNode, settle, twoHosts } from '../../test/support/lan';
import { echoRequest, etherFrame, icmp6Frame, ipv6Frame, ipv6Packet } from '../../test/support/frames';

/** The MAC of 'x', the foreign sender of the hand-built frames below. */
const FOREIGN_MAC = '02:00:00:00:00:99';

/** A Neighbor Solicitation for b's link-local from fe80::99 to b's solicited-node group. */
const nsForB = (hopLimit: number, options: NdOption[] = []) =>
  icmp6Frame(
    { kind: 'neighborSolicit', code: 0, target: a6('fe80::ff:fe00:b'), options },
    {
      src: a6('fe80::99'),
      dst: a6('ff02::1:ff00:b'),
      hopLimit,
      dstMac: '33:33:ff:00:00:0b',
      srcMac: FOREIGN_MAC,
    },
  );

describe('IMPLEMENTATION 1.4.1: interfaces and special addresses', () => {
  it('lo0 has ::1/128 and fe80::1, routes ::1/128 and ff01::/32, and joins ff01::1', () => {
    const n = newNode(new VirtualClock(), 'n');
    const lo = n.ifnet('lo0')!;
    expect(lo.index).toBe(1);
    expect(lo.flags & (IFF_UP | IFF_RUNNING)).toBe(IFF_UP | IFF_RUNNING);
    expect(lo.addresses.map((a) => `${a.address}/${a.prefixLength}`)).toEqual(['::1/128', 'fe80::1/64']);
    expect(n.routes.get(Ipv6Prefix.parse('::1/128'))?.ifindex).toBe(1);
    expect(n.routes.get(Ipv6Prefix.parse('ff01::/32'))?.ifindex).toBe(1);
    expect(n.isMember(lo, a6('ff01::1'))).toBe(true);
  });

  it('ifconfig up assigns the EUI-64 link-local, the fe80::/64 link route (UC) and joins ff02::1 and the solicited-node group', () => {
    const { a } = twoHosts();
    const em0 = a.ifnet('em0')!;
    expect(em0.addresses.map((x) => x.address.toString())).toEqual(['fe80::ff:fe00:a']);
    const rt = a.routes.get(Ipv6Prefix.of(embedScope(a6('fe80::'), em0.index), 64));
    expect(rt?.gateway).toEqual({ kind: 'link', ifindex: em0.index });
    expect(a.isMember(em0, a6('ff02::1'))).toBe(true);
    expect(a.isMember(em0, a6('ff02::1:ff00:a'))).toBe(true);
  });

  it('an address add puts the connected prefix route in and announces RTM_NEWADDR with the embedded scope', () => {
    const { a } = twoHosts();
    const msgs: string[] = [];
    a.routes.subscribe((m) => msgs.push(`${m.type}`));
    a.addAddress('em0', a6('2001:db8:1::a'), 64);
    expect(a.routes.lookup(a6('2001:db8:1::77'))?.gateway.kind).toBe('link');
    expect(msgs).toEqual(expect.arrayContaining(['RTM_ADD', 'RTM_NEWADDR']));
    a.deleteAddress('em0', a6('2001:db8:1::a'));
    expect(a.routes.lookup(a6('2001:db8:1::77'))).toBeUndefined();
    expect(msgs).toContain('RTM_DELADDR');
  });

  it('errors are errno names: EEXIST for a second identical address, ENXIO for no interface, EINVAL for multicast', () => {
    const { a } = twoHosts();
    a.addAddress('em0', a6('2001:db8::1'), 64);
    expect(() => a.addAddress('em0', a6('2001:db8::1'), 64)).toThrow(KernelError);
    expect(() => a.addAddress('em0', a6('2001:db8::1'), 64)).toThrow(/EEXIST/);
    expect(() => a.addAddress('nope0', a6('2001:db8::2'), 64)).toThrow(/ENXIO/);
    expect(() => a.addAddress('em0', a6('ff02::5'), 64)).toThrow(/EINVAL/);
  });
});

describe('v6LC.2 Neighbor Discovery: address resolution', () => {
  it('RFC 4861 7.2.2: a ping to a link-local neighbor sends a multicast NS with SLLA, gets a solicited NA, then the echo', () => {
    const { clock, seg, a, b } = twoHosts();
    const em0 = a.ifnet('em0')!;
    const bLL = a6('fe80::ff:fe00:b');
    const err = icmp6Send(a, {
      dst: bLL,
      ifindex: em0.index,
      message: echoRequest({ identifier: 7, sequence: 1, data: Uint8Array.of(1, 2, 3) }),
    });
    expect(err).toBeUndefined();
    clock.advance(10);
    const kinds = seg.icmp6().map((f) => `${f.from} ${f.layers.icmpv6!.kind}`);
    expect(kinds).toEqual([
      'a:em0 neighborSolicit',
      'b:em0 neighborAdvert',
      'a:em0 echoRequest',
      'b:em0 echoReply',
    ]);
    const ns = seg.icmp6('neighborSolicit')[0]!;
    expect(ns.layers.ipv6!.dst.toString()).toBe('ff02::1:ff00:b');
    expect(ns.layers.ipv6!.hopLimit).toBe(255);
    expect(ns.layers.ethernet!.dst.toString()).toBe('33:33:ff:00:00:0b');
    const na = seg.icmp6('neighborAdvert')[0]!.layers.icmpv6!;
    expect(na).toMatchObject({ solicited: true, override: true, router: false });
    const reply = seg.icmp6('echoReply')[0]!.layers.icmpv6!;
    expect(reply).toMatchObject({ identifier: 7, sequence: 1 });
    expect(em0.neighbors!.lookup(bLL)?.state).toBe('REACHABLE');
    // B learned A from the NS's SLLA (RFC 4861 7.2.3): STALE, then used for the reply.
    expect(b.ifnet('em0')!.neighbors!.lookup(a6('fe80::ff:fe00:a'))?.lladdr?.toString()).toBe(
      '02:00:00:00:00:0a',
    );
  });

  it('RFC 4861 7.2.2: an unanswered resolution sends 3 NS one RetransTimer apart, then drops the queued packet', () => {
    const { clock, seg, a } = twoHosts();
    icmp6Send(a, { dst: a6('fe80::dead'), ifindex: a.ifnet('em0')!.index, message: echoRequest() });
    clock.advance(5000);
    const ns = seg.icmp6('neighborSolicit').filter((f) => f.from === 'a:em0');
    const t0 = ns[0]!.time;
    expect(ns.map((f) => f.time - t0)).toEqual([0, 1000, 2000]);
    expect(a.ip6stat.ip6s_odropped).toBe(1);
    expect(a.ifnet('em0')!.neighbors!.lookup(a6('fe80::dead'))).toBeUndefined();
  });

  it('RFC 4861 7.1.1: an NS with hop limit 254 is dropped and counted (icp6s_badns)', () => {
    const { clock, seg, b } = twoHosts();
    seg.transmit('x', nsForB(254));
    clock.advance(10);
    expect(b.icmp6stat.icp6s_badns).toBe(1);
    expect(seg.icmp6('neighborAdvert')).toHaveLength(0);
  });

  it('IMPLEMENTATION 1.2: only the first nd6_maxndopt (10) options of an ND message are processed', () => {
    const { clock, seg, b } = twoHosts();
    const options = [
      { kind: 'sourceLinkAddr' as const, linkAddr: MacAddress.parse(FOREIGN_MAC) },
      ...Array.from({ length: 11 }, () => ({ kind: 'unknown' as const, type: 200, data: new Uint8Array(6) })),
    ];
    seg.transmit('x', nsForB(255, options));
    clock.advance(10);
    expect(b.icmp6stat.icp6s_nd_toomanyopt).toBe(1);
    // Still answered: the message itself is valid.
    expect(seg.icmp6('neighborAdvert')).toHaveLength(1);
  });
});

describe('v6LC.1 IPv6 input checks', () => {
  function sendRaw(
    next: number,
    payload: Uint8Array,
    opts: { src?: string; dst?: string; mac?: string } = {},
  ) {
    const { clock, seg, b } = twoHosts();
    b.addAddress('em0', a6('2001:db8::b'), 64);
    settle(clock, seg);
    // Count only what this packet does (the hosts' own MLD reports reach each other too).
    const before = { total: b.ip6stat.ip6s_total, notmember: b.ip6stat.ip6s_notmember };
    seg.transmit(
      'x',
      ipv6Frame({
        dstMac: opts.mac ?? '02:00:00:00:00:0b',
        srcMac: FOREIGN_MAC,
        nextHeader: next,
        hopLimit: 64,
        src: a6(opts.src ?? '2001:db8::99'),
        dst: a6(opts.dst ?? '2001:db8::b'),
        payload,
      }),
    );
    clock.advance(10);
    return { seg, b, clock, before };
  }

  it('RFC 8200 4: an unrecognized Next Header gets Parameter Problem code 1 pointing at offset 6', () => {
    // b has to resolve the sender to answer; the sender never answers, so read B's queued attempt via its NS.
    const { seg, b, clock } = sendRaw(253, new Uint8Array(8));
    expect(b.icmp6stat.icp6s_error).toBe(1);
    clock.advance(10);
    // The error waits on resolution of 2001:db8::99: B multicasts an NS for it.
    expect(
      seg
        .icmp6('neighborSolicit')
        .some(
          (f) =>
            f.layers.icmpv6!.kind === 'neighborSolicit' &&
            (f.layers.icmpv6 as { target: Ipv6Address }).target.toString() === '2001:db8::99',
        ),
    ).toBe(true);
  });

  it('IMPLEMENTATION 1.14: a v4-mapped source is dropped (ip6s_badscope) without an error', () => {
    const { b } = sendRaw(59, new Uint8Array(0), { src: '::ffff:10.1.1.1' });
    expect(b.ip6stat.ip6s_badscope).toBe(1);
    expect(b.icmp6stat.icp6s_error).toBe(0);
  });

  it('IMPLEMENTATION 1.14: a v4-compatible destination is dropped', () => {
    const { b } = sendRaw(59, new Uint8Array(0), { dst: '::10.1.1.1' });
    expect(b.ip6stat.ip6s_badscope).toBe(1);
  });

  it('RFC 4291 2.7: a multicast source is dropped', () => {
    const { b } = sendRaw(59, new Uint8Array(0), { src: 'ff02::1' });
    expect(b.ip6stat.ip6s_badscope).toBe(1);
  });

  it('a group this interface has not joined is dropped (ip6s_notmember)', () => {
    const { b, before } = sendRaw(59, new Uint8Array(0), { dst: 'ff02::1234', mac: '33:33:00:00:12:34' });
    expect(b.ip6stat.ip6s_notmember - before.notmember).toBe(1);
  });

  it('IMPLEMENTATION 1.7: a payload length beyond the frame is "data size < data length" (ip6s_tooshort)', () => {
    const { clock, seg, b } = twoHosts();
    const p = ipv6Packet({
      nextHeader: 59,
      src: a6('fe80::99'),
      dst: a6('fe80::ff:fe00:b'),
      payload: new Uint8Array(16),
    });
    const cut = p.subarray(0, 48);
    seg.transmit('x', etherFrame(cut, { dstMac: '02:00:00:00:00:0b', srcMac: FOREIGN_MAC }));
    clock.advance(10);
    expect(b.ip6stat.ip6s_tooshort).toBe(1);
  });

  it('frames for another MAC are not taken in', () => {
    const { b, before } = sendRaw(59, new Uint8Array(0), { mac: '02:00:00:00:00:77' });
    expect(b.ip6stat.ip6s_total - before.total).toBe(0);
    expect(b.ifnet('em0')!.counters.iqdrops).toBe(1);
  });
});

describe('v6LC.5 ICMPv6 echo', () => {
  it('RFC 4443 4.2: ping ::1 is answered through lo0 with the same identifier, sequence and data', () => {
    const clock = new VirtualClock();
    const n = newNode(clock, 'n');
    const replies: unknown[] = [];
    n.tapIcmp6((_ctx, m) => {
      if (m.kind === 'echoReply') replies.push(m);
    });
    icmp6Send(n, {
      dst: Ipv6Address.LOOPBACK,
      message: echoRequest({ identifier: 42, sequence: 3, data: Uint8Array.of(9, 9) }),
    });
    clock.advance(1);
    expect(replies).toEqual([
      { kind: 'echoReply', code: 0, identifier: 42, sequence: 3, data: Uint8Array.of(9, 9) },
    ]);
  });

  it('a ping to a global address of a neighbor on the same prefix works both ways', () => {
    const { clock, seg, a, b } = twoHosts();
    a.addAddress('em0', a6('2001:db8::a'), 64);
    b.addAddress('em0', a6('2001:db8::b'), 64);
    settle(clock, seg);
    icmp6Send(a, { dst: a6('2001:db8::b'), message: echoRequest({ data: new Uint8Array(56) }) });
    clock.advance(10);
    const reply = seg.icmp6('echoReply')[0]!;
    expect(reply.layers.ipv6!.src.toString()).toBe('2001:db8::b');
    expect(reply.layers.ipv6!.dst.toString()).toBe('2001:db8::a');
  });

  it('ENETUNREACH with no route, EADDRNOTAVAIL-free for link-local with a zone', () => {
    const { a } = twoHosts();
    expect(
      icmp6Send(a, {
        dst: a6('2001:db8:99::1'),
        message: echoRequest(),
      }),
    ).toBe('ENETUNREACH');
    expect(a.ip6stat.ip6s_noroute).toBe(1);
  });
});

describe('interface arrival and departure (RTM_IFANNOUNCE, SIOCIFDESTROY)', () => {
  function node() {
    const clock = new VirtualClock();
    return new KernelNode({ name: 'n', clock, random: new SeededRandom(3) });
  }

  it('announces arrival, then on destroy removes addresses, routes and groups and announces departure', () => {
    const n = node();
    const seen: string[] = [];
    n.routes.bus.subscribe((m) => {
      if (m.type === 'RTM_IFANNOUNCE') seen.push(`${m.what} ${m.ifname} ${m.ifindex}`);
      if (m.type === 'RTM_DELADDR') seen.push(`deladdr ${m.ifindex}`);
    });
    const gif = n.attachPseudo('gif0', 'gif');
    n.ifUp('gif0');
    n.addAddress('gif0', Ipv6Address.parse('2001:db8:9::1'), 64);
    expect(n.routes.get(Ipv6Prefix.parse('2001:db8:9::/64'))).toBeDefined();
    n.destroyInterface('gif0');
    expect(n.ifnet('gif0')).toBeUndefined();
    expect(n.ifnet(gif.index)).toBeUndefined();
    expect(n.routes.list().filter((r) => r.ifindex === gif.index)).toEqual([]);
    expect(seen[0]).toBe(`arrival gif0 ${gif.index}`);
    expect(seen.at(-1)).toBe(`departure gif0 ${gif.index}`);
    expect(seen.filter((s) => s.startsWith('deladdr')).length).toBe(2); // link-local + global
  });

  it('never reuses an interface index, and refuses to destroy a physical interface', () => {
    const n = node();
    const a = n.attachPseudo('gif0', 'gif');
    n.destroyInterface('gif0');
    const b = n.attachPseudo('gif0', 'gif');
    expect(b.index).toBeGreaterThan(a.index);
    expect(() => n.destroyInterface('lo0')).toThrow(/not a cloned interface/);
    expect(() => n.destroyInterface('nope0')).toThrow();
  });
});

describe('address flag changes are announced (RTM_NEWADDR, as FreeBSD after DAD)', () => {
  it('tentative -> ready after DAD, then deprecated when the preferred lifetime ends', () => {
    const clock = new VirtualClock();
    const n = new KernelNode({ name: 'n', clock, random: new SeededRandom(5) });
    n.attachEthernet('em0', MacAddress.parse('02:00:00:00:00:01'), { output: () => undefined });
    n.ifUp('em0');
    const seen: number[] = [];
    const target = Ipv6Address.parse('2001:db8::1');
    n.routes.bus.subscribe((m) => {
      if (m.type === 'RTM_NEWADDR' && m.address.toString() === target.toString()) seen.push(m.flags);
    });
    n.addAddress('em0', target, 64, { preferredLifetime: 60, validLifetime: 120 });
    clock.advance(5_000);
    clock.advance(60_000);
    // Added tentative, then ready (DAD done), then deprecated.
    expect(seen).toEqual([IN6_IFF_TENTATIVE, 0, IN6_IFF_DEPRECATED]);
  });
});
