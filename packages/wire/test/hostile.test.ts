/**
 * Hostile input: dissect must return a value or throw a DecodeError, and
 * nothing else, quickly, for random bytes and for mutated and truncated
 * versions of every golden and judge frame; long chains (extension headers,
 * VXLAN in VXLAN) must not exhaust the stack.
 */
import fc from 'fast-check';
import { DecodeError } from '../src/decode-error';
import { type Dissection, type DissectOptions, dissect, dissectLayers } from '../src/dissect';
import { ETHERTYPE_IPV4 } from '../src/ethernet/index';
import { IPPROTO_UDP } from '../src/ipv6/index';
import { udp } from '../src/transport/index';
import { VXLAN_PORT, vxlan } from '../src/vxlan';
import { onlyDecodeError } from './support/properties';
import { GOLDEN_VXLAN_PORTS, loadGoldenFrames } from './support/golden';
import { G_A, G_B, V4_A, V4_B, eth, icmp6Frame, judgeFrames, v4Packet } from './support/judge-frames';

const OPTS: DissectOptions[] = [
  { vxlanPorts: GOLDEN_VXLAN_PORTS },
  { vxlanPorts: GOLDEN_VXLAN_PORTS, verifyChecksums: false },
];

/** Per-case bound (generous for a loaded CI machine; a case normally takes microseconds). */
const CASE_MS = 250;

let slowest = 0;
function valueOrDecodeError(frame: Uint8Array, opts: DissectOptions): void {
  const t0 = performance.now();
  onlyDecodeError(() => dissect(frame, opts));
  const r = dissectLayers(frame, opts); // never throws a DecodeError
  if (r.error) expect(r.error).toBeInstanceOf(DecodeError);
  const dt = performance.now() - t0;
  if (dt > slowest) slowest = dt;
  expect(dt).toBeLessThan(CASE_MS);
}

// Seeds: every golden frame, and every judge frame below 10 kB (the jumbogram is tested on its own).
const seeds = [...loadGoldenFrames().map((f) => f.bytes), ...judgeFrames().map((f) => f.frame)].filter(
  (b) => b.length < 10000,
);

describe('hostile input to dissect', () => {
  afterAll(() => {
    console.log(`hostile: slowest case ${slowest.toFixed(2)} ms`);
  });

  it('random bytes: 10k cases, a value or a DecodeError', () => {
    const t0 = performance.now();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...OPTS), (b, o) =>
        valueOrDecodeError(b, o),
      ),
      { numRuns: 10_000 },
    );
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('random bytes behind a valid Ethernet/IPv6 or Ethernet/IPv4 header: 10k cases', () => {
    const v6 = Uint8Array.of(2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa, 0x86, 0xdd);
    const v4 = Uint8Array.of(2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa, 0x08, 0x00);
    fc.assert(
      fc.property(
        fc.constantFrom(v6, v4),
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...OPTS),
        (h, b, o) => {
          const f = new Uint8Array(h.length + b.length);
          f.set(h);
          f.set(b, h.length);
          if (h === v6 && b.length > 0) f[14] = 0x60 | (b[0]! & 0x0f); // version 6
          if (h === v4 && b.length > 0) f[14] = 0x45; // version 4, IHL 5
          valueOrDecodeError(f, o);
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it(`byte mutations and truncations of all ${seeds.length} golden and judge frames: 10k cases`, () => {
    const t0 = performance.now();
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.constantFrom(...OPTS),
        (i, muts, cut, o) => {
          const seed = seeds[i]!;
          const b = seed.slice(0, cut === undefined ? seed.length : cut % (seed.length + 1));
          for (const [at, v] of muts) if (b.length > 0) b[at % b.length] = v;
          valueOrDecodeError(b, o);
        },
      ),
      { numRuns: 10_000 },
    );
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('every truncation of every seed frame', () => {
    for (const s of seeds) for (let n = 0; n < s.length; n++) valueOrDecodeError(s.subarray(0, n), OPTS[1]!);
  });

  it('1000 chained Destination Options headers: walked without recursion, bounded by the limit', () => {
    const n = 1000;
    const echo = icmp6Frame(
      { src: G_A, dst: G_B },
      {
        kind: 'echoRequest',
        code: 0,
        identifier: 1,
        sequence: 1,
        data: new Uint8Array(8),
      },
    );
    // Rebuild the IPv6 payload as 1000 x (next=60|58, len 0, PadN 4) + the ICMPv6 message.
    const icmp = echo.subarray(14 + 40);
    const payload = new Uint8Array(n * 8 + icmp.length);
    for (let k = 0; k < n; k++) {
      payload.set([k + 1 < n ? 60 : 58, 0, 1, 4, 0, 0, 0, 0], k * 8);
    }
    payload.set(icmp, n * 8);
    const frame = new Uint8Array(14 + 40 + payload.length);
    frame.set(echo.subarray(0, 14 + 40));
    frame[14 + 4] = payload.length >>> 8;
    frame[14 + 5] = payload.length & 0xff;
    frame[14 + 6] = 60;
    frame.set(payload, 14 + 40);
    // Default limit: a DecodeError, not a stack overflow.
    expect(() => dissect(frame)).toThrow(DecodeError);
    expect(() => dissect(frame)).toThrow(/extension headers/);
    // Raised limit: all 1000 walked, and the echo request (its checksum covers
    // only itself, so it still verifies) decoded.
    const d = dissect(frame, { maxExtensionHeaders: 5000 });
    expect(d.extensionHeaders).toHaveLength(n);
    expect(d.icmpv6?.kind).toBe('echoRequest');
  });

  /** `levels` VXLAN-in-UDP-in-IPv4 encapsulations around an Ethernet/IPv6/ICMPv6 frame. */
  function nested(levels: number): Uint8Array {
    let f = icmp6Frame(
      { src: G_A, dst: G_B },
      {
        kind: 'echoRequest',
        code: 0,
        identifier: 7,
        sequence: 7,
        data: new Uint8Array(4),
      },
    );
    for (let k = 0; k < levels; k++) {
      const vx = vxlan.encode({ vni: k, payload: f }, undefined);
      const dg = udp.encode({ srcPort: 50000, dstPort: VXLAN_PORT, payload: vx }, { src: V4_A, dst: V4_B });
      f = eth(ETHERTYPE_IPV4, v4Packet(IPPROTO_UDP, dg));
    }
    return f;
  }

  function depth(d: Dissection): number {
    let n = 1;
    for (let x = d.inner; x; x = x.inner) n++;
    return n;
  }

  it('VXLAN in VXLAN 1000 deep: bounded by maxDepth, and fully decodable without recursion', () => {
    const f = nested(1000);
    const d = dissect(f);
    expect(depth(d)).toBe(8); // DISSECT_MAX_DEPTH
    let last = d;
    while (last.inner) last = last.inner;
    expect(last.vxlan).toBeDefined(); // the 8th frame's VXLAN payload is left undecoded
    const all = dissect(f, { maxDepth: 2000 });
    expect(depth(all)).toBe(1001);
    let innermost = all;
    while (innermost.inner) innermost = innermost.inner;
    expect(innermost.icmpv6?.kind).toBe('echoRequest');
    // Mutations of the deep frame still give a value or a DecodeError.
    fc.assert(
      fc.property(fc.nat({ max: f.length - 1 }), fc.nat({ max: 255 }), (at, v) => {
        const b = f.slice();
        b[at] = v;
        valueOrDecodeError(b, { maxDepth: 2000, verifyChecksums: false });
      }),
      { numRuns: 200 },
    );
  });
});
