import fc from 'fast-check';
import { Ipv4Address } from '../src/ipv4';
import { Ipv6Address } from '../src/ipv6';

export const ipv6Arb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Ipv6Address.fromBytes(b));
export const ipv4Arb = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => Ipv4Address.fromBytes(b));

/** Addresses biased toward zero runs, the interesting case for RFC 5952 4.2. */
export const sparseIpv6Arb = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
    minLength: 8,
    maxLength: 8,
  })
  .map((g) => Ipv6Address.fromGroups(g));

/** Text over the characters address parsers care about, plus a little noise. */
export const addressishText = fc.string({
  unit: fc.constantFrom(...'0123456789abcdefABCDEFxz:::..%%//[]]- \t25eth'.split('')),
  maxLength: 48,
});
