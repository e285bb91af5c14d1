import fc from 'fast-check';
import { Ipv6Address } from './ipv6';
import { MacAddress } from './mac';
import { addressFromInterfaceId, eui64FromMac, linkLocalFromMac } from './eui64';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('-');

describe('modified EUI-64 (RFC 4291 Appendix A, RFC 2464 4)', () => {
  it('RFC 2464 4: 34-56-78-9A-BC-DE gives 36-56-78-FF-FE-9A-BC-DE', () => {
    expect(hex(eui64FromMac(MacAddress.parse('34-56-78-9A-BC-DE')))).toBe('36-56-78-ff-fe-9a-bc-de');
  });

  it('RFC 4291 Appendix A: the U/L bit is inverted, so a local MAC gets 0 there', () => {
    expect(hex(eui64FromMac(MacAddress.parse('02:00:00:00:00:01')))).toBe('00-00-00-ff-fe-00-00-01');
  });

  it('RFC 4862 5.3: link-local address from a MAC', () => {
    expect(linkLocalFromMac(MacAddress.parse('00:00:f8:01:63:17')).toString()).toBe(
      'fe80::200:f8ff:fe01:6317',
    );
  });

  it('RFC 4291 2.5.4: prefix + 64-bit interface identifier', () => {
    const iid = eui64FromMac(MacAddress.parse('00:00:f8:01:63:17'));
    expect(addressFromInterfaceId(Ipv6Address.parse('2001:db8:1:2::dead'), iid).toString()).toBe(
      '2001:db8:1:2:200:f8ff:fe01:6317',
    );
    expect(() => addressFromInterfaceId(Ipv6Address.LOOPBACK, new Uint8Array(7))).toThrow(RangeError);
  });

  it('RFC 4291 Appendix A property: the identifier always has ff:fe in the middle and is reversible', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (b) => {
        const id = eui64FromMac(MacAddress.fromBytes(b));
        expect(id.length).toBe(8);
        expect([id[3], id[4]]).toEqual([0xff, 0xfe]);
        const back = new Uint8Array([id[0]! ^ 2, id[1]!, id[2]!, id[5]!, id[6]!, id[7]!]);
        expect(MacAddress.fromBytes(back).equals(MacAddress.fromBytes(b))).toBe(true);
        expect(linkLocalFromMac(MacAddress.fromBytes(b)).isLinkLocal()).toBe(true);
      }),
    );
  });
});
