import { Ipv6Address } from '@kame/addr';
import { checkChecksumOffset, defaultChecksumOffset, fillChecksum, verifyChecksum } from './raw-checksum';

const src = Ipv6Address.parse('fe80::1');
const dst = Ipv6Address.parse('ff02::5');

describe('IPV6_CHECKSUM (RFC 3542 3.1)', () => {
  it('is fixed at 2 for ICMPv6 and off (-1) for other protocols', () => {
    expect(defaultChecksumOffset(58)).toBe(2);
    expect(defaultChecksumOffset(89)).toBe(-1);
    expect(checkChecksumOffset(58, 2)).toBe('EINVAL');
    expect(checkChecksumOffset(89, 1)).toBe('EINVAL');
    expect(checkChecksumOffset(89, -1)).toBeUndefined();
    expect(checkChecksumOffset(89, 12)).toBeUndefined();
  });

  it('fills a checksum that verifies, and refuses data too short to hold it', () => {
    const data = Uint8Array.of(3, 1, 0, 0, 9, 9, 9);
    const out = fillChecksum(src, dst, 89, data, 2);
    expect(out).toBeInstanceOf(Uint8Array);
    expect(verifyChecksum(src, dst, 89, out as Uint8Array, 2)).toBe(true);
    expect(verifyChecksum(src, dst, 103, out as Uint8Array, 2)).toBe(false);
    expect(fillChecksum(src, dst, 89, data, 6)).toBe('EINVAL');
  });
});
