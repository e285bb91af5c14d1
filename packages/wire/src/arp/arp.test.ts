import { Ipv4Address, MacAddress } from '@kame/addr';
import fc from 'fast-check';
import { hex, hostileBytes, hostileMutations, roundTrip } from '../../test/support/properties';
import { ARP_OP_REPLY, ARP_OP_REQUEST, type ArpRepr, arp } from './arp';

// Who has 192.0.2.2? Tell 192.0.2.1 (from 02:00:00:00:00:01).
const REQUEST = hex('0001 0800 06 04 0001 020000000001 c0000201 000000000000 c0000202');

const macArb = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => MacAddress.fromBytes(b));
const v4Arb = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => Ipv4Address.fromBytes(b));
const reprArb: fc.Arbitrary<ArpRepr> = fc.record({
  operation: fc.constantFrom(ARP_OP_REQUEST, ARP_OP_REPLY),
  senderHardware: macArb,
  senderProtocol: v4Arb,
  targetHardware: macArb,
  targetProtocol: v4Arb,
});
const norm = (r: ArpRepr): unknown => ({
  operation: r.operation,
  sha: r.senderHardware.toString(),
  spa: r.senderProtocol.toString(),
  tha: r.targetHardware.toString(),
  tpa: r.targetProtocol.toString(),
});

describe('ARP for Ethernet/IPv4 (RFC 826)', () => {
  it('RFC 826: parses a request (golden bytes)', () => {
    expect(norm(arp.parse(REQUEST))).toEqual({
      operation: ARP_OP_REQUEST,
      sha: '02:00:00:00:00:01',
      spa: '192.0.2.1',
      tha: '00:00:00:00:00:00',
      tpa: '192.0.2.2',
    });
  });

  it('RFC 826: emits a reply byte-for-byte', () => {
    const out = arp.encode({
      operation: ARP_OP_REPLY,
      senderHardware: MacAddress.parse('02:00:00:00:00:02'),
      senderProtocol: Ipv4Address.parse('192.0.2.2'),
      targetHardware: MacAddress.parse('02:00:00:00:00:01'),
      targetProtocol: Ipv4Address.parse('192.0.2.1'),
    });
    expect(Buffer.from(out).toString('hex')).toBe('0001080006040002020000000002c0000202020000000001c0000201');
  });

  it('ignores Ethernet padding after the 28 bytes', () => {
    const padded = new Uint8Array(46);
    padded.set(REQUEST);
    expect(arp.parse(padded).targetProtocol.toString()).toBe('192.0.2.2');
  });

  it('RFC 826: rejects other hardware/protocol types, address lengths and operations', () => {
    const bad = (i: number, v: number): Uint8Array => {
      const b = REQUEST.slice();
      b[i] = v;
      return b;
    };
    expect(() => arp.parse(bad(1, 6))).toThrow(/ARP hardware type at 0/);
    expect(() => arp.parse(bad(2, 0x86))).toThrow(/ARP protocol type at 2/);
    expect(() => arp.parse(bad(4, 8))).toThrow(/ARP hardware length at 4/);
    expect(() => arp.parse(bad(5, 16))).toThrow(/ARP protocol length at 5/);
    expect(() => arp.parse(bad(7, 3))).toThrow(/ARP operation at 6/);
    expect(() => arp.parse(REQUEST.subarray(0, 27))).toThrow(/truncated/);
  });

  it('round-trips any repr (property)', () => {
    roundTrip(
      reprArb,
      (r) => arp.encode(r),
      (b) => arp.parse(b),
      { normalize: norm },
    );
  });

  it('hostile input: random bytes, mutations and truncations throw only DecodeError', () => {
    hostileBytes((b) => arp.parse(b), { maxLength: 40, numRuns: 1000 });
    hostileMutations(
      reprArb,
      (r) => arp.encode(r),
      (b) => arp.parse(b),
      { maxMutations: 3 },
    );
  });
});
