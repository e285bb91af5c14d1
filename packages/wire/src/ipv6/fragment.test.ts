import fc from 'fast-check';
import { DecodeError } from '../decode-error';
import { hex, hostileBytes, roundTrip } from '../../test/support/properties';
import { type Ipv6FragmentRepr, ipv6Fragment } from './fragment';
import { IPPROTO_UDP } from './protocols';

const reprArb: fc.Arbitrary<Ipv6FragmentRepr> = fc.record({
  nextHeader: fc.integer({ min: 0, max: 255 }),
  fragmentOffset: fc.integer({ min: 0, max: 0x1fff }),
  more: fc.boolean(),
  identification: fc.integer({ min: 0, max: 0xffffffff }),
});

describe('IPv6 Fragment header (RFC 8200 4.5)', () => {
  it('RFC 8200 4.5: parses offset in 8-octet units, M flag and identification (golden bytes)', () => {
    // Second fragment of a 1500-MTU split: offset 1448 octets = 181 units.
    const golden = hex('1100 05a9 deadbeef');
    const r = ipv6Fragment.parse(golden);
    expect(r).toEqual({
      nextHeader: IPPROTO_UDP,
      fragmentOffset: 181,
      more: true,
      identification: 0xdeadbeef,
    });
    expect(Array.from(ipv6Fragment.encode(r))).toEqual(Array.from(golden));
  });

  it('RFC 8200 4.5: ignores the reserved octet and reserved bits on reception, zeroes them on emit', () => {
    const r = ipv6Fragment.parse(hex('11ff 05af 00000001'));
    expect(r).toEqual({ nextHeader: 17, fragmentOffset: 181, more: true, identification: 1 });
    expect(Buffer.from(ipv6Fragment.encode(r)).toString('hex')).toBe('110005a900000001');
  });

  it('rejects a header shorter than 8 octets', () => {
    expect(() => ipv6Fragment.parse(hex('1100 05a9 dead'))).toThrow(DecodeError);
  });

  it('round-trips any repr (property)', () => {
    roundTrip(
      reprArb,
      (r) => ipv6Fragment.encode(r),
      (b) => ipv6Fragment.parse(b),
    );
  });

  it('hostile input: random bytes throw only DecodeError', () => {
    hostileBytes((b) => ipv6Fragment.parse(b), { maxLength: 16 });
  });
});
