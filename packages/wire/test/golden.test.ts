/**
 * Golden vectors: every frame of test/vectors/*.pcap (captured from radvd,
 * BIRD, GoBGP, Kea, FRR and Linux) is dissected and compared field by field
 * with tshark 4.0.17's own dissection stored beside it, then every layer is
 * re-emitted from its repr and compared with the original bytes.
 *
 * Where re-encoding is not byte-identical, the reason is asserted, not
 * skipped:
 *  - partial checksums: UDP and TCP sent by the Linux kernel over veth/vxlan
 *    carry CHECKSUM_PARTIAL (the field holds the folded pseudo-header sum, not
 *    the checksum). We parse them with verifyChecksums:false, check that the
 *    field is exactly that partial sum, and compare the re-emitted segment
 *    with the original everywhere but the checksum field;
 * radvd's Route Information option for a /48 uses Length 3 (24 octets),
 * which RFC 4191 2.3 allows; the repr keeps that Length, so those RAs
 * (a-radvd #2 and #5) re-encode byte-identically like every other ICMPv6
 * message.
 */
import { DecodeError } from '../src/decode-error';
import { type Dissection, dissect, dissectLayers } from '../src/dissect';
import { icmpv6 } from '../src/icmpv6/index';
import { compareDissection, rawLayers } from './support/compare';
import { GOLDEN_VXLAN_PORTS as VXLAN_PORTS, loadGoldenFrames } from './support/golden';
import { reencode } from './support/reencode';

const frames = loadGoldenFrames();

/** Outcome of checking one frame, for the summary test. */
const partialChecksumFrames: string[] = [];
const nonCanonicalFrames: string[] = [];

/**
 * Dissects with checksums verified; when only a UDP/TCP checksum fails
 * (offload), dissects again without verification and says so.
 */
function dissectGolden(bytes: Uint8Array): { d: Dissection; partial: boolean } {
  const strict = dissectLayers(bytes, { vxlanPorts: VXLAN_PORTS });
  if (!strict.error) return { d: strict.layers as Dissection, partial: false };
  const e = strict.error;
  if (!((e.protocol === 'UDP' || e.protocol === 'TCP') && e.field === 'checksum')) throw e;
  return { d: dissect(bytes, { vxlanPorts: VXLAN_PORTS, verifyChecksums: false }), partial: true };
}

describe('golden vectors from real implementations (tshark 4.0.17 dissections)', () => {
  it('loads every capture with its dissection', () => {
    expect(new Set(frames.map((f) => f.file)).size).toBe(9);
    expect(frames.length).toBe(144);
  });

  it.each(frames.map((f) => [`${f.file} #${f.number}`, f] as const))('%s', (_name, f) => {
    const frame = f.layers.obj('frame');
    expect(f.bytes.length).toBe(frame.num('frame.len'));
    const [sec = '', frac = ''] = frame.str('frame.time_epoch').split('.');
    expect(f.timestamp).toBe(BigInt(sec) * 1_000_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9)));

    const { d, partial } = dissectGolden(f.bytes);
    expect(compareDissection(d, f.layers)).toEqual([]);
    // tshark found every ICMPv6 checksum good (status 1), as did we (dissectGolden verifies them).
    for (const s of f.layers.deep('icmpv6.checksum.status')) expect(s).toBe('1');
    // tshark's protocol list and ours agree on what was decoded.
    const protos = frame.str('frame.protocols').split(':');
    const ours: string[] = [];
    for (let x: Dissection | undefined = d; x; x = x.inner) {
      ours.push('eth');
      if (x.ipv6) ours.push('ipv6');
      if (x.extensionHeaders?.some((h) => h.kind === 'hopByHop')) ours.push('ipv6.hopopts');
      if (x.ipv4) ours.push('ip');
      if (x.icmpv6) ours.push('icmpv6');
      if (x.udp) ours.push('udp');
      if (x.tcp) ours.push('tcp');
      if (x.vxlan) ours.push('vxlan');
    }
    expect(protos.filter((p) => ours.includes(p))).toEqual(ours);

    const notes = reencode(d, f.bytes);
    if (partial) {
      expect(notes.some((n) => n.includes('partial'))).toBe(true);
      partialChecksumFrames.push(`${f.file} #${f.number}`);
    }
    if (notes.some((n) => !n.includes('partial'))) nonCanonicalFrames.push(`${f.file} #${f.number}`);
  });

  it('documents the frames that do not re-encode byte-identically', () => {
    // Every UDP/TCP frame in these captures was sent by a Linux kernel with checksum offload.
    const udpTcp = frames.filter((f) => f.layers.has('udp') || f.layers.has('tcp'));
    expect(partialChecksumFrames.length).toBe(udpTcp.length);
    // Nothing else: the radvd RAs (a-radvd #2 and #5) re-encode byte-identically too.
    expect(nonCanonicalFrames).toEqual([]);
  });

  it('a-radvd #2 and #5: the RAs with a Length-3 /48 Route Information option re-encode byte-identically', () => {
    const ras = frames.filter((f) => f.file === 'a-radvd.pcap' && (f.number === 2 || f.number === 5));
    expect(ras.length).toBe(2);
    for (const f of ras) {
      const d = dissect(f.bytes, { vxlanPorts: VXLAN_PORTS });
      const ra = d.icmpv6;
      expect(ra?.kind).toBe('routerAdvert');
      const ri = ra?.kind === 'routerAdvert' ? ra.options.filter((o) => o.kind === 'routeInfo') : [];
      expect(ri).toEqual([expect.objectContaining({ prefixLength: 48, length: 3 })]);
      const ph = { src: d.ipv6!.src, dst: d.ipv6!.dst };
      expect(Buffer.from(icmpv6.encode(ra!, ph)).toString('hex')).toBe(
        Buffer.from(rawLayers(d).upper!).toString('hex'),
      );
    }
  });

  it('never fails with anything but DecodeError even when told to verify checksums', () => {
    for (const f of frames) {
      const r = dissectLayers(f.bytes, { vxlanPorts: VXLAN_PORTS });
      if (r.error) expect(r.error).toBeInstanceOf(DecodeError);
    }
  });
});
