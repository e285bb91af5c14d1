import { MacAddress } from '@kame/addr';
import { VirtualClock } from '@kame/time';
import { ETHERTYPE_IPV6, IPPROTO_ICMPV6, ethernet, ipv6 } from '@kame/wire';
import { fragment } from '../frag6/fragment';
import { a6, newNode, Segment, settle } from '../../test/support/lan';

function pair(bSysctl: Record<string, number> = {}) {
  const clock = new VirtualClock();
  const seg = new Segment(clock);
  const a = newNode(clock, 'a', 1);
  const b = newNode(clock, 'b', 2, bSysctl);
  seg.attach(a, 'em0', '02:00:00:00:00:0a');
  seg.attach(b, 'em0', '02:00:00:00:00:0b');
  a.ifUp('em0');
  b.ifUp('em0');
  settle(clock, seg);
  return { clock, seg, a, b };
}

describe('reassembly errors (RFC 8200 4.5)', () => {
  it('RFC 8200 4.5: when only the first fragment arrives, Time Exceeded code 1 goes back after 60 s', () => {
    const { clock, seg, b } = pair();
    const src = a6('fe80::ff:fe00:a');
    const dst = a6('fe80::ff:fe00:b');
    const frags = fragment(
      {
        trafficClass: 0,
        flowLabel: 0,
        nextHeader: 59,
        hopLimit: 64,
        src,
        dst,
        payload: new Uint8Array(3000),
      },
      1280,
      0x1234,
    );
    seg.transmit(
      'a:em0',
      ethernet.encode({
        dst: MacAddress.parse('02:00:00:00:00:0b'),
        src: MacAddress.parse('02:00:00:00:00:0a'),
        etherType: ETHERTYPE_IPV6,
        payload: frags[0]!,
      }),
    );
    clock.advance(59_000);
    expect(seg.icmp6('timeExceeded')).toHaveLength(0);
    clock.advance(2_000);
    const te = seg.icmp6('timeExceeded')[0]!;
    expect(te.from).toBe('b:em0');
    expect(te.layers.icmpv6).toMatchObject({ kind: 'timeExceeded', code: 1 });
    expect(b.reassembler.stats.ip6s_fragtimeout).toBe(1);
  });
});

describe('router alert and MLD on a router', () => {
  it('RFC 2711: a router hands an MLD report for a group it has not joined to its raw ICMPv6 sockets', () => {
    const { clock, a, b } = pair({ 'net.inet6.ip6.forwarding': 1 });
    const raw = b.sockets.socket('raw', { protocol: IPPROTO_ICMPV6, privileged: true });
    a.joinGroup(a.ifnet('em0')!, a6('ff05::1:3'));
    clock.advance(10);
    const types: number[] = [];
    for (let m = b.sockets.recvmsg(raw); m; m = b.sockets.recvmsg(raw)) types.push(m.data[0]!);
    expect(types).toContain(143); // MLDv2 Report to ff02::16
  });

  it('a host (forwarding 0) drops the same report as not a member', () => {
    const { clock, a, b } = pair();
    const before = b.ip6stat.ip6s_notmember;
    a.joinGroup(a.ifnet('em0')!, a6('ff05::1:3'));
    clock.advance(10);
    expect(b.ip6stat.ip6s_notmember).toBeGreaterThan(before);
  });

  it('ifmcstat lists each interface with its groups, refcounts and 33:33 link-layer groups', () => {
    const { a } = pair();
    a.joinGroup(a.ifnet('em0')!, a6('ff05::1:3'));
    const text = a.ifmcstat();
    expect(text).toContain('em0:');
    expect(text).toContain('\tgroup ff02::1 refcnt 1');
    expect(text).toContain('\tgroup ff02::1:ff00:a refcnt 1');
    expect(text).toContain('\tgroup ff05::1:3 refcnt 1');
    expect(text).toContain('\t\tmcast-macaddr 33:33:00:01:00:03 refcnt 1');
  });
});

describe('atomic fragments (RFC 6946)', () => {
  it('an atomic fragment is delivered at once and not counted as reassembled', () => {
    const { clock, seg, b } = pair();
    const src = a6('fe80::ff:fe00:a');
    const dst = a6('fe80::ff:fe00:b');
    // Fragment header: next header 59, reserved, offset 0 with M clear, identification 7.
    const payload = Uint8Array.of(59, 0, 0, 0, 0, 0, 0, 7);
    const p = ipv6.encode({ trafficClass: 0, flowLabel: 0, nextHeader: 44, hopLimit: 64, src, dst, payload });
    seg.transmit(
      'a:em0',
      ethernet.encode({
        dst: MacAddress.parse('02:00:00:00:00:0b'),
        src: MacAddress.parse('02:00:00:00:00:0a'),
        etherType: ETHERTYPE_IPV6,
        payload: p,
      }),
    );
    clock.advance(10);
    expect(b.ip6stat.ip6s_fragments).toBe(1);
    expect(b.ip6stat.ip6s_reassembled).toBe(0);
    expect(b.ip6stat.ip6s_nxhist[59]).toBe(1);
  });
});
