import { Ipv6Address, Ipv6Prefix, embedScope } from '@kame/addr';
import { Ipv6PrefixTable } from './ipv6-prefix-table';

const P = (s: string): Ipv6Prefix => Ipv6Prefix.parse(s);
const A = (s: string): Ipv6Address => Ipv6Address.parse(s);

function table(prefixes: string[]): Ipv6PrefixTable<string> {
  const t = new Ipv6PrefixTable<string>();
  for (const p of prefixes) t.insert(P(p), p);
  return t;
}

describe('Ipv6PrefixTable', () => {
  const routes = ['::/0', '2001:db8::/32', '2001:db8:1::/48', '2001:db8:1:2::/64', '2001:db8:1:2::1/128'];

  it.each([
    ['2001:db8:1:2::1', '2001:db8:1:2::1/128'],
    ['2001:db8:1:2::2', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', '2001:db8:1::/48'],
    ['2001:db8:2::1', '2001:db8::/32'],
    ['2001:db9::1', '::/0'],
    ['::1', '::/0'],
  ])('route(4) most specific match: %s uses %s', (addr, want) => {
    expect(table(routes).lookup(A(addr))).toBe(want);
  });

  it('route(4): without a default route (::/0) an unmatched address has no route (RTM_MISS case)', () => {
    const t = table(routes.slice(1));
    expect(t.lookup(A('2001:db9::1'))).toBeUndefined();
  });

  it('RFC 4291 2.3: a /128 host route matches only its own address', () => {
    const t = table(['2001:db8::5/128']);
    expect(t.lookup(A('2001:db8::5'))).toBe('2001:db8::5/128');
    expect(t.lookup(A('2001:db8::4'))).toBeUndefined();
    expect(t.lookup(A('2001:db8::7'))).toBeUndefined();
  });

  it('::/0 alone matches every address, including ::', () => {
    const t = table(['::/0']);
    for (const a of ['::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fe80::1'])
      expect(t.lookup(A(a))).toBe('::/0');
  });

  it('BSD rtrequest RTM_DELETE: removing a middle prefix keeps more and less specific routes intact', () => {
    const t = table(routes);
    expect(t.delete(P('2001:db8:1::/48'))).toBe(true);
    expect(t.lookup(A('2001:db8:1:3::1'))).toBe('2001:db8::/32');
    expect(t.lookup(A('2001:db8:1:2::2'))).toBe('2001:db8:1:2::/64');
    expect(t.lookup(A('2001:db8:1:2::1'))).toBe('2001:db8:1:2::1/128');
    expect(t.delete(P('2001:db8:1::/48'))).toBe(false);
    expect(t.delete(P('::/0'))).toBe(true);
    expect(t.lookup(A('2001:db9::1'))).toBeUndefined();
    expect(t.size).toBe(3);
  });

  it('netstat -rn order: by address, shorter prefix first', () => {
    const t = table(['2001:db8:1::/48', 'fe80::/10', '2001:db8::/32', '::/0', '2001:db8::/48', '::1/128']);
    expect([...t.entries()].map(([p]) => p.toString())).toEqual([
      '::/0',
      '::1/128',
      '2001:db8::/32',
      '2001:db8::/48',
      '2001:db8:1::/48',
      'fe80::/10',
    ]);
  });

  it('IMPLEMENTATION 1.3.1: fe80::/64 on two links are two keys via the embedded index', () => {
    const t = new Ipv6PrefixTable<number>();
    t.insert(Ipv6Prefix.of(embedScope(A('fe80::'), 1), 64), 1);
    t.insert(Ipv6Prefix.of(embedScope(A('fe80::'), 2), 64), 2);
    expect(t.lookup(embedScope(A('fe80::1'), 1))).toBe(1);
    expect(t.lookup(embedScope(A('fe80::1'), 2))).toBe(2);
    expect(t.lookup(embedScope(A('fe80::1'), 3))).toBeUndefined();
    expect([...t.entries()].map(([p]) => p.toString())).toEqual(['fe80:1::/64', 'fe80:2::/64']);
  });

  it('lookupBytes reads the destination in place (IPv6 header offset 24)', () => {
    const t = table(routes);
    const hdr = new Uint8Array(40);
    hdr.set(A('2001:db8:1:3::9').bytes, 24);
    expect(t.lookupBytes(hdr, 24)).toBe('2001:db8:1::/48');
    const w = [0x20010db8, 0x00010002, 0, 1];
    expect(t.lookupWords(w[0]!, w[1]!, w[2]!, w[3]!)).toBe('2001:db8:1:2::1/128');
  });

  it('exact get and has distinguish lengths', () => {
    const t = table(routes);
    expect(t.get(P('2001:db8::/32'))).toBe('2001:db8::/32');
    expect(t.get(P('2001:db8::/33'))).toBeUndefined();
    expect(t.has(P('2001:db8:1::/48'))).toBe(true);
  });

  it('route(4) ENOBUFS beyond maxEntries', () => {
    const t = new Ipv6PrefixTable<number>({ maxEntries: 1 });
    t.insert(P('2001:db8::/32'), 1);
    expect(() => t.insert(P('2001:db8::/48'), 2)).toThrow(/ENOBUFS/);
    expect(t.maxEntries).toBe(1);
  });
});
