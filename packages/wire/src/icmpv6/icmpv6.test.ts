import { Ipv4Address } from '@kame/addr';
import fc from 'fast-check';
import {
  dropSuffix,
  hex,
  hostileBytes,
  hostileMutations,
  onlyDecodeError,
  roundTrip,
  toHex,
  ph,
} from '../../test/support/properties';
import { ICMP6_DST_UNREACH_NOPORT, ICMP6_PARAMPROB_NEXTHEADER, ICMP6_TIME_EXCEED_TRANSIT } from './constants';
import { type Icmpv6Repr, icmpv6 } from './icmpv6';

// a-radvd.pcap frames 10 and 11: ping6 echo request and reply.
const PING_DATA =
  '97c8076b00000000f16c060000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637';
const ECHO_REQ = hex('800030727fe50001' + PING_DATA);
const ECHO_REQ_PH = ph('2001:db8:1:0:202d:52ff:fe18:acfe', '2001:db8:1::1');
const ECHO_REP = hex('81002f727fe50001' + PING_DATA);
const ECHO_REP_PH = ph('2001:db8:1::1', '2001:db8:1:0:202d:52ff:fe18:acfe');

// A corpus of valid messages of every kind (checksums not needed: fuzzed with verifyChecksum false).
const CORPUS = [
  ECHO_REQ,
  hex('8200d3332710000000000000000000000000000000000000027d0000'),
  hex('8f00a5ae0000000104000000ff0200000000000000000001ff18acfe'),
  hex('85005ef300000000'),
  hex('8500f7c4000000000101524606366b38'),
  hex('870015db0000000020010db800010000202d52fffe18acfe0e01ae4ce808c759'),
  hex('88008853e000000020010db8000100000000000000000001020106cfe049adfb'),
  hex(
    '86005aba4008001e0000000000000000030440c000015180000038400000000020010db8000100000000000000000000' +
      '180330000000001e20010db8009900000000000000000000190300000000000a20010db8000100000000000000000053' +
      '010106cfe049adfb' +
      '1f0300000000025807' +
      '6578616d706c65' +
      '03636f6d00000000',
  ),
  hex(
    '8900 0000 00000000' +
      'fe800000000000000000000000000002' +
      '20010db8000000000000000000000099' +
      '0101020000000002',
  ),
  hex('0104 0000 00000000 6000000000081140'),
  hex('0200 0000 00000500 6000000000081140'),
  hex('0401 0000 00000006 6000000000081140'),
  hex(
    '8a00 0000 00000001 00000000 00000000 0107013040400000 20010db8000100000000000000000000' +
      '1040c0c0 00015180 00000e10 80000000 20010db8000200000000000000000000',
  ),
  hex('8a01 0000 00000001 00000000 00000000 0003013000000003 20010db8000100000000000000000000'),
  hex('8b00 0000 0003 0022 0102030405060708 20010db8000000000000000000000002'),
  hex('9900 0000 01020304'),
];

describe('ICMPv6 (RFC 4443)', () => {
  it('RFC 4443 4.1 / 4.2: decodes ping6 echo request and reply (a-radvd.pcap frames 10, 11)', () => {
    // a-radvd.json frame 10: identifier 0x7fe5, sequence 1, 56 data bytes.
    const req = icmpv6.parse(ECHO_REQ, ECHO_REQ_PH);
    expect(req).toMatchObject({ kind: 'echoRequest', code: 0, identifier: 0x7fe5, sequence: 1 });
    expect(req.kind === 'echoRequest' && toHex(req.data)).toBe(PING_DATA);
    // Zero-copy data.
    expect(req.kind === 'echoRequest' && req.data.buffer).toBe(ECHO_REQ.buffer);
    const rep = icmpv6.parse(ECHO_REP, ECHO_REP_PH);
    expect(rep.kind).toBe('echoReply');
    expect(toHex(icmpv6.encode(rep, ECHO_REP_PH))).toBe(toHex(ECHO_REP));
    expect(toHex(icmpv6.encode(req, ECHO_REQ_PH))).toBe(toHex(ECHO_REQ));
  });

  it('RFC 4443 2.3: a wrong checksum is a DecodeError naming the expected value', () => {
    const bad = ECHO_REQ.slice();
    bad[2] = 0x30;
    bad[3] = 0x73;
    expect(() => icmpv6.parse(bad, ECHO_REQ_PH)).toThrow(
      'ICMPv6 checksum at 2: 0x3073 is wrong (want 0x3072)',
    );
    // The pseudo-header counts: the reply's addresses do not fit the request.
    expect(() => icmpv6.parse(ECHO_REQ, ph('2001:db8:1::1', '2001:db8:1::2'))).toThrow(/checksum/);
  });

  it('skips checksum verification when verifyChecksum is false (offloaded captures)', () => {
    const bad = ECHO_REQ.slice();
    bad[2] = bad[2]! ^ 0xff;
    expect(icmpv6.parse(bad, { ...ECHO_REQ_PH, verifyChecksum: false }).kind).toBe('echoRequest');
  });

  it('RFC 8200 8.1: emit writes the checksum over the pseudo-header, at any offset', () => {
    const r: Icmpv6Repr = {
      kind: 'echoRequest',
      code: 0,
      identifier: 0x7fe5,
      sequence: 1,
      data: hex(PING_DATA),
    };
    const buf = new Uint8Array(3 + ECHO_REQ.length).fill(0xaa);
    expect(icmpv6.emit(r, buf, 3, ECHO_REQ_PH)).toBe(ECHO_REQ.length);
    expect(toHex(buf.subarray(3))).toBe(toHex(ECHO_REQ));
    expect(toHex(buf.subarray(0, 3))).toBe('aaaaaa');
    expect(() => icmpv6.emit(r, new Uint8Array(10), 0, ECHO_REQ_PH)).toThrow(RangeError);
  });

  it('RFC 4443 3.1-3.4: error messages carry code, MTU or pointer, and the invoking packet', () => {
    const ctx = ph('2001:db8::1', '2001:db8::2');
    const invoking = hex('6000000000081140' + '00'.repeat(32));
    const cases: [Icmpv6Repr, string][] = [
      [{ kind: 'destUnreach', code: ICMP6_DST_UNREACH_NOPORT, invoking }, '0104'],
      [{ kind: 'packetTooBig', code: 0, mtu: 1280, invoking }, '0200'],
      [{ kind: 'timeExceeded', code: ICMP6_TIME_EXCEED_TRANSIT, invoking }, '0300'],
      [{ kind: 'paramProblem', code: ICMP6_PARAMPROB_NEXTHEADER, pointer: 6, invoking }, '0401'],
    ];
    for (const [r, typeCode] of cases) {
      const out = icmpv6.encode(r, ctx);
      expect(toHex(out.subarray(0, 2))).toBe(typeCode);
      const word =
        r.kind === 'packetTooBig' ? '00000500' : r.kind === 'paramProblem' ? '00000006' : '00000000';
      expect(toHex(out.subarray(4, 8))).toBe(word);
      const back = icmpv6.parse(out, ctx);
      expect({ ...back, invoking: null }).toEqual({ ...r, invoking: null });
      expect('invoking' in back && toHex(back.invoking)).toBe(toHex(invoking));
    }
  });

  it('RFC 4443 2.1: error and echo messages shorter than 8 bytes are DecodeErrors', () => {
    for (const t of [1, 2, 3, 4, 128, 129]) {
      expect(() =>
        icmpv6.parse(Uint8Array.of(t, 0, 0, 0, 0, 0, 0), { ...ECHO_REQ_PH, verifyChecksum: false }),
      ).toThrow(/truncated/);
    }
    expect(() => icmpv6.parse(Uint8Array.of(128, 0, 0), ECHO_REQ_PH)).toThrow(
      'ICMPv6 header at 0: truncated',
    );
  });

  it('RFC 4443 2.4 (a), (b): unknown types are kept raw (type, code, body) and re-encode', () => {
    const ctx = ph('fe80::1', 'fe80::2');
    const r: Icmpv6Repr = { kind: 'unknown', type: 200, code: 3, body: hex('01020304') };
    const out = icmpv6.encode(r, ctx);
    expect(icmpv6.parse(out, ctx)).toEqual({ ...r, body: out.subarray(4) });
    expect(
      icmpv6.parse(icmpv6.encode({ kind: 'unknown', type: 100, code: 0, body: new Uint8Array(0) }, ctx), ctx),
    ).toEqual({ kind: 'unknown', type: 100, code: 0, body: new Uint8Array(0) });
  });

  it('needs IPv6 pseudo-header addresses (a RangeError for IPv4 ones: a caller bug)', () => {
    const v4 = { src: Ipv4Address.parse('192.0.2.1'), dst: Ipv4Address.parse('192.0.2.2') };
    expect(() => icmpv6.parse(ECHO_REQ, v4)).toThrow(RangeError);
    expect(icmpv6.parse(ECHO_REQ, { ...v4, verifyChecksum: false }).kind).toBe('echoRequest');
  });

  it('every corpus message parses to its kind without checksum verification', () => {
    const parsed = CORPUS.map((m) => icmpv6.parse(m, { ...ECHO_REQ_PH, verifyChecksum: false }));
    expect(parsed.map((r) => r.kind)).toEqual([
      'echoRequest',
      'mldv2Query',
      'mldv2Report',
      'routerSolicit',
      'routerSolicit',
      'neighborSolicit',
      'neighborAdvert',
      'routerAdvert',
      'redirect',
      'destUnreach',
      'packetTooBig',
      'paramProblem',
      'rrCommand',
      'rrResult',
      'nodeInfoQuery',
      'unknown',
    ]);
    const ra = parsed[7]!;
    expect(ra.kind === 'routerAdvert' && ra.options.map((o) => o.kind)).toEqual([
      'prefixInfo',
      'routeInfo',
      'rdnss',
      'sourceLinkAddr',
      'dnssl',
    ]);
  });

  it('round-trips error, echo and unknown reprs (property)', () => {
    const ctx = ph('2001:db8::1', 'ff02::1');
    const bytes = fc.uint8Array({ maxLength: 64 });
    const code = fc.integer({ min: 0, max: 255 });
    const arb: fc.Arbitrary<Icmpv6Repr> = fc.oneof(
      fc.record({
        kind: fc.constantFrom<'destUnreach' | 'timeExceeded'>('destUnreach', 'timeExceeded'),
        code,
        invoking: bytes,
      }),
      fc.record({
        kind: fc.constant<'packetTooBig'>('packetTooBig'),
        code,
        mtu: fc.integer({ min: 0, max: 0xffffffff }),
        invoking: bytes,
      }),
      fc.record({
        kind: fc.constant<'paramProblem'>('paramProblem'),
        code,
        pointer: fc.integer({ min: 0, max: 0xffffffff }),
        invoking: bytes,
      }),
      fc.record({
        kind: fc.constantFrom<'echoRequest' | 'echoReply'>('echoRequest', 'echoReply'),
        code,
        identifier: fc.integer({ min: 0, max: 0xffff }),
        sequence: fc.integer({ min: 0, max: 0xffff }),
        data: bytes,
      }),
      fc.record({
        kind: fc.constant<'unknown'>('unknown'),
        type: fc
          .integer({ min: 0, max: 255 })
          .filter((t) => (t >= 5 && t < 128) || t > 143 || t === 141 || t === 142),
        code,
        body: bytes,
      }),
    );
    const flat = (r: Icmpv6Repr): unknown =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Uint8Array ? toHex(v) : v]));
    roundTrip(
      arb,
      (r) => icmpv6.encode(r, ctx),
      (b) => icmpv6.parse(b, ctx),
      { normalize: flat },
    );
  });

  it('hostile input: random bytes and mutated messages parse or throw DecodeError, nothing else (property)', () => {
    const verified = ECHO_REQ_PH;
    const unverified = { ...ECHO_REQ_PH, verifyChecksum: false };
    hostileBytes(
      (b) => {
        onlyDecodeError(() => icmpv6.parse(b, verified));
        icmpv6.parse(b, unverified);
      },
      { maxLength: 200, numRuns: 500 },
    );
    // Random bodies behind every interesting type byte.
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 4, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 143),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 120 }),
        (type, code, body) => {
          const b = new Uint8Array(4 + body.length);
          b[0] = type;
          b[1] = code;
          b.set(body, 4);
          onlyDecodeError(() => icmpv6.parse(b, unverified));
        },
      ),
      { numRuns: 1000 },
    );
    hostileMutations(
      fc.constantFrom(...CORPUS),
      (m) => m.slice(),
      (b) => icmpv6.parse(b, unverified),
      {
        minMutations: 1,
        maxMutations: 6,
        numRuns: 2000,
        truncate: dropSuffix,
        truncated: [(b) => icmpv6.parse(b, unverified), (b) => icmpv6.parse(b, verified)],
        whole: [],
      },
    );
  });
});
