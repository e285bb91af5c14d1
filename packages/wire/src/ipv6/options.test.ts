import fc from 'fast-check';
import { DecodeError } from '../decode-error';
import { hex, hostileBytes, hostileMutations } from '../../test/support/properties';
import {
  IPV6_OPT_JUMBO,
  IPV6_OPT_ROUTER_ALERT,
  OPTION_ACTION_DISCARD,
  OPTION_ACTION_DISCARD_ICMP,
  OPTION_ACTION_DISCARD_ICMP_UNICAST,
  OPTION_ACTION_SKIP,
  ROUTER_ALERT_MLD,
  type Ipv6Option,
  type Ipv6OptionsRepr,
  ipv6DestOpts,
  ipv6HopByHop,
  optionAction,
  optionMayChange,
  ipv6OptionSize,
  ipv6OptionType,
} from './options';
import { IPPROTO_ICMPV6, IPPROTO_NONE } from './protocols';

const optionArb: fc.Arbitrary<Ipv6Option> = fc.oneof(
  fc.constant<Ipv6Option>({ kind: 'pad1' }),
  fc.integer({ min: 0, max: 12 }).map((length): Ipv6Option => ({ kind: 'padN', length })),
  fc.integer({ min: 0, max: 0xffff }).map((value): Ipv6Option => ({ kind: 'routerAlert', value })),
  fc.integer({ min: 0, max: 0xffffffff }).map((length): Ipv6Option => ({ kind: 'jumboPayload', length })),
  fc
    .record({
      type: fc
        .integer({ min: 2, max: 255 })
        .filter((t) => t !== IPV6_OPT_ROUTER_ALERT && t !== IPV6_OPT_JUMBO),
      data: fc.uint8Array({ maxLength: 20 }),
    })
    .map(({ type, data }): Ipv6Option => ({ kind: 'unknown', type, data })),
);
const reprArb: fc.Arbitrary<Ipv6OptionsRepr> = fc.record({
  nextHeader: fc.integer({ min: 0, max: 255 }),
  options: fc.array(optionArb, { maxLength: 10 }),
});

const norm = (o: Ipv6Option): unknown => (o.kind === 'unknown' ? { ...o, data: Array.from(o.data) } : o);

describe('IPv6 Hop-by-Hop / Destination Options headers (RFC 8200 4.2, 4.3, 4.6)', () => {
  it('RFC 2710 3 / RFC 2711: parses the MLD Hop-by-Hop header with Router Alert 0 and PadN (golden bytes)', () => {
    const b = hex('3a00 0502 0000 0100');
    const r = ipv6HopByHop.parse(b);
    expect(r.nextHeader).toBe(IPPROTO_ICMPV6);
    expect(r.options).toEqual([
      { kind: 'routerAlert', value: ROUTER_ALERT_MLD },
      { kind: 'padN', length: 0 },
    ]);
  });

  it('RFC 8200 4.2: emit pads Router Alert to 8 octets with PadN, byte-for-byte', () => {
    const out = ipv6HopByHop.encode({ nextHeader: 58, options: [{ kind: 'routerAlert', value: 0 }] });
    expect(Buffer.from(out).toString('hex')).toBe('3a00050200000100');
  });

  it('RFC 8200 4.2: emit uses Pad1 when one octet is missing', () => {
    const out = ipv6DestOpts.encode({
      nextHeader: 59,
      options: [{ kind: 'unknown', type: 0x1e, data: Uint8Array.of(1, 2, 3) }],
    });
    expect(Buffer.from(out).toString('hex')).toBe('3b001e0301020300');
  });

  it('RFC 8200 4.2: emit of an empty option list is one 8-octet header of PadN', () => {
    expect(Buffer.from(ipv6DestOpts.encode({ nextHeader: IPPROTO_NONE, options: [] })).toString('hex')).toBe(
      '3b00010400000000',
    );
  });

  it('RFC 2675 2: parses a Jumbo Payload option (type 0xC2, length 4)', () => {
    const r = ipv6HopByHop.parse(hex('1100 c204 0001 0000'));
    expect(r.options).toEqual([{ kind: 'jumboPayload', length: 0x10000 }]);
  });

  it('RFC 8200 4.2: keeps unknown options raw and multi-octet headers (Hdr Ext Len 1)', () => {
    const b = hex('3b01 3e06 010203040506 01 04 00000000');
    const r = ipv6DestOpts.parse(b);
    expect(r.options.length).toBe(2);
    const u = r.options[0]!;
    expect(u.kind === 'unknown' && Array.from(u.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.options[1]).toEqual({ kind: 'padN', length: 4 });
  });

  it('RFC 8200 4.2: optionAction reads the two high-order bits', () => {
    expect(optionAction(IPV6_OPT_ROUTER_ALERT)).toBe(OPTION_ACTION_SKIP);
    expect(optionAction(0x4d)).toBe(OPTION_ACTION_DISCARD);
    expect(optionAction(0x80)).toBe(OPTION_ACTION_DISCARD_ICMP);
    expect(optionAction(IPV6_OPT_JUMBO)).toBe(OPTION_ACTION_DISCARD_ICMP_UNICAST);
    expect(optionMayChange(0x3e)).toBe(true);
    expect(optionMayChange(IPV6_OPT_JUMBO)).toBe(false);
  });

  it('ipv6OptionType and ipv6OptionSize agree with the wire format', () => {
    expect(ipv6OptionType({ kind: 'pad1' })).toBe(0);
    expect(ipv6OptionSize({ kind: 'pad1' })).toBe(1);
    expect(ipv6OptionSize({ kind: 'jumboPayload', length: 1 << 20 })).toBe(6);
  });

  it('RFC 8200 4.2: rejects an option that runs past the header end', () => {
    expect(() => ipv6DestOpts.parse(hex('3b00 3e07 0000 0000'))).toThrow(/option length at 3/);
    expect(() => ipv6DestOpts.parse(hex('3b00 0000 0000 003e'))).toThrow(/without a length/);
  });

  it('RFC 2711 2 / RFC 2675 2: rejects Router Alert and Jumbo Payload with the wrong length', () => {
    expect(() => ipv6HopByHop.parse(hex('3a00 0503 000000 00'))).toThrow(/Router Alert length at 3/);
    expect(() => ipv6HopByHop.parse(hex('3a00 c202 0000 0000'))).toThrow(/Jumbo Payload length at 3/);
  });

  it('rejects a header shorter than Hdr Ext Len says', () => {
    expect(() => ipv6HopByHop.parse(hex('3a01 0502 0000 0100'))).toThrow(DecodeError);
    expect(() => ipv6HopByHop.parse(hex('3a'))).toThrow(DecodeError);
  });

  it('emit throws RangeError for options over 2048 octets (caller bug)', () => {
    const big: Ipv6Option[] = Array.from({ length: 10 }, () => ({ kind: 'padN', length: 255 }));
    expect(() => ipv6DestOpts.encode({ nextHeader: 59, options: big })).toThrow(RangeError);
  });

  it('round-trips any option list: parse gives the options then only trailing padding (property)', () => {
    fc.assert(
      fc.property(reprArb, (r) => {
        const bytes = ipv6DestOpts.encode(r);
        expect(bytes.length % 8).toBe(0);
        expect(bytes.length).toBe(ipv6DestOpts.bufferLen(r));
        const p = ipv6DestOpts.parse(bytes);
        expect(p.nextHeader).toBe(r.nextHeader);
        expect(p.options.slice(0, r.options.length).map(norm)).toEqual(r.options.map(norm));
        for (const o of p.options.slice(r.options.length)) expect(['pad1', 'padN']).toContain(o.kind);
        expect(Array.from(ipv6DestOpts.encode(p))).toEqual(Array.from(bytes));
      }),
    );
  });

  it('hostile input: random bytes throw only DecodeError', () => {
    hostileBytes(
      (b) => {
        if (b.length > 1) b[1] = b[1]! & 3; // plausible lengths reach the option parser
        return ipv6HopByHop.parse(b);
      },
      { maxLength: 48, numRuns: 3000 },
    );
  });

  it('hostile input: mutations and truncations of a valid header throw only DecodeError', () => {
    hostileMutations(
      reprArb,
      (r) => ipv6HopByHop.encode(r),
      (b) => ipv6HopByHop.parse(b),
      { maxMutations: 4 },
    );
  });
});
