import { Ipv6Address } from '@kame/addr';
import fc from 'fast-check';
import { DecodeError } from '../decode-error';
import { hex, hostileBytes, hostileMutations, roundTrip } from '../../test/support/properties';
import { IPPROTO_ICMPV6, IPPROTO_TCP } from './protocols';
import { type Ipv6RoutingRepr, ipv6Routing, ipv6RoutingType } from './routing';

const A1 = '20010db8000000000000000000000001';
const A2 = '20010db8000000000000000000000002';

const addrArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Ipv6Address.fromBytes(b));
const reprArb: fc.Arbitrary<Ipv6RoutingRepr> = fc.oneof(
  fc.record({
    kind: fc.constant('type0' as const),
    nextHeader: fc.integer({ min: 0, max: 255 }),
    segmentsLeft: fc.integer({ min: 0, max: 255 }),
    addresses: fc.array(addrArb, { maxLength: 5 }),
  }),
  fc.record({
    kind: fc.constant('type2' as const),
    nextHeader: fc.integer({ min: 0, max: 255 }),
    segmentsLeft: fc.integer({ min: 0, max: 255 }),
    homeAddress: addrArb,
  }),
  fc.record({
    kind: fc.constant('raw' as const),
    nextHeader: fc.integer({ min: 0, max: 255 }),
    segmentsLeft: fc.integer({ min: 0, max: 255 }),
    routingType: fc.integer({ min: 0, max: 255 }).filter((t) => t !== 0 && t !== 2),
    data: fc
      .integer({ min: 0, max: 4 })
      .chain((k) => fc.uint8Array({ minLength: 4 + 8 * k, maxLength: 4 + 8 * k })),
  }),
);
const norm = (r: Ipv6RoutingRepr): unknown => {
  switch (r.kind) {
    case 'type0':
      return { ...r, addresses: r.addresses.map(String) };
    case 'type2':
      return { ...r, homeAddress: r.homeAddress.toString() };
    case 'raw':
      return { ...r, data: Array.from(r.data) };
  }
};

describe('IPv6 Routing header (RFC 8200 4.4)', () => {
  it('RFC 2460 4.4 / RFC 5095: parses type 0 with its address list so the stack can refuse it', () => {
    const r = ipv6Routing.parse(hex(`0604 0002 00000000 ${A1} ${A2}`));
    expect(r.kind).toBe('type0');
    if (r.kind !== 'type0') return;
    expect(r.nextHeader).toBe(IPPROTO_TCP);
    expect(r.segmentsLeft).toBe(2);
    expect(r.addresses.map(String)).toEqual(['2001:db8::1', '2001:db8::2']);
    expect(ipv6RoutingType(r)).toBe(0);
  });

  it('RFC 2460 4.4: rejects type 0 with an odd Hdr Ext Len', () => {
    expect(() => ipv6Routing.parse(hex(`0603 0002 00000000 ${A1} 0000000000000000`))).toThrow(
      /hdr ext len at 1: 3 is odd/,
    );
  });

  it('RFC 6275 6.4: parses and emits a type 2 header with the home address (golden bytes)', () => {
    const golden = hex(`3a02 0201 00000000 ${A1}`);
    const r = ipv6Routing.parse(golden);
    expect(r).toMatchObject({ kind: 'type2', nextHeader: IPPROTO_ICMPV6, segmentsLeft: 1 });
    expect(r.kind === 'type2' && r.homeAddress.toString()).toBe('2001:db8::1');
    expect(Array.from(ipv6Routing.encode(r))).toEqual(Array.from(golden));
  });

  it('RFC 6275 6.4: rejects type 2 with Hdr Ext Len other than 2', () => {
    expect(() => ipv6Routing.parse(hex(`3a04 0201 00000000 ${A1} ${A2}`))).toThrow(/type 2 wants 2/);
  });

  it('RFC 8200 4.4: keeps other types raw with Segments Left for the unrecognized-type rule', () => {
    const r = ipv6Routing.parse(hex('3a00 0300 aabbccdd'));
    expect(r.kind === 'raw' && { t: r.routingType, sl: r.segmentsLeft, d: Array.from(r.data) }).toEqual({
      t: 3,
      sl: 0,
      d: [0xaa, 0xbb, 0xcc, 0xdd],
    });
  });

  it('rejects a truncated header', () => {
    expect(() => ipv6Routing.parse(hex('3a02 0201 00000000'))).toThrow(/truncated/);
    expect(() => ipv6Routing.parse(hex('3a02'))).toThrow(DecodeError);
  });

  it('round-trips any repr (property)', () => {
    roundTrip(
      reprArb,
      (r) => ipv6Routing.encode(r),
      (b) => ipv6Routing.parse(b),
      {
        normalize: norm,
        bufferLen: (r) => ipv6Routing.bufferLen(r),
      },
    );
  });

  it('hostile input: random bytes, mutations and truncations throw only DecodeError', () => {
    hostileBytes(
      (b) => {
        if (b.length > 2) {
          b[1] = b[1]! & 7;
          b[2] = b[2]! & 3;
        }
        return ipv6Routing.parse(b);
      },
      { maxLength: 64, numRuns: 2000 },
    );
    hostileMutations(
      reprArb,
      (r) => ipv6Routing.encode(r),
      (b) => ipv6Routing.parse(b),
      { maxMutations: 4 },
    );
  });
});
