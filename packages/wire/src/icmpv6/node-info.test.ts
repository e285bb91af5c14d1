import fc from 'fast-check';
import type { PseudoHeader } from '../checksum';
import { ICMP6_NI_QUERY, ICMP6_NI_SUBJ_IPV6, ICMP6_NI_SUCCESS } from './constants';
import { icmpv6 } from './icmpv6';
import { roundTrip, toHex, a6 } from '../../test/support/properties';
import {
  NI_NODEADDR_FLAG_ALL,
  NI_NODEADDR_FLAG_GLOBAL,
  NI_QTYPE_NODEADDR,
  NI_QTYPE_NODENAME,
  type NodeInfoRepr,
} from './node-info';

const ctx: PseudoHeader = { src: a6('2001:db8::1'), dst: a6('2001:db8::2') };

describe('Node Information queries (RFC 4620)', () => {
  it('RFC 4620 4: a Node Addresses query for an IPv6 subject, golden bytes', () => {
    const q: NodeInfoRepr = {
      kind: 'nodeInfoQuery',
      code: ICMP6_NI_SUBJ_IPV6,
      qtype: NI_QTYPE_NODEADDR,
      flags: NI_NODEADDR_FLAG_GLOBAL | NI_NODEADDR_FLAG_ALL,
      nonce: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
      data: a6('2001:db8::2').bytes,
    };
    const out = icmpv6.encode(q, ctx);
    expect(out[0]).toBe(ICMP6_NI_QUERY);
    expect(toHex(out.subarray(4))).toBe(
      '0003' + '0022' + '0102030405060708' + '20010db8000000000000000000000002',
    );
    const back = icmpv6.parse(out, ctx);
    expect(back).toMatchObject({ kind: 'nodeInfoQuery', code: 0, qtype: 3, flags: 0x22 });
    // Zero-copy nonce and data.
    expect(back.kind === 'nodeInfoQuery' && back.data.buffer).toBe(out.buffer);
  });

  it('RFC 4620 6.2: a Node Name reply carries TTL and DNS-encoded names as data', () => {
    const r: NodeInfoRepr = {
      kind: 'nodeInfoReply',
      code: ICMP6_NI_SUCCESS,
      qtype: NI_QTYPE_NODENAME,
      flags: 0,
      nonce: new Uint8Array(8).fill(9),
      data: Uint8Array.of(0, 0, 0, 0, 4, 0x6b, 0x61, 0x6d, 0x65, 0, 0),
    };
    const out = icmpv6.encode(r, ctx);
    expect(out[0]).toBe(140);
    expect(icmpv6.parse(out, ctx)).toEqual({ ...r, nonce: out.subarray(8, 16), data: out.subarray(16) });
  });

  it('RFC 4620 4: shorter than 16 bytes is a DecodeError; a nonce of other than 8 bytes is a RangeError on emit', () => {
    const b = new Uint8Array(15);
    b[0] = 139;
    expect(() => icmpv6.parse(b, { ...ctx, verifyChecksum: false })).toThrow(/node information header/);
    const bad = {
      kind: 'nodeInfoQuery',
      code: 0,
      qtype: 0,
      flags: 0,
      nonce: new Uint8Array(7),
      data: new Uint8Array(0),
    } as const;
    expect(() => icmpv6.encode(bad, ctx)).toThrow(RangeError);
  });

  it('round-trips query and reply reprs (property)', () => {
    roundTrip(
      fc.record({
        kind: fc.constantFrom<'nodeInfoQuery' | 'nodeInfoReply'>('nodeInfoQuery', 'nodeInfoReply'),
        code: fc.integer({ min: 0, max: 255 }),
        qtype: fc.integer({ min: 0, max: 0xffff }),
        flags: fc.integer({ min: 0, max: 0xffff }),
        nonce: fc.uint8Array({ minLength: 8, maxLength: 8 }),
        data: fc.uint8Array({ maxLength: 40 }),
      }),
      (r: NodeInfoRepr) => icmpv6.encode(r, ctx),
      (b) => icmpv6.parse(b, ctx) as NodeInfoRepr,
      { normalize: (r) => ({ ...r, nonce: toHex(r.nonce), data: toHex(r.data) }) },
    );
  });
});
