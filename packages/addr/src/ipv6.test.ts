import { AddrParseError } from './parse-error';
import { Ipv6Address } from './ipv6';

describe('Ipv6Address text forms (RFC 4291 2.2, RFC 5952)', () => {
  it.each([
    ['2001:DB8:0:0:8:800:200C:417A', '2001:db8::8:800:200c:417a'],
    ['FF01:0:0:0:0:0:0:101', 'ff01::101'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::13.1.68.3', '::d01:4403'],
    ['::FFFF:129.144.52.38', '::ffff:129.144.52.38'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:db8::0:1', '2001:db8::1'],
    ['1::', '1::'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
  ])('%s -> %s', (input, canonical) => {
    expect(Ipv6Address.parse(input).toString()).toBe(canonical);
  });

  it.each([
    ['2001:db8::1zz', 11],
    [':::1', 2],
    ['0x10::1', 1],
    ['1::2::3', 4],
    ['1:2:3:4:5:6:7:8:9', 16],
    ['::1.2.3.256', 8],
  ])('rejects %s at offset %d', (input, pos) => {
    let err: unknown;
    try {
      Ipv6Address.parse(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AddrParseError);
    expect((err as AddrParseError).position).toBe(pos);
  });
});
