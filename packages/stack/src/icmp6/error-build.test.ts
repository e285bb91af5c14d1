import { Ipv6Address } from '@kame/addr';
import {
  ICMP6_DST_UNREACH,
  ICMP6_PACKET_TOO_BIG,
  ICMP6_PARAM_PROB,
  ICMP6_PARAMPROB_HEADER,
  ICMP6_PARAMPROB_NEXTHEADER,
  ICMP6_PARAMPROB_OPTION,
  ICMP6_TIME_EXCEEDED,
  IPPROTO_DSTOPTS,
  IPPROTO_UDP,
  IPV6_HEADER_LEN,
  ICMPV6_ERROR_HEADER_LEN,
  DecodeError,
  icmpv6,
  ipv6,
  ipv6DestOpts,
} from '@kame/wire';
import { newIcmp6Stat } from '../stats/icmp6stat';
import { ICMP6_ERROR_MAX_QUOTE, IPV6_MMTU } from './constants';
import { buildIcmp6Error, icmp6ErrorKindCounter, icmp6ErrorQuote } from './error-build';
import { inspectInvokingPacket } from './invoking-packet';

const A = Ipv6Address.parse('2001:db8::a');
const B = Ipv6Address.parse('2001:db8::b');
const ROUTER = Ipv6Address.parse('2001:db8::1');

function packet(payload: Uint8Array, nextHeader = IPPROTO_UDP): Uint8Array {
  for (let i = 0; i < payload.length; i++) if (payload[i] === 0) payload[i] = (i * 7 + 3) & 0xff;
  return ipv6.encode({
    trafficClass: 0,
    flowLabel: 0x12345,
    nextHeader,
    hopLimit: 64,
    src: A,
    dst: B,
    payload,
  });
}

function decode(msg: Uint8Array, src = ROUTER, dst = A) {
  return icmpv6.parse(msg, { src, dst });
}

describe('buildIcmp6Error (RFC 4443 3, IMPLEMENTATION 1.11)', () => {
  it('quotes exactly 1280 - 48 bytes of a large original, unchanged', () => {
    const original = packet(new Uint8Array(3000));
    const snapshot = original.slice();
    const msg = buildIcmp6Error(original, ICMP6_DST_UNREACH, 4, 0, ROUTER, A);
    expect(msg.length).toBe(ICMPV6_ERROR_HEADER_LEN + ICMP6_ERROR_MAX_QUOTE);
    expect(IPV6_HEADER_LEN + msg.length).toBe(IPV6_MMTU);
    const r = decode(msg);
    if (r.kind !== 'destUnreach') throw new Error(r.kind);
    expect(r.invoking.length).toBe(1280 - 48);
    expect(Array.from(r.invoking)).toEqual(Array.from(original.subarray(0, 1232)));
    expect(original).toEqual(snapshot);
  });

  it('quotes a small original whole', () => {
    const original = packet(new Uint8Array(100));
    const r = decode(buildIcmp6Error(original, ICMP6_TIME_EXCEEDED, 0, 0, ROUTER, A));
    if (r.kind !== 'timeExceeded') throw new Error(r.kind);
    expect(r.code).toBe(0);
    expect(Array.from(r.invoking)).toEqual(Array.from(original));
  });

  it('an original of exactly 1232 bytes is whole; 1233 loses one byte', () => {
    expect(icmp6ErrorQuote(packet(new Uint8Array(1232 - 40))).length).toBe(1232);
    expect(icmp6ErrorQuote(packet(new Uint8Array(1233 - 40))).length).toBe(1232);
  });

  it('leaves out link-layer padding beyond the Payload Length', () => {
    const original = packet(new Uint8Array(10));
    const padded = new Uint8Array(original.length + 14);
    padded.set(original);
    expect(icmp6ErrorQuote(padded).length).toBe(original.length);
  });

  it('writes a checksum the wire codec verifies for src/dst (and only for them)', () => {
    const msg = buildIcmp6Error(packet(new Uint8Array(64)), ICMP6_DST_UNREACH, 3, 0, ROUTER, A);
    expect(() => decode(msg)).not.toThrow();
    expect(() => decode(msg, ROUTER, B)).toThrow(DecodeError);
  });

  it('Packet Too Big carries the MTU (RFC 4443 3.2)', () => {
    const r = decode(buildIcmp6Error(packet(new Uint8Array(1460)), ICMP6_PACKET_TOO_BIG, 0, 1400, ROUTER, A));
    if (r.kind !== 'packetTooBig') throw new Error(r.kind);
    expect(r.mtu).toBe(1400);
  });

  it('Parameter Problem code 0 pointer: Payload Length field at 4 (RFC 4443 3.4)', () => {
    const r = decode(
      buildIcmp6Error(packet(new Uint8Array(8)), ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER, 4, ROUTER, A),
    );
    if (r.kind !== 'paramProblem') throw new Error(r.kind);
    expect([r.code, r.pointer]).toEqual([0, 4]);
  });

  it('Parameter Problem code 1 pointer: the Next Header field naming the unknown header', () => {
    // No extension headers: the IPv6 Next Header field, octet 6.
    const bare = packet(new Uint8Array(8), 253);
    expect(inspectInvokingPacket(bare)?.upperNextHeaderField).toBe(6);
    // Behind a Destination Options header: its first octet, 40.
    const dopt = ipv6DestOpts.encode({ nextHeader: 253, options: [{ kind: 'padN', length: 4 }] });
    const withOpts = packet(new Uint8Array([...dopt, 1, 2, 3, 4]), IPPROTO_DSTOPTS);
    const ptr = inspectInvokingPacket(withOpts)?.upperNextHeaderField;
    expect(ptr).toBe(40);
    const r = decode(
      buildIcmp6Error(withOpts, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_NEXTHEADER, ptr!, ROUTER, A),
    );
    if (r.kind !== 'paramProblem') throw new Error(r.kind);
    expect([r.code, r.pointer]).toEqual([1, 40]);
    expect(r.invoking[r.pointer]).toBe(253);
  });

  it('Parameter Problem code 2 pointer: the option type octet (40 + 2)', () => {
    const dopt = ipv6DestOpts.encode({
      nextHeader: IPPROTO_UDP,
      options: [{ kind: 'unknown', type: 0x87, data: new Uint8Array(4) }],
    });
    const original = packet(new Uint8Array([...dopt]), IPPROTO_DSTOPTS);
    const r = decode(buildIcmp6Error(original, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_OPTION, 42, ROUTER, A));
    if (r.kind !== 'paramProblem') throw new Error(r.kind);
    expect(r.pointer).toBe(42);
    expect(r.invoking[42]).toBe(0x87);
  });

  it('a pointer beyond the quote is kept (RFC 4443 3.4)', () => {
    const r = decode(buildIcmp6Error(packet(new Uint8Array(3000)), ICMP6_PARAM_PROB, 0, 2000, ROUTER, A));
    if (r.kind !== 'paramProblem') throw new Error(r.kind);
    expect(r.pointer).toBe(2000);
    expect(r.invoking.length).toBe(1232);
  });

  it('unassigned error types carry param verbatim; informational types are refused', () => {
    const r = decode(buildIcmp6Error(packet(new Uint8Array(8)), 100, 5, 0xdeadbeef, ROUTER, A));
    if (r.kind !== 'unknown') throw new Error(r.kind);
    expect([r.type, r.code]).toEqual([100, 5]);
    expect(Array.from(r.body.subarray(0, 4))).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(() => buildIcmp6Error(packet(new Uint8Array(8)), 129, 0, 0, ROUTER, A)).toThrow(RangeError);
  });

  it('names the icmp6stat error-kind counter', () => {
    const s = newIcmp6Stat();
    expect(icmp6ErrorKindCounter(1, 4)).toBe('icp6s_odst_unreach_noport');
    expect(icmp6ErrorKindCounter(2, 0)).toBe('icp6s_opacket_too_big');
    expect(icmp6ErrorKindCounter(3, 1)).toBe('icp6s_otime_exceed_reassembly');
    expect(icmp6ErrorKindCounter(4, 2)).toBe('icp6s_oparamprob_option');
    expect(icmp6ErrorKindCounter(1, 6)).toBe('icp6s_ounknown');
    expect(s[icmp6ErrorKindCounter(4, 1)]).toBe(0);
  });
});
