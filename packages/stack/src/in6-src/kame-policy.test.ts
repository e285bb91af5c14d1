import { Ipv6Address } from '@kame/addr';
import type { SourceSelection, SourceSelectionInput } from './candidate';
import { selectSourceAddress } from './kame-policy';
import { cand } from '../../test/support/source-candidate';

const a = (s: string): Ipv6Address => Ipv6Address.parse(s);
const pick = (
  input: Omit<SourceSelectionInput, 'useDeprecated'> & { useDeprecated?: boolean | number },
): string => {
  const r: SourceSelection = selectSourceAddress({ useDeprecated: 1, ...input });
  return r.ok ? `${r.address.toString()} rule${r.rule}` : r.errno;
};

// Interfaces: lo0 = 3, ed0 = 1, ep0 = 2 (IMPLEMENTATION 1.4.1 example names).
const LO = 3;
const ED0 = 1;
const EP0 = 2;
const lo = [cand('::1', LO, {}, 128)];

describe('KAME source selection rule 1 (IMPLEMENTATION 1.6): explicit source', () => {
  const cands = [cand('fe80:1::1', ED0), cand('3ffe:501:808:1::1', ED0), cand('3ffe:2001::2', EP0)];

  it('is used even where rule 2 would pick the outgoing link-local', () => {
    expect(
      pick({
        destination: a('fe80:1::99'),
        outgoingIfindex: ED0,
        candidates: cands,
        explicitSource: a('3ffe:2001::2'),
      }),
    ).toBe('3ffe:2001::2 rule1');
  });

  it('must be one of the node addresses, else EADDRNOTAVAIL', () => {
    expect(
      pick({
        destination: a('3ffe::1'),
        outgoingIfindex: ED0,
        candidates: cands,
        explicitSource: a('3ffe::7'),
      }),
    ).toBe('EADDRNOTAVAIL');
  });

  it('tentative or anycast explicit source is EADDRNOTAVAIL; deprecated is allowed even with use_deprecated=0', () => {
    const c = [
      cand('3ffe::10', ED0, { tentative: true }),
      cand('3ffe::11', ED0, { anycast: true }),
      cand('3ffe::12', ED0, { deprecated: true }),
    ];
    const base = { destination: a('3ffe::1'), outgoingIfindex: ED0, candidates: c, useDeprecated: 0 };
    expect(pick({ ...base, explicitSource: a('3ffe::10') })).toBe('EADDRNOTAVAIL');
    expect(pick({ ...base, explicitSource: a('3ffe::11') })).toBe('EADDRNOTAVAIL');
    expect(pick({ ...base, explicitSource: a('3ffe::12') })).toBe('3ffe::12 rule1');
  });

  it('the unspecified address means "not specified"', () => {
    expect(
      pick({
        destination: a('3ffe:501::1'),
        outgoingIfindex: ED0,
        candidates: cands,
        explicitSource: Ipv6Address.UNSPECIFIED,
      }),
    ).toBe('3ffe:501:808:1::1 rule2');
  });
});

describe('KAME source selection rule 2 (IMPLEMENTATION 1.6): outgoing interface, same scope', () => {
  it('seed example: longest match picks 3ffe:501:808:1:200:f8ff:fe01:6317 for 3ffe:501:800::1', () => {
    const c = [
      cand('3ffe:2001:9:124:200:f8ff:fe01:6317', ED0),
      cand('3ffe:501:808:1:200:f8ff:fe01:6317', ED0),
    ];
    expect(pick({ destination: a('3ffe:501:800::1'), outgoingIfindex: ED0, candidates: c })).toBe(
      '3ffe:501:808:1:200:f8ff:fe01:6317 rule2',
    );
  });

  it('beats a longer match on another interface (rule 3 would pick that one)', () => {
    const c = [cand('3ffe:501:800::5', EP0), cand('3ffe:2001:9:124::6', ED0)];
    expect(pick({ destination: a('3ffe:501:800::1'), outgoingIfindex: ED0, candidates: c })).toBe(
      '3ffe:2001:9:124::6 rule2',
    );
  });

  it('seed example: link-local destination picks the outgoing interface link-local (fe80:1::200:f8ff:fe01:6317)', () => {
    const c = [
      cand('3ffe:501:808:1::1', ED0),
      cand('fe80:2::2', EP0),
      cand('fe80:1::200:f8ff:fe01:6317', ED0),
    ];
    expect(pick({ destination: a('fe80:1::2a0:24ff:feab:839b'), outgoingIfindex: ED0, candidates: c })).toBe(
      'fe80:1::200:f8ff:fe01:6317 rule2',
    );
  });

  it('the embedded index of a kernel-form destination names the outgoing interface (1.3.1)', () => {
    const c = [cand('fe80:1::1', ED0), cand('fe80:2::2', EP0)];
    expect(pick({ destination: a('fe80:2::99'), candidates: c })).toBe('fe80:2::2 rule2');
  });

  it('seed example: ::1 is selected for ff01::1 on the loopback', () => {
    const c = [cand('fe80:1::1', ED0), cand('3ffe::1', ED0), ...lo];
    expect(pick({ destination: a('ff01::1'), outgoingIfindex: LO, candidates: c })).toBe('::1 rule2');
  });

  it('link-local multicast (ff02::1) uses the outgoing link-local', () => {
    const c = [cand('3ffe::1', ED0), cand('fe80:1::1', ED0), cand('fe80:2::2', EP0)];
    expect(pick({ destination: a('ff02::1'), outgoingIfindex: EP0, candidates: c })).toBe('fe80:2::2 rule2');
  });
});

describe('KAME source selection rule 3 (IMPLEMENTATION 1.6): a global address of any interface', () => {
  it('used when the outgoing interface has no address of the destination scope (rule 4 would use the route address)', () => {
    const c = [cand('fec0::1', ED0), cand('3ffe:2001::2', EP0)];
    expect(
      pick({ destination: a('3ffe:501::1'), outgoingIfindex: ED0, candidates: c, routeSource: a('fec0::1') }),
    ).toBe('3ffe:2001::2 rule3');
  });

  it('link-local destination on an interface without link-local gets a global', () => {
    const c = [cand('fe80:2::2', EP0), cand('3ffe:501::1', EP0)];
    expect(pick({ destination: a('fe80:1::9'), outgoingIfindex: ED0, candidates: c })).toBe(
      '3ffe:501::1 rule3',
    );
  });

  it('longest match among globals; equal matches go to the outgoing interface', () => {
    const c = [cand('fec0::1', ED0), cand('3ffe:2001::2', EP0), cand('3ffe:501:1::1', 4)];
    expect(pick({ destination: a('3ffe:501:1::9'), outgoingIfindex: ED0, candidates: c })).toBe(
      '3ffe:501:1::1 rule3',
    );
    const tie = [cand('3ffe:501::1', EP0), cand('3ffe:501::2', ED0)];
    expect(pick({ destination: a('fe80:1::9'), outgoingIfindex: ED0, candidates: tie })).toBe(
      '3ffe:501::2 rule3',
    );
  });

  it('duplicated, anycast and detached are never chosen', () => {
    const c = [
      cand('3ffe:501::1', ED0, { duplicated: true }),
      cand('3ffe:501::2', ED0, { anycast: true }),
      cand('3ffe:501::3', ED0, { detached: true }),
      cand('3ffe:9::4', ED0),
    ];
    expect(pick({ destination: a('3ffe:501::9'), outgoingIfindex: ED0, candidates: c })).toBe(
      '3ffe:9::4 rule2',
    );
  });
});

describe('deprecated addresses (IMPLEMENTATION 1.6, RFC 2462 5.5.4)', () => {
  it('avoided when any other choice exists, even one from a later rule', () => {
    const c = [cand('3ffe:501::1', ED0, { deprecated: true }), cand('3ffe:2001::2', EP0)];
    const r = selectSourceAddress({
      destination: a('3ffe:501::9'),
      outgoingIfindex: ED0,
      candidates: c,
      useDeprecated: true,
    });
    expect(r.ok && [r.address.toString(), r.rule, r.deprecated]).toEqual(['3ffe:2001::2', 3, false]);
  });

  it('used as a last resort with use_deprecated=1', () => {
    const c = [cand('3ffe:501::1', ED0, { deprecated: true })];
    const r = selectSourceAddress({
      destination: a('3ffe:501::9'),
      outgoingIfindex: ED0,
      candidates: c,
      useDeprecated: 1,
    });
    expect(r.ok && [r.address.toString(), r.rule, r.deprecated]).toEqual(['3ffe:501::1', 2, true]);
  });

  it('refused with use_deprecated=0', () => {
    const c = [cand('3ffe:501::1', ED0, { deprecated: true })];
    expect(
      pick({ destination: a('3ffe:501::9'), outgoingIfindex: ED0, candidates: c, useDeprecated: 0 }),
    ).toBe('EADDRNOTAVAIL');
  });

  it('among deprecated ones the scope rules still apply', () => {
    const c = [
      cand('3ffe:2001::2', EP0, { deprecated: true }),
      cand('fe80:1::1', ED0, { deprecated: true }),
      cand('3ffe:501::1', ED0, { deprecated: true }),
    ];
    expect(pick({ destination: a('fe80:1::9'), outgoingIfindex: ED0, candidates: c })).toBe(
      'fe80:1::1 rule2',
    );
    expect(pick({ destination: a('3ffe:501::9'), outgoingIfindex: EP0, candidates: c })).toBe(
      '3ffe:2001::2 rule2',
    );
  });
});
