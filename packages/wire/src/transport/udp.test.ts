import { Ipv4Address, Ipv6Address } from '@kame/addr';
import fc from 'fast-check';
import { onesSum, finishChecksum, type PseudoHeader } from '../checksum';
import { DecodeError } from '../decode-error';
import { hex, hostileBytes, hostileMutations, roundTrip } from '../../test/support/properties';
import { type UdpRepr, UdpDatagram, udp } from './udp';

const V6: PseudoHeader = { src: Ipv6Address.parse('fe80::1'), dst: Ipv6Address.parse('ff02::1') };
const V4: PseudoHeader = { src: Ipv4Address.parse('192.0.2.1'), dst: Ipv4Address.parse('192.0.2.2') };

/** Independent RFC 8200 8.1 checksum: builds the 40-byte pseudo-header literally. */
function v6Checksum(ph: PseudoHeader, upper: Uint8Array, nh: number): number {
  const b = new Uint8Array(40 + upper.length);
  b.set(ph.src.bytes, 0);
  b.set(ph.dst.bytes, 16);
  new DataView(b.buffer).setUint32(32, upper.length);
  b[39] = nh;
  b.set(upper, 40);
  return finishChecksum(onesSum(b));
}

const reprArb: fc.Arbitrary<UdpRepr> = fc.record({
  srcPort: fc.integer({ min: 0, max: 0xffff }),
  dstPort: fc.integer({ min: 0, max: 0xffff }),
  payload: fc.uint8Array({ maxLength: 100 }),
});
const ctxArb = fc.constantFrom(V6, V4);
const norm = (r: UdpRepr): unknown => ({ ...r, payload: Array.from(r.payload) });

describe('UDP (RFC 768; RFC 8200 8.1; RFC 2675 4)', () => {
  it('RFC 8200 8.1: emits and parses a UDP/IPv6 datagram with the IPv6 pseudo-header checksum (golden bytes)', () => {
    const golden = hex('0209 0209 000a 95d9 6869');
    const r = { srcPort: 521, dstPort: 521, payload: Uint8Array.of(0x68, 0x69) };
    expect(Array.from(udp.encode(r, V6))).toEqual(Array.from(golden));
    expect(norm(udp.parse(golden, V6))).toEqual(norm(r));
  });

  it('RFC 768: emits and parses a UDP/IPv4 datagram with the IPv4 pseudo-header checksum (golden bytes)', () => {
    const golden = hex('14e9 0035 000b a253 616263');
    const r = { srcPort: 5353, dstPort: 53, payload: Uint8Array.of(0x61, 0x62, 0x63) };
    expect(Array.from(udp.encode(r, V4))).toEqual(Array.from(golden));
    expect(norm(udp.parse(golden, V4))).toEqual(norm(r));
  });

  it('RFC 768: rejects a bad checksum unless verifyChecksum is false', () => {
    const b = hex('0209 0209 000a 95d8 6869');
    expect(() => udp.parse(b, V6)).toThrow(/UDP checksum at 6/);
    expect(udp.parse(b, { ...V6, verifyChecksum: false }).srcPort).toBe(521);
  });

  it('RFC 768: a zero checksum over IPv4 means none was computed', () => {
    expect(udp.parse(hex('14e9 0035 000b 0000 616263'), V4).payload.length).toBe(3);
  });

  it('RFC 8200 8.1: a zero checksum over IPv6 is invalid, even with verification off', () => {
    const b = hex('0209 0209 000a 0000 6869');
    expect(() => udp.parse(b, V6)).toThrow(/UDP checksum at 6: zero over IPv6/);
    expect(() => udp.parse(b, { ...V6, verifyChecksum: false })).toThrow(DecodeError);
  });

  it('RFC 6935 / RFC 6936: a zero checksum over IPv6 is accepted only with allowZeroChecksum', () => {
    const b = hex('0209 0209 000a 0000 6869');
    expect(() => udp.parse(b, V6)).toThrow(/UDP checksum at 6: zero over IPv6/);
    expect(() => udp.parse(b, { ...V6, allowZeroChecksum: false })).toThrow(DecodeError);
    const r = udp.parse(b, { ...V6, allowZeroChecksum: true });
    expect(norm(r)).toEqual({ srcPort: 521, dstPort: 521, payload: [0x68, 0x69] });
    expect(udp.parse(b, { ...V6, allowZeroChecksum: true, verifyChecksum: false }).payload.length).toBe(2);
    // A non-zero checksum is still verified.
    expect(() => udp.parse(hex('0209 0209 000a 95d8 6869'), { ...V6, allowZeroChecksum: true })).toThrow(
      /UDP checksum at 6: 0x95d8 does not verify/,
    );
  });

  it('RFC 768: a computed checksum of zero is sent as 0xffff and verifies', () => {
    // Find ports whose checksum computes to zero, then check the emitted field.
    let found = false;
    for (let p = 0; p < 0x10000 && !found; p++) {
      const r = { srcPort: p, dstPort: 7, payload: new Uint8Array(0) };
      const b = udp.encode(r, V4);
      if (b[6] === 0xff && b[7] === 0xff) {
        found = true;
        expect(udp.parse(b, V4).srcPort).toBe(p);
      }
    }
    expect(found).toBe(true);
  });

  it('RFC 768: checks the length field; trailing bytes beyond it are trimmed', () => {
    expect(() => udp.parse(hex('0209 0209 0007 0000 00'), V4)).toThrow(/UDP length at 4: 7/);
    expect(() => udp.parse(hex('0209 0209 000c 0000 6869'), V4)).toThrow(/exceeds/);
    expect(() => udp.parse(hex('0209 0209 0000 1234 6869'), V6)).toThrow(/UDP length at 4: 0/);
    expect(() => udp.parse(hex('0209 0209'), V4)).toThrow(/truncated/);
    const padded = hex('14e9 0035 000b a253 616263 000000');
    expect(udp.parse(padded, V4).payload.length).toBe(3);
    expect(UdpDatagram.of(padded).length).toBe(11);
  });

  it('RFC 2675 4: a jumbogram UDP length is 0 and the checksum uses the 32-bit length', () => {
    const payload = new Uint8Array(70000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
    const b = udp.encode({ srcPort: 1, dstPort: 2, payload }, V6);
    expect(b.length).toBe(70008);
    expect(b[4]).toBe(0);
    expect(b[5]).toBe(0);
    // Independent check of the checksum: zero the field and recompute over a literal pseudo-header.
    const field = (b[6]! << 8) | b[7]!;
    const z = b.slice();
    z[6] = 0;
    z[7] = 0;
    expect(field).toBe(v6Checksum(V6, z, 17) || 0xffff);
    const r = udp.parse(b, V6);
    expect(r.payload.length).toBe(70000);
    b[100] = b[100]! ^ 0xff;
    expect(() => udp.parse(b, V6)).toThrow(/checksum/);
    expect(() => udp.encode({ srcPort: 1, dstPort: 2, payload }, V4)).toThrow(RangeError);
  });

  it('emit checksums agree with an independent RFC 8200 8.1 computation (property)', () => {
    fc.assert(
      fc.property(reprArb, (r) => {
        const b = udp.encode(r, V6);
        const field = (b[6]! << 8) | b[7]!;
        b[6] = 0;
        b[7] = 0;
        expect(field).toBe(v6Checksum(V6, b, 17) || 0xffff);
      }),
    );
  });

  it('round-trips any repr over IPv6 and IPv4 (property)', () => {
    roundTrip(
      reprArb,
      (r, ctx) => udp.encode(r, ctx),
      (b, ctx) => udp.parse(b, ctx),
      {
        normalize: norm,
        bufferLen: (r) => udp.bufferLen(r),
        ctx: ctxArb,
      },
    );
  });

  it('hostile input: random bytes, mutations and truncations throw only DecodeError', () => {
    hostileBytes((b, [ctx, verify]) => udp.parse(b, { ...ctx, verifyChecksum: verify }), {
      maxLength: 40,
      numRuns: 2000,
      extra: fc.tuple(ctxArb, fc.boolean()),
    });
    const verified = (b: Uint8Array, [, ctx]: [UdpRepr, PseudoHeader]): unknown => udp.parse(b, ctx);
    hostileMutations(fc.tuple(reprArb, ctxArb), ([r, ctx]) => udp.encode(r, ctx), verified, {
      maxMutations: 4,
      whole: [verified, (b, [, ctx]) => udp.parse(b, { ...ctx, verifyChecksum: false })],
    });
  });
});
