import fc from 'fast-check';
import { Ipv6Address } from './ipv6';
import { Scope, multicastFlags, scopeName, scopeOf } from './scope';
import { ipv6Arb } from '../test/arbitraries';

const A = (s: string) => Ipv6Address.parse(s);

describe('scopeOf (RFC 4007 4, RFC 4291 2.7)', () => {
  it('RFC 4291 2.7: scope values', () => {
    expect(Scope).toMatchObject({
      Reserved0: 0,
      InterfaceLocal: 1,
      LinkLocal: 2,
      AdminLocal: 4,
      SiteLocal: 5,
      OrganizationLocal: 8,
      Global: 14,
      Reserved15: 15,
    });
  });

  it.each([
    ['ff01::1', Scope.InterfaceLocal],
    ['ff02::1', Scope.LinkLocal],
    ['ff03::1', Scope.RealmLocal],
    ['ff04::1', Scope.AdminLocal],
    ['ff05::2', Scope.SiteLocal],
    ['ff08::1', Scope.OrganizationLocal],
    ['ff0e::1', Scope.Global],
    ['ff00::1', Scope.Reserved0],
    ['ff0f::1', Scope.Reserved15],
    ['ff16::1', 6],
    ['ff3e:30:2001:db8::1', Scope.Global],
  ])('RFC 4291 2.7: multicast %s has the scop nibble %d', (a, s) => {
    expect(scopeOf(A(a))).toBe(s);
  });

  it.each([
    ['::1', Scope.InterfaceLocal],
    ['fe80::1', Scope.LinkLocal],
    ['febf:ffff::1', Scope.LinkLocal],
    ['fec0::1', Scope.SiteLocal],
    ['feff::1', Scope.SiteLocal],
    ['fc00::1', Scope.Global],
    ['2001:db8::1', Scope.Global],
    ['::ffff:192.0.2.1', Scope.Global],
    ['::', Scope.Global],
  ])('RFC 4007 4: unicast %s has scope %d (loopback: interface-local, as KAME)', (a, s) => {
    expect(scopeOf(A(a))).toBe(s);
  });

  it('RFC 4291 2.7: scope names', () => {
    expect(scopeName(Scope.LinkLocal)).toBe('link-local');
    expect(scopeName(Scope.OrganizationLocal)).toBe('organization-local');
    expect(scopeName(6)).toBe('unassigned(6)');
  });

  it('RFC 4291 2.7 property: multicast scope is always the low nibble of byte 1', () => {
    fc.assert(
      fc.property(ipv6Arb, (a) => {
        const s = scopeOf(a);
        expect(s >= 0 && s <= 15).toBe(true);
        if (a.isMulticast()) expect(s).toBe(a.bytes[1]! & 15);
      }),
    );
  });
});

describe('multicastFlags (RFC 4291 2.7, RFC 3306 4, RFC 3956 2)', () => {
  it('RFC 4291 2.7: ff02::1 is well-known (T = 0)', () => {
    expect(multicastFlags(A('ff02::1'))).toEqual({
      transient: false,
      prefix: false,
      rendezvous: false,
      reserved: false,
    });
  });
  it('RFC 4291 2.7: ff12::1 is transient', () => {
    expect(multicastFlags(A('ff12::1'))?.transient).toBe(true);
  });
  it('RFC 3306 4: ff3e:30:2001:db8::1 is prefix-based (P = 1, T = 1)', () => {
    expect(multicastFlags(A('ff3e:30:2001:db8::1'))).toMatchObject({
      transient: true,
      prefix: true,
      rendezvous: false,
    });
  });
  it('RFC 3956 2: ff7e:140:2001:db8::1 embeds a rendezvous point (R = 1)', () => {
    expect(multicastFlags(A('ff7e:140:2001:db8::1'))).toMatchObject({
      transient: true,
      prefix: true,
      rendezvous: true,
    });
  });
  it('RFC 4291 2.7: the high flag bit is reported as reserved', () => {
    expect(multicastFlags(A('ff8e::1'))?.reserved).toBe(true);
  });
  it('RFC 4291 2.7: non-multicast addresses have no flags', () => {
    expect(multicastFlags(A('2001:db8::1'))).toBeUndefined();
  });
});
