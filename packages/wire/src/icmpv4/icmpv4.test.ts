import { Ipv4Address } from '@kame/addr';
import fc from 'fast-check';
import {
  dropSuffix,
  hex,
  hostileBytes,
  hostileMutations,
  roundTrip,
  toHex,
} from '../../test/support/properties';
import {
  ICMP_REDIRECT_HOST,
  ICMP_UNREACH_NEEDFRAG,
  ICMP_UNREACH_PORT,
  type Icmpv4Repr,
  icmpv4,
} from './icmpv4';

function flat(r: Icmpv4Repr): unknown {
  return Object.fromEntries(
    Object.entries(r).map(([k, v]) => [
      k,
      v instanceof Uint8Array ? toHex(v) : v instanceof Ipv4Address ? v.toString() : v,
    ]),
  );
}

// A hand-built echo request: id 0x1234, seq 1, data "abcd". Checksum by RFC 1071:
// 0800 + 1234 + 0001 + 6162 + 6364 = 0xdefb, complemented 0x2104.
const ECHO = hex('08002104 1234 0001 61626364');
const INVOKING = hex('4500001c00004000401100000a0000010a000002' + 'c0000035000800000');

describe('ICMP for IPv4 (RFC 792)', () => {
  it('RFC 792 / RFC 1071: echo request golden bytes and checksum', () => {
    expect(icmpv4.parse(ECHO)).toEqual({
      kind: 'echoRequest',
      code: 0,
      identifier: 0x1234,
      sequence: 1,
      data: ECHO.subarray(8),
    });
    const out = icmpv4.encode({
      kind: 'echoRequest',
      code: 0,
      identifier: 0x1234,
      sequence: 1,
      data: hex('61626364'),
    });
    expect(toHex(out)).toBe(toHex(ECHO));
    const reply = icmpv4.encode({
      kind: 'echoReply',
      code: 0,
      identifier: 0x1234,
      sequence: 1,
      data: hex('61626364'),
    });
    expect(toHex(reply.subarray(0, 4))).toBe('00002904');
  });

  it('RFC 792: a wrong checksum is a DecodeError unless verifyChecksum is false', () => {
    const bad = ECHO.slice();
    bad[3] = 0x05;
    expect(() => icmpv4.parse(bad)).toThrow('ICMPv4 checksum at 2: 0x2105 is wrong (want 0x2104)');
    expect(icmpv4.parse(bad, { verifyChecksum: false }).kind).toBe('echoRequest');
    expect(icmpv4.parse(ECHO, {}).kind).toBe('echoRequest');
  });

  it('RFC 1191 4: destination unreachable code 4 carries the next-hop MTU in bytes 6-7', () => {
    const r: Icmpv4Repr = {
      kind: 'destUnreach',
      code: ICMP_UNREACH_NEEDFRAG,
      nextHopMtu: 1400,
      invoking: INVOKING,
    };
    const out = icmpv4.encode(r);
    expect(toHex(out.subarray(0, 2))).toBe('0304');
    expect(toHex(out.subarray(4, 8))).toBe('00000578');
    expect(flat(icmpv4.parse(out))).toEqual(flat(r));
  });

  it('RFC 792: port unreachable, time exceeded, parameter problem and redirect', () => {
    const cases: [Icmpv4Repr, string][] = [
      [{ kind: 'destUnreach', code: ICMP_UNREACH_PORT, nextHopMtu: 0, invoking: INVOKING }, '0303'],
      [{ kind: 'timeExceeded', code: 1, invoking: INVOKING }, '0b01'],
      [{ kind: 'paramProblem', code: 0, pointer: 12, invoking: INVOKING }, '0c00'],
      [
        {
          kind: 'redirect',
          code: ICMP_REDIRECT_HOST,
          gateway: Ipv4Address.parse('10.0.0.254'),
          invoking: INVOKING,
        },
        '0501',
      ],
    ];
    for (const [r, typeCode] of cases) {
      const out = icmpv4.encode(r);
      expect(toHex(out.subarray(0, 2))).toBe(typeCode);
      expect(flat(icmpv4.parse(out))).toEqual(flat(r));
    }
    expect(toHex(icmpv4.encode(cases[2]![0]).subarray(4, 8))).toBe('0c000000');
    expect(toHex(icmpv4.encode(cases[3]![0]).subarray(4, 8))).toBe('0a0000fe');
  });

  it('RFC 792: unknown types (timestamp, source quench, ...) are kept raw', () => {
    const ts = icmpv4.encode({ kind: 'unknown', type: 13, code: 0, body: hex('00010002' + '00'.repeat(12)) });
    expect(flat(icmpv4.parse(ts))).toEqual({
      kind: 'unknown',
      type: 13,
      code: 0,
      body: '00010002' + '00'.repeat(12),
    });
  });

  it('RFC 792: known messages shorter than 8 bytes, or any shorter than 4, are DecodeErrors', () => {
    for (const t of [0, 3, 5, 8, 11, 12]) {
      expect(() => icmpv4.parse(Uint8Array.of(t, 0, 0, 0, 0, 0, 0), { verifyChecksum: false })).toThrow(
        /truncated/,
      );
    }
    expect(() => icmpv4.parse(Uint8Array.of(8, 0, 0))).toThrow(
      'ICMPv4 header at 0: truncated: need 4 bytes, have 3',
    );
  });

  it('emits at an offset and rejects a short buffer with a RangeError', () => {
    const buf = new Uint8Array(2 + ECHO.length);
    const r = icmpv4.parse(ECHO);
    expect(icmpv4.emit(r, buf, 2)).toBe(ECHO.length);
    expect(toHex(buf.subarray(2))).toBe(toHex(ECHO));
    expect(() => icmpv4.emit(r, new Uint8Array(8), 0)).toThrow(RangeError);
  });

  it('round-trips every repr (property)', () => {
    const bytes = fc.uint8Array({ maxLength: 64 });
    const code = fc.integer({ min: 0, max: 255 });
    const arb: fc.Arbitrary<Icmpv4Repr> = fc.oneof(
      fc.record({
        kind: fc.constantFrom<'echoRequest' | 'echoReply'>('echoRequest', 'echoReply'),
        code,
        identifier: fc.integer({ min: 0, max: 0xffff }),
        sequence: fc.integer({ min: 0, max: 0xffff }),
        data: bytes,
      }),
      fc.record({
        kind: fc.constant<'destUnreach'>('destUnreach'),
        code,
        nextHopMtu: fc.integer({ min: 0, max: 0xffff }),
        invoking: bytes,
      }),
      fc.record({ kind: fc.constant<'timeExceeded'>('timeExceeded'), code, invoking: bytes }),
      fc.record({
        kind: fc.constant<'paramProblem'>('paramProblem'),
        code,
        pointer: fc.integer({ min: 0, max: 255 }),
        invoking: bytes,
      }),
      fc.record({
        kind: fc.constant<'redirect'>('redirect'),
        code,
        gateway: fc.integer({ min: 0, max: 0xffffffff }).map((n) => Ipv4Address.fromNumber(n)),
        invoking: bytes,
      }),
      fc.record({
        kind: fc.constant<'unknown'>('unknown'),
        type: fc.integer({ min: 0, max: 255 }).filter((t) => ![0, 3, 5, 8, 11, 12].includes(t)),
        code,
        body: bytes,
      }),
    );
    roundTrip(
      arb,
      (r) => icmpv4.encode(r),
      (b) => icmpv4.parse(b),
      { normalize: flat },
    );
  });

  it('hostile input: random and mutated bytes parse or throw DecodeError (property)', () => {
    hostileBytes((b, verify) => icmpv4.parse(b, { verifyChecksum: verify }), {
      maxLength: 80,
      numRuns: 500,
      extra: fc.boolean(),
    });
    hostileMutations(
      fc.constant(ECHO),
      (m) => m.slice(),
      (b) => icmpv4.parse(b, { verifyChecksum: false }),
      { minMutations: 1, maxMutations: 4, truncate: dropSuffix, whole: [] },
    );
  });
});
