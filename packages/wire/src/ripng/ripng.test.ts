import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ipv6Address } from '@kame/addr';
import { DecodeError } from '../decode-error';
import { dissect } from '../dissect';
import { readPcap } from '../pcap/index';
import { type TsObject, tsharkPackets } from '../../test/support/tshark-json';
import {
  RIPNG_PORT,
  RipngPacket,
  type RipngRepr,
  isNextHopRte,
  isWholeTableRequest,
  ripng,
  ripngPacket,
  ripngResponseProblem,
  ripngRteProblem,
} from './ripng';

const VECTORS = join(__dirname, '..', '..', 'test', 'vectors');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

interface GoldenCapture {
  /** File name under test/vectors, without .pcap / .json. */
  readonly name: string;
  /** Who sent the packets, for the test titles. */
  readonly implementation: string;
  /** Link-local source of the implementation under test; undefined: every RIPng sender in the file. */
  readonly sender?: string;
  /** The sender's requests and responses in the file. */
  readonly requests: number;
  readonly responses: number;
}

interface GoldenFrame {
  readonly number: number;
  readonly bytes: Uint8Array;
  readonly layers: TsObject;
  /** Sent by the implementation under test. */
  readonly own: boolean;
}

/**
 * Every RIPng packet of a capture decodes to tshark's dissection of it and
 * re-encodes byte-identically; the datagram rules of RFC 2080 2.4.2 hold for
 * every response. `more` gets the frames of the implementation under test, for
 * checks specific to one capture.
 */
function ripngGolden(c: GoldenCapture, more?: (own: readonly GoldenFrame[]) => void): void {
  describe(`RIPng golden vectors (${c.implementation}, ${c.name}.pcap, tshark 4.0.17)`, () => {
    const pkts = readPcap(readFileSync(join(VECTORS, `${c.name}.pcap`)));
    const json = tsharkPackets(readFileSync(join(VECTORS, `${c.name}.json`), 'utf8'));
    const rip: GoldenFrame[] = pkts
      .map((p, i) => ({ number: i + 1, bytes: p.data, layers: json[i]! }))
      .filter((f) => f.layers.has('ripng'))
      .map((f) => ({
        ...f,
        // Checksums are offloaded (partial) in these captures: see vectors/README.md.
        own:
          c.sender === undefined ||
          dissect(f.bytes, { verifyChecksums: false }).ipv6?.src.toString() === c.sender,
      }));
    const own = rip.filter((f) => f.own);

    it(`the capture holds ${c.implementation}'s packets: requests ${c.requests}, responses ${c.responses}`, () => {
      expect(pkts.length).toBe(json.length);
      const cmds = own.map((f) => f.layers.obj('ripng').str('ripng.cmd'));
      expect(cmds.filter((x) => x === '1').length).toBe(c.requests);
      expect(cmds.filter((x) => x === '2').length).toBe(c.responses);
      expect(cmds.length).toBe(c.requests + c.responses);
    });

    it.each(rip.map((f) => [`#${f.number}${f.own ? '' : ' (peer)'}`, f] as const))(
      'RFC 2080 2.1: frame %s decodes to tshark values and re-encodes byte-identically',
      (_n, f) => {
        const d = dissect(f.bytes, { verifyChecksums: false });
        expect(d.udp?.srcPort).toBe(RIPNG_PORT);
        expect(d.udp?.dstPort).toBe(RIPNG_PORT);
        const payload = d.udp!.payload;
        const r = ripng.parse(payload);
        const t = f.layers.obj('ripng');
        expect(r.command).toBe(t.str('ripng.cmd') === '1' ? 'request' : 'response');
        expect(r.version).toBe(t.num('ripng.version'));
        expect(r.reserved).toBe(parseInt(t.str('ripng.reserved').replace(/:/g, ''), 16));
        const trtes = t.objs('ripng.rte');
        expect(r.rtes.length).toBe(trtes.length);
        r.rtes.forEach((e, i) => {
          const te = trtes[i]!;
          expect(e.prefix.toString()).toBe(te.str('ripng.rte.ipv6_prefix'));
          expect(e.routeTag).toBe(te.num('ripng.rte.route_tag'));
          expect(e.prefixLength).toBe(te.num('ripng.rte.prefix_length'));
          expect(e.metric).toBe(te.num('ripng.rte.metric'));
          expect(ripngRteProblem(e)).toBeUndefined();
        });
        expect(hex(ripng.encode(r))).toBe(hex(payload));
        expect(ripng.bufferLen(r)).toBe(payload.length);
        // The datagram rules hold for every response sent.
        if (r.command === 'response') {
          expect(
            ripngResponseProblem({
              src: d.ipv6!.src,
              srcPort: d.udp!.srcPort,
              dst: d.ipv6!.dst,
              hopLimit: d.ipv6!.hopLimit,
            }),
          ).toBeUndefined();
        } else {
          expect(isWholeTableRequest(r)).toBe(true);
        }
      },
    );

    more?.(own);
  });
}

ripngGolden({ name: 'b-ripng', implementation: 'BIRD 2.0.12', requests: 2, responses: 5 });

// FRR ripngd in ns B (fe80::bccf:4bff:fe80:1ef5) against BIRD in ns A (fe80::a): ripngd redistributes
// a static route via fe80::a and runs without split horizon, so it sends next-hop RTEs; one of its
// routes is withdrawn mid-capture. See vectors/README.md.
ripngGolden(
  {
    name: 'b2-ripng-frr',
    implementation: 'FRR 8.4.4 ripngd',
    sender: 'fe80::bccf:4bff:fe80:1ef5',
    requests: 1,
    responses: 5,
  },
  (own) => {
    const responses = (): RipngRepr[] =>
      own
        .map((f) => ripng.parse(dissect(f.bytes, { verifyChecksums: false }).udp!.payload))
        .filter((r) => r.command === 'response');
    const routes = (r: RipngRepr): string[] => r.rtes.map((e) => `${e.prefix.toString()}/${e.prefixLength}`);

    it('RFC 2080 2.1.1: FRR sends a next-hop RTE (fe80::a) before the routes reached through that router', () => {
      const withNh = responses().filter((r) => r.rtes.some(isNextHopRte));
      expect(withNh.length).toBe(4);
      for (const r of withNh) {
        const i = r.rtes.findIndex(isNextHopRte);
        expect(r.rtes[i]).toEqual({
          prefix: Ipv6Address.parse('fe80::a'),
          routeTag: 0,
          prefixLength: 0,
          metric: 255,
        });
        // The next hop applies to the RTEs after it, up to the end of the packet.
        expect(routes(r).slice(i + 1)).toEqual(['2001:db8:a::/48', '2001:db8:c::/48']);
        // The RTEs before it are FRR's own routes (next hop = the packet's source).
        expect(routes(r).slice(0, i)).not.toContain('2001:db8:c::/48');
      }
    });

    it('RFC 2080 2.3, 2.5.1: FRR advertises the withdrawn 2001:db8:f2:1::/64 with metric 16', () => {
      const rs = responses();
      const metric = (r: RipngRepr): number | undefined =>
        r.rtes.find((e) => e.prefix.toString() === '2001:db8:f2:1::' && e.prefixLength === 64)?.metric;
      // Triggered update (routes just learned from BIRD), periodic update, triggered update for the
      // withdrawal, then periodic updates that keep the route at 16 during garbage collection.
      expect(rs.map(metric)).toEqual([undefined, 1, 16, 16, 16]);
      expect(routes(rs[2]!)).toEqual(['2001:db8:f2:1::/64']);
      // Aggregation, in every periodic update: 2001:db8:e0::/48 is advertised, its more-specifics are not.
      for (const r of [rs[1]!, rs[3]!, rs[4]!]) {
        expect(routes(r)).toContain('2001:db8:e0::/48');
        expect(routes(r)).not.toContain('2001:db8:e0:1::/64');
        expect(routes(r)).not.toContain('2001:db8:e0:2::/64');
      }
    });
  },
);

describe('RIPng codec', () => {
  // A response with a next-hop RTE and one route: hand-assembled from RFC 2080 2.1 / 2.1.1.
  const bytes = unhex(`
    02 01 00 00
    fe80 0000 0000 0000 0000 0000 0000 0001 0000 00 ff
    2001 0db8 0001 0000 0000 0000 0000 0000 1234 30 03`);

  it('RFC 2080 2.1.1: decodes a next-hop RTE followed by a route', () => {
    const r = ripng.parse(bytes);
    expect(r.command).toBe('response');
    expect(r.rtes.length).toBe(2);
    expect(isNextHopRte(r.rtes[0]!)).toBe(true);
    expect(r.rtes[0]!.prefix.toString()).toBe('fe80::1');
    expect(r.rtes[1]).toEqual({
      prefix: Ipv6Address.parse('2001:db8:1::'),
      routeTag: 0x1234,
      prefixLength: 48,
      metric: 3,
    });
    expect(hex(ripng.encode(r))).toBe(hex(bytes));
  });

  it('emit writes at an offset and refuses a short buffer', () => {
    const r = ripng.parse(bytes);
    const buf = new Uint8Array(50);
    expect(ripng.emit(r, buf, 6)).toBe(44);
    expect(hex(buf.subarray(6))).toBe(hex(bytes));
    expect(() => ripng.emit(r, new Uint8Array(43), 0)).toThrow(RangeError);
  });

  it('the view reads fields without copying the packet and bounds RTE indexes', () => {
    const v = RipngPacket.of(bytes);
    expect([v.command, v.version, v.reserved, v.rteCount]).toEqual([2, 1, 0, 2]);
    expect(v.rte(1).metric).toBe(3);
    expect(() => v.rte(2)).toThrow(RangeError);
  });

  it('ripngPacket builds a version-1 packet', () => {
    const r = ripngPacket('request', [
      { prefix: Ipv6Address.UNSPECIFIED, routeTag: 0, prefixLength: 0, metric: 16 },
    ]);
    expect(hex(ripng.encode(r))).toBe('01010000' + '00'.repeat(16) + '0000' + '00' + '10');
    expect(isWholeTableRequest(r)).toBe(true);
    expect(isWholeTableRequest({ ...r, command: 'response' })).toBe(false);
    expect(isWholeTableRequest({ ...r, rtes: [{ ...r.rtes[0]!, metric: 15 }] })).toBe(false);
  });
});

describe('RIPng hostile input', () => {
  const expectDecodeError = (b: Uint8Array, field: string, offset: number): void => {
    let err: unknown;
    try {
      ripng.parse(b);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).protocol).toBe('RIPng');
    expect((err as DecodeError).field).toBe(field);
    expect((err as DecodeError).offset).toBe(offset);
  };

  it('truncated header', () => {
    expectDecodeError(new Uint8Array(0), 'header', 0);
    expectDecodeError(unhex('020100'), 'header', 0);
  });
  it('RFC 2080 2.1: version other than 1', () => {
    expectDecodeError(unhex('02000000'), 'version', 1);
    expectDecodeError(unhex('02020000'), 'version', 1);
  });
  it('RFC 2080 2.1: command other than 1 or 2', () => {
    for (const c of [0, 3, 5, 255])
      expectDecodeError(unhex(c.toString(16).padStart(2, '0') + '010000'), 'command', 0);
  });
  it('RTE area not a multiple of 20 bytes (truncated RTE)', () => {
    const b = new Uint8Array(4 + 20 + 7);
    b.set([2, 1, 0, 0]);
    expectDecodeError(b, 'RTE', 24);
    expectDecodeError(b.subarray(0, 5), 'RTE', 4);
  });
  it('a header alone is a valid packet with no RTEs', () => {
    expect(ripng.parse(unhex('02010000')).rtes).toEqual([]);
  });
  it('decodes a 10,000-RTE packet without trouble (limits belong to the receiver)', () => {
    const b = new Uint8Array(4 + 20 * 10_000);
    b.set([2, 1, 0, 0]);
    expect(ripng.parse(b).rtes.length).toBe(10_000);
  });

  it('RFC 2080 2.4.2: RTE checks: metric 0, metric > 16, prefix length > 128, malformed next hop', () => {
    const e = { prefix: Ipv6Address.parse('2001:db8::'), routeTag: 0, prefixLength: 32, metric: 1 };
    expect(ripngRteProblem(e)).toBeUndefined();
    expect(ripngRteProblem({ ...e, metric: 16 })).toBeUndefined();
    expect(ripngRteProblem({ ...e, metric: 0 })).toBe('metric-zero');
    expect(ripngRteProblem({ ...e, metric: 17 })).toBe('metric-range');
    expect(ripngRteProblem({ ...e, metric: 254 })).toBe('metric-range');
    expect(ripngRteProblem({ ...e, prefixLength: 129 })).toBe('prefix-length');
    expect(ripngRteProblem({ ...e, metric: 0xff, prefixLength: 0 })).toBeUndefined();
    expect(ripngRteProblem({ ...e, metric: 0xff, prefixLength: 64 })).toBe('nexthop-format');
    expect(ripngRteProblem({ ...e, metric: 0xff, prefixLength: 0, routeTag: 1 })).toBe('nexthop-format');
  });

  it('RFC 2080 2.4.2: datagram checks: port 521, link-local source, hop limit 255', () => {
    const ok = {
      src: Ipv6Address.parse('fe80::1'),
      srcPort: 521,
      dst: Ipv6Address.parse('ff02::9'),
      hopLimit: 255,
    };
    expect(ripngResponseProblem(ok)).toBeUndefined();
    expect(ripngResponseProblem({ ...ok, srcPort: 522 })).toBe('bad-port');
    expect(ripngResponseProblem({ ...ok, src: Ipv6Address.parse('2001:db8::1') })).toBe('not-link-local');
    expect(ripngResponseProblem({ ...ok, hopLimit: 254 })).toBe('bad-hoplimit');
    expect(ripngResponseProblem({ ...ok, hopLimit: undefined })).toBe('no-hoplimit');
    // Unicast to our link-local address: any hop limit (the source is on-link by its scope).
    expect(ripngResponseProblem({ ...ok, dst: Ipv6Address.parse('fe80::2'), hopLimit: 64 })).toBeUndefined();
    // Unicast to a global address: 255 again.
    expect(ripngResponseProblem({ ...ok, dst: Ipv6Address.parse('2001:db8::2'), hopLimit: 64 })).toBe(
      'bad-hoplimit',
    );
  });
});
