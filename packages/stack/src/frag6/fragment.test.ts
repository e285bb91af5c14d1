import { Ipv6Address } from '@kame/addr';
import {
  IPPROTO_DSTOPTS,
  IPPROTO_FRAGMENT,
  IPPROTO_HOPOPTS,
  IPPROTO_ROUTING,
  IPPROTO_UDP,
  type Ipv6Repr,
  ipv6,
  walkExtensionHeaders,
} from '@kame/wire';
import { FragmentError, IPV6_MIN_MTU, fragment } from './fragment';

const src = Ipv6Address.parse('2001:db8::1');
const dst = Ipv6Address.parse('2001:db8::2');

function bytes(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}
/** An 8-octet Hop-by-Hop or Destination Options header (one PadN). */
function opts(nh: number, extLen = 0): Uint8Array {
  const h = new Uint8Array((extLen + 1) * 8);
  h[0] = nh;
  h[1] = extLen;
  h[2] = 1; // PadN
  h[3] = h.length - 4;
  return h;
}
/** An 8-octet Routing header of an experimental type (kept raw by the codec). */
function routing(nh: number): Uint8Array {
  return Uint8Array.from([nh, 0, 253, 0, 0, 0, 0, 0]);
}
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function repr(nextHeader: number, payload: Uint8Array): Ipv6Repr {
  return { trafficClass: 0x20, flowLabel: 0x12345, nextHeader, hopLimit: 64, src, dst, payload };
}
function fragmentHeader(p: Ipv6Repr) {
  const h = walkExtensionHeaders(p.nextHeader, p.payload).headers.find((x) => x.kind === 'fragment');
  if (h?.kind !== 'fragment') throw new Error('no fragment header');
  return { offset: h.offset, header: h.header };
}

describe('fragment (RFC 8200 4.5)', () => {
  test('RFC 8200 4.5 / RFC 8021: a packet that fits the MTU is returned unchanged, no atomic fragment', () => {
    const p = repr(IPPROTO_UDP, bytes(IPV6_MIN_MTU - 40));
    const out = fragment(p, IPV6_MIN_MTU, 7);
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual(ipv6.encode(p));
  });

  test('RFC 8200 4.5: fragments fit the MTU, carry 8-octet multiples but the last, M clear only on the last', () => {
    const upper = bytes(5000);
    const out = fragment(repr(IPPROTO_UDP, upper), 1500, 0xdeadbeef);
    expect(out.length).toBe(4);
    let next = 0;
    const data: Uint8Array[] = [];
    out.forEach((b, i) => {
      expect(b.length).toBeLessThanOrEqual(1500);
      const p = ipv6.parse(b);
      expect(p.nextHeader).toBe(IPPROTO_FRAGMENT);
      expect(p.trafficClass).toBe(0x20);
      expect(p.flowLabel).toBe(0x12345);
      const f = fragmentHeader(p);
      expect(f.offset).toBe(0);
      expect(f.header).toEqual({
        nextHeader: IPPROTO_UDP,
        fragmentOffset: next / 8,
        more: i < out.length - 1,
        identification: 0xdeadbeef,
      });
      const d = p.payload.subarray(8);
      if (i < out.length - 1) expect(d.length % 8).toBe(0);
      next += d.length;
      data.push(d);
    });
    expect(concat(...data)).toEqual(upper);
  });

  test('RFC 8200 4.5: the Unfragmentable Part (Hop-by-Hop + Routing) is copied into every fragment', () => {
    const hbh = opts(IPPROTO_ROUTING);
    const rh = routing(IPPROTO_UDP);
    const upper = bytes(4000, 9);
    const out = fragment(repr(IPPROTO_HOPOPTS, concat(hbh, rh, upper)), 1280, 42);
    expect(out.length).toBeGreaterThan(3);
    for (const b of out) {
      const p = ipv6.parse(b);
      expect(b.length).toBeLessThanOrEqual(1280);
      expect(p.nextHeader).toBe(IPPROTO_HOPOPTS);
      expect(p.payload.subarray(0, 8)).toEqual(hbh);
      // The Routing header's Next Header now names the Fragment header; the rest is unchanged.
      expect(p.payload.subarray(8, 16)).toEqual(concat(Uint8Array.of(IPPROTO_FRAGMENT), rh.subarray(1)));
      const f = fragmentHeader(p);
      expect(f.offset).toBe(16);
      expect(f.header.nextHeader).toBe(IPPROTO_UDP);
    }
  });

  test('RFC 8200 4.5: Destination Options before a Routing header are unfragmentable, after it fragmentable', () => {
    const before = opts(IPPROTO_ROUTING);
    const rh = routing(IPPROTO_DSTOPTS);
    const after = opts(IPPROTO_UDP, 1);
    const out = fragment(repr(IPPROTO_DSTOPTS, concat(before, rh, after, bytes(3000))), 1280, 1);
    const first = ipv6.parse(out[0]!);
    expect(first.nextHeader).toBe(IPPROTO_DSTOPTS);
    const f = fragmentHeader(first);
    expect(f.offset).toBe(16);
    expect(f.header.nextHeader).toBe(IPPROTO_DSTOPTS);
    // The trailing Destination Options header travels in the first fragment's data only.
    expect(first.payload.subarray(24, 24 + after.length)).toEqual(after);
    const second = ipv6.parse(out[1]!);
    expect(second.payload.length).toBeGreaterThan(24);
    expect(fragmentHeader(second).header.fragmentOffset).toBeGreaterThan(0);
  });

  test('RFC 8200 4.5: Destination Options without a Routing header belong to the Fragmentable Part', () => {
    const out = fragment(repr(IPPROTO_DSTOPTS, concat(opts(IPPROTO_UDP), bytes(2000))), 1280, 3);
    const p = ipv6.parse(out[0]!);
    expect(p.nextHeader).toBe(IPPROTO_FRAGMENT);
    expect(fragmentHeader(p).header.nextHeader).toBe(IPPROTO_DSTOPTS);
  });

  test('RFC 8200 5: an MTU below 1280 is refused', () => {
    expect(() => fragment(repr(IPPROTO_UDP, bytes(2000)), 1279, 1)).toThrow(RangeError);
  });

  test('RFC 8200 4.5: an Unfragmentable Part that leaves no room for 8 octets of data is an error', () => {
    // Hop-by-Hop of 1232 octets: 40 + 1232 + 8 = 1280, no room for data.
    const hbh = opts(IPPROTO_UDP, 1232 / 8 - 1);
    const call = () => fragment(repr(IPPROTO_HOPOPTS, concat(hbh, bytes(100))), 1280, 1);
    expect(call).toThrow(FragmentError);
    expect(call).toThrow(expect.objectContaining({ reason: 'no-room' }));
  });

  test('RFC 7112 5: a header chain longer than the first fragment can carry is an error', () => {
    // Destination Options of 1608 octets after a Routing header: not in a 1280-octet first fragment.
    const payload = concat(
      opts(IPPROTO_ROUTING),
      routing(IPPROTO_DSTOPTS),
      opts(IPPROTO_UDP, 200),
      bytes(100),
    );
    const call = () => fragment(repr(IPPROTO_DSTOPTS, payload), 1280, 1);
    expect(call).toThrow(expect.objectContaining({ reason: 'header-chain-too-long' }));
    // A larger MTU carries it.
    expect(fragment(repr(IPPROTO_DSTOPTS, payload), 1700, 1).length).toBe(2);
  });

  test('RFC 2675 3: a jumbogram cannot be fragmented', () => {
    const call = () => fragment(repr(IPPROTO_UDP, new Uint8Array(70_000)), 1280, 1);
    expect(call).toThrow(expect.objectContaining({ reason: 'too-large' }));
  });

  test('RFC 8200 4.5: a packet that already has a Fragment header is not fragmented again', () => {
    const fh = Uint8Array.from([IPPROTO_UDP, 0, 0, 0, 0, 0, 0, 1]);
    const call = () => fragment(repr(IPPROTO_FRAGMENT, concat(fh, bytes(3000))), 1280, 1);
    expect(call).toThrow(expect.objectContaining({ reason: 'already-fragmented' }));
  });
});
