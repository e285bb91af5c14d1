import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { VirtualClock } from '@kame/time';
import type { NdOption } from '@kame/wire';
import { IN6_IFF_AUTOCONF, IN6_IFF_DEPRECATED, IN6_IFF_DUPLICATED, IN6_IFF_TENTATIVE } from './in6-ifaddr';
import { icmp6Send } from './icmp6-output';
import type { KernelNode } from './kernel-node';
import { a6, buildNodes, Segment, settle } from '../../test/support/lan';
import { echoRequest, prefixInfo, routerAdvert } from '../../test/support/frames';

/** Router r (02:00:00:00:00:01, fe80::ff:fe00:1) and host h (02:00:00:00:00:02, fe80::ff:fe00:2). */
function lan(hostSysctl: Record<string, number> = { 'net.inet6.ip6.accept_rtadv': 1 }) {
  const clock = new VirtualClock();
  const seg = new Segment(clock);
  const { r, h } = buildNodes(clock, [
    {
      name: 'r',
      seed: 1,
      sysctl: { 'net.inet6.ip6.forwarding': 1 },
      ports: [{ seg, mac: '02:00:00:00:00:01' }],
    },
    { name: 'h', seed: 2, sysctl: hostSysctl, ports: [{ seg, mac: '02:00:00:00:00:02' }] },
  ]);
  settle(clock, seg);
  return { clock, seg, r, h };
}

/** What rtadvd would send: an RA to all-nodes from the router's link-local, hop limit 255. */
function sendRa(
  r: KernelNode,
  opts: { lifetime?: number; prefixes?: NdOption[]; extra?: NdOption[]; hlim?: number } = {},
) {
  const em0 = r.ifnet('em0')!;
  const options: NdOption[] = [
    { kind: 'sourceLinkAddr', linkAddr: em0.lladdr! },
    ...(opts.extra ?? []),
    ...(opts.prefixes ?? [prefix('2001:db8:1::', 2592000, 604800)]),
  ];
  return icmp6Send(r, {
    dst: a6('ff02::1'),
    ifindex: em0.index,
    hopLimit: 255,
    message: routerAdvert({ curHopLimit: opts.hlim ?? 64, routerLifetime: opts.lifetime ?? 1800, options }),
  });
}

const prefix = (p: string, valid: number, preferred: number): NdOption =>
  prefixInfo({ prefix: a6(p), validLifetime: valid, preferredLifetime: preferred });

const flagsOf = (n: KernelNode, addr: string) =>
  n.ifnet('em0')!.addresses.find((a) => a.address.equals(a6(addr)))?.flags;

describe('v6LC.2 DAD (RFC 4862 5.4)', () => {
  it('RFC 4862 5.4.2: a new address is tentative, probed by one NS from :: to its solicited-node group, then usable', () => {
    const { clock, seg, h } = lan();
    h.addAddress('em0', a6('2001:db8::2'), 64);
    expect(flagsOf(h, '2001:db8::2')! & IN6_IFF_TENTATIVE).toBeTruthy();
    clock.advance(3000);
    const probes = seg
      .icmp6('neighborSolicit')
      .filter((f) => (f.layers.icmpv6 as { target: Ipv6Address }).target.equals(a6('2001:db8::2')));
    expect(probes).toHaveLength(1);
    expect(probes[0]!.layers.ipv6!.src.isUnspecified()).toBe(true);
    expect(probes[0]!.layers.ipv6!.dst.toString()).toBe('ff02::1:ff00:2');
    expect(flagsOf(h, '2001:db8::2')).toBe(0);
  });

  it('RFC 4862 5.4.5 / IMPLEMENTATION 1.2: an address another node already owns is marked duplicated and logged; the owner keeps it', () => {
    const { clock, r, h } = lan();
    const logs: string[] = [];
    (h as { log: (l: string, m: string) => void }).log = (_l, m) => logs.push(m);
    r.addAddress('em0', a6('2001:db8::5'), 64);
    clock.advance(3000);
    h.addAddress('em0', a6('2001:db8::5'), 64);
    clock.advance(3000);
    expect(flagsOf(h, '2001:db8::5')! & IN6_IFF_DUPLICATED).toBeTruthy();
    expect(flagsOf(r, '2001:db8::5')).toBe(0);
    expect(logs.some((m) => /em0: DAD detected duplicate IPv6 address 2001:db8::5/.test(m))).toBe(true);
  });

  it('RFC 4862 5.4: a tentative address is never chosen as a source', () => {
    const { h } = lan();
    h.addAddress('em0', a6('2001:db8::2'), 64);
    expect(h.selectSource(a6('2001:db8::9'), 2)?.toString()).not.toBe('2001:db8::2');
  });

  it('net.inet6.ip6.dad_count 0 skips DAD: the address is usable at once', () => {
    const { h } = lan({ 'net.inet6.ip6.dad_count': 0 });
    h.addAddress('em0', a6('2001:db8::2'), 64);
    expect(flagsOf(h, '2001:db8::2')).toBe(0);
  });
});

describe('v6LC.3 stateless address autoconfiguration (IMPLEMENTATION 1.4.2)', () => {
  it('RFC 4862 5.5.3: an RA prefix makes an EUI-64 address, a default route via the router, and the hop limit', () => {
    const { clock, r, h } = lan();
    expect(sendRa(r, { hlim: 40 })).toBeUndefined();
    clock.advance(3000);
    const addr = h.ifnet('em0')!.addresses.find((a) => a.address.toString() === '2001:db8:1::ff:fe00:2');
    expect(addr).toBeDefined();
    expect(addr!.flags & IN6_IFF_AUTOCONF).toBeTruthy();
    expect(addr!.flags & IN6_IFF_TENTATIVE).toBe(0);
    const dflt = h.routes.get(Ipv6Prefix.parse('::/0'));
    expect(dflt?.gateway).toMatchObject({ kind: 'inet6' });
    expect(dflt?.owner).toBe('nd6');
    expect(h.nd6.routers().map((x) => x.address.toString())).toEqual(['fe80::ff:fe00:1']);
    expect(h.ifnet('em0')!.nd.chlim).toBe(40);
    // The router's entry is in the neighbor cache with IsRouter set (RFC 4861 6.3.4).
    expect(h.ifnet('em0')!.neighbors!.lookup(a6('fe80::ff:fe00:1'))?.isRouter).toBe(true);
  });

  it('after SLAAC, a ping to an off-link address leaves through the router, from the autoconfigured address', () => {
    const { clock, seg, r, h } = lan();
    sendRa(r);
    clock.advance(3000);
    seg.clear();
    icmp6Send(h, { dst: a6('2001:db8:99::1'), message: echoRequest({ data: new Uint8Array(4) }) });
    clock.advance(10);
    const req = seg.icmp6('echoRequest')[0]!;
    expect(req.layers.ethernet!.dst.toString()).toBe('02:00:00:00:00:01');
    expect(req.layers.ipv6!.src.toString()).toBe('2001:db8:1::ff:fe00:2');
  });

  it('accept_rtadv 0 (a manually configured host) ignores RAs', () => {
    const { clock, r, h } = lan({});
    sendRa(r);
    clock.advance(3000);
    expect(h.ifnet('em0')!.addresses.map((a) => a.address.toString())).toEqual(['fe80::ff:fe00:2']);
    expect(h.routes.get(Ipv6Prefix.parse('::/0'))).toBeUndefined();
  });

  it('RFC 4861 6.3.4: the MTU option sets the link MTU used for output', () => {
    const { clock, r, h } = lan();
    sendRa(r, { extra: [{ kind: 'mtu', mtu: 1400 } as NdOption] });
    clock.advance(10);
    expect(h.ifnet('em0')!.linkMtu).toBe(1400);
  });

  it('RFC 4862 5.5.4: the address is deprecated when its preferred lifetime ends and removed when its valid lifetime ends', () => {
    const { clock, r, h } = lan();
    sendRa(r, { prefixes: [prefix('2001:db8:1::', 7200, 1800)] });
    clock.advance(10);
    const a = '2001:db8:1::ff:fe00:2';
    clock.advance(1800 * 1000);
    expect(flagsOf(h, a)! & IN6_IFF_DEPRECATED).toBeTruthy();
    clock.advance((7200 - 1800) * 1000);
    expect(flagsOf(h, a)).toBeUndefined();
  });

  it('RFC 4861 6.3.4: a router lifetime of 0 removes the router and its default route', () => {
    const { clock, r, h } = lan();
    sendRa(r);
    clock.advance(10);
    expect(h.routes.get(Ipv6Prefix.parse('::/0'))).toBeDefined();
    sendRa(r, { lifetime: 0 });
    clock.advance(10);
    expect(h.routes.get(Ipv6Prefix.parse('::/0'))).toBeUndefined();
    expect(h.nd6.routers()).toHaveLength(0);
  });

  it('RFC 4861 6.1.2: an RA with hop limit 254 is dropped and counted', () => {
    const { clock, r, h } = lan();
    const em0 = r.ifnet('em0')!;
    icmp6Send(r, {
      dst: a6('ff02::1'),
      ifindex: em0.index,
      hopLimit: 254,
      message: routerAdvert({ routerLifetime: 1800 }),
    });
    clock.advance(10);
    expect(h.icmp6stat.icp6s_badra).toBe(1);
    expect(h.nd6.routers()).toHaveLength(0);
  });
});

describe('address lifetimes (SIOCAIFADDR_IN6 with lifetimes)', () => {
  it('a manual address with a 10 s valid lifetime is removed at 10 s with RTM_DELADDR', () => {
    const { clock, h } = lan({ 'net.inet6.ip6.dad_count': 0 });
    const msgs: string[] = [];
    h.routes.subscribe((m) => msgs.push(m.type));
    h.addAddress('em0', a6('2001:db8::77'), 64, { validLifetime: 10, preferredLifetime: 5 });
    clock.advance(5000);
    expect(flagsOf(h, '2001:db8::77')! & IN6_IFF_DEPRECATED).toBeTruthy();
    clock.advance(5000);
    expect(flagsOf(h, '2001:db8::77')).toBeUndefined();
    expect(msgs).toContain('RTM_DELADDR');
  });
});

describe('MLD host part (RFC 3810, RFC 2710)', () => {
  it('RFC 3810 5.2: joining a group sends a Report to ff02::16 with hop limit 1 and a Router Alert, from the link-local address', () => {
    const { clock, seg, h } = lan();
    h.joinGroup(h.ifnet('em0')!, a6('ff05::1:3'));
    clock.advance(1);
    const rep = seg.icmp6('mldv2Report').find((f) => f.from === 'h:em0')!;
    expect(rep.layers.ipv6!.dst.toString()).toBe('ff02::16');
    expect(rep.layers.ipv6!.hopLimit).toBe(1);
    expect(rep.layers.ipv6!.src.toString()).toBe('fe80::ff:fe00:2');
    const hbh = rep.layers.extensionHeaders![0]!;
    expect(hbh.kind).toBe('hopByHop');
    expect(JSON.stringify(hbh.header)).toContain('routerAlert');
    const rec = (rep.layers.icmpv6 as { records: { multicastAddress: Ipv6Address }[] }).records;
    expect(rec.map((x) => x.multicastAddress.toString())).toContain('ff05::1:3');
  });

  it('RFC 2710 4: after an MLDv1 query the host answers with a v1 Report for its groups within the maximum response delay', () => {
    const { clock, seg, r, h } = lan();
    h.joinGroup(h.ifnet('em0')!, a6('ff05::1:3'));
    clock.advance(5000);
    seg.clear();
    const t0 = clock.now();
    const em0 = r.ifnet('em0')!;
    icmp6Send(r, {
      dst: a6('ff02::1'),
      ifindex: em0.index,
      hopLimit: 1,
      message: {
        kind: 'mldQuery',
        code: 0,
        maxResponseDelay: 1000,
        multicastAddress: Ipv6Address.UNSPECIFIED,
      },
    });
    clock.advance(1100);
    const reports = seg.icmp6('mldReport').filter((f) => f.from === 'h:em0');
    expect(
      reports.map((f) => (f.layers.icmpv6 as { multicastAddress: Ipv6Address }).multicastAddress.toString()),
    ).toContain('ff05::1:3');
    expect(reports.length).toBeGreaterThan(0);
    for (const f of reports) expect(f.time - t0).toBeLessThanOrEqual(1000 + 1);
  });
});
