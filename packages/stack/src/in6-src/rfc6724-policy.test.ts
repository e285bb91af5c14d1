import { Ipv6Address } from '@kame/addr';
import { newIp6Stat } from '../stats/ip6stat';
import type { SourceSelectionInput } from './candidate';
import { selectSourceAddress } from './kame-policy';
import { cand } from '../../test/support/source-candidate';
import { policyLabel, selectSourceAddressRfc6724 } from './rfc6724-policy';
import { countSourceSelection } from './source-stats';

const a = (s: string): Ipv6Address => Ipv6Address.parse(s);
const pick = (input: SourceSelectionInput): string => {
  const r = selectSourceAddressRfc6724(input);
  return r.ok ? r.address.toString() : r.errno;
};

describe('RFC 6724 policy (alternative to the KAME rules)', () => {
  it('2.1 default table labels', () => {
    expect(policyLabel(a('::1'))).toBe(0);
    expect(policyLabel(a('2002::1'))).toBe(2);
    expect(policyLabel(a('2001:db8::1'))).toBe(1);
    expect(policyLabel(a('2001::1'))).toBe(5);
    expect(policyLabel(a('fd00::1'))).toBe(13);
  });

  it('rule 1 same address, rule 2 appropriate scope', () => {
    const c = [cand('fe80:1::1', 1), cand('2001:db8::1', 1)];
    expect(pick({ destination: a('2001:db8::1'), outgoingIfindex: 1, candidates: c, useDeprecated: 1 })).toBe(
      '2001:db8::1',
    );
    expect(pick({ destination: a('fe80:1::9'), outgoingIfindex: 1, candidates: c, useDeprecated: 1 })).toBe(
      'fe80:1::1',
    );
    expect(
      pick({ destination: a('2001:db8:1::9'), outgoingIfindex: 1, candidates: c, useDeprecated: 1 }),
    ).toBe('2001:db8::1');
  });

  it('rule 3 avoids deprecated before rule 5 (outgoing interface) and rule 8', () => {
    const c = [cand('2001:db8::1', 1, { deprecated: true }), cand('2001:db9::1', 2)];
    expect(pick({ destination: a('2001:db8::9'), outgoingIfindex: 1, candidates: c, useDeprecated: 1 })).toBe(
      '2001:db9::1',
    );
  });

  it('rule 6 matching label beats rule 8 longest match; rule 7 prefers temporary', () => {
    // 2001::1 (Teredo, label 5) shares 20 bits with the destination, 4000::1 (label 1) only 1.
    const c = [cand('2001::1', 1, {}, 32), cand('4000::1', 1)];
    expect(pick({ destination: a('2001:db8::9'), outgoingIfindex: 1, candidates: c, useDeprecated: 1 })).toBe(
      '4000::1',
    );
    const t = [cand('2001:db8::1', 1), cand('2001:db8::abcd', 1, { temporary: true })];
    expect(pick({ destination: a('2001:db8::2'), outgoingIfindex: 1, candidates: t, useDeprecated: 1 })).toBe(
      '2001:db8::abcd',
    );
  });

  it('rule 8 compares no further than the source prefix length', () => {
    const c = [cand('2001:db8:0:1::1', 1, {}, 64), cand('2001:db8:0:1::8:1', 1, {}, 128)];
    expect(
      pick({ destination: a('2001:db8:0:1::8:2'), outgoingIfindex: 1, candidates: c, useDeprecated: 1 }),
    ).toBe('2001:db8:0:1::8:1');
    const d = [cand('2001:db8:0:1::1', 1, {}, 64), cand('2001:db8:0:1::8:1', 1, {}, 64)];
    expect(
      pick({ destination: a('2001:db8:0:1::8:2'), outgoingIfindex: 1, candidates: d, useDeprecated: 1 }),
    ).toBe('2001:db8:0:1::1');
  });

  it('never tentative; deprecated only with use_deprecated', () => {
    const c = [cand('2001:db8::1', 1, { tentative: true }), cand('2001:db8::2', 1, { deprecated: true })];
    expect(pick({ destination: a('2001:db8::9'), outgoingIfindex: 1, candidates: c, useDeprecated: 1 })).toBe(
      '2001:db8::2',
    );
    expect(pick({ destination: a('2001:db8::9'), outgoingIfindex: 1, candidates: c, useDeprecated: 0 })).toBe(
      'EADDRNOTAVAIL',
    );
  });
});

describe('countSourceSelection into ip6stat ip6s_sources_*', () => {
  it('counts same/other interface, scope and deprecated, and failures', () => {
    const s = newIp6Stat();
    const c = [cand('3ffe::1', 2, { deprecated: true })];
    const input: SourceSelectionInput = {
      destination: a('fe80:1::9'),
      outgoingIfindex: 1,
      candidates: c,
      useDeprecated: 1,
    };
    countSourceSelection(s, input, selectSourceAddress(input));
    countSourceSelection(
      s,
      { ...input, useDeprecated: 0 },
      selectSourceAddress({ ...input, useDeprecated: 0 }),
    );
    expect(s.ip6s_sources_otherif[14]).toBe(1);
    expect(s.ip6s_sources_otherscope[14]).toBe(1);
    expect(s.ip6s_sources_deprecated[14]).toBe(1);
    expect(s.ip6s_sources_sameif.every((n) => n === 0)).toBe(true);
    expect(s.ip6s_sources_none).toBe(1);
  });
});
