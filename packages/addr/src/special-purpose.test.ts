import fc from 'fast-check';
import { Ipv4Address } from './ipv4';
import { Ipv6Address } from './ipv6';
import { Ipv6Prefix } from './ipv6-prefix';
import { IPV4_SPECIAL_PURPOSE, IPV6_SPECIAL_PURPOSE, specialPurpose } from './special-purpose';
import { ipv4Arb, ipv6Arb } from '../test/arbitraries';

const v6 = (s: string) => specialPurpose(Ipv6Address.parse(s));
const v4 = (s: string) => specialPurpose(Ipv4Address.parse(s));

describe('special-purpose address registry (RFC 6890)', () => {
  it.each([
    '::1/128',
    '::/128',
    '::ffff:0:0/96',
    '64:ff9b::/96',
    '100::/64',
    '2001::/23',
    '2001::/32',
    '2001:2::/48',
    '2001:db8::/32',
    '2001:10::/28',
    '2002::/16',
    'fc00::/7',
    'fe80::/10',
  ])('RFC 6890 2.2.3: IPv6 table lists %s', (p) => {
    expect(IPV6_SPECIAL_PURPOSE.some((e) => e.prefix.equals(Ipv6Prefix.parse(p)))).toBe(true);
  });

  it.each([
    '0.0.0.0/8',
    '10.0.0.0/8',
    '100.64.0.0/10',
    '127.0.0.0/8',
    '169.254.0.0/16',
    '172.16.0.0/12',
    '192.0.0.0/24',
    '192.0.2.0/24',
    '192.88.99.0/24',
    '192.168.0.0/16',
    '198.18.0.0/15',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '240.0.0.0/4',
    '255.255.255.255/32',
  ])('RFC 6890 2.2.2: IPv4 table lists %s', (p) => {
    expect(IPV4_SPECIAL_PURPOSE.some((e) => e.prefix.toString() === p)).toBe(true);
  });

  it('RFC 6890 2.2.3: loopback and unspecified columns', () => {
    expect(v6('::1')).toMatchObject({
      name: 'Loopback Address',
      rfc: 'RFC 4291',
      source: false,
      destination: false,
      forwardable: false,
      global: false,
      reservedByProtocol: true,
    });
    expect(v6('::')).toMatchObject({ name: 'Unspecified Address', source: true, destination: false });
    expect(v6('fe80::1')).toMatchObject({ forwardable: false, reservedByProtocol: true });
    expect(v6('fd00::1')).toMatchObject({ name: 'Unique-Local', forwardable: true, global: false });
  });

  it('RFC 6890 2.2.1: the most specific entry wins', () => {
    expect(v6('2001::1')?.name).toBe('TEREDO');
    expect(v6('2001::1')?.global).toBeUndefined();
    expect(v6('2001:2::1')?.name).toBe('Benchmarking');
    expect(v6('2001:1ff::1')?.name).toBe('IETF Protocol Assignments');
    expect(v6('2001:1::1')?.name).toBe('Port Control Protocol Anycast');
    expect(v6('2001:10::1')?.name).toBe('Deprecated (previously ORCHID)');
    expect(v6('2001:db8::1')?.name).toBe('Documentation');
    expect(v4('0.0.0.0')?.name).toBe('"This host on this network"');
    expect(v4('0.1.2.3')?.name).toBe('"This network"');
    expect(v4('192.0.0.9')?.name).toBe('Port Control Protocol Anycast');
    expect(v4('192.0.0.200')?.name).toBe('IETF Protocol Assignments');
  });

  it('RFC 6890 2.2.2: IPv4 examples', () => {
    expect(v4('127.0.0.1')).toMatchObject({ name: 'Loopback', reservedByProtocol: true });
    expect(v4('10.1.2.3')).toMatchObject({ name: 'Private-Use', forwardable: true, global: false });
    expect(v4('100.127.255.255')?.name).toBe('Shared Address Space');
    expect(v4('100.128.0.0')).toBeUndefined();
    expect(v4('198.19.255.255')?.name).toBe('Benchmarking');
    expect(v4('255.255.255.255')).toMatchObject({
      name: 'Limited Broadcast',
      source: false,
      destination: true,
    });
    expect(v4('255.255.255.254')?.name).toBe('Reserved');
  });

  it('RFC 6890: ordinary addresses have no entry', () => {
    expect(v6('2600::1')).toBeUndefined();
    expect(v6('2003::1')).toBeUndefined();
    expect(v4('8.8.8.8')).toBeUndefined();
    expect(v4('192.0.3.1')).toBeUndefined();
  });

  it('RFC 6890 2: the registry tables are frozen', () => {
    expect(Object.isFrozen(IPV6_SPECIAL_PURPOSE)).toBe(true);
    expect(Object.isFrozen(IPV4_SPECIAL_PURPOSE[0])).toBe(true);
  });

  it('RFC 6890 2.2.1 property: the result contains the address and no longer matching entry exists', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          ipv6Arb,
          ipv6Arb.map((a) => a.mask(16)),
        ),
        (a) => {
          const e = specialPurpose(a);
          const all = IPV6_SPECIAL_PURPOSE.filter((x) => x.prefix.contains(a));
          if (!e) return expect(all).toHaveLength(0);
          expect(e.prefix.contains(a)).toBe(true);
          expect(all.every((x) => x.prefix.length <= e.prefix.length)).toBe(true);
        },
      ),
    );
    fc.assert(
      fc.property(ipv4Arb, (a) => {
        const e = specialPurpose(a);
        const all = IPV4_SPECIAL_PURPOSE.filter((x) => x.prefix.contains(a));
        if (!e) return expect(all).toHaveLength(0);
        expect(all.every((x) => x.prefix.length <= e.prefix.length)).toBe(true);
      }),
    );
  });
});
