import { Ipv4Address } from '@kame/addr';
import fc from 'fast-check';
import { hex, hostileBytes, hostileMutations } from '../../test/support/properties';
import {
  type Ipv4Option,
  type Ipv4Repr,
  IPV4_OPT_ROUTER_ALERT,
  Ipv4Packet,
  ipv4,
  ipv4HeaderLen,
} from './ipv4';

// A widely published UDP/IPv4 header whose checksum is 0xb861 (total length 115).
const GOLDEN_HDR = '4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7';
function golden(): Uint8Array {
  const b = new Uint8Array(115);
  b.set(hex(GOLDEN_HDR));
  return b;
}

const addrArb = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => Ipv4Address.fromBytes(b));
const optionArb: fc.Arbitrary<Ipv4Option> = fc.oneof(
  fc.constant<Ipv4Option>({ kind: 'nop' }),
  fc.integer({ min: 0, max: 0xffff }).map((value): Ipv4Option => ({ kind: 'routerAlert', value })),
  fc
    .record({
      type: fc.integer({ min: 2, max: 255 }).filter((t) => t !== IPV4_OPT_ROUTER_ALERT),
      data: fc.uint8Array({ maxLength: 6 }),
    })
    .map(({ type, data }): Ipv4Option => ({ kind: 'unknown', type, data })),
);
const reprArb: fc.Arbitrary<Ipv4Repr> = fc.record({
  dscp: fc.integer({ min: 0, max: 63 }),
  ecn: fc.integer({ min: 0, max: 3 }),
  identification: fc.integer({ min: 0, max: 0xffff }),
  dontFragment: fc.boolean(),
  moreFragments: fc.boolean(),
  fragmentOffset: fc.integer({ min: 0, max: 0x1fff }),
  ttl: fc.integer({ min: 0, max: 255 }),
  protocol: fc.integer({ min: 0, max: 255 }),
  src: addrArb,
  dst: addrArb,
  // Up to 4 options of at most 8 octets: always within the 40-octet limit.
  options: fc.array(optionArb, { maxLength: 4 }),
  payload: fc.uint8Array({ maxLength: 64 }),
});

const normOpt = (o: Ipv4Option): unknown => (o.kind === 'unknown' ? { ...o, data: Array.from(o.data) } : o);
const norm = (r: Ipv4Repr): unknown => ({
  ...r,
  src: r.src.toString(),
  dst: r.dst.toString(),
  options: r.options.map(normOpt),
  payload: Array.from(r.payload),
});

describe('IPv4 header (RFC 791)', () => {
  it('RFC 791 3.1: parses a golden header and verifies its checksum 0xb861', () => {
    const r = ipv4.parse(golden());
    expect(r).toMatchObject({
      dscp: 0,
      ecn: 0,
      identification: 0,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 64,
      protocol: 17,
      options: [],
    });
    expect(r.src.toString()).toBe('192.168.0.1');
    expect(r.dst.toString()).toBe('192.168.0.199');
    expect(r.payload.length).toBe(95);
  });

  it('RFC 791 3.1: emit writes the same header and checksum', () => {
    const b = golden();
    expect(Array.from(ipv4.encode(ipv4.parse(b)))).toEqual(Array.from(b));
  });

  it('RFC 791 3.1: rejects a bad header checksum unless verifyChecksum is false', () => {
    const b = golden();
    b[11] = b[11]! ^ 1;
    expect(() => ipv4.parse(b)).toThrow(/IPv4 header checksum at 10/);
    expect(ipv4.parse(b, { verifyChecksum: false }).ttl).toBe(64);
  });

  it('RFC 791 3.1: rejects version != 4, IHL < 5, IHL beyond the buffer', () => {
    const b = golden();
    b[0] = 0x65;
    expect(() => ipv4.parse(b)).toThrow(/IPv4 version at 0: 6/);
    b[0] = 0x44;
    expect(() => ipv4.parse(b)).toThrow(/IPv4 IHL at 0/);
    b[0] = 0x4f;
    expect(() => ipv4.parse(b.subarray(0, 40))).toThrow(/truncated/);
  });

  it('RFC 791 3.1: rejects a total length below the header length or beyond the buffer; trims padding', () => {
    const b = golden();
    expect(() => ipv4.parse(b.subarray(0, 114))).toThrow(/IPv4 total length at 2/);
    const low = hex('4500 0010 0000 4000 4011 0000 c0a8 0001 c0a8 00c7');
    expect(() => ipv4.parse(low, { verifyChecksum: false })).toThrow(/less than the header length/);
    const padded = new Uint8Array(130);
    padded.set(b);
    expect(ipv4.parse(padded).payload.length).toBe(95);
    expect(Ipv4Packet.of(padded).totalLength).toBe(115);
  });

  it('RFC 2113 2.1: parses and emits the Router Alert option (94 04 0000), DSCP/ECN and MF/offset', () => {
    const r: Ipv4Repr = {
      dscp: 48,
      ecn: 2,
      identification: 0x1234,
      dontFragment: false,
      moreFragments: true,
      fragmentOffset: 185,
      ttl: 1,
      protocol: 2,
      src: Ipv4Address.parse('10.0.0.1'),
      dst: Ipv4Address.parse('224.0.0.22'),
      options: [{ kind: 'routerAlert', value: 0 }],
      payload: Uint8Array.of(0x22),
    };
    const out = ipv4.encode(r);
    expect(Buffer.from(out.subarray(0, 10)).toString('hex')).toBe('46c20019123420b90102');
    expect(Buffer.from(out.subarray(20, 24)).toString('hex')).toBe('94040000');
    expect(norm(ipv4.parse(out))).toEqual(norm(r));
  });

  it('RFC 791 3.1: stops at End of Option List, pads with zeros; NOP and unknown options kept', () => {
    const out = ipv4.encode({
      ...ipv4.parse(golden()),
      options: [{ kind: 'nop' }, { kind: 'unknown', type: 0x44, data: Uint8Array.of(5, 0) }, { kind: 'eol' }],
      payload: new Uint8Array(0),
    });
    expect(ipv4HeaderLen(ipv4.parse(out))).toBe(28);
    expect(Buffer.from(out.subarray(20)).toString('hex')).toBe('0144040500000000');
    expect(ipv4.parse(out).options.map(normOpt)).toEqual([
      { kind: 'nop' },
      { kind: 'unknown', type: 0x44, data: [5, 0] },
      { kind: 'eol' },
    ]);
  });

  it('RFC 791 3.1: rejects option lengths under 2, past the header, and a bad Router Alert length', () => {
    const base = ipv4.parse(golden());
    const withRaw = (opt: string): Uint8Array => {
      const b = ipv4.encode({ ...base, options: [{ kind: 'unknown', type: 1, data: new Uint8Array(2) }] });
      b.set(hex(opt), 20);
      return b;
    };
    expect(() => ipv4.parse(withRaw('4401 0000'), { verifyChecksum: false })).toThrow(/minimum 2/);
    expect(() => ipv4.parse(withRaw('4405 0000'), { verifyChecksum: false })).toThrow(/runs past/);
    expect(() => ipv4.parse(withRaw('9403 0000'), { verifyChecksum: false })).toThrow(/Router Alert length/);
    expect(() => ipv4.parse(withRaw('0101 0144'), { verifyChecksum: false })).toThrow(/without a length/);
  });

  it('emit throws RangeError for over 40 octets of options or a total over 65535', () => {
    const base = ipv4.parse(golden());
    const opts: Ipv4Option[] = Array.from({ length: 41 }, () => ({ kind: 'nop' }));
    expect(() => ipv4.encode({ ...base, options: opts })).toThrow(RangeError);
    expect(() => ipv4.encode({ ...base, payload: new Uint8Array(65516) })).toThrow(RangeError);
  });

  it('round-trips any repr (property); re-encoding is byte-identical', () => {
    fc.assert(
      fc.property(reprArb, (r) => {
        const b = ipv4.encode(r);
        expect(b.length).toBe(ipv4.bufferLen(r));
        const p = ipv4.parse(b);
        // Padding to 4 octets appears as a trailing EOL.
        const opts = p.options.length > r.options.length ? p.options.slice(0, -1) : p.options;
        expect(norm({ ...p, options: opts })).toEqual(norm(r));
        expect(Array.from(ipv4.encode(p))).toEqual(Array.from(b));
      }),
    );
  });

  it('hostile input: random bytes throw only DecodeError', () => {
    hostileBytes(
      (b, verify) => {
        if (b.length > 3) {
          b[0] = 0x40 | (b[0]! & 0x0f);
          b[2] = 0;
          b[3] = Math.min(b[3]!, b.length);
        }
        return ipv4.parse(b, { verifyChecksum: verify });
      },
      { maxLength: 80, numRuns: 3000, extra: fc.boolean() },
    );
  });

  it('hostile input: mutations and truncations of a valid packet throw only DecodeError', () => {
    const unverified = (b: Uint8Array): unknown => ipv4.parse(b, { verifyChecksum: false });
    hostileMutations(reprArb, (r) => ipv4.encode(r), unverified, {
      maxMutations: 4,
      whole: [unverified, (b) => ipv4.parse(b)],
    });
  });
});
