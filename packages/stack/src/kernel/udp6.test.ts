import { Ipv6Address } from '@kame/addr';
import { IPPROTO_UDP, udp } from '@kame/wire';
import { Icmp6Filter } from '../socket/icmp6-filter';
import { icmp6Send } from './icmp6-output';
import { a6, twoHosts } from '../../test/support/lan';
import { echoRequest, ipv6Frame, routerAdvert } from '../../test/support/frames';

/** a (02:00:00:00:00:0a, 2001:db8::a) and b (02:00:00:00:00:0b, 2001:db8::b) on one segment. */
const pair = () => twoHosts({ addresses: { a: '2001:db8::a', b: '2001:db8::b' } });

const bytes = (s: string) => new TextEncoder().encode(s);

describe('UDP over IPv6 through the kernel (udp6_input, udp6_output)', () => {
  it('a datagram reaches a bound socket with its source, pktinfo and hop limit; the reply comes back', () => {
    const { clock, a, b } = pair();
    const sb = b.sockets.socket('udp');
    b.sockets.bind(sb, { address: Ipv6Address.UNSPECIFIED, port: 7777 });
    b.sockets.setsockopt(sb, 'IPV6_RECVPKTINFO', true);
    b.sockets.setsockopt(sb, 'IPV6_RECVHOPLIMIT', true);
    const sa = a.sockets.socket('udp');
    a.sockets.sendto(sa, bytes('hello'), { address: a6('2001:db8::b'), port: 7777 });
    clock.advance(10);
    const got = b.sockets.recvmsg(sb)!;
    expect(new TextDecoder().decode(got.data)).toBe('hello');
    expect(got.from.address.toString()).toBe('2001:db8::a');
    expect(got.pktinfo?.address.toString()).toBe('2001:db8::b');
    expect(got.pktinfo?.ifindex).toBe(2);
    expect(got.hoplimit).toBe(64);
    b.sockets.sendto(sb, bytes('olleh'), got.from);
    clock.advance(10);
    expect(new TextDecoder().decode(a.sockets.recvmsg(sa)!.data)).toBe('olleh');
  });

  it('a link-local peer carries its zone (RFC 4007 11)', () => {
    const { clock, a, b } = pair();
    // route6d is root: port 521 is below 1024.
    const sb = b.sockets.socket('udp', { privileged: true });
    b.sockets.bind(sb, { address: Ipv6Address.UNSPECIFIED, port: 521 });
    const sa = a.sockets.socket('udp', { privileged: true });
    a.sockets.bind(sa, { address: Ipv6Address.UNSPECIFIED, port: 521 });
    a.sockets.sendto(sa, bytes('x'), { address: a6('fe80::ff:fe00:b'), port: 521, zone: 2 });
    clock.advance(10);
    const got = b.sockets.recvmsg(sb)!;
    expect(got.from.address.toString()).toBe('fe80::ff:fe00:a');
    expect(got.from.zone).toBe(2);
  });

  it('IMPLEMENTATION 1.11: a closed port is answered with Port Unreachable quoting the unchanged UDP packet', () => {
    const { clock, seg, a } = pair();
    const sa = a.sockets.socket('udp');
    a.sockets.sendto(sa, bytes('ping'), { address: a6('2001:db8::b'), port: 9 });
    clock.advance(10);
    const sent = seg.seen.find((f) => f.layers.udp && f.from === 'a:em0')!;
    const du = seg.icmp6('destUnreach')[0]!;
    expect(du.layers.icmpv6).toMatchObject({ kind: 'destUnreach', code: 4 });
    expect(Array.from((du.layers.icmpv6 as { invoking: Uint8Array }).invoking)).toEqual(
      Array.from(sent.frame.subarray(14)),
    );
  });

  it('RFC 8200 8.1: a datagram with a bad checksum is dropped and counted (udp6s_badsum)', () => {
    const { clock, seg, b } = pair();
    const sb = b.sockets.socket('udp');
    b.sockets.bind(sb, { address: Ipv6Address.UNSPECIFIED, port: 7777 });
    const src = a6('2001:db8::a');
    const dst = a6('2001:db8::b');
    const d = udp.encode({ srcPort: 1, dstPort: 7777, payload: bytes('x') }, { src, dst });
    d[6]! ^= 0xff;
    seg.transmit(
      'x',
      ipv6Frame({
        dstMac: '02:00:00:00:00:0b',
        srcMac: '02:00:00:00:00:0a',
        nextHeader: IPPROTO_UDP,
        src,
        dst,
        payload: d,
      }),
    );
    clock.advance(10);
    expect(b.udp6stat.udp6s_badsum).toBe(1);
    expect(b.sockets.recvmsg(sb)).toBeUndefined();
  });

  it('IPV6_JOIN_GROUP sends an MLD report and lets multicast datagrams in (RIPng-style ff02::9 port 521)', () => {
    const { clock, seg, a, b } = pair();
    // route6d is root: port 521 is below 1024.
    const sb = b.sockets.socket('udp', { privileged: true });
    b.sockets.bind(sb, { address: Ipv6Address.UNSPECIFIED, port: 521 });
    b.sockets.setsockopt(sb, 'IPV6_JOIN_GROUP', { group: a6('ff02::9'), ifindex: 2 });
    clock.advance(5);
    expect(seg.icmp6('mldv2Report').some((f) => f.from === 'b:em0')).toBe(true);
    const sa = a.sockets.socket('udp', { privileged: true });
    a.sockets.bind(sa, { address: Ipv6Address.UNSPECIFIED, port: 521 });
    a.sockets.setsockopt(sa, 'IPV6_MULTICAST_HOPS', 255);
    a.sockets.setsockopt(sa, 'IPV6_MULTICAST_IF', 2);
    a.sockets.sendto(sa, bytes('rip'), { address: a6('ff02::9'), port: 521 });
    clock.advance(10);
    const got = b.sockets.recvmsg(sb)!;
    expect(new TextDecoder().decode(got.data)).toBe('rip');
    const wire = seg.seen.find((f) => f.layers.udp && f.layers.ipv6!.dst.toString() === 'ff02::9')!;
    expect(wire.layers.ipv6!.hopLimit).toBe(255);
    expect(wire.layers.ethernet!.dst.toString()).toBe('33:33:00:00:00:09');
  });

  it('RFC 3542 3.2: a raw ICMPv6 socket with ICMP6_FILTER passing only RAs sees the RA and not the echo', () => {
    const { clock, a, b } = pair();
    const raw = b.sockets.socket('raw', { protocol: 58, privileged: true });
    b.sockets.setsockopt(raw, 'ICMP6_FILTER', new Icmp6Filter().setBlockAll().setPass(134));
    icmp6Send(a, { dst: a6('2001:db8::b'), message: echoRequest() });
    icmp6Send(a, {
      dst: a6('ff02::1'),
      ifindex: 2,
      hopLimit: 255,
      message: routerAdvert({ routerLifetime: 0 }),
    });
    clock.advance(10);
    const got = b.sockets.recvmsg(raw)!;
    expect(got.data[0]).toBe(134);
    expect(b.sockets.recvmsg(raw)).toBeUndefined();
  });

  it('a raw socket bound to protocol 103 (PIM) takes packets of that Next Header instead of a Parameter Problem', () => {
    const { clock, seg, b } = pair();
    const raw = b.sockets.socket('raw', { protocol: 103, privileged: true });
    seg.transmit(
      'x',
      ipv6Frame({
        dstMac: '02:00:00:00:00:0b',
        srcMac: '02:00:00:00:00:0a',
        nextHeader: 103,
        hopLimit: 1,
        src: a6('2001:db8::a'),
        dst: a6('2001:db8::b'),
        payload: Uint8Array.of(0x20, 0, 0, 0),
      }),
    );
    clock.advance(10);
    expect(b.sockets.recvmsg(raw)?.data[0]).toBe(0x20);
    expect(seg.icmp6('paramProblem')).toHaveLength(0);
  });
});
