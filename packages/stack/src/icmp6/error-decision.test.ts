import { Ipv6Address } from '@kame/addr';
import {
  ICMP6_DST_UNREACH,
  ICMP6_DST_UNREACH_NOPORT,
  ICMP6_PACKET_TOO_BIG,
  ICMP6_PARAM_PROB,
  ICMP6_PARAMPROB_HEADER,
  ICMP6_PARAMPROB_OPTION,
  ICMP6_TIME_EXCEEDED,
  IPPROTO_DSTOPTS,
  IPPROTO_FRAGMENT,
  IPPROTO_HOPOPTS,
  IPPROTO_ICMPV6,
  IPPROTO_UDP,
  type Icmpv6Repr,
  icmpv6,
  ipv6,
  ipv6Fragment,
  ipv6HopByHop,
  udp,
} from '@kame/wire';
import { icmp6ErrorDecision, icmp6SuppressionCounter } from './error-decision';
import { inspectInvokingPacket } from './invoking-packet';

const A = Ipv6Address.parse('2001:db8::a');
const B = Ipv6Address.parse('2001:db8::b');
const ALL_NODES = Ipv6Address.parse('ff02::1');
const LL = Ipv6Address.parse('fe80::1');

function packet(src: Ipv6Address, dst: Ipv6Address, nextHeader: number, payload: Uint8Array): Uint8Array {
  return ipv6.encode({ trafficClass: 0, flowLabel: 0, nextHeader, hopLimit: 64, src, dst, payload });
}
function udpPacket(src = A, dst = B): Uint8Array {
  const u = udp.encode({ srcPort: 1234, dstPort: 9, payload: new Uint8Array(16) }, { src, dst });
  return packet(src, dst, IPPROTO_UDP, u);
}
function icmpPacket(repr: Icmpv6Repr, src = A, dst = B): Uint8Array {
  return packet(src, dst, IPPROTO_ICMPV6, icmpv6.encode(repr, { src, dst }));
}
const echo: Icmpv6Repr = {
  kind: 'echoRequest',
  code: 0,
  identifier: 1,
  sequence: 1,
  data: new Uint8Array(8),
};
const UNREACH = ICMP6_DST_UNREACH;
const PORT = ICMP6_DST_UNREACH_NOPORT;

describe('icmp6ErrorDecision (RFC 4443 2.4 (e))', () => {
  it('sends for a unicast UDP packet from a unicast source', () => {
    expect(icmp6ErrorDecision(udpPacket(), UNREACH, PORT)).toBe('send');
  });

  it('sends for an echo request (informational, not a Redirect)', () => {
    expect(icmp6ErrorDecision(icmpPacket(echo), ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER)).toBe('send');
  });

  it('(e.1) never answers an ICMPv6 error message, and counts icp6s_canterror', () => {
    const err = icmpPacket({ kind: 'destUnreach', code: 4, invoking: udpPacket(B, A) });
    expect(icmp6ErrorDecision(err, ICMP6_PARAM_PROB, 0)).toBe('error-message');
    expect(icmp6SuppressionCounter('error-message')).toBe('icp6s_canterror');
    const ptb = icmpPacket({ kind: 'packetTooBig', code: 0, mtu: 1280, invoking: udpPacket(B, A) });
    expect(icmp6ErrorDecision(ptb, ICMP6_TIME_EXCEEDED, 0)).toBe('error-message');
  });

  it('(e.1) also finds the error behind extension headers', () => {
    const err = icmpv6.encode(
      { kind: 'timeExceeded', code: 0, invoking: udpPacket(B, A) },
      { src: A, dst: B },
    );
    const dst = ipv6HopByHop.encode({ nextHeader: IPPROTO_ICMPV6, options: [{ kind: 'padN', length: 4 }] });
    const payload = new Uint8Array(dst.length + err.length);
    payload.set(dst);
    payload.set(err, dst.length);
    expect(icmp6ErrorDecision(packet(A, B, IPPROTO_HOPOPTS, payload), UNREACH, PORT)).toBe('error-message');
  });

  it('(e.2), IMPLEMENTATION 1.9: never answers a Redirect although it is informational', () => {
    const redirect = icmpPacket(
      { kind: 'redirect', code: 0, target: LL, destination: B, options: [] },
      LL,
      Ipv6Address.parse('fe80::2'),
    );
    expect(icmp6ErrorDecision(redirect, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER)).toBe('redirect');
    expect(icmp6SuppressionCounter('redirect')).toBe('icp6s_canterror');
  });

  it('(e.3) no error to a multicast destination', () => {
    expect(icmp6ErrorDecision(udpPacket(A, ALL_NODES), UNREACH, PORT)).toBe('multicast-destination');
    expect(icmp6SuppressionCounter('multicast-destination')).toBeUndefined();
  });

  it('(e.3) exception: Packet Too Big to a multicast destination is sent', () => {
    expect(icmp6ErrorDecision(udpPacket(A, ALL_NODES), ICMP6_PACKET_TOO_BIG, 0)).toBe('send');
  });

  it('(e.3) exception: Parameter Problem code 2 for an option typed 10xxxxxx', () => {
    const hbh = ipv6HopByHop.encode({
      nextHeader: IPPROTO_UDP,
      options: [{ kind: 'unknown', type: 0x9e, data: new Uint8Array(4) }],
    });
    const pkt = packet(A, ALL_NODES, IPPROTO_HOPOPTS, hbh);
    // The option type sits at 40 (IPv6) + 2 (next header, hdr ext len).
    expect(icmp6ErrorDecision(pkt, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_OPTION, { pointer: 42 })).toBe('send');
    expect(icmp6ErrorDecision(pkt, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_OPTION)).toBe('send');
    // Other Parameter Problem codes get no exception.
    expect(icmp6ErrorDecision(pkt, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER)).toBe('multicast-destination');
  });

  it('(e.3) no exception for code 2 when the option type is 11xxxxxx', () => {
    const hbh = ipv6HopByHop.encode({
      nextHeader: IPPROTO_UDP,
      options: [{ kind: 'unknown', type: 0xde, data: new Uint8Array(4) }],
    });
    const pkt = packet(A, ALL_NODES, IPPROTO_HOPOPTS, hbh);
    expect(icmp6ErrorDecision(pkt, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_OPTION, { pointer: 42 })).toBe(
      'multicast-destination',
    );
  });

  it('(e.4)/(e.5) no error to a link-layer multicast or broadcast frame, with the same exceptions', () => {
    expect(icmp6ErrorDecision(udpPacket(), UNREACH, PORT, { receivedAsLinkMulticast: true })).toBe(
      'link-multicast',
    );
    expect(icmp6ErrorDecision(udpPacket(), UNREACH, PORT, { receivedAsLinkBroadcast: true })).toBe(
      'link-broadcast',
    );
    expect(icmp6ErrorDecision(udpPacket(), ICMP6_PACKET_TOO_BIG, 0, { receivedAsLinkMulticast: true })).toBe(
      'send',
    );
  });

  it('(e.6) no error to an unspecified, multicast or anycast source', () => {
    expect(icmp6ErrorDecision(udpPacket(Ipv6Address.parse('::')), UNREACH, PORT)).toBe('unspecified-source');
    expect(icmp6ErrorDecision(udpPacket(Ipv6Address.parse('ff05::2')), UNREACH, PORT)).toBe(
      'multicast-source',
    );
    expect(icmp6ErrorDecision(udpPacket(), UNREACH, PORT, { sourceIsAnycast: true })).toBe('anycast-source');
    // Packet Too Big is not exempt from the source rule.
    expect(icmp6ErrorDecision(udpPacket(Ipv6Address.parse('::')), ICMP6_PACKET_TOO_BIG, 0)).toBe(
      'unspecified-source',
    );
  });

  it('IMPLEMENTATION 1.14: no error to a v4-mapped or v4-compatible source', () => {
    expect(icmp6ErrorDecision(udpPacket(Ipv6Address.parse('::ffff:10.1.1.1')), UNREACH, PORT)).toBe(
      'v4-mapped-source',
    );
    expect(icmp6ErrorDecision(udpPacket(Ipv6Address.parse('::10.1.1.1')), UNREACH, PORT)).toBe(
      'v4-compatible-source',
    );
  });

  it('decides on truncated originals without throwing', () => {
    expect(icmp6ErrorDecision(new Uint8Array(20), UNREACH, PORT)).toBe('no-ipv6-header');
    // An ICMPv6 packet cut right after the IPv6 header: its type cannot be read.
    const cut = icmpPacket(echo).subarray(0, 40);
    expect(icmp6ErrorDecision(cut, ICMP6_PARAM_PROB, 0)).toBe('icmp6-type-unreadable');
    // An error message cut inside its quote is still recognised.
    const err = icmpPacket({ kind: 'destUnreach', code: 4, invoking: udpPacket(B, A) }).subarray(0, 44);
    expect(icmp6ErrorDecision(err, ICMP6_PARAM_PROB, 0)).toBe('error-message');
    // A UDP packet cut in its header: the decision is still made.
    expect(icmp6ErrorDecision(udpPacket().subarray(0, 44), UNREACH, PORT)).toBe('send');
  });

  it('a malformed chain (Hop-by-Hop not first) is scanned leniently', () => {
    const err = icmpv6.encode(
      { kind: 'destUnreach', code: 0, invoking: udpPacket(B, A) },
      { src: A, dst: B },
    );
    const d = ipv6HopByHop.encode({ nextHeader: IPPROTO_HOPOPTS, options: [{ kind: 'padN', length: 4 }] });
    const h = ipv6HopByHop.encode({ nextHeader: IPPROTO_ICMPV6, options: [{ kind: 'padN', length: 4 }] });
    const payload = new Uint8Array([...d, ...h, ...err]);
    const pkt = packet(A, B, IPPROTO_DSTOPTS, payload);
    expect(inspectInvokingPacket(pkt)?.incomplete).toBe(false);
    expect(inspectInvokingPacket(pkt)?.upperProtocol).toBe(IPPROTO_ICMPV6);
    expect(icmp6ErrorDecision(pkt, ICMP6_PARAM_PROB, 1)).toBe('error-message');
  });

  it('a non-first fragment of an ICMPv6 packet carries no ICMPv6 header: send', () => {
    const frag = ipv6Fragment.encode({
      nextHeader: IPPROTO_ICMPV6,
      fragmentOffset: 10,
      more: false,
      identification: 7,
    });
    const data = new Uint8Array(16).fill(1); // byte 1 would read as "error type 1"
    const pkt = packet(A, B, IPPROTO_FRAGMENT, new Uint8Array([...frag, ...data]));
    expect(icmp6ErrorDecision(pkt, ICMP6_TIME_EXCEEDED, 1)).toBe('send');
  });

  it('rejects an informational type as a caller bug', () => {
    expect(() => icmp6ErrorDecision(udpPacket(), 128, 0)).toThrow(RangeError);
  });
});
