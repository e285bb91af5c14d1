import { Ipv4Address } from './ipv4';
import { Ipv6Address } from './ipv6';
import { isInvalidOnWire } from './on-wire';

const A = (s: string) => Ipv6Address.parse(s);

describe('isInvalidOnWire (KAME IMPLEMENTATION 1.14)', () => {
  it('IMPLEMENTATION 1.14 / RFC 4291 2.5.5.2: IPv4-mapped addresses are invalid on the wire', () => {
    expect(isInvalidOnWire(A('::ffff:192.0.2.1'))).toBe(true);
    expect(isInvalidOnWire(Ipv6Address.v4Mapped(Ipv4Address.parse('127.0.0.1')))).toBe(true);
    expect(isInvalidOnWire(A('::ffff:0.0.0.0'))).toBe(true);
  });

  it('IMPLEMENTATION 1.14 / RFC 4291 2.5.5.1: IPv4-compatible addresses are invalid on the wire', () => {
    expect(isInvalidOnWire(A('::192.0.2.1'))).toBe(true);
    expect(isInvalidOnWire(A('::0.0.1.0'))).toBe(true);
    expect(isInvalidOnWire(A('::2'))).toBe(true);
  });

  it.each(['::', '::1', '2001:db8::1', 'fe80::1', 'ff02::1', '64:ff9b::192.0.2.1', '::1:ffff:192.0.2.1'])(
    'RFC 4291 2.5.5: %s is not IPv4-embedded in the mapped/compatible sense',
    (a) => {
      expect(isInvalidOnWire(A(a))).toBe(false);
    },
  );
});
