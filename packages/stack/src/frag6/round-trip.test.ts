import { Ipv6Address } from '@kame/addr';
import { SeededRandom, VirtualClock } from '@kame/time';
import {
  IPPROTO_DSTOPTS,
  IPPROTO_HOPOPTS,
  IPPROTO_ROUTING,
  IPPROTO_UDP,
  type Ipv6Repr,
  ipv6,
  walkExtensionHeaders,
} from '@kame/wire';
import fc from 'fast-check';
import { fragment } from './fragment';
import { type Frag6Reassembled, Reassembler } from './reassembler';

const src = Ipv6Address.parse('fe80::1');
const dst = Ipv6Address.parse('2001:db8::5');

/** Builds a payload: optional Hop-by-Hop, optional Destination Options + Routing, then UDP-ish bytes. */
function buildPacket(withHbh: boolean, withRouting: boolean, upper: Uint8Array): Ipv6Repr {
  const headers: { proto: number; bytes: Uint8Array }[] = [];
  if (withHbh) headers.push({ proto: IPPROTO_HOPOPTS, bytes: Uint8Array.of(0, 0, 1, 4, 0, 0, 0, 0) });
  if (withRouting) {
    headers.push({ proto: IPPROTO_DSTOPTS, bytes: Uint8Array.of(0, 0, 1, 4, 0, 0, 0, 0) });
    headers.push({ proto: IPPROTO_ROUTING, bytes: Uint8Array.of(0, 0, 253, 1, 9, 9, 9, 9) });
  }
  const len = headers.reduce((n, h) => n + h.bytes.length, 0) + upper.length;
  const payload = new Uint8Array(len);
  let off = 0;
  headers.forEach((h, i) => {
    payload.set(h.bytes, off);
    payload[off] = headers[i + 1]?.proto ?? IPPROTO_UDP;
    off += h.bytes.length;
  });
  payload.set(upper, off);
  return {
    trafficClass: 0,
    flowLabel: 7,
    nextHeader: headers[0]?.proto ?? IPPROTO_UDP,
    hopLimit: 255,
    src,
    dst,
    payload,
  };
}

/** What ip6_input does: find the Fragment header with walkExtensionHeaders and hand it over. */
function deliver(r: Reassembler, packet: Uint8Array): Frag6Reassembled | undefined {
  const p = ipv6.parse(packet);
  const h = walkExtensionHeaders(p.nextHeader, p.payload).headers.find((x) => x.kind === 'fragment');
  if (h === undefined) throw new Error('not a fragment');
  return r.input(packet, 40 + h.offset);
}

function shuffle<T>(xs: T[], rnd: SeededRandom): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

describe('fragment + Reassembler round trip (RFC 8200 4.5)', () => {
  test('RFC 8200 4.5: random payloads and MTUs survive fragmentation and shuffled, duplicated delivery', () => {
    let fragmented = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 20_000 }),
        fc.integer({ min: 1280, max: 9000 }),
        fc.boolean(),
        fc.boolean(),
        fc.nat({ max: 0xffffffff }),
        fc.integer(),
        (length, mtu, withHbh, withRouting, id, seed) => {
          const rnd = new SeededRandom(seed);
          const upper = rnd.bytes(new Uint8Array(length));
          const original = buildPacket(withHbh, withRouting, upper);
          const frags = fragment(original, mtu, id);
          for (const f of frags) expect(f.length).toBeLessThanOrEqual(mtu);
          const expected = ipv6.encode(original);
          if (frags.length === 1) {
            expect(frags[0]).toEqual(expected);
            return;
          }
          fragmented++;
          const r = new Reassembler({ clock: new VirtualClock() });
          // Every fragment but the first-delivered is sent once more, before the end.
          const order = shuffle([...frags], rnd);
          const dups = order.slice(0, -1).filter(() => rnd.next() < 0.3);
          const sequence = [...order.slice(0, -1), ...dups, order[order.length - 1]!];
          let out: Frag6Reassembled | undefined;
          sequence.forEach((f, i) => {
            const got = deliver(r, f);
            if (i < sequence.length - 1) expect(got).toBeUndefined();
            else out = got;
          });
          expect(out).toBeDefined();
          expect(out!.packet).toEqual(expected);
          const unfrag = (withHbh ? 8 : 0) + (withRouting ? 16 : 0);
          expect(out!.offset).toBe(40 + unfrag);
          expect(out!.nextHeader).toBe(IPPROTO_UDP);
          expect(r.stats.frag6_duplicate).toBe(dups.length);
          expect(r.queueCount).toBe(0);
          expect(r.bytesHeld).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
    expect(fragmented).toBeGreaterThan(50);
  });

  test('RFC 8200 4.5: interleaved datagrams with distinct identifications reassemble independently', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 8, max: 6000 }), { minLength: 2, maxLength: 5 }),
        fc.integer(),
        (lengths, seed) => {
          const rnd = new SeededRandom(seed);
          const uppers = lengths.map((n) => rnd.bytes(new Uint8Array(n)));
          const r = new Reassembler({ clock: new VirtualClock() });
          const originals = uppers.map((u) => buildPacket(false, false, u));
          const all = originals.flatMap((p, i) => fragment(p, 1280, 1000 + i));
          const done: Uint8Array[] = [];
          for (const f of shuffle(all, rnd)) {
            const p = ipv6.parse(f);
            const out = p.nextHeader === IPPROTO_UDP ? undefined : deliver(r, f);
            if (out) done.push(out.packet);
          }
          const expected = originals.filter((p) => 40 + p.payload.length > 1280).map((p) => ipv6.encode(p));
          expect(done).toHaveLength(expected.length);
          for (const e of expected) expect(done).toContainEqual(e);
          expect(r.queueCount).toBe(0);
        },
      ),
      { numRuns: 50 },
    );
  });
});
