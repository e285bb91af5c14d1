import { Ipv6Address } from '@kame/addr';
import fc from 'fast-check';
import { DecodeError } from '../decode-error';
import { hostileBytes, hostileMutations } from '../../test/support/properties';
import { IPV6_EXT_HEADER_LIMIT, isExtensionHeader, walkExtensionHeaders } from './extension-headers';
import { ipv6Fragment } from './fragment';
import { ipv6DestOpts, ipv6HopByHop } from './options';
import {
  IPPROTO_DSTOPTS,
  IPPROTO_FRAGMENT,
  IPPROTO_HOPOPTS,
  IPPROTO_ICMPV6,
  IPPROTO_NONE,
  IPPROTO_ROUTING,
  IPPROTO_TCP,
  IPPROTO_UDP,
} from './protocols';
import { ipv6Routing } from './routing';

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const hbh = ipv6HopByHop.encode({
  nextHeader: IPPROTO_DSTOPTS,
  options: [{ kind: 'routerAlert', value: 0 }],
});
const dst1 = ipv6DestOpts.encode({ nextHeader: IPPROTO_ROUTING, options: [] });
const rt2 = ipv6Routing.encode({
  kind: 'type2',
  nextHeader: IPPROTO_FRAGMENT,
  segmentsLeft: 1,
  homeAddress: Ipv6Address.parse('2001:db8::1'),
});
const frag0 = ipv6Fragment.encode({
  nextHeader: IPPROTO_UDP,
  fragmentOffset: 0,
  more: true,
  identification: 7,
});
const udp = Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0, 8, 0, 0);

/** `n` Destination Options headers chained, each pointing at the next, the last at `last`. */
function dstChain(n: number, last: number): Uint8Array {
  const out = new Uint8Array(8 * n);
  for (let k = 0; k < n; k++) {
    out[8 * k] = k === n - 1 ? last : IPPROTO_DSTOPTS;
    out[8 * k + 2] = 1; // PadN with 4 zero octets
    out[8 * k + 3] = 4;
  }
  return out;
}

describe('IPv6 extension header chain walk (RFC 8200 4.1, IMPLEMENTATION 1.8)', () => {
  it('RFC 8200 4.1: walks Hop-by-Hop, Destination Options, Routing, Fragment (offset 0) to UDP', () => {
    const bytes = concat(hbh, dst1, rt2, frag0, udp);
    const c = walkExtensionHeaders(IPPROTO_HOPOPTS, bytes);
    expect(c.headers.map((h) => [h.kind, h.protocol, h.offset, h.length])).toEqual([
      ['hopByHop', 0, 0, 8],
      ['destinationOptions', 60, 8, 8],
      ['routing', 43, 16, 24],
      ['fragment', 44, 40, 8],
    ]);
    expect(c.upperProtocol).toBe(IPPROTO_UDP);
    expect(c.upperOffset).toBe(48);
    expect(Array.from(c.payload)).toEqual(Array.from(udp));
    const h0 = c.headers[0]!;
    expect(h0.kind === 'hopByHop' && h0.header.options[0]).toEqual({ kind: 'routerAlert', value: 0 });
  });

  it('returns at once when the first header is an upper-layer protocol', () => {
    const c = walkExtensionHeaders(IPPROTO_ICMPV6, udp);
    expect(c).toMatchObject({ headers: [], upperProtocol: 58, upperOffset: 0 });
    expect(c.payload.length).toBe(8);
  });

  it('RFC 8200 4.5: stops at a Fragment header with a non-zero offset; the rest is fragment data', () => {
    const frag = ipv6Fragment.encode({
      nextHeader: IPPROTO_TCP,
      fragmentOffset: 10,
      more: false,
      identification: 7,
    });
    // What follows looks like a Destination Options header but is fragment data.
    const bytes = concat(frag, dstChain(1, IPPROTO_NONE));
    const c = walkExtensionHeaders(IPPROTO_FRAGMENT, bytes);
    expect(c.headers.map((h) => h.kind)).toEqual(['fragment']);
    expect(c.upperProtocol).toBe(IPPROTO_TCP);
    expect(c.upperOffset).toBe(8);
    expect(c.payload.length).toBe(8);
  });

  it('RFC 8200 4.7: stops at No Next Header (59) and ignores what follows', () => {
    const c = walkExtensionHeaders(
      IPPROTO_DSTOPTS,
      concat(dstChain(2, IPPROTO_NONE), Uint8Array.of(1, 2, 3)),
    );
    expect(c.headers.length).toBe(2);
    expect(c.upperProtocol).toBe(IPPROTO_NONE);
    expect(c.upperOffset).toBe(16);
    expect(c.payload.length).toBe(3);
  });

  it('RFC 8200 4.1: rejects a Hop-by-Hop header anywhere but first, pointing at the Next Header field', () => {
    const bytes = concat(dstChain(1, IPPROTO_HOPOPTS), hbh);
    expect(() => walkExtensionHeaders(IPPROTO_DSTOPTS, bytes)).toThrow(/IPv6 next header at 0: Hop-by-Hop/);
  });

  it('rejects a truncated header with offsets relative to the walked bytes', () => {
    const bytes = concat(hbh, dst1.subarray(0, 5));
    expect(() => walkExtensionHeaders(IPPROTO_HOPOPTS, bytes)).toThrow(/Destination Options header at 8/);
  });

  it('IMPLEMENTATION 1.8: 1000 chained Destination Options headers are refused at the bound, without recursion', () => {
    const bytes = dstChain(1000, IPPROTO_NONE);
    expect(() => walkExtensionHeaders(IPPROTO_DSTOPTS, bytes)).toThrow(
      new RegExp(`more than ${IPV6_EXT_HEADER_LIMIT} extension headers`),
    );
  });

  it('IMPLEMENTATION 1.8: with the bound raised, 1000 chained headers walk iteratively (no stack overflow)', () => {
    const c = walkExtensionHeaders(IPPROTO_DSTOPTS, dstChain(1000, IPPROTO_UDP), 1000);
    expect(c.headers.length).toBe(1000);
    expect(c.upperProtocol).toBe(IPPROTO_UDP);
    expect(c.upperOffset).toBe(8000);
    expect(() => walkExtensionHeaders(IPPROTO_DSTOPTS, dstChain(1001, IPPROTO_UDP), 1000)).toThrow(
      DecodeError,
    );
  });

  it('isExtensionHeader names exactly 0, 43, 44, 60', () => {
    const ext = [];
    for (let p = 0; p < 256; p++) if (isExtensionHeader(p)) ext.push(p);
    expect(ext).toEqual([0, 43, 44, 60]);
  });

  it('hostile input: random chains and bytes throw only DecodeError', () => {
    const nhArb = fc.constantFrom(0, 43, 44, 60, 59, 17);
    hostileBytes(
      (b, first) => {
        // Bias bytes toward extension-header values and small lengths so walks go deep.
        for (let i = 0; i + 1 < b.length; i += 8) {
          b[i] = [0, 43, 44, 60, 59, 17][b[i]! % 6]!;
          b[i + 1] = b[i + 1]! & 1;
        }
        return walkExtensionHeaders(first, b);
      },
      { maxLength: 96, numRuns: 3000, extra: nhArb },
    );
  });

  it('hostile input: mutations and truncations of a valid chain throw only DecodeError', () => {
    const valid = concat(hbh, dst1, rt2, frag0, udp);
    hostileMutations(
      fc.constant(valid),
      (v) => v.slice(),
      (b) => walkExtensionHeaders(IPPROTO_HOPOPTS, b),
      {
        maxMutations: 4,
        numRuns: 2000,
      },
    );
  });
});
