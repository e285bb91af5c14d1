import fc from 'fast-check';
import { DecodeError } from './decode-error';
import { vxlan } from './vxlan';

describe('VXLAN header (RFC 7348 5)', () => {
  it('RFC 7348 5: encodes I flag 0x08 and the 24-bit VNI in bytes 4-6', () => {
    const out = vxlan.encode({ vni: 0x123456, payload: Uint8Array.of(0xaa) }, undefined);
    expect(Array.from(out)).toEqual([0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0, 0xaa]);
  });

  it('rejects a header without the I flag with a DecodeError naming the field', () => {
    const bad = Uint8Array.of(0x00, 0, 0, 0, 0, 0, 1, 0);
    expect(() => vxlan.parse(bad, undefined)).toThrow(DecodeError);
    expect(() => vxlan.parse(bad, undefined)).toThrow(/VXLAN flags at 0/);
  });

  it('rejects a datagram shorter than 8 bytes', () => {
    expect(() => vxlan.parse(new Uint8Array(7), undefined)).toThrow(/truncated/);
  });

  it('round-trips any VNI and payload', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffff }),
        fc.uint8Array({ maxLength: 100 }),
        (vni, payload) => {
          const r = vxlan.parse(vxlan.encode({ vni, payload }, undefined), undefined);
          expect(r.vni).toBe(vni);
          expect(Array.from(r.payload)).toEqual(Array.from(payload));
        },
      ),
    );
  });
});
