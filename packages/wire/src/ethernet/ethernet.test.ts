import { MacAddress } from '@kame/addr';
import fc from 'fast-check';
import { DecodeError } from '../decode-error';
import { hex, hostileBytes, hostileMutations, roundTrip } from '../../test/support/properties';
import {
  ETHERTYPE_ARP,
  ETHERTYPE_IPV6,
  ETHERTYPE_VLAN,
  type EthernetRepr,
  EthernetFrame,
  ethernet,
} from './ethernet';

const macArb = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => MacAddress.fromBytes(b));
const reprArb: fc.Arbitrary<EthernetRepr> = fc.record(
  {
    dst: macArb,
    src: macArb,
    etherType: fc.integer({ min: 0x0600, max: 0xffff }).filter((t) => t !== ETHERTYPE_VLAN),
    vlan: fc.record({
      pcp: fc.integer({ min: 0, max: 7 }),
      dei: fc.boolean(),
      vid: fc.integer({ min: 0, max: 4095 }),
    }),
    payload: fc.uint8Array({ maxLength: 64 }),
  },
  { requiredKeys: ['dst', 'src', 'etherType', 'payload'] },
);

function normalize(r: EthernetRepr): unknown {
  return { ...r, dst: r.dst.toString(), src: r.src.toString(), payload: Array.from(r.payload) };
}

describe('Ethernet II (RFC 894, RFC 2464) and 802.1Q', () => {
  it('RFC 2464 3: parses an IPv6 frame to 33:33:00:00:00:01 (golden bytes)', () => {
    const frame = hex('333300000001 020000000001 86dd 6000');
    const r = ethernet.parse(frame);
    expect(r.dst.toString()).toBe('33:33:00:00:00:01');
    expect(r.src.toString()).toBe('02:00:00:00:00:01');
    expect(r.etherType).toBe(ETHERTYPE_IPV6);
    expect(r.vlan).toBeUndefined();
    expect(Array.from(r.payload)).toEqual([0x60, 0x00]);
    // Zero-copy payload.
    expect(r.payload.buffer).toBe(frame.buffer);
  });

  it('IEEE 802.1Q: parses PCP, DEI, VID and the inner EtherType', () => {
    const frame = hex('ffffffffffff 020000000002 8100 b064 0806 aa');
    const r = ethernet.parse(frame);
    expect(r.vlan).toEqual({ pcp: 5, dei: true, vid: 0x064 });
    expect(r.etherType).toBe(ETHERTYPE_ARP);
    expect(Array.from(r.payload)).toEqual([0xaa]);
    expect(EthernetFrame.of(frame).tagged).toBe(true);
  });

  it('emits a tagged frame byte-for-byte', () => {
    const out = ethernet.encode({
      dst: MacAddress.parse('ff:ff:ff:ff:ff:ff'),
      src: MacAddress.parse('02:00:00:00:00:02'),
      etherType: ETHERTYPE_ARP,
      vlan: { pcp: 5, dei: true, vid: 100 },
      payload: Uint8Array.of(0xaa),
    });
    expect(Buffer.from(out).toString('hex')).toBe('ffffffffffff0200000000028100b0640806aa');
  });

  it('does not pad short frames on emit', () => {
    const out = ethernet.encode({
      dst: MacAddress.BROADCAST,
      src: MacAddress.ZERO,
      etherType: ETHERTYPE_IPV6,
      payload: new Uint8Array(0),
    });
    expect(out.length).toBe(14);
  });

  it('rejects frames shorter than 14 bytes and truncated 802.1Q tags', () => {
    expect(() => ethernet.parse(new Uint8Array(13))).toThrow(DecodeError);
    expect(() => ethernet.parse(hex('ffffffffffff 020000000002 8100 b0'))).toThrow(/802.1Q tag/);
  });

  it('rejects an 802.3 length field where the EtherType belongs', () => {
    expect(() => ethernet.parse(hex('ffffffffffff 020000000002 0040'))).toThrow(/Ethernet EtherType at 12/);
  });

  it('emit throws RangeError when the buffer is too small (caller bug)', () => {
    const r = ethernet.parse(hex('333300000001 020000000001 86dd 6000'));
    expect(() => ethernet.emit(r, new Uint8Array(15), 0)).toThrow(RangeError);
  });

  it('round-trips any repr (property)', () => {
    roundTrip(
      reprArb,
      (r) => ethernet.encode(r),
      (b) => ethernet.parse(b),
      {
        normalize,
        bufferLen: (r) => ethernet.bufferLen(r),
      },
    );
  });

  it('hostile input: random bytes throw only DecodeError', () => {
    hostileBytes((b) => ethernet.parse(b), { maxLength: 40, numRuns: 2000 });
  });

  it('hostile input: mutations and truncations of a valid frame throw only DecodeError', () => {
    hostileMutations(
      reprArb,
      (r) => ethernet.encode(r),
      (b) => ethernet.parse(b),
      { maxMutations: 4 },
    );
  });
});
