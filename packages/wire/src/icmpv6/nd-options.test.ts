import { Ipv6Address, MacAddress } from '@kame/addr';
import fc from 'fast-check';
import { DecodeError } from '../decode-error';
import {
  ND6_INFINITE_LIFETIME,
  ND6_MAXNDOPT,
  type NdOption,
  type RouterPreference,
  decodePreference,
  emitNdOptions,
  encodePreference,
  ndOptionLen,
  ndOptionsLen,
  parseNdOption,
  parseNdOptions,
} from './nd-options';
import { hostileBytes, hostileMutations, hex, plain as norm, toHex } from '../../test/support/properties';

function encode(opts: NdOption[]): Uint8Array {
  const out = new Uint8Array(ndOptionsLen(opts));
  expect(emitNdOptions(opts, out, 0)).toBe(out.length);
  return out;
}

// The option part of radvd 2.19's RA (a-radvd.pcap frame 2, bytes 16-103 of the ICMPv6 message).
const RADVD_OPTIONS = hex(
  '030440c000015180000038400000000020010db8000100000000000000000000' +
    '180330000000001e20010db8009900000000000000000000' +
    '190300000000000a20010db8000100000000000000000053' +
    '010106cfe049adfb',
);

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const ipv6Arb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Ipv6Address.fromBytes(b));
const macArb = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => MacAddress.fromBytes(b));
const prefArb = fc.constantFrom<RouterPreference>('high', 'medium', 'low', 'reserved');
const labelArb = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const domainArb = fc.array(labelArb, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
const paddedBytes = (extra: number, max: number): fc.Arbitrary<Uint8Array> =>
  fc
    .integer({ min: 0, max })
    .chain((k) => fc.uint8Array({ minLength: 8 * k + extra, maxLength: 8 * k + extra }));

const ndOptionArb: fc.Arbitrary<NdOption> = fc.oneof(
  fc.record({
    kind: fc.constantFrom<'sourceLinkAddr' | 'targetLinkAddr'>('sourceLinkAddr', 'targetLinkAddr'),
    linkAddr: fc.oneof(
      macArb,
      fc
        .integer({ min: 1, max: 3 })
        .chain((k) => fc.uint8Array({ minLength: 8 * k + 6, maxLength: 8 * k + 6 })),
    ),
  }),
  fc.record({
    kind: fc.constant<'prefixInfo'>('prefixInfo'),
    prefixLength: fc.integer({ min: 0, max: 255 }),
    onLink: fc.boolean(),
    autonomous: fc.boolean(),
    routerAddr: fc.boolean(),
    validLifetime: u32,
    preferredLifetime: u32,
    prefix: ipv6Arb,
  }),
  fc.record({ kind: fc.constant<'redirectedHeader'>('redirectedHeader'), packet: paddedBytes(0, 8) }),
  fc.record({ kind: fc.constant<'mtu'>('mtu'), mtu: u32 }),
  fc
    .record({
      prefixLength: fc.integer({ min: 0, max: 128 }),
      preference: prefArb,
      routeLifetime: u32,
      raw: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    })
    .map(({ prefixLength, preference, routeLifetime, raw }) => {
      const keep = prefixLength === 0 ? 0 : prefixLength <= 64 ? 8 : 16;
      raw.fill(0, keep);
      return {
        kind: 'routeInfo' as const,
        prefixLength,
        preference,
        routeLifetime,
        prefix: Ipv6Address.fromBytes(raw),
      };
    }),
  fc.record({
    kind: fc.constant<'rdnss'>('rdnss'),
    lifetime: u32,
    servers: fc.array(ipv6Arb, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant<'dnssl'>('dnssl'),
    lifetime: u32,
    domains: fc.array(domainArb, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant<'nonce'>('nonce'), nonce: paddedBytes(6, 2) }),
  fc.record({ kind: fc.constant<'advInterval'>('advInterval'), interval: u32 }),
  fc.record({
    kind: fc.constant<'homeAgentInfo'>('homeAgentInfo'),
    preference: fc.integer({ min: -32768, max: 32767 }),
    lifetime: fc.integer({ min: 0, max: 0xffff }),
  }),
  fc.record({
    kind: fc.constant<'unknown'>('unknown'),
    type: fc.constantFrom(0, 6, 9, 10, 17, 26, 100, 200, 253, 255),
    data: paddedBytes(6, 4),
  }),
);

describe('ND options (RFC 4861 4.6)', () => {
  it('RFC 4861 4.6.2 / RFC 4191 2.3 / RFC 8106 5.1 / 4.6.1: decodes the options of a real radvd RA', () => {
    const opts = parseNdOptions(RADVD_OPTIONS, 0);
    // Expected values from tshark's dissection in a-radvd.json frame 2.
    expect(norm(opts)).toEqual([
      {
        kind: 'prefixInfo',
        prefixLength: 64,
        onLink: true,
        autonomous: true,
        routerAddr: false,
        validLifetime: 86400,
        preferredLifetime: 14400,
        prefix: '2001:db8:1::',
      },
      {
        kind: 'routeInfo',
        prefixLength: 48,
        preference: 'medium',
        routeLifetime: 30,
        prefix: '2001:db8:99::',
        length: 3,
      },
      { kind: 'rdnss', lifetime: 10, servers: ['2001:db8:1::53'] },
      { kind: 'sourceLinkAddr', linkAddr: '06:cf:e0:49:ad:fb' },
    ]);
    // radvd sends the /48 Route Information with length 3, which parse keeps,
    // so the options re-encode byte-identically.
    expect(toHex(encode(opts))).toBe(toHex(RADVD_OPTIONS));
    // Without a length, emit uses the shortest length for the prefix
    // (RFC 4191 2.3), as KAME's rtadvd does.
    const kameStyle = toHex(RADVD_OPTIONS).replace(
      '180330000000001e20010db8009900000000000000000000',
      '180230000000001e20010db800990000',
    );
    const shortest = opts.map((o) => (o.kind === 'routeInfo' ? { ...o, length: undefined } : o));
    expect(toHex(encode(shortest))).toBe(kameStyle);
  });

  it('RFC 4861 4.6.1: a link-layer address of other than 6 bytes is kept raw (zero-copy)', () => {
    const b = hex('02 02 0102030405060708090a0b0c0d0e');
    const o = parseNdOption(b, 0);
    expect(o.kind).toBe('targetLinkAddr');
    expect(o.kind === 'targetLinkAddr' && o.linkAddr instanceof Uint8Array && o.linkAddr.buffer).toBe(
      b.buffer,
    );
    expect(norm(o)).toEqual({ kind: 'targetLinkAddr', linkAddr: '0102030405060708090a0b0c0d0e' });
  });

  it('RFC 4861 4.6.4: MTU option, golden bytes', () => {
    expect(toHex(encode([{ kind: 'mtu', mtu: 1500 }]))).toBe('05010000000005dc');
    expect(parseNdOption(hex('05010000000005dc'), 0)).toEqual({ kind: 'mtu', mtu: 1500 });
  });

  it('RFC 4861 4.6.2: infinite lifetimes are 0xffffffff; the R flag is RFC 6275 7.2', () => {
    const o: NdOption = {
      kind: 'prefixInfo',
      prefixLength: 128,
      onLink: false,
      autonomous: false,
      routerAddr: true,
      validLifetime: ND6_INFINITE_LIFETIME,
      preferredLifetime: ND6_INFINITE_LIFETIME,
      prefix: Ipv6Address.parse('2001:db8::1'),
    };
    expect(toHex(encode([o]))).toBe('03048020ffffffffffffffff0000000020010db8000000000000000000000001');
  });

  it('RFC 4861 4.6.3: Redirected Header skips 6 reserved bytes and pads to 8', () => {
    const out = encode([{ kind: 'redirectedHeader', packet: Uint8Array.of(0x60, 1, 2) }]);
    expect(toHex(out)).toBe('0402000000000000' + '6001020000000000');
    const back = parseNdOption(out, 0);
    expect(norm(back)).toEqual({ kind: 'redirectedHeader', packet: '6001020000000000' });
  });

  it('RFC 8106 5.2: DNSSL names in label form with zero padding', () => {
    const out = encode([{ kind: 'dnssl', lifetime: 600, domains: ['example.com'] }]);
    expect(toHex(out)).toBe(
      '1f0300000000025807' + Buffer.from('example').toString('hex') + '03636f6d00' + '000000',
    );
    expect(parseNdOption(out, 0)).toEqual({ kind: 'dnssl', lifetime: 600, domains: ['example.com'] });
    // A trailing dot is accepted on emit.
    expect(toHex(encode([{ kind: 'dnssl', lifetime: 600, domains: ['example.com.'] }]))).toBe(toHex(out));
  });

  it('RFC 8106 5.2: DNSSL with a compression pointer or bad padding is malformed, not an error', () => {
    const ptr = hex('1f02 0000 00000258 c00c000000000000');
    expect(parseNdOption(ptr, 0)).toMatchObject({ kind: 'malformed', type: 31 });
    const pad = hex('1f02 0000 00000258 0161000001000000');
    expect(parseNdOption(pad, 0)).toMatchObject({
      kind: 'malformed',
      reason: expect.stringMatching(/padding/),
    });
    const run = hex('1f02 0000 00000258 0761626364656667');
    expect(parseNdOption(run, 0)).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/past/) });
  });

  it('RFC 8106 5.1: RDNSS with an even length or below 3 is malformed', () => {
    expect(parseNdOption(hex('1902 0000 00000258' + '00'.repeat(8)), 0)).toMatchObject({ kind: 'malformed' });
    expect(parseNdOption(hex('1901 0000 00000258'), 0)).toMatchObject({ kind: 'malformed' });
  });

  it('RFC 3971 5.3.2: Nonce option keeps the nonce bytes (a-radvd.pcap frame 3)', () => {
    expect(norm(parseNdOption(hex('0e01ae4ce808c759'), 0))).toEqual({ kind: 'nonce', nonce: 'ae4ce808c759' });
  });

  it('RFC 6275 7.3 / 7.4: Advertisement Interval and Home Agent Information (signed preference)', () => {
    const out = encode([
      { kind: 'advInterval', interval: 4000 },
      { kind: 'homeAgentInfo', preference: -2, lifetime: 1800 },
    ]);
    expect(toHex(out)).toBe('0701000000000fa0' + '08010000fffe0708');
    expect(parseNdOptions(out)).toEqual([
      { kind: 'advInterval', interval: 4000 },
      { kind: 'homeAgentInfo', preference: -2, lifetime: 1800 },
    ]);
  });

  it('RFC 4191 2.3: Route Information with 0, 8 and 16 prefix bytes', () => {
    const mk = (prefixLength: number, p: string): NdOption => ({
      kind: 'routeInfo',
      prefixLength,
      preference: 'low',
      routeLifetime: 0xffffffff,
      prefix: Ipv6Address.parse(p),
    });
    expect(ndOptionLen(mk(0, '::'))).toBe(8);
    expect(ndOptionLen(mk(64, '2001:db8::'))).toBe(16);
    expect(ndOptionLen(mk(65, '2001:db8::'))).toBe(24);
    expect(toHex(encode([mk(0, '::')]))).toBe('1801' + '0018' + 'ffffffff');
    // Bits beyond the carried bytes are not sent.
    expect(toHex(encode([mk(48, '2001:db8:1::ff')]))).toBe('1802' + '3018' + 'ffffffff' + '20010db800010000');
  });

  it('RFC 4191 2.3: a Route Information length is kept when longer than needed and used on emit if large enough', () => {
    const ri = (prefixLength: number, length?: number): NdOption => ({
      kind: 'routeInfo',
      prefixLength,
      preference: 'medium',
      routeLifetime: 30,
      prefix: Ipv6Address.parse('2001:db8:99::'),
      ...(length === undefined ? {} : { length }),
    });
    // A minimal length is not recorded; a longer one is.
    expect(parseNdOption(hex('1802 3000 0000001e 20010db800990000'), 0)).not.toHaveProperty('length');
    const long = hex('1803 3000 0000001e 20010db8009900000000000000000000');
    expect(parseNdOption(long, 0)).toMatchObject({ kind: 'routeInfo', prefixLength: 48, length: 3 });
    expect(toHex(encode([parseNdOption(long, 0)]))).toBe(toHex(long));
    expect(ndOptionLen(ri(0, 3))).toBe(24);
    expect(ndOptionLen(ri(48, 2))).toBe(16);
    // Too short for the prefix length, or out of 1..3: the shortest length.
    expect(ndOptionLen(ri(48, 1))).toBe(16);
    expect(ndOptionLen(ri(65, 2))).toBe(24);
    expect(ndOptionLen(ri(0, 4))).toBe(8);
    expect(ndOptionLen(ri(0, 0))).toBe(8);
  });

  it('RFC 4191 3.1: a Route Information option too short for its prefix length, or len > 3, is malformed', () => {
    expect(parseNdOption(hex('1801 4000 0000001e'), 0)).toMatchObject({ kind: 'malformed', type: 24 });
    expect(parseNdOption(hex('1802 4100 0000001e 20010db800000000'), 0)).toMatchObject({ kind: 'malformed' });
    expect(parseNdOption(hex('1802 8100 0000001e 20010db800000000'), 0)).toMatchObject({ kind: 'malformed' });
    expect(parseNdOption(hex('1804' + '00'.repeat(30)), 0)).toMatchObject({ kind: 'malformed' });
  });

  it('RFC 4861 4.6.2: a Prefix Information option whose length is not 4 is malformed (KAME ignores it)', () => {
    expect(parseNdOption(hex('0303' + '00'.repeat(22)), 0)).toMatchObject({ kind: 'malformed', type: 3 });
  });

  it('RFC 4861 4.6: unknown options are kept raw', () => {
    const b = hex('c801 112233445566');
    expect(norm(parseNdOptions(b))).toEqual([{ kind: 'unknown', type: 200, data: '112233445566' }]);
    expect(toHex(encode(parseNdOptions(b)))).toBe(toHex(b));
  });

  it('RFC 4861 4.6: a zero length is a DecodeError naming the field and offset', () => {
    const b = hex('0101 222d5218acfe 0500 00000000');
    expect(() => parseNdOptions(b, 0)).toThrow(DecodeError);
    expect(() => parseNdOptions(b, 0)).toThrow('ICMPv6 ND option length at 9: zero');
  });

  it('RFC 4861 4.6: an option running past the end is a DecodeError', () => {
    expect(() => parseNdOptions(hex('0304' + '00'.repeat(22)), 0)).toThrow(
      /ND option length at 1: 32 bytes overrun/,
    );
    expect(() => parseNdOptions(hex('0101222d5218acfe05'), 0)).toThrow(/ND option header at 8: truncated/);
  });

  it('KAME nd6_options: a limit stops after nd6_maxndopt options without looking further', () => {
    const many = encode(Array.from({ length: 12 }, () => ({ kind: 'mtu', mtu: 1280 }) as NdOption));
    const broken = new Uint8Array(many.length + 8);
    broken.set(many);
    broken[many.length] = 1; // type 1, length 0 after the 12 good ones
    expect(parseNdOptions(broken, 0, ND6_MAXNDOPT)).toHaveLength(10);
    expect(() => parseNdOptions(broken, 0)).toThrow(DecodeError);
  });

  it('RFC 4191 2.1: preference encodings', () => {
    for (const p of ['high', 'medium', 'low', 'reserved'] as const)
      expect(decodePreference(encodePreference(p))).toBe(p);
    expect(encodePreference('high')).toBe(0x08);
    expect(encodePreference('low')).toBe(0x18);
    expect(decodePreference(0xe7)).toBe('medium');
  });

  it('emit rejects what cannot be encoded with a RangeError', () => {
    expect(() => ndOptionLen({ kind: 'dnssl', lifetime: 0, domains: [''] })).toThrow(RangeError);
    expect(() => encode([{ kind: 'dnssl', lifetime: 0, domains: ['a..b'] }])).toThrow(RangeError);
    expect(() => encode([{ kind: 'dnssl', lifetime: 0, domains: ['x'.repeat(64)] }])).toThrow(RangeError);
    expect(() => emitNdOptions([{ kind: 'mtu', mtu: 1 }], new Uint8Array(7), 0)).toThrow(RangeError);
  });

  it('round-trips every option kind through emit and parse (property)', () => {
    fc.assert(
      fc.property(fc.array(ndOptionArb, { maxLength: 6 }), (opts) => {
        const bytes = encode(opts);
        expect(bytes.length % 8).toBe(0);
        const back = parseNdOptions(bytes, 0);
        expect(norm(back)).toEqual(norm(opts));
        expect(toHex(encode(back))).toBe(toHex(bytes));
      }),
    );
  });

  it('hostile input: random bytes and mutated encodings give options or a DecodeError (property)', () => {
    hostileBytes((b, off) => parseNdOptions(b, off), { maxLength: 80, extra: fc.nat(8) });
    hostileMutations(
      fc.array(ndOptionArb, { minLength: 1, maxLength: 4 }),
      encode,
      (b) => parseNdOptions(b),
      {
        minMutations: 1,
        maxMutations: 4,
        truncate: (b, cut) => b.subarray(0, b.length - (cut % 8)),
        whole: [],
      },
    );
  });
});
