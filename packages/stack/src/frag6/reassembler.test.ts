import { Ipv6Address } from '@kame/addr';
import { VirtualClock } from '@kame/time';
import {
  IPPROTO_FRAGMENT,
  IPPROTO_HOPOPTS,
  IPPROTO_ROUTING,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV6_OPT_JUMBO,
  ipv6,
} from '@kame/wire';
import { type Frag6Limits, IPV6_REASSEMBLY_TIMEOUT_MS, Reassembler } from './reassembler';

const SRC = Ipv6Address.parse('2001:db8::1');
const DST = Ipv6Address.parse('2001:db8::2');

interface FragSpec {
  /** Fragment Offset in octets (a multiple of 8). */
  offset: number;
  more: boolean;
  data: Uint8Array;
  id?: number;
  /** The Fragment header's Next Header. */
  nh?: number;
  /** Extension headers before the Fragment header; the last one's Next Header must be 44. */
  unfrag?: Uint8Array;
  /** The IPv6 header's Next Header when `unfrag` is given. */
  firstNh?: number;
  src?: Ipv6Address;
}
interface Frag {
  packet: Uint8Array;
  fhOff: number;
}

function frag(s: FragSpec): Frag {
  const unfrag = s.unfrag ?? new Uint8Array(0);
  const fh = new Uint8Array(8);
  fh[0] = s.nh ?? IPPROTO_UDP;
  const w = (s.offset / 8) * 8 + (s.more ? 1 : 0);
  fh[2] = w >>> 8;
  fh[3] = w & 0xff;
  const id = s.id ?? 0x01020304;
  fh.set([id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff], 4);
  const payload = new Uint8Array(unfrag.length + 8 + s.data.length);
  payload.set(unfrag);
  payload.set(fh, unfrag.length);
  payload.set(s.data, unfrag.length + 8);
  const packet = ipv6.encode({
    trafficClass: 0,
    flowLabel: 0,
    nextHeader: unfrag.length > 0 ? (s.firstNh ?? IPPROTO_HOPOPTS) : IPPROTO_FRAGMENT,
    hopLimit: 64,
    src: s.src ?? SRC,
    dst: DST,
    payload,
  });
  return { packet, fhOff: 40 + unfrag.length };
}

function data(n: number, seed = 7): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff);
}

/** An 8-octet Hop-by-Hop header whose Next Header is `nh`. */
function hbh(nh: number): Uint8Array {
  return Uint8Array.from([nh, 0, 1, 4, 0, 0, 0, 0]);
}

function setup(limits: Partial<Frag6Limits> = {}) {
  const clock = new VirtualClock(1_000);
  const timeExceeded: Uint8Array[] = [];
  const paramProblems: { packet: Uint8Array; pointer: number; code: number }[] = [];
  const r = new Reassembler({
    clock,
    limits,
    timeExceeded: (p) => timeExceeded.push(p),
    parameterProblem: (packet, pointer, code) => paramProblems.push({ packet, pointer, code }),
  });
  const feed = (f: Frag) => r.input(f.packet, f.fhOff);
  return { clock, r, feed, timeExceeded, paramProblems };
}

/** A 3-fragment UDP datagram: 16 + 16 + 5 octets. */
const whole = data(37);
const parts = (id?: number): Frag[] => [
  frag({ offset: 0, more: true, data: whole.subarray(0, 16), id }),
  frag({ offset: 16, more: true, data: whole.subarray(16, 32), id }),
  frag({ offset: 32, more: false, data: whole.subarray(32), id }),
];

describe('Reassembler (RFC 8200 4.5)', () => {
  test('RFC 8200 4.5: in-order fragments give the original packet without the Fragment header', () => {
    const { r, feed } = setup();
    const [a, b, c] = parts();
    expect(feed(a!)).toBeUndefined();
    expect(feed(b!)).toBeUndefined();
    const out = feed(c!);
    expect(out).toBeDefined();
    const p = ipv6.parse(out!.packet);
    expect(p.nextHeader).toBe(IPPROTO_UDP);
    expect(p.payload).toEqual(whole);
    expect(p.src.equals(SRC)).toBe(true);
    expect(out!.offset).toBe(40);
    expect(out!.nextHeader).toBe(IPPROTO_UDP);
    expect(r.stats.ip6s_fragments).toBe(3);
    expect(r.stats.ip6s_reassembled).toBe(1);
    expect(r.queueCount).toBe(0);
    expect(r.bytesHeld).toBe(0);
  });

  test('RFC 8200 4.5: out-of-order and duplicated fragments; exact duplicates are dropped alone', () => {
    const { r, feed } = setup();
    const [a, b, c] = parts();
    expect(feed(c!)).toBeUndefined();
    expect(feed(c!)).toBeUndefined();
    expect(feed(b!)).toBeUndefined();
    expect(feed(b!)).toBeUndefined();
    const out = feed(a!);
    expect(ipv6.parse(out!.packet).payload).toEqual(whole);
    expect(r.stats.frag6_duplicate).toBe(2);
    expect(r.stats.ip6s_fragdropped).toBe(2);
    expect(r.stats.ip6s_reassembled).toBe(1);
  });

  test('RFC 8200 4.5: the Unfragmentable Part and Next Header come from the first fragment; ip6_input resumes after them', () => {
    const { feed } = setup();
    const rh = Uint8Array.from([IPPROTO_FRAGMENT, 0, 253, 0, 0, 0, 0, 0]);
    const unfrag = new Uint8Array([...hbh(IPPROTO_ROUTING), ...rh]);
    const tcp = data(40);
    tcp[12] = 5 << 4;
    // Non-first fragments may carry other headers and another Next Header (RFC 8200 4.5 last paragraph).
    expect(feed(frag({ offset: 24, more: false, data: tcp.subarray(24), nh: 99 }))).toBeUndefined();
    const out = feed(frag({ offset: 0, more: true, data: tcp.subarray(0, 24), nh: IPPROTO_TCP, unfrag }));
    expect(out).toBeDefined();
    const p = ipv6.parse(out!.packet);
    expect(p.nextHeader).toBe(IPPROTO_HOPOPTS);
    expect(p.payload.length).toBe(16 + 40);
    expect(p.payload.subarray(0, 8)).toEqual(hbh(IPPROTO_ROUTING));
    expect(p.payload[8]).toBe(IPPROTO_TCP); // the Routing header's Next Header, fixed
    expect(p.payload.subarray(9, 16)).toEqual(rh.subarray(1));
    expect(p.payload.subarray(16)).toEqual(tcp);
    expect(out!.offset).toBe(56);
    expect(out!.nextHeader).toBe(IPPROTO_TCP);
  });

  test('RFC 8200 4.5: datagrams are keyed by source, destination and identification', () => {
    const { r, feed } = setup();
    const other = Ipv6Address.parse('2001:db8::99');
    const [a1, b1, c1] = parts(1);
    const [a2, b2, c2] = parts(2);
    const a3 = frag({ offset: 0, more: true, data: whole.subarray(0, 16), id: 1, src: other });
    for (const f of [a1, a2, a3, b2, b1]) expect(feed(f!)).toBeUndefined();
    expect(r.queueCount).toBe(3);
    expect(ipv6.parse(feed(c2!)!.packet).payload).toEqual(whole);
    expect(ipv6.parse(feed(c1!)!.packet).payload).toEqual(whole);
    expect(r.queueCount).toBe(1);
  });

  test('RFC 5722: an overlapping fragment discards the whole datagram and later fragments silently until timeout', () => {
    const { r, feed, clock, timeExceeded, paramProblems } = setup();
    const [a, b, c] = parts();
    feed(a!);
    feed(c!);
    // Overlaps a (0..16) by 8 octets.
    expect(feed(frag({ offset: 8, more: true, data: whole.subarray(8, 24) }))).toBeUndefined();
    expect(r.stats.frag6_overlap).toBe(3);
    expect(r.fragmentCount).toBe(0);
    expect(r.bytesHeld).toBe(0);
    // The rest of the datagram now completes nothing.
    expect(feed(b!)).toBeUndefined();
    expect(feed(a!)).toBeUndefined();
    expect(feed(c!)).toBeUndefined();
    expect(r.stats.frag6_abandoned).toBe(3);
    expect(r.stats.ip6s_fragdropped).toBe(6);
    clock.advance(IPV6_REASSEMBLY_TIMEOUT_MS);
    // No ICMPv6 for an abandoned datagram (RFC 5722, RFC 8200 4.5).
    expect(timeExceeded).toHaveLength(0);
    expect(paramProblems).toHaveLength(0);
    expect(r.queueCount).toBe(0);
    // After the timeout the same key reassembles again.
    feed(a!);
    feed(b!);
    expect(feed(c!)).toBeDefined();
  });

  test('RFC 5722: a fragment at the same offset and length with different content is an overlap, not a duplicate', () => {
    const { r, feed } = setup();
    const [a, b, c] = parts();
    feed(a!);
    feed(b!);
    feed(frag({ offset: 16, more: true, data: data(16, 99) }));
    expect(r.stats.frag6_overlap).toBe(3);
    expect(feed(c!)).toBeUndefined();
    expect(r.stats.ip6s_reassembled).toBe(0);
  });

  test('RFC 8200 4.5: data beyond the end set by the last fragment abandons the datagram', () => {
    const { r, feed } = setup();
    const [a, , c] = parts();
    feed(a!);
    feed(c!); // ends at 37
    feed(frag({ offset: 40, more: true, data: data(8) }));
    expect(r.stats.frag6_inconsistent).toBe(3);
    expect(r.fragmentCount).toBe(0);
  });

  test('RFC 8200 4.5: reassembly times out 60 s after the first-arriving fragment; Time Exceeded when offset 0 arrived', () => {
    const { r, feed, clock, timeExceeded } = setup();
    const [a, b] = parts();
    feed(b!);
    clock.advance(10_000);
    feed(a!); // arrival of the first fragment does not restart the timer
    clock.advance(IPV6_REASSEMBLY_TIMEOUT_MS - 10_000 - 1);
    expect(r.queueCount).toBe(1);
    expect(timeExceeded).toHaveLength(0);
    clock.advance(1);
    expect(r.queueCount).toBe(0);
    expect(timeExceeded).toHaveLength(1);
    expect(timeExceeded[0]).toEqual(a!.packet);
    expect(r.stats.ip6s_fragtimeout).toBe(2);
    expect(r.bytesHeld).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  test('RFC 8200 4.5: no Time Exceeded when the first fragment never arrived', () => {
    const { r, feed, clock, timeExceeded } = setup();
    const [, b, c] = parts();
    feed(b!);
    feed(c!);
    clock.advance(IPV6_REASSEMBLY_TIMEOUT_MS);
    expect(timeExceeded).toHaveLength(0);
    expect(r.stats.ip6s_fragtimeout).toBe(2);
    expect(r.queueCount).toBe(0);
  });

  test('RFC 8200 4.5: staggered datagrams each expire 60 s after their own first fragment', () => {
    const { r, feed, clock, timeExceeded } = setup();
    feed(parts(1)[0]!);
    clock.advance(20_000);
    feed(parts(2)[0]!);
    clock.advance(40_000);
    expect(timeExceeded).toHaveLength(1);
    expect(r.queueCount).toBe(1);
    clock.advance(20_000);
    expect(timeExceeded).toHaveLength(2);
    expect(r.queueCount).toBe(0);
  });

  test('bounds: a flood of 10,000 distinct identifications fills a counter, not memory', () => {
    const { r, feed, clock } = setup();
    for (let id = 0; id < 10_000; id++) {
      feed(frag({ offset: 8, more: true, data: data(8), id }));
    }
    expect(r.queueCount).toBe(200);
    expect(r.fragmentCount).toBe(200);
    expect(r.bytesHeld).toBe(200 * 8);
    expect(r.stats.ip6s_fragments).toBe(10_000);
    expect(r.stats.ip6s_fragoverflow).toBe(9_800);
    // The oldest queues are kept (the new fragment is refused): datagram 0 can still complete.
    feed(frag({ offset: 0, more: true, data: data(8), id: 0 }));
    expect(feed(frag({ offset: 16, more: false, data: data(3), id: 0 }))).toBeDefined();
    clock.advance(IPV6_REASSEMBLY_TIMEOUT_MS);
    expect(r.queueCount).toBe(0);
    expect(r.stats.ip6s_fragtimeout).toBe(199);
    expect(clock.pendingTimers).toBe(0);
    expect(feed(parts()[0]!)).toBeUndefined();
    expect(r.queueCount).toBe(1);
  });

  test('bounds: more fragments than maxFragsPerPacket abandon the datagram', () => {
    const { r, feed } = setup({ maxFragsPerPacket: 4 });
    for (let i = 0; i < 4; i++) feed(frag({ offset: 8 * (i + 1), more: true, data: data(8) }));
    expect(r.fragmentCount).toBe(4);
    feed(frag({ offset: 48, more: true, data: data(8) }));
    expect(r.fragmentCount).toBe(0);
    expect(r.stats.ip6s_fragoverflow).toBe(5);
    feed(frag({ offset: 0, more: true, data: data(8) }));
    expect(r.stats.frag6_abandoned).toBe(1);
  });

  test('bounds: the byte budget refuses fragments that do not fit', () => {
    const { r, feed } = setup({ maxBytes: 100 });
    feed(frag({ offset: 8, more: true, data: data(64), id: 1 }));
    feed(frag({ offset: 8, more: true, data: data(64), id: 2 }));
    expect(r.bytesHeld).toBe(64);
    expect(r.queueCount).toBe(1);
    expect(r.stats.ip6s_fragoverflow).toBe(1);
  });

  test('RFC 8200 4.5: a fragment with M set whose length is not a multiple of 8 -> Parameter Problem 0 at Payload Length', () => {
    const { r, feed, paramProblems } = setup();
    const f = frag({ offset: 16, more: true, data: data(13) });
    expect(feed(f)).toBeUndefined();
    expect(paramProblems).toEqual([{ packet: f.packet, pointer: 4, code: 0 }]);
    expect(r.stats.frag6_badlength).toBe(1);
    expect(r.queueCount).toBe(0);
  });

  test('RFC 8200 4.5: a reassembled length past 65,535 -> Parameter Problem 0 at the Fragment Offset field', () => {
    const { r, feed, paramProblems } = setup();
    // With an 8-octet Hop-by-Hop header: 8 + 8 + 65520 + 16 = 65544 > 65535.
    const f = frag({ offset: 65520, more: false, data: data(16), unfrag: hbh(IPPROTO_FRAGMENT) });
    expect(feed(f)).toBeUndefined();
    expect(paramProblems).toEqual([{ packet: f.packet, pointer: 40 + 8 + 2, code: 0 }]);
    expect(r.stats.frag6_toobig).toBe(1);
    // Without the Hop-by-Hop header 8 + 65520 + 7 = 65535 still fits.
    expect(feed(frag({ offset: 65520, more: false, data: data(7) }))).toBeUndefined();
    expect(paramProblems).toHaveLength(1);
    expect(r.queueCount).toBe(1);
  });

  test('RFC 7112 5: a first fragment without the whole header chain -> Parameter Problem 3, pointer 0', () => {
    const { r, feed, paramProblems } = setup();
    // TCP needs 20 octets; the first fragment carries 16.
    const f = frag({ offset: 0, more: true, data: data(16), nh: IPPROTO_TCP });
    expect(feed(f)).toBeUndefined();
    expect(paramProblems).toEqual([{ packet: f.packet, pointer: 0, code: 3 }]);
    expect(r.stats.frag6_incompletechain).toBe(1);
    expect(r.queueCount).toBe(0);
  });

  test('seed 1.7 / RFC 2675 3: a Fragment header in a jumbogram -> Parameter Problem 0 at the Fragment header', () => {
    const { r, paramProblems } = setup();
    // Hop-by-Hop with a Jumbo Payload option, then the Fragment header; Payload Length 0.
    const hop = Uint8Array.from([IPPROTO_FRAGMENT, 0, IPV6_OPT_JUMBO, 4, 0, 1, 0x11, 0x80]); // Jumbo Payload Length 70,016
    const body = new Uint8Array(8 + 8 + 70_000);
    body.set(hop);
    body.set([IPPROTO_UDP, 0, 0, 1, 0, 0, 0, 5], 8);
    const packet = ipv6.encode({
      trafficClass: 0,
      flowLabel: 0,
      nextHeader: IPPROTO_HOPOPTS,
      hopLimit: 64,
      src: SRC,
      dst: DST,
      payload: body,
    });
    expect(packet[4]! | packet[5]!).toBe(0);
    expect(r.input(packet, 48)).toBeUndefined();
    expect(paramProblems).toEqual([{ packet, pointer: 48, code: 0 }]);
    expect(r.stats.frag6_jumbo).toBe(1);
    expect(r.queueCount).toBe(0);
  });

  test('RFC 6946 4: an atomic fragment is processed at once and never mixed with a queue', () => {
    const { r, feed } = setup();
    const [a, b, c] = parts();
    feed(a!);
    feed(c!);
    const atomic = frag({ offset: 0, more: false, data: data(20, 3) }); // same key as the queue
    const out = feed(atomic);
    expect(out).toBeDefined();
    const p = ipv6.parse(out!.packet);
    expect(p.nextHeader).toBe(IPPROTO_UDP);
    expect(p.payload).toEqual(data(20, 3));
    expect(r.stats.ip6s_atomicfrags).toBe(1);
    expect(r.stats.ip6s_reassembled).toBe(0);
    expect(r.fragmentCount).toBe(2);
    // The queued datagram is untouched and still completes.
    expect(ipv6.parse(feed(b!)!.packet).payload).toEqual(whole);
  });

  test('RFC 6946 4: an atomic fragment behind a Hop-by-Hop header keeps it and fixes its Next Header', () => {
    const { feed } = setup();
    const out = feed(frag({ offset: 0, more: false, data: data(8), unfrag: hbh(IPPROTO_FRAGMENT) }));
    const p = ipv6.parse(out!.packet);
    expect(p.payload.length).toBe(16);
    expect(p.payload[0]).toBe(IPPROTO_UDP);
    expect(out!.offset).toBe(48);
  });

  test('link padding after the Payload Length is ignored and the caller buffer may be reused', () => {
    const { feed } = setup();
    const [a, b, c] = parts();
    const padded = new Uint8Array(a!.packet.length + 10);
    padded.set(a!.packet);
    feed({ packet: padded, fhOff: a!.fhOff });
    padded.fill(0xee);
    feed(b!);
    expect(ipv6.parse(feed(c!)!.packet).payload).toEqual(whole);
  });

  test('a Fragment header offset that does not fit the packet is counted as malformed', () => {
    const { r } = setup();
    const [a] = parts();
    expect(r.input(a!.packet, a!.packet.length - 4)).toBeUndefined();
    expect(r.input(a!.packet.subarray(0, 20), 40)).toBeUndefined();
    expect(r.stats.frag6_malformed).toBe(2);
    expect(r.stats.ip6s_fragdropped).toBe(2);
  });
});
