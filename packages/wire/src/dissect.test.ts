import { DecodeError } from './decode-error';
import { VXLAN_LINUX_PORT, describeDissection, dissect, dissectLayers } from './dissect';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from './ethernet/index';
import { IPPROTO_ICMPV6, IPPROTO_UDP } from './ipv6/index';
import { udp } from './transport/index';
import { vxlan } from './vxlan';
import {
  G_A,
  G_B,
  V4_A,
  V4_B,
  eth,
  icmp6Frame,
  judgeFrames,
  udp6Frame,
  v4Packet,
  v6Packet,
} from '../test/support/judge-frames';

const frames = new Map(judgeFrames().map((f) => [f.name, f.frame]));
function frame(name: string): Uint8Array {
  const f = frames.get(name);
  if (!f) throw new Error(`no judge frame ${name}`);
  return f;
}
const echo = icmp6Frame(
  { src: G_A, dst: G_B },
  {
    kind: 'echoRequest',
    code: 0,
    identifier: 1,
    sequence: 2,
    data: Uint8Array.of(1, 2, 3),
  },
);

describe('dissect', () => {
  it('walks Ethernet → IPv6 → ICMPv6 and leaves nothing undecoded', () => {
    const d = dissect(echo);
    expect(d.ethernet.etherType).toBe(ETHERTYPE_IPV6);
    expect(d.ipv6?.src.equals(G_A)).toBe(true);
    expect(d.extensionHeaders).toEqual([]);
    expect(d.upperProtocol).toBe(IPPROTO_ICMPV6);
    expect(d.icmpv6).toMatchObject({ kind: 'echoRequest', identifier: 1, sequence: 2 });
    expect(d.payload).toBeUndefined();
    expect(describeDissection(d)).toBe(
      'eth 02:00:00:00:00:0a > 02:00:00:00:00:0b / ipv6 2001:db8:1::a > 2001:db8:2::b / icmpv6 echoRequest',
    );
  });

  it('decodes an 802.1Q tag, ARP, IPv4 options with ICMPv4, UDP and TCP', () => {
    expect(dissect(frame('VLAN-tagged echo request')).ethernet.vlan).toEqual({
      pcp: 5,
      dei: false,
      vid: 100,
    });
    expect(dissect(frame('ARP request')).arp?.operation).toBe(1);
    const v4 = dissect(frame('IPv4 options + ICMPv4 echo request'));
    expect(v4.ipv4?.options).toEqual([{ kind: 'routerAlert', value: 0 }]);
    expect(v4.icmpv4?.kind).toBe('echoRequest');
    const u = dissect(frame('UDP over IPv6'));
    expect(u.udp?.dstPort).toBe(34568);
    expect(u.payload?.length).toBe(100);
    const t = dissect(frame('TCP SYN'));
    expect(t.tcp?.flags).toBe(0x02);
    expect(t.payload?.length).toBe(0);
  });

  it('uses the final destination of a Routing header for the upper-layer checksum (RFC 8200 8.1)', () => {
    expect(dissect(frame('routing type 0')).icmpv6?.kind).toBe('echoRequest');
    expect(dissect(frame('routing type 2')).icmpv6?.kind).toBe('echoRequest');
  });

  it('stops at a fragment and reports its protocol and data', () => {
    const d = dissect(frame('fragment 2/2'));
    expect(d.fragment).toBe(true);
    expect(d.upperProtocol).toBe(IPPROTO_UDP);
    expect(d.udp).toBeUndefined();
    expect(d.payload?.length).toBe(1008 - 512);
    // An atomic fragment (offset 0, M 0) is a whole packet.
    expect(dissect(frame('atomic fragment + destination options')).icmpv6?.kind).toBe('echoRequest');
  });

  it('decodes a jumbogram (RFC 2675)', () => {
    const d = dissect(frame('jumbogram'));
    expect(d.udp?.payload.length).toBe(70000 - 8);
  });

  it('decodes VXLAN on 4789, 8472 and user ports, to a bounded depth', () => {
    const inner = echo;
    const over = (port: number): Uint8Array =>
      eth(
        ETHERTYPE_IPV4,
        v4Packet(
          IPPROTO_UDP,
          udp.encode(
            { srcPort: 1234, dstPort: port, payload: vxlan.encode({ vni: 99, payload: inner }, undefined) },
            { src: V4_A, dst: V4_B },
          ),
        ),
      );
    expect(dissect(frame('VXLAN over IPv4')).inner?.icmpv6?.kind).toBe('echoRequest');
    expect(dissect(frame('VXLAN over IPv6')).inner?.icmpv6?.kind).toBe('echoRequest');
    expect(dissect(over(VXLAN_LINUX_PORT)).vxlan?.vni).toBe(99);
    expect(dissect(over(47891)).vxlan).toBeUndefined();
    expect(dissect(over(47891)).payload?.length).toBe(8 + inner.length);
    expect(dissect(over(47891), { vxlanPorts: [47891] }).inner?.ipv6?.dst.equals(G_B)).toBe(true);
    const capped = dissect(over(VXLAN_LINUX_PORT), { maxDepth: 1 });
    expect(capped.vxlan?.vni).toBe(99);
    expect(capped.inner).toBeUndefined();
  });

  it('leaves an unknown EtherType, an unknown IP protocol and ICMPv6 over IPv4 undecoded', () => {
    expect(dissect(eth(0x88b5, Uint8Array.of(1, 2))).payload).toEqual(Uint8Array.of(1, 2));
    const pim = eth(ETHERTYPE_IPV6, v6Packet({ src: G_A, dst: G_B }, 103, Uint8Array.of(0x20, 0, 0, 0)));
    const d = dissect(pim);
    expect(d.upperProtocol).toBe(103);
    expect(d.payload?.length).toBe(4);
    const odd = dissect(eth(ETHERTYPE_IPV4, v4Packet(IPPROTO_ICMPV6, Uint8Array.of(128, 0, 0, 0))));
    expect(odd.icmpv6).toBeUndefined();
    expect(odd.payload?.length).toBe(4);
  });

  it('throws DecodeError on a bad checksum unless verifyChecksums is false; dissectLayers keeps the layers', () => {
    const bad = echo.slice();
    bad[bad.length - 1]! ^= 0xff;
    expect(() => dissect(bad)).toThrow(DecodeError);
    expect(() => dissect(bad)).toThrow(/ICMPv6 checksum/);
    expect(dissect(bad, { verifyChecksums: false }).icmpv6?.kind).toBe('echoRequest');
    const r = dissectLayers(bad);
    expect(r.error).toBeInstanceOf(DecodeError);
    expect(r.layers.ethernet).toBeDefined();
    expect(r.layers.ipv6).toBeDefined();
    expect(r.layers.icmpv6).toBeUndefined();
    const badUdp = udp6Frame({ src: G_A, dst: G_B }, 1, 2, Uint8Array.of(9));
    badUdp[badUdp.length - 1] = 8;
    expect(dissectLayers(badUdp).error?.protocol).toBe('UDP');
    expect(dissect(badUdp, { verifyChecksums: false }).udp?.payload).toEqual(Uint8Array.of(8));
  });

  it('reports a frame too short for Ethernet as a DecodeError with no layers', () => {
    const r = dissectLayers(new Uint8Array(5));
    expect(r.error).toBeInstanceOf(DecodeError);
    expect(r.layers).toEqual({});
  });
});
