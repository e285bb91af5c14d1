import { Ipv4Address, Ipv6Address } from '@kame/addr';
import fc from 'fast-check';
import { finishChecksum, onesSum, type PseudoHeader } from '../checksum';
import { hex, hostileBytes, hostileMutations } from '../../test/support/properties';
import {
  TCP_ACK,
  TCP_CWR,
  TCP_ECE,
  TCP_FIN,
  TCP_OPT_EOL,
  TCP_OPT_MSS,
  TCP_OPT_NOP,
  TCP_OPT_SACK,
  TCP_OPT_SACK_PERMITTED,
  TCP_OPT_TIMESTAMPS,
  TCP_OPT_WINDOW_SCALE,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  TCP_URG,
  type TcpOption,
  type TcpRepr,
  TcpSegment,
  tcp,
  tcpHeaderLen,
} from './tcp';

const V6: PseudoHeader = { src: Ipv6Address.parse('2001:db8::1'), dst: Ipv6Address.parse('2001:db8::2') };
const V4: PseudoHeader = { src: Ipv4Address.parse('192.0.2.1'), dst: Ipv4Address.parse('192.0.2.2') };

/** A SYN with MSS 1460, SACK-permitted, timestamps, NOP, window scale 7 (checksum computed independently). */
const SYN = hex(
  '9c40 0050 11223344 00000000 a002 faf0 e40e 0000 020405b4 0402 080a0102030400000000 01 030307',
);

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const optionArb: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant<TcpOption>({ kind: 'nop' }),
  fc.integer({ min: 0, max: 0xffff }).map((mss): TcpOption => ({ kind: 'mss', mss })),
  fc.integer({ min: 0, max: 255 }).map((shift): TcpOption => ({ kind: 'windowScale', shift })),
  fc.constant<TcpOption>({ kind: 'sackPermitted' }),
  fc
    .array(fc.record({ left: u32, right: u32 }), { minLength: 1, maxLength: 2 })
    .map((blocks): TcpOption => ({ kind: 'sack', blocks })),
  fc
    .record({ tsVal: u32, tsEcr: u32 })
    .map(({ tsVal, tsEcr }): TcpOption => ({ kind: 'timestamps', tsVal, tsEcr })),
  fc
    .record({ type: fc.integer({ min: 9, max: 255 }), data: fc.uint8Array({ maxLength: 6 }) })
    .map(({ type, data }): TcpOption => ({ kind: 'unknown', type, data })),
);
const reprArb: fc.Arbitrary<TcpRepr> = fc.record({
  srcPort: fc.integer({ min: 0, max: 0xffff }),
  dstPort: fc.integer({ min: 0, max: 0xffff }),
  seq: u32,
  ack: u32,
  flags: fc.integer({ min: 0, max: 255 }),
  window: fc.integer({ min: 0, max: 0xffff }),
  urgentPointer: fc.integer({ min: 0, max: 0xffff }),
  // At most 2 options of at most 18 octets: within the 40-octet limit.
  options: fc.array(optionArb, { maxLength: 2 }),
  payload: fc.uint8Array({ maxLength: 64 }),
});
const ctxArb = fc.constantFrom(V6, V4);
const normOpt = (o: TcpOption): unknown => (o.kind === 'unknown' ? { ...o, data: Array.from(o.data) } : o);
const norm = (r: TcpRepr): unknown => ({
  ...r,
  options: r.options.map(normOpt),
  payload: Array.from(r.payload),
});

describe('TCP header (RFC 9293 3.1)', () => {
  it('RFC 9293 3.1, 3.2; RFC 7323; RFC 2018: parses a SYN with the usual options (golden bytes)', () => {
    const r = tcp.parse(SYN, V4);
    expect(r).toMatchObject({
      srcPort: 40000,
      dstPort: 80,
      seq: 0x11223344,
      ack: 0,
      flags: TCP_SYN,
      window: 64240,
      urgentPointer: 0,
    });
    expect(r.options).toEqual([
      { kind: 'mss', mss: 1460 },
      { kind: 'sackPermitted' },
      { kind: 'timestamps', tsVal: 0x01020304, tsEcr: 0 },
      { kind: 'nop' },
      { kind: 'windowScale', shift: 7 },
    ]);
    expect(r.payload.length).toBe(0);
    expect(TcpSegment.of(SYN).headerLen).toBe(40);
  });

  it('RFC 9293 3.1: emit writes the same bytes and checksum', () => {
    expect(Array.from(tcp.encode(tcp.parse(SYN, V4), V4))).toEqual(Array.from(SYN));
  });

  it('RFC 9293 3.1 / RFC 3168 6.1: flag constants are the control bits of byte 13', () => {
    expect([TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK, TCP_URG, TCP_ECE, TCP_CWR]).toEqual([
      1, 2, 4, 8, 16, 32, 64, 128,
    ]);
    const b = tcp.encode({ ...tcp.parse(SYN, V4), flags: TCP_ACK | TCP_PSH | TCP_CWR, options: [] }, V4);
    expect(b[13]).toBe(0x98);
    expect(b[12]).toBe(0x50);
  });

  it('RFC 9293 3.1: rejects a bad checksum unless verifyChecksum is false', () => {
    const b = SYN.slice();
    b[4] = 0;
    expect(() => tcp.parse(b, V4)).toThrow(/TCP checksum at 16/);
    expect(tcp.parse(b, { ...V4, verifyChecksum: false }).seq).toBe(0x00223344);
    // The same bytes do not verify against an IPv6 pseudo-header.
    expect(() => tcp.parse(SYN, V6)).toThrow(/checksum/);
  });

  it('RFC 9293 3.1: rejects a data offset below 5 or past the segment', () => {
    const b = SYN.slice();
    b[12] = 0x40;
    expect(() => tcp.parse(b, { ...V4, verifyChecksum: false })).toThrow(/TCP data offset at 12: 4/);
    b[12] = 0xf0;
    expect(() => tcp.parse(b, { ...V4, verifyChecksum: false })).toThrow(/truncated/);
    expect(() => tcp.parse(SYN.subarray(0, 19), V4)).toThrow(/truncated/);
  });

  it('RFC 9293 3.2: rejects malformed option lengths', () => {
    const withOpts = (opts: string): Uint8Array => {
      const o = hex(opts);
      const b = new Uint8Array(20 + o.length);
      b[12] = ((20 + o.length) / 4) << 4;
      b.set(o, 20);
      return b;
    };
    const p = (opts: string) => () => tcp.parse(withOpts(opts), { ...V4, verifyChecksum: false });
    expect(p('0203 0000')).toThrow(/MSS option length at 21: 3/);
    expect(p('0304 0000')).toThrow(/window scale option length/);
    expect(p('0403 0000')).toThrow(/SACK-permitted option length/);
    expect(p('0504 0000')).toThrow(/SACK option length/);
    expect(p('0809 0000 0000 0000 0000 0000')).toThrow(/timestamps option length/);
    expect(p('1e01 0000')).toThrow(/minimum 2/);
    expect(p('1e08 0000')).toThrow(/runs past/);
    expect(p('0101 011e')).toThrow(/without a length/);
  });

  it('RFC 2018 3: parses SACK blocks; EOL ends the list and padding is zero', () => {
    const r: TcpRepr = {
      ...tcp.parse(SYN, V4),
      flags: TCP_ACK,
      options: [
        { kind: 'nop' },
        { kind: 'nop' },
        {
          kind: 'sack',
          blocks: [
            { left: 1000, right: 2000 },
            { left: 3000, right: 4000 },
          ],
        },
        { kind: 'eol' },
      ],
      payload: Uint8Array.of(1, 2, 3),
    };
    const b = tcp.encode(r, V6);
    expect(tcpHeaderLen(r)).toBe(44);
    expect(b[22]).toBe(TCP_OPT_SACK);
    expect(b[23]).toBe(18);
    expect(Array.from(b.subarray(40, 44))).toEqual([TCP_OPT_EOL, 0, 0, 0]);
    expect(norm(tcp.parse(b, V6))).toEqual(norm(r));
    expect([
      TCP_OPT_NOP,
      TCP_OPT_MSS,
      TCP_OPT_WINDOW_SCALE,
      TCP_OPT_SACK_PERMITTED,
      TCP_OPT_TIMESTAMPS,
    ]).toEqual([1, 2, 3, 4, 8]);
  });

  it('emit throws RangeError for over 40 octets of options (caller bug)', () => {
    const ts: TcpOption = { kind: 'timestamps', tsVal: 0, tsEcr: 0 };
    expect(() => tcp.encode({ ...tcp.parse(SYN, V4), options: [ts, ts, ts, ts, ts] }, V4)).toThrow(
      RangeError,
    );
  });

  it('RFC 2675 4 / RFC 8200 8.1: a segment over 65535 octets checksums with the 32-bit length', () => {
    const payload = new Uint8Array(100000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 13) & 0xff;
    const r: TcpRepr = { ...tcp.parse(SYN, V4), options: [], payload };
    const b = tcp.encode(r, V6);
    const field = (b[16]! << 8) | b[17]!;
    // Independent computation over a literal 40-byte pseudo-header.
    const ph = new Uint8Array(40 + b.length);
    ph.set(V6.src.bytes, 0);
    ph.set(V6.dst.bytes, 16);
    new DataView(ph.buffer).setUint32(32, b.length);
    ph[39] = 6;
    ph.set(b, 40);
    ph[56] = 0;
    ph[57] = 0;
    expect(field).toBe(finishChecksum(onesSum(ph)));
    expect(tcp.parse(b, V6).payload.length).toBe(100000);
    b[50000] = b[50000]! ^ 1;
    expect(() => tcp.parse(b, V6)).toThrow(/checksum/);
  });

  it('round-trips any repr over IPv6 and IPv4 (property); re-encoding is byte-identical', () => {
    fc.assert(
      fc.property(reprArb, ctxArb, (r, ctx) => {
        const b = tcp.encode(r, ctx);
        expect(b.length).toBe(tcp.bufferLen(r));
        const p = tcp.parse(b, ctx);
        const opts = p.options.length > r.options.length ? p.options.slice(0, -1) : p.options;
        expect(norm({ ...p, options: opts })).toEqual(norm(r));
        expect(Array.from(tcp.encode(p, ctx))).toEqual(Array.from(b));
      }),
    );
  });

  it('hostile input: random bytes throw only DecodeError', () => {
    hostileBytes(
      (b, [ctx, verify]) => {
        if (b.length > 12) b[12] = (Math.min(15, Math.max(5, b.length >> 2)) << 4) | (b[12]! & 0x0f);
        return tcp.parse(b, { ...ctx, verifyChecksum: verify });
      },
      { maxLength: 80, numRuns: 3000, extra: fc.tuple(ctxArb, fc.boolean()) },
    );
  });

  it('hostile input: mutations and truncations of a valid segment throw only DecodeError', () => {
    const unverified = (b: Uint8Array, [, ctx]: [TcpRepr, PseudoHeader]): unknown =>
      tcp.parse(b, { ...ctx, verifyChecksum: false });
    hostileMutations(fc.tuple(reprArb, ctxArb), ([r, ctx]) => tcp.encode(r, ctx), unverified, {
      maxMutations: 4,
      whole: [unverified, (b, [, ctx]) => tcp.parse(b, ctx)],
    });
  });
});
