import fc from 'fast-check';
import { MacAddress } from './mac';
import { parseErrorOf, parsesOrAddrParseError } from '../test/parse-error-of';

describe('MacAddress (IEEE 802, RFC 7042 2.1)', () => {
  it('RFC 7042 2.1: parses colon and hyphen forms and prints lower-case colon form', () => {
    expect(MacAddress.parse('00-00-5E-00-53-01').toString()).toBe('00:00:5e:00:53:01');
    expect(MacAddress.parse('0:0:5e:0:53:1').toString()).toBe('00:00:5e:00:53:01');
  });

  it('RFC 7042 2.1: I/G and U/L bits', () => {
    expect(MacAddress.parse('01:00:5e:00:00:01').isMulticast()).toBe(true);
    expect(MacAddress.parse('02:00:00:00:00:01').isLocal()).toBe(true);
    expect(MacAddress.BROADCAST.isBroadcast()).toBe(true);
  });

  it('RFC 7042 2.1: reports where a part is wrong', () => {
    expect(parseErrorOf(() => MacAddress.parse('00:11:2g:33:44:55')).position).toBe(6);
    expect(parseErrorOf(() => MacAddress.parse('00:11:22')).reason).toMatch(/3 parts/);
  });

  it('RFC 7042 2.1 property: parse(toString(m)) equals m; any text parses or throws AddrParseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (b) => {
        const m = MacAddress.fromBytes(b);
        expect(MacAddress.parse(m.toString()).equals(m)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (t) => expect(parsesOrAddrParseError(() => MacAddress.parse(t))).toBe(true)),
    );
  });
});
