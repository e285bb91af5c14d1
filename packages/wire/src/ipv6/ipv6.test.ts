import { Ipv6Address } from '@kame/addr';
import fc from 'fast-check';
import { DecodeError } from '../decode-error';
import { hex, hostileBytes, hostileMutations, roundTrip } from '../../test/support/properties';
import { type Ipv6Repr, Ipv6Packet, ipv6 } from './ipv6';
import { IPPROTO_HOPOPTS, IPPROTO_UDP } from './protocols';

const GOLDEN = hex(
  '6ab12345 0004 11 40' +
    '20010db8000000000000000000000001' +
    '20010db8000000000000000000000002' +
    'deadbeef',
);

const addrArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Ipv6Address.fromBytes(b));
const reprArb: fc.Arbitrary<Ipv6Repr> = fc.record({
  trafficClass: fc.integer({ min: 0, max: 255 }),
  flowLabel: fc.integer({ min: 0, max: 0xfffff }),
  nextHeader: fc.integer({ min: 0, max: 255 }),
  hopLimit: fc.integer({ min: 0, max: 255 }),
  src: addrArb,
  dst: addrArb,
  payload: fc.uint8Array({ maxLength: 80 }),
});

const norm = (r: Ipv6Repr): unknown => ({
  ...r,
  src: r.src.toString(),
  dst: r.dst.toString(),
  payload: Array.from(r.payload),
});

describe('IPv6 fixed header (RFC 8200 3)', () => {
  it('RFC 8200 3: parses version, traffic class, flow label, lengths and addresses (golden bytes)', () => {
    const r = ipv6.parse(GOLDEN);
    expect(r.trafficClass).toBe(0xab);
    expect(r.flowLabel).toBe(0x12345);
    expect(r.nextHeader).toBe(IPPROTO_UDP);
    expect(r.hopLimit).toBe(64);
    expect(r.src.toString()).toBe('2001:db8::1');
    expect(r.dst.toString()).toBe('2001:db8::2');
    expect(Array.from(r.payload)).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(r.payload.buffer).toBe(GOLDEN.buffer);
    expect(Array.from(ipv6.encode(r))).toEqual(Array.from(GOLDEN));
  });

  it('RFC 8200 3: rejects a version other than 6', () => {
    const b = GOLDEN.slice();
    b[0] = 0x4a;
    expect(() => ipv6.parse(b)).toThrow(/IPv6 version at 0: 4/);
  });

  it('rejects a buffer shorter than the 40-byte header', () => {
    expect(() => ipv6.parse(GOLDEN.subarray(0, 39))).toThrow(DecodeError);
  });

  it('RFC 8200 3: rejects a Payload Length longer than the buffer', () => {
    expect(() => ipv6.parse(GOLDEN.subarray(0, 43))).toThrow(/IPv6 payload length at 4/);
  });

  it('trims link-layer padding beyond the Payload Length', () => {
    const padded = new Uint8Array(GOLDEN.length + 10);
    padded.set(GOLDEN);
    expect(ipv6.parse(padded).payload.length).toBe(4);
    expect(Ipv6Packet.of(padded).payloadLength).toBe(4);
  });

  it('RFC 2675 3: Payload Length 0 with Hop-by-Hop next takes the rest of the buffer (possible jumbogram)', () => {
    const b = new Uint8Array(40 + 16);
    b[0] = 0x60;
    b[6] = IPPROTO_HOPOPTS;
    const p = Ipv6Packet.of(b);
    expect(p.maybeJumbo).toBe(true);
    expect(ipv6.parse(b).payload.length).toBe(16);
    // Payload Length 0 with any other next header means an empty payload.
    b[6] = IPPROTO_UDP;
    expect(ipv6.parse(b).payload.length).toBe(0);
  });

  it('RFC 2675 3: emit writes Payload Length 0 for a payload over 65535 octets', () => {
    const big = new Uint8Array(70000);
    const out = ipv6.encode({
      trafficClass: 0,
      flowLabel: 0,
      nextHeader: IPPROTO_HOPOPTS,
      hopLimit: 1,
      src: Ipv6Address.LOOPBACK,
      dst: Ipv6Address.LOOPBACK,
      payload: big,
    });
    expect(out[4]).toBe(0);
    expect(out[5]).toBe(0);
    expect(ipv6.parse(out).payload.length).toBe(70000);
  });

  it('emit writes at an offset and returns the byte count; RangeError when it does not fit', () => {
    const r = ipv6.parse(GOLDEN);
    const buf = new Uint8Array(100);
    expect(ipv6.emit(r, buf, 10)).toBe(44);
    expect(Array.from(buf.subarray(10, 54))).toEqual(Array.from(GOLDEN));
    expect(() => ipv6.emit(r, buf, 60)).toThrow(RangeError);
  });

  it('round-trips any repr (property)', () => {
    roundTrip(
      reprArb,
      (r) => ipv6.encode(r),
      (b) => ipv6.parse(b),
      {
        normalize: norm,
        bufferLen: (r) => ipv6.bufferLen(r),
      },
    );
  });

  it('hostile input: random bytes throw only DecodeError', () => {
    hostileBytes(
      (b) => {
        if (b.length > 0) b[0] = (b[0]! & 0x0f) | 0x60; // mostly version 6, to get past the first check
        return ipv6.parse(b);
      },
      { maxLength: 80, numRuns: 2000 },
    );
    hostileBytes((b) => ipv6.parse(b), { maxLength: 60 });
  });

  it('hostile input: mutations and truncations of a valid packet throw only DecodeError', () => {
    hostileMutations(
      reprArb,
      (r) => ipv6.encode(r),
      (b) => ipv6.parse(b),
      { maxMutations: 4 },
    );
  });
});
