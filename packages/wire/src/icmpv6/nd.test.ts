import { Ipv6Address, MacAddress } from '@kame/addr';
import fc from 'fast-check';
import type { PseudoHeader } from '../checksum';
import { DecodeError } from '../decode-error';
import { hex, plain as norm, toHex, a6, ph } from '../../test/support/properties';
import { ND_ROUTER_ADVERT } from './constants';
import { type Icmpv6Repr, icmpv6 } from './icmpv6';
import type { NdMessageRepr, RouterAdvertRepr } from './nd';
import type { NdOption, RouterPreference } from './nd-options';

// ICMPv6 messages copied from /work/shared/vectors/a-radvd.pcap (after Ethernet and IPv6 headers).
const RADVD_RA = hex(
  '86005aba4008001e0000000000000000' +
    '030440c000015180000038400000000020010db8000100000000000000000000' +
    '180330000000001e20010db8009900000000000000000000' +
    '190300000000000a20010db8000100000000000000000053' +
    '010106cfe049adfb',
);
const RADVD_RA_PH = ph('fe80::4cf:e0ff:fe49:adfb', 'ff02::1');
const LINUX_RS = hex('85005ef300000000');
const LINUX_RS_PH = ph('fe80::202d:52ff:fe18:acfe', 'ff02::2');
const LINUX_DAD_NS = hex('870015db0000000020010db800010000202d52fffe18acfe0e01ae4ce808c759');
const LINUX_DAD_NS_PH = ph('::', 'ff02::1:ff18:acfe');
const LINUX_NS = hex('87000dda0000000020010db80001000000000000000000010101222d5218acfe');
const LINUX_NS_PH = ph('fe80::202d:52ff:fe18:acfe', 'ff02::1:ff00:1');
const LINUX_NA = hex('88008853e000000020010db8000100000000000000000001020106cfe049adfb');
const LINUX_NA_PH = ph('2001:db8:1::1', 'fe80::202d:52ff:fe18:acfe');
// e2-mld.pcap frame 8: an RS with a source link-layer address option.
const LINUX_RS_SLLA = hex('8500f7c4000000000101524606366b38');
const LINUX_RS_SLLA_PH = ph('fe80::5046:6ff:fe36:6b38', 'ff02::2');

const ctx: PseudoHeader = ph('fe80::1', 'ff02::1');

describe('Neighbor Discovery messages (RFC 4861 4.1-4.5)', () => {
  it('RFC 4861 4.2: decodes a real radvd RA as tshark does (a-radvd.pcap frame 2)', () => {
    const r = icmpv6.parse(RADVD_RA, RADVD_RA_PH);
    expect(r.kind).toBe('routerAdvert');
    const ra = r as RouterAdvertRepr;
    // a-radvd.json: cur_hop_limit 64, flag 0x08 (prf 1 = high), lifetime 30, reachable 0, retrans 0.
    expect(norm({ ...ra, options: ra.options.map((o) => o.kind) })).toEqual({
      kind: 'routerAdvert',
      code: 0,
      curHopLimit: 64,
      managed: false,
      other: false,
      homeAgent: false,
      preference: 'high',
      proxy: false,
      routerLifetime: 30,
      reachableTime: 0,
      retransTimer: 0,
      options: ['prefixInfo', 'routeInfo', 'rdnss', 'sourceLinkAddr'],
    });
    const slla = ra.options[3]!;
    expect(slla.kind === 'sourceLinkAddr' && slla.linkAddr.toString()).toBe('06:cf:e0:49:ad:fb');
  });

  it('RFC 4861 4.1: decodes and re-encodes a Linux RS byte-for-byte, with and without SLLA', () => {
    expect(icmpv6.parse(LINUX_RS, LINUX_RS_PH)).toEqual({ kind: 'routerSolicit', code: 0, options: [] });
    expect(toHex(icmpv6.encode(icmpv6.parse(LINUX_RS, LINUX_RS_PH), LINUX_RS_PH))).toBe(toHex(LINUX_RS));
    const r = icmpv6.parse(LINUX_RS_SLLA, LINUX_RS_SLLA_PH);
    expect(norm(r)).toEqual({
      kind: 'routerSolicit',
      code: 0,
      options: [{ kind: 'sourceLinkAddr', linkAddr: '52:46:06:36:6b:38' }],
    });
    expect(toHex(icmpv6.encode(r, LINUX_RS_SLLA_PH))).toBe(toHex(LINUX_RS_SLLA));
  });

  it('RFC 4861 4.3 / RFC 4862 5.4.2: a DAD NS from :: with a Nonce option (a-radvd.pcap frame 3)', () => {
    const r = icmpv6.parse(LINUX_DAD_NS, LINUX_DAD_NS_PH);
    expect(norm(r)).toEqual({
      kind: 'neighborSolicit',
      code: 0,
      target: '2001:db8:1:0:202d:52ff:fe18:acfe',
      options: [{ kind: 'nonce', nonce: 'ae4ce808c759' }],
    });
    expect(toHex(icmpv6.encode(r, LINUX_DAD_NS_PH))).toBe(toHex(LINUX_DAD_NS));
  });

  it('RFC 4861 4.3: NS with SLLA (a-radvd.pcap frame 6)', () => {
    const r = icmpv6.parse(LINUX_NS, LINUX_NS_PH);
    expect(norm(r)).toEqual({
      kind: 'neighborSolicit',
      code: 0,
      target: '2001:db8:1::1',
      options: [{ kind: 'sourceLinkAddr', linkAddr: '22:2d:52:18:ac:fe' }],
    });
    expect(toHex(icmpv6.encode(r, LINUX_NS_PH))).toBe(toHex(LINUX_NS));
  });

  it('RFC 4861 4.4: NA with R, S and O set and TLLA (a-radvd.pcap frame 7)', () => {
    const r = icmpv6.parse(LINUX_NA, LINUX_NA_PH);
    expect(norm(r)).toEqual({
      kind: 'neighborAdvert',
      code: 0,
      router: true,
      solicited: true,
      override: true,
      target: '2001:db8:1::1',
      options: [{ kind: 'targetLinkAddr', linkAddr: '06:cf:e0:49:ad:fb' }],
    });
    expect(toHex(icmpv6.encode(r, LINUX_NA_PH))).toBe(toHex(LINUX_NA));
  });

  it('RFC 4861 4.2 / RFC 4191 2.2: RA flag bits M O H Prf Proxy, golden bytes', () => {
    const ra: RouterAdvertRepr = {
      kind: 'routerAdvert',
      code: 0,
      curHopLimit: 255,
      managed: true,
      other: true,
      homeAgent: true,
      preference: 'low',
      proxy: true,
      routerLifetime: 9000,
      reachableTime: 30000,
      retransTimer: 1000,
      options: [],
    };
    const out = icmpv6.encode(ra, ctx);
    expect(toHex(out.subarray(4))).toBe('fffc2328' + '00007530' + '000003e8');
    expect(out[0]).toBe(ND_ROUTER_ADVERT);
    expect(icmpv6.parse(out, ctx)).toEqual(ra);
  });

  it('RFC 4861 4.5: Redirect with target, destination and a Redirected Header option', () => {
    const r: NdMessageRepr = {
      kind: 'redirect',
      code: 0,
      target: a6('fe80::2'),
      destination: a6('2001:db8::99'),
      options: [
        { kind: 'targetLinkAddr', linkAddr: MacAddress.parse('02:00:00:00:00:02') },
        { kind: 'redirectedHeader', packet: new Uint8Array(48).fill(0x60, 0, 1) },
      ],
    };
    const out = icmpv6.encode(r, ctx);
    expect(out.length).toBe(40 + 8 + 56);
    expect(toHex(out.subarray(8, 40))).toBe(
      'fe800000000000000000000000000002' + '20010db8000000000000000000000099',
    );
    expect(norm(icmpv6.parse(out, ctx))).toEqual(norm(r));
  });

  it('RFC 4861 6.1: the code is reported, not judged, by the codec', () => {
    const rs = hex('85070000 00000000');
    expect(icmpv6.parse(rs, { ...ctx, verifyChecksum: false })).toMatchObject({
      kind: 'routerSolicit',
      code: 7,
    });
  });

  it('RFC 4861 4.1-4.5: messages shorter than their fixed part are DecodeErrors', () => {
    const nc = { ...ctx, verifyChecksum: false };
    for (const [type, min] of [
      [133, 8],
      [134, 16],
      [135, 24],
      [136, 24],
      [137, 40],
    ] as const) {
      const b = new Uint8Array(min - 1);
      b[0] = type;
      expect(() => icmpv6.parse(b, nc)).toThrow(DecodeError);
      expect(() => icmpv6.parse(b, nc)).toThrow(/truncated/);
      const ok = new Uint8Array(min);
      ok[0] = type;
      expect(() => icmpv6.parse(ok, nc)).not.toThrow();
    }
  });

  it('RFC 4861 6.1.2: an RA whose option has length 0 is a DecodeError', () => {
    const bad = RADVD_RA.slice();
    bad[bad.length - 7] = 0; // the SLLA's length
    expect(() => icmpv6.parse(bad, { ...RADVD_RA_PH, verifyChecksum: false })).toThrow(
      'ICMPv6 ND option length at 97: zero',
    );
  });

  it('round-trips RS, RA, NS, NA and Redirect reprs (property)', () => {
    const ipv6Arb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Ipv6Address.fromBytes(b));
    const optArb: fc.Arbitrary<NdOption> = fc.constantFrom<NdOption>(
      { kind: 'sourceLinkAddr', linkAddr: MacAddress.parse('02:00:00:00:00:01') },
      { kind: 'targetLinkAddr', linkAddr: MacAddress.parse('02:00:00:00:00:02') },
      { kind: 'mtu', mtu: 1500 },
      {
        kind: 'prefixInfo',
        prefixLength: 64,
        onLink: true,
        autonomous: true,
        routerAddr: false,
        validLifetime: 2592000,
        preferredLifetime: 604800,
        prefix: a6('2001:db8:1::'),
      },
      { kind: 'rdnss', lifetime: 600, servers: [a6('2001:db8::53')] },
      { kind: 'nonce', nonce: Uint8Array.of(1, 2, 3, 4, 5, 6) },
    );
    const opts = fc.array(optArb, { maxLength: 5 });
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const code = fc.integer({ min: 0, max: 255 });
    const arb: fc.Arbitrary<Icmpv6Repr> = fc.oneof(
      fc.record({ kind: fc.constant<'routerSolicit'>('routerSolicit'), code, options: opts }),
      fc.record({
        kind: fc.constant<'routerAdvert'>('routerAdvert'),
        code,
        curHopLimit: fc.integer({ min: 0, max: 255 }),
        managed: fc.boolean(),
        other: fc.boolean(),
        homeAgent: fc.boolean(),
        preference: fc.constantFrom<RouterPreference>('high', 'medium', 'low', 'reserved'),
        proxy: fc.boolean(),
        routerLifetime: fc.integer({ min: 0, max: 0xffff }),
        reachableTime: u32,
        retransTimer: u32,
        options: opts,
      }),
      fc.record({
        kind: fc.constant<'neighborSolicit'>('neighborSolicit'),
        code,
        target: ipv6Arb,
        options: opts,
      }),
      fc.record({
        kind: fc.constant<'neighborAdvert'>('neighborAdvert'),
        code,
        router: fc.boolean(),
        solicited: fc.boolean(),
        override: fc.boolean(),
        target: ipv6Arb,
        options: opts,
      }),
      fc.record({
        kind: fc.constant<'redirect'>('redirect'),
        code,
        target: ipv6Arb,
        destination: ipv6Arb,
        options: opts,
      }),
    );
    fc.assert(
      fc.property(arb, fc.nat(7), (r, off) => {
        const buf = new Uint8Array(off + icmpv6.bufferLen(r)).fill(0xee);
        expect(icmpv6.emit(r, buf, off, ctx)).toBe(buf.length - off);
        expect(norm(icmpv6.parse(buf.subarray(off), ctx))).toEqual(norm(r));
      }),
    );
  });
});
