import { type PseudoHeader, onesSum } from '../../src/checksum';
import { u16 } from '../../src/codec';
import { type Dissection, finalDestination } from '../../src/dissect';
import { ethernet } from '../../src/ethernet/index';
import { icmpv6 } from '../../src/icmpv6/index';
import { ipv4 } from '../../src/ipv4/index';
import { ipv6, ipv6DestOpts, ipv6Fragment, ipv6HopByHop, ipv6Routing } from '../../src/ipv6/index';
import { tcp, udp } from '../../src/transport/index';
import { vxlan } from '../../src/vxlan';
import { rawLayers } from './compare';

/** Linux CHECKSUM_PARTIAL: the field holds the folded, uncomplemented pseudo-header sum. */
function partialPseudoSum(ph: PseudoHeader, length: number, protocol: number): number {
  let sum = onesSum(ph.src.bytes) + onesSum(ph.dst.bytes) + protocol;
  sum += Math.floor(length / 0x10000) + (length & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function eq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Each layer re-emitted from its repr; returns a note for each non-canonical layer (asserted in place). */
export function reencode(d: Dissection, frame: Uint8Array): string[] {
  const notes: string[] = [];
  for (let x: Dissection | undefined = d, bytes = frame; x;) {
    expect(eq(ethernet.encode(x.ethernet, undefined), bytes)).toBe(true);
    const raw = rawLayers(x);
    let ph: PseudoHeader | undefined;
    if (x.ipv6 && raw.ipv6) {
      expect(eq(ipv6.encode(x.ipv6, undefined), raw.ipv6)).toBe(true);
      for (const h of x.extensionHeaders ?? []) {
        const want = x.ipv6.payload.subarray(h.offset, h.offset + h.length);
        const got =
          h.kind === 'hopByHop'
            ? ipv6HopByHop.encode(h.header, undefined)
            : h.kind === 'destinationOptions'
              ? ipv6DestOpts.encode(h.header, undefined)
              : h.kind === 'routing'
                ? ipv6Routing.encode(h.header, undefined)
                : ipv6Fragment.encode(h.header, undefined);
        expect(eq(got, want)).toBe(true);
      }
      ph = { src: x.ipv6.src, dst: finalDestination(x.ipv6.dst, x.extensionHeaders ?? []) };
    }
    if (x.ipv4 && raw.ipv4) {
      expect(eq(ipv4.encode(x.ipv4, undefined), raw.ipv4)).toBe(true);
      ph = { src: x.ipv4.src, dst: x.ipv4.dst };
    }
    const up = raw.upper;
    if (x.icmpv6 && up && ph) {
      // Every ICMPv6 message re-encodes byte-identically, including radvd's
      // Route Information option with Length 3 for a /48 (RFC 4191 2.3): the
      // repr keeps that Length.
      expect(eq(icmpv6.encode(x.icmpv6, ph), up)).toBe(true);
    }
    for (const [name, repr, codec, csumAt, proto] of [
      ['UDP', x.udp, udp, 6, 17],
      ['TCP', x.tcp, tcp, 16, 6],
    ] as const) {
      if (!repr || !up || !ph) continue;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const got = (codec as any).encode(repr, ph) as Uint8Array;
      if (eq(got, up)) continue;
      expect(got.length).toBe(up.length);
      const diff = [...got.keys()].filter((i) => got[i] !== up[i]);
      expect(diff.every((i) => i === csumAt || i === csumAt + 1)).toBe(true);
      expect(u16(up, csumAt)).toBe(partialPseudoSum(ph, up.length, proto));
      notes.push(`${name} partial (offloaded) checksum 0x${u16(up, csumAt).toString(16)}`);
    }
    if (x.vxlan && x.udp) expect(eq(vxlan.encode(x.vxlan, undefined), x.udp.payload)).toBe(true);
    if (!x.inner || !x.vxlan) break;
    bytes = x.vxlan.payload;
    x = x.inner;
  }
  return notes;
}
