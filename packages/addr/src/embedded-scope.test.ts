import fc from 'fast-check';
import { Ipv6Address } from './ipv6';
import { embedScope, extractScope, needsScope } from './embedded-scope';
import { ipv6Arb } from '../test/arbitraries';

const A = (s: string) => Ipv6Address.parse(s);

describe('KAME embedded scope (IMPLEMENTATION 1.3.1)', () => {
  it('IMPLEMENTATION 1.3.1: link-local unicast carries the ifindex in bytes 2-3', () => {
    const e = embedScope(A('fe80::200:f8ff:fe01:6317'), 1);
    expect(e.toString()).toBe('fe80:1::200:f8ff:fe01:6317');
    const x = extractScope(e);
    expect(x.ifindex).toBe(1);
    expect(x.address.toString()).toBe('fe80::200:f8ff:fe01:6317');
  });

  it('IMPLEMENTATION 1.3.1: interface- and link-local multicast too', () => {
    expect(embedScope(A('ff02::1'), 0x1234).toString()).toBe('ff02:1234::1');
    expect(embedScope(A('ff01::1'), 2).toString()).toBe('ff01:2::1');
    expect(embedScope(A('ff12::1:2'), 3).toString()).toBe('ff12:3::1:2');
    expect(extractScope(A('ff02:7::1'))).toEqual({ address: A('ff02::1'), ifindex: 7 });
  });

  it.each(['2001:db8::1', 'fec0::1', 'ff05::2', 'ff0e::1', '::1', '::', 'fc00::1', 'ff32:ff:fe80::1:2'])(
    'RFC 4007 6: %s needs no zone and passes through unchanged',
    (text) => {
      const a = A(text);
      expect(needsScope(a)).toBe(false);
      expect(embedScope(a, 5)).toBe(a);
      expect(extractScope(a)).toEqual({ address: a, ifindex: 0 });
    },
  );

  it('RFC 4291 2.5.6: needsScope covers all of fe80::/10', () => {
    expect(needsScope(A('fe80::1'))).toBe(true);
    expect(needsScope(A('febf::1'))).toBe(true);
    expect(needsScope(A('fec0::1'))).toBe(false);
  });

  it('IMPLEMENTATION 1.3.1: the ifindex must fit the 16 bits of bytes 2-3', () => {
    expect(() => embedScope(A('fe80::1'), 0x10000)).toThrow(RangeError);
    expect(() => embedScope(A('fe80::1'), -1)).toThrow(RangeError);
    expect(() => embedScope(A('fe80::1'), 1.5)).toThrow(RangeError);
  });

  it('IMPLEMENTATION 1.3.1 property: extract(embed(a, i)) gives back a (bytes 2-3 cleared) and i', () => {
    fc.assert(
      fc.property(ipv6Arb, fc.integer({ min: 0, max: 0xffff }), (a, i) => {
        const x = extractScope(embedScope(a, i));
        if (needsScope(a)) {
          expect(x.ifindex).toBe(i);
          expect(x.address.equals(extractScope(a).address)).toBe(true);
          expect(x.address.bytes[2]).toBe(0);
          expect(x.address.bytes[3]).toBe(0);
          expect(embedScope(x.address, i).equals(embedScope(a, i))).toBe(true);
        } else {
          expect(x).toEqual({ address: a, ifindex: 0 });
        }
      }),
    );
  });

  it('IMPLEMENTATION 1.3.1 property: round trip on random link-local addresses with zero bytes 2-3', () => {
    const linkLocal = fc.uint8Array({ minLength: 8, maxLength: 8 }).map((iid) => {
      const b = new Uint8Array(16);
      b[0] = 0xfe;
      b[1] = 0x80;
      b.set(iid, 8);
      return Ipv6Address.fromBytes(b);
    });
    fc.assert(
      fc.property(linkLocal, fc.integer({ min: 0, max: 0xffff }), (a, i) => {
        const x = extractScope(embedScope(a, i));
        expect(x.address.equals(a)).toBe(true);
        expect(x.ifindex).toBe(i);
      }),
    );
  });
});
