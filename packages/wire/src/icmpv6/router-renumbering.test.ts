import { Ipv6Address } from '@kame/addr';
import fc from 'fast-check';
import type { PseudoHeader } from '../checksum';
import { DecodeError } from '../decode-error';
import { hex, plain as norm, roundTrip, toHex, a6 } from '../../test/support/properties';
import { type Icmpv6Repr, icmpv6 } from './icmpv6';
import { RPM_PCO_ADD, type RrCommandRepr, type RrHeader } from './router-renumbering';

const ctx: PseudoHeader = { src: a6('2001:db8::1'), dst: a6('ff05::2') };
const noCk = { ...ctx, verifyChecksum: false };

const header: RrHeader = {
  sequenceNumber: 0x01020304,
  segmentNumber: 5,
  test: true,
  requestResult: true,
  allInterfaces: false,
  siteSpecific: false,
  processedPreviously: false,
  maxDelay: 1000,
};

describe('Router Renumbering (RFC 2894)', () => {
  it('RFC 2894 3.1 / 3.2.1: a command with one match-prefix and one use-prefix, golden bytes', () => {
    const cmd: RrCommandRepr = {
      kind: 'rrCommand',
      ...header,
      prefixControlOps: [
        {
          opCode: RPM_PCO_ADD,
          ordinal: 1,
          matchLen: 48,
          minLen: 64,
          maxLen: 64,
          matchPrefix: a6('2001:db8:1::'),
          usePrefixes: [
            {
              useLen: 16,
              keepLen: 64,
              flagMask: 0xc0,
              raFlags: 0xc0,
              validLifetime: 86400,
              preferredLifetime: 3600,
              decrementValid: true,
              decrementPreferred: false,
              usePrefix: a6('2001:db8:2::'),
            },
          ],
        },
      ],
    };
    const out = icmpv6.encode(cmd, ctx);
    expect(toHex(out)).toBe(
      '8a00' +
        toHex(out.subarray(2, 4)) +
        '01020304' +
        '05c0' +
        '03e8' +
        '00000000' +
        // match-prefix part: ADD, OpLength 7 (3 + 4), ordinal 1, matchLen 48, min 64, max 64
        '0107013040400000' +
        '20010db8000100000000000000000000' +
        // use-prefix part
        '1040c0c0' +
        '00015180' +
        '00000e10' +
        '80000000' +
        '20010db8000200000000000000000000',
    );
    expect(norm(icmpv6.parse(out, ctx))).toEqual(norm(cmd));
  });

  it('RFC 2894 3.3: a result message with B and F flags', () => {
    const r: Icmpv6Repr = {
      kind: 'rrResult',
      ...header,
      processedPreviously: true,
      matchResults: [
        {
          outOfBounds: true,
          forbidden: true,
          ordinal: 1,
          matchedLen: 48,
          interfaceIndex: 3,
          matchedPrefix: a6('2001:db8:1::'),
        },
      ],
    };
    const out = icmpv6.encode(r, ctx);
    expect(out[1]).toBe(1);
    expect(out[9]).toBe(0xc8);
    expect(toHex(out.subarray(16, 24))).toBe('0003013000000003');
    expect(norm(icmpv6.parse(out, ctx))).toEqual(norm(r));
  });

  it('RFC 2894 5: sequence number reset is code 255 with no body', () => {
    const out = icmpv6.encode({ kind: 'rrSeqNumReset', ...header }, ctx);
    expect(out.length).toBe(16);
    expect(out[1]).toBe(255);
    expect(icmpv6.parse(out, ctx).kind).toBe('rrSeqNumReset');
  });

  it('RFC 2894 3.1: other codes are kept as unknown', () => {
    const b = hex('8a07 0000 00000001 00000000 00000000 aa');
    expect(norm(icmpv6.parse(b, noCk))).toEqual({
      kind: 'unknown',
      type: 138,
      code: 7,
      body: '000000010000000000000000aa',
    });
  });

  it('RFC 2894 3.2.1 / 3.3: bad OpLength, truncation and ragged results are DecodeErrors', () => {
    const h = '8a00 0000 00000001 00000000 00000000';
    expect(() => icmpv6.parse(hex(h.slice(0, 20)), noCk)).toThrow(/router renumbering header/);
    expect(() => icmpv6.parse(hex(h + '0104' + '00'.repeat(22)), noCk)).toThrow(/RR OpLength at 17/);
    expect(() => icmpv6.parse(hex(h + '0107' + '00'.repeat(22)), noCk)).toThrow(
      /RR prefix control operation/,
    );
    expect(() => icmpv6.parse(hex(h + '0103' + '00'.repeat(10)), noCk)).toThrow(/RR match-prefix part/);
    const res = hex('8a01' + h.slice(4) + '00'.repeat(25));
    expect(() => icmpv6.parse(res, noCk)).toThrow(DecodeError);
  });

  it('round-trips command, result and reset reprs (property)', () => {
    const ipv6Arb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Ipv6Address.fromBytes(b));
    const byte = fc.integer({ min: 0, max: 255 });
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const hdr = {
      sequenceNumber: u32,
      segmentNumber: byte,
      test: fc.boolean(),
      requestResult: fc.boolean(),
      allInterfaces: fc.boolean(),
      siteSpecific: fc.boolean(),
      processedPreviously: fc.boolean(),
      maxDelay: fc.integer({ min: 0, max: 0xffff }),
    };
    const arb: fc.Arbitrary<Icmpv6Repr> = fc.oneof(
      fc.record({
        kind: fc.constant<'rrCommand'>('rrCommand'),
        ...hdr,
        prefixControlOps: fc.array(
          fc.record({
            opCode: byte,
            ordinal: byte,
            matchLen: byte,
            minLen: byte,
            maxLen: byte,
            matchPrefix: ipv6Arb,
            usePrefixes: fc.array(
              fc.record({
                useLen: byte,
                keepLen: byte,
                flagMask: byte,
                raFlags: byte,
                validLifetime: u32,
                preferredLifetime: u32,
                decrementValid: fc.boolean(),
                decrementPreferred: fc.boolean(),
                usePrefix: ipv6Arb,
              }),
              { maxLength: 3 },
            ),
          }),
          { maxLength: 3 },
        ),
      }),
      fc.record({
        kind: fc.constant<'rrResult'>('rrResult'),
        ...hdr,
        matchResults: fc.array(
          fc.record({
            outOfBounds: fc.boolean(),
            forbidden: fc.boolean(),
            ordinal: byte,
            matchedLen: byte,
            interfaceIndex: u32,
            matchedPrefix: ipv6Arb,
          }),
          { maxLength: 3 },
        ),
      }),
      fc.record({ kind: fc.constant<'rrSeqNumReset'>('rrSeqNumReset'), ...hdr }),
    );
    roundTrip(
      arb,
      (r) => icmpv6.encode(r, ctx),
      (b) => icmpv6.parse(b, ctx),
      { normalize: norm },
    );
  });
});
