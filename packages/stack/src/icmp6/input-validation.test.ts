import { Ipv6Address, MacAddress } from '@kame/addr';
import { type Icmpv6Repr, type NdOption, icmpv6 } from '@kame/wire';
import { validateIcmp6Message } from './input-validation';
import { prefixInfo, routerAdvert } from '../../test/support/frames';

const LL_A = Ipv6Address.parse('fe80::a');
const LL_B = Ipv6Address.parse('fe80::b');
const G = Ipv6Address.parse('2001:db8::1');
const ALL_NODES = Ipv6Address.parse('ff02::1');
const ALL_ROUTERS = Ipv6Address.parse('ff02::2');
const MAC = MacAddress.parse('02:00:00:00:00:0a');
const slla: NdOption = { kind: 'sourceLinkAddr', linkAddr: MAC };

const rs: Icmpv6Repr = { kind: 'routerSolicit', code: 0, options: [] };
const ra: Icmpv6Repr = routerAdvert({ routerLifetime: 1800 });
const ns: Icmpv6Repr = { kind: 'neighborSolicit', code: 0, target: LL_B, options: [slla] };
const na: Icmpv6Repr = {
  kind: 'neighborAdvert',
  code: 0,
  router: false,
  solicited: true,
  override: true,
  target: LL_A,
  options: [],
};
const redirect: Icmpv6Repr = { kind: 'redirect', code: 0, target: LL_B, destination: G, options: [] };

function enc(repr: Icmpv6Repr, src = LL_A, dst = LL_B): Uint8Array {
  return icmpv6.encode(repr, { src, dst });
}
/** Re-encodes with another code (checksum kept valid). */
function withCode(repr: Icmpv6Repr, code: number, src = LL_A, dst = LL_B): Uint8Array {
  return enc({ ...repr, code } as Icmpv6Repr, src, dst);
}

const ND_CASES: Array<[string, Icmpv6Repr, string, Ipv6Address]> = [
  ['Router Solicitation (RFC 4861 6.1.1)', rs, 'icp6s_badrs', ALL_ROUTERS],
  ['Router Advertisement (RFC 4861 6.1.2)', ra, 'icp6s_badra', ALL_NODES],
  ['Neighbor Solicitation (RFC 4861 7.1.1)', ns, 'icp6s_badns', LL_B],
  ['Neighbor Advertisement (RFC 4861 7.1.2)', na, 'icp6s_badna', LL_B],
  ['Redirect (RFC 4861 8.1)', redirect, 'icp6s_badredirect', LL_B],
];

describe('validateIcmp6Message', () => {
  describe.each(ND_CASES)('%s', (_name, repr, counter, dst) => {
    it('is accepted with hop limit 255 and code 0', () => {
      const r = validateIcmp6Message(enc(repr, LL_A, dst), LL_A, dst, 255);
      expect(r).toMatchObject({ ok: true, optionsCut: false, counters: [] });
    });
    it(`hop limit 254 is dropped and counted in ${counter}`, () => {
      const r = validateIcmp6Message(enc(repr, LL_A, dst), LL_A, dst, 254);
      expect(r).toMatchObject({ ok: false, counter });
    });
    it('code 1 is dropped and counted in icp6s_badcode', () => {
      const r = validateIcmp6Message(withCode(repr, 1, LL_A, dst), LL_A, dst, 255);
      expect(r).toMatchObject({ ok: false, counter: 'icp6s_badcode' });
    });
  });

  it('too short: icp6s_tooshort', () => {
    expect(validateIcmp6Message(new Uint8Array(4), LL_A, LL_B, 64)).toMatchObject({
      ok: false,
      counter: 'icp6s_tooshort',
    });
  });

  it('bad checksum: icp6s_checksum', () => {
    const m = enc(rs, LL_A, ALL_ROUTERS);
    expect(validateIcmp6Message(m, LL_A, ALL_NODES, 255)).toMatchObject({
      ok: false,
      counter: 'icp6s_checksum',
    });
  });

  it('an ND message shorter than its fixed part: icp6s_badlen', () => {
    // An 8-byte "Neighbor Solicitation" with a correct checksum.
    const m = enc({ kind: 'unknown', type: 135, code: 0, body: new Uint8Array(4) }, LL_A, LL_B);
    expect(validateIcmp6Message(m, LL_A, LL_B, 255)).toMatchObject({ ok: false, counter: 'icp6s_badlen' });
  });

  it('an error message that quotes no IPv6 header: icp6s_tooshort', () => {
    const m = enc({ kind: 'destUnreach', code: 4, invoking: new Uint8Array(8) }, G, G);
    expect(validateIcmp6Message(m, G, G, 64)).toMatchObject({ ok: false, counter: 'icp6s_tooshort' });
  });

  it('a zero-length ND option: icp6s_nd_badopt', () => {
    const body = new Uint8Array(4 + 8); // reserved + an option with length 0
    body[4] = 1;
    const m = enc({ kind: 'unknown', type: 133, code: 0, body }, LL_A, ALL_ROUTERS);
    expect(validateIcmp6Message(m, LL_A, ALL_ROUTERS, 255)).toMatchObject({
      ok: false,
      counter: 'icp6s_nd_badopt',
    });
  });

  it('cuts ND options beyond nd6_maxndopt (10) and asks for icp6s_nd_toomanyopt (IMPLEMENTATION 1.2)', () => {
    const prefixes: NdOption[] = Array.from({ length: 12 }, (_, i) =>
      prefixInfo({
        prefix: Ipv6Address.parse(`2001:db8:${i}::`),
        validLifetime: 3600,
        preferredLifetime: 1800,
      }),
    );
    const m = enc({ ...ra, options: prefixes } as Icmpv6Repr, LL_A, ALL_NODES);
    const r = validateIcmp6Message(m, LL_A, ALL_NODES, 255);
    if (!r.ok) throw new Error(r.reason);
    expect(r.optionsCut).toBe(true);
    expect(r.counters).toEqual(['icp6s_nd_toomanyopt']);
    if (r.repr.kind !== 'routerAdvert') throw new Error(r.repr.kind);
    expect(r.repr.options).toHaveLength(10);
    expect(r.repr.routerLifetime).toBe(1800);
  });

  it('RFC 4861 address rules: RA from a global source, NS for a multicast target, solicited multicast NA', () => {
    expect(validateIcmp6Message(enc(ra, G, ALL_NODES), G, ALL_NODES, 255)).toMatchObject({
      ok: false,
      counter: 'icp6s_badra',
    });
    const nsMc = { ...ns, target: ALL_NODES } as Icmpv6Repr;
    expect(validateIcmp6Message(enc(nsMc), LL_A, LL_B, 255)).toMatchObject({
      ok: false,
      counter: 'icp6s_badns',
    });
    expect(validateIcmp6Message(enc(na, LL_A, ALL_NODES), LL_A, ALL_NODES, 255)).toMatchObject({
      ok: false,
      counter: 'icp6s_badna',
    });
  });

  it('DAD NS (unspecified source) must go to a solicited-node group and carry no SLLA', () => {
    const U = Ipv6Address.parse('::');
    const SN = Ipv6Address.parse('ff02::1:ff00:b');
    const dad = { ...ns, options: [] } as Icmpv6Repr;
    expect(validateIcmp6Message(enc(dad, U, SN), U, SN, 255).ok).toBe(true);
    expect(validateIcmp6Message(enc(ns, U, SN), U, SN, 255)).toMatchObject({
      ok: false,
      counter: 'icp6s_badns',
    });
    expect(validateIcmp6Message(enc(dad, U, LL_B), U, LL_B, 255)).toMatchObject({
      ok: false,
      counter: 'icp6s_badns',
    });
  });

  it('Redirect whose target is neither link-local nor the destination: icp6s_badredirect', () => {
    const bad = { ...redirect, target: Ipv6Address.parse('2001:db8::99') } as Icmpv6Repr;
    expect(validateIcmp6Message(enc(bad), LL_A, LL_B, 255)).toMatchObject({
      ok: false,
      counter: 'icp6s_badredirect',
    });
    const onLink = { ...redirect, target: G } as Icmpv6Repr;
    expect(validateIcmp6Message(enc(onLink), LL_A, LL_B, 255).ok).toBe(true);
  });

  it('accepts an echo request with any hop limit and returns its repr', () => {
    const echo: Icmpv6Repr = {
      kind: 'echoRequest',
      code: 0,
      identifier: 7,
      sequence: 9,
      data: new Uint8Array(4),
    };
    const r = validateIcmp6Message(enc(echo, G, G), G, G, 3);
    expect(r).toMatchObject({ ok: true, type: 128, code: 0, repr: { kind: 'echoRequest', identifier: 7 } });
  });
});
