import fc from 'fast-check';
import { Ipv6Address } from './ipv6';
import { isSolicitedNodeMulticast, solicitedNodeMulticast } from './solicited-node';
import { ipv6Arb } from '../test/arbitraries';

describe('solicited-node multicast (RFC 4291 2.7.1)', () => {
  it('RFC 4291 2.7.1: 4037::01:800:200E:8C6C maps to FF02::1:FF0E:8C6C', () => {
    expect(solicitedNodeMulticast(Ipv6Address.parse('4037::01:800:200E:8C6C')).toString()).toBe(
      'ff02::1:ff0e:8c6c',
    );
  });

  it('RFC 4291 2.7.1: fe80::200:f8ff:fe01:6317 maps to ff02::1:ff01:6317', () => {
    expect(solicitedNodeMulticast(Ipv6Address.parse('fe80::200:f8ff:fe01:6317')).toString()).toBe(
      'ff02::1:ff01:6317',
    );
  });

  it('RFC 4291 2.7.1: recognises ff02::1:ff00:0/104 only', () => {
    expect(isSolicitedNodeMulticast(Ipv6Address.parse('ff02::1:ff00:1'))).toBe(true);
    expect(isSolicitedNodeMulticast(Ipv6Address.parse('ff02::1'))).toBe(false);
    expect(isSolicitedNodeMulticast(Ipv6Address.parse('ff05::1:ff00:1'))).toBe(false);
  });

  it('RFC 4291 2.7.1 property: addresses with the same low 24 bits share a group; the group is link-scoped multicast', () => {
    fc.assert(
      fc.property(ipv6Arb, ipv6Arb, (a, b) => {
        const g = solicitedNodeMulticast(a);
        expect(isSolicitedNodeMulticast(g)).toBe(true);
        const same =
          a.bytes[13] === b.bytes[13] && a.bytes[14] === b.bytes[14] && a.bytes[15] === b.bytes[15];
        expect(g.equals(solicitedNodeMulticast(b))).toBe(same);
      }),
    );
  });
});
