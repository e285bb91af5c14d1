import { Ipv4Address, Ipv4Prefix } from '@kame/addr';
import { Ipv4PrefixTable } from './ipv4-prefix-table';

const P = (s: string): Ipv4Prefix => Ipv4Prefix.parse(s);
const A = (s: string): Ipv4Address => Ipv4Address.parse(s);

describe('Ipv4PrefixTable', () => {
  const t = new Ipv4PrefixTable<string>();
  for (const p of ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32', '192.0.2.0/24']) {
    t.insert(P(p), p);
  }

  it.each([
    ['10.1.2.3', '10.1.2.3/32'],
    ['10.1.2.4', '10.1.2.0/24'],
    ['10.1.3.4', '10.1.0.0/16'],
    ['10.2.0.1', '10.0.0.0/8'],
    ['192.0.2.255', '192.0.2.0/24'],
    ['198.51.100.1', '0.0.0.0/0'],
  ])('RFC 4632 5.1 longest match: %s uses %s', (addr, want) => {
    expect(t.lookup(A(addr))).toBe(want);
    expect(t.lookupNumber(A(addr).toNumber())).toBe(want);
    expect(t.lookupBytes(A(addr).bytes, 0)).toBe(want);
  });

  it('netstat -rn order and exact get', () => {
    expect([...t.entries()].map(([p]) => p.toString())).toEqual([
      '0.0.0.0/0',
      '10.0.0.0/8',
      '10.1.0.0/16',
      '10.1.2.0/24',
      '10.1.2.3/32',
      '192.0.2.0/24',
    ]);
    expect(t.get(P('10.1.0.0/16'))).toBe('10.1.0.0/16');
    expect(t.get(P('10.1.0.0/17'))).toBeUndefined();
  });
});
