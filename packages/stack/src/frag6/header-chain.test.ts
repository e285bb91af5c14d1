import { IPPROTO_DSTOPTS, IPPROTO_NONE, IPPROTO_TCP, IPPROTO_UDP } from '@kame/wire';
import { hasWholeHeaderChain } from './header-chain';

describe('hasWholeHeaderChain (RFC 7112 5)', () => {
  test('RFC 7112 5: the upper-layer header must be whole in the first fragment', () => {
    expect(hasWholeHeaderChain(IPPROTO_UDP, new Uint8Array(8))).toBe(true);
    expect(hasWholeHeaderChain(IPPROTO_UDP, new Uint8Array(7))).toBe(false);
    const tcp = new Uint8Array(24);
    tcp[12] = 6 << 4; // Data Offset 6: 24 octets with options
    expect(hasWholeHeaderChain(IPPROTO_TCP, tcp)).toBe(true);
    expect(hasWholeHeaderChain(IPPROTO_TCP, tcp.subarray(0, 20))).toBe(false);
  });

  test('RFC 7112 5: extension headers after the Fragment header must be whole; No Next Header ends the chain', () => {
    const dst = Uint8Array.from([IPPROTO_UDP, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const withUdp = new Uint8Array(24);
    withUdp.set(dst);
    expect(hasWholeHeaderChain(IPPROTO_DSTOPTS, withUdp)).toBe(true);
    expect(hasWholeHeaderChain(IPPROTO_DSTOPTS, withUdp.subarray(0, 20))).toBe(false);
    expect(hasWholeHeaderChain(IPPROTO_DSTOPTS, dst.subarray(0, 8))).toBe(false);
    expect(hasWholeHeaderChain(IPPROTO_NONE, new Uint8Array(0))).toBe(true);
    expect(hasWholeHeaderChain(253, new Uint8Array(0))).toBe(true);
  });
});
