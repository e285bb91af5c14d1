import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DecodeError } from '../decode-error';
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  PcapngWriter,
  pcapngFile,
  readPcapng,
  toNanoseconds,
} from './pcapng';

function u32le(b: Uint8Array, o: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(o, true);
}

describe('pcapng writer', () => {
  it('streams one chunk per block: SHB, IDB, EPB, each 32-bit aligned with matching total lengths', () => {
    const chunks: Uint8Array[] = [];
    const w = new PcapngWriter((c) => chunks.push(c));
    expect(chunks).toHaveLength(1);
    const id = w.addInterface('eth0', LINKTYPE_ETHERNET, 65535);
    expect(id).toBe(0);
    w.writePacket(id, 1_700_000_000_123_456_789n, Uint8Array.of(1, 2, 3, 4, 5));
    expect(chunks).toHaveLength(3);
    const [shb, idb, epb] = chunks as [Uint8Array, Uint8Array, Uint8Array];
    expect(u32le(shb, 0)).toBe(0x0a0d0d0a);
    expect(u32le(shb, 8)).toBe(0x1a2b3c4d);
    expect(u32le(idb, 0)).toBe(1);
    expect(u32le(epb, 0)).toBe(6);
    for (const c of chunks) {
      expect(c.length % 4).toBe(0);
      expect(u32le(c, 4)).toBe(c.length);
      expect(u32le(c, c.length - 4)).toBe(c.length);
    }
    // EPB: 28 header bytes, 5 data bytes padded to 8, trailing length.
    expect(epb.length).toBe(28 + 8 + 4);
    expect(u32le(epb, 20)).toBe(5);
    expect(Array.from(epb.subarray(28, 36))).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
  });

  it('round-trips frames, timestamps (ns bigint and ms number), link types and original lengths', () => {
    const file = pcapngFile([
      { data: Uint8Array.of(0xaa), timestamp: 1_795_672_213_149_537_123n },
      { data: new Uint8Array(61).fill(7), timestamp: 1500.25 },
      { data: Uint8Array.of(0x60), linkType: LINKTYPE_RAW, origLen: 40 },
      new Uint8Array(0),
    ]);
    const pkts = readPcapng(file);
    expect(pkts.map((p) => p.timestamp)).toEqual([
      1_795_672_213_149_537_123n,
      1_500_250_000n,
      2_000_000n,
      3_000_000n,
    ]);
    expect(pkts.map((p) => p.linkType)).toEqual([1, 1, 101, 1]);
    expect(pkts.map((p) => p.data.length)).toEqual([1, 61, 1, 0]);
    expect(pkts[2]?.origLen).toBe(40);
    expect(pkts[2]?.interfaceId).toBe(1);
  });

  it('writes microsecond timestamps when asked (if_tsresol 6) and reads them back', () => {
    const chunks: Uint8Array[] = [];
    const w = new PcapngWriter((c) => chunks.push(c), { tsresol: 6 });
    w.writePacket(w.addInterface('x'), 1_234_567_891n, Uint8Array.of(1));
    const file = Uint8Array.from(chunks.flatMap((c) => Array.from(c)));
    expect(readPcapng(file)[0]?.timestamp).toBe(1_234_567_000n);
  });

  it('cuts frames to the snaplen and keeps the original length', () => {
    const chunks: Uint8Array[] = [];
    const w = new PcapngWriter((c) => chunks.push(c));
    w.writePacket(w.addInterface('x', LINKTYPE_ETHERNET, 4), 0n, new Uint8Array(10));
    const [p] = readPcapng(Uint8Array.from(chunks.flatMap((c) => Array.from(c))));
    expect(p?.data.length).toBe(4);
    expect(p?.origLen).toBe(10);
  });

  it('rejects caller errors with RangeError', () => {
    const w = new PcapngWriter(() => undefined);
    expect(() => w.writePacket(0, 0n, new Uint8Array(1))).toThrow(RangeError);
    expect(() => new PcapngWriter(() => undefined, { tsresol: 12 })).toThrow(RangeError);
    expect(() => toNanoseconds(Number.NaN)).toThrow(RangeError);
  });

  const tsharkOk = (() => {
    try {
      execFileSync('tshark', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  // In CI (which installs tshark) a missing tshark fails instead of skipping.
  (tsharkOk || process.env.CI ? it : it.skip)(
    'is read by tshark with the same timestamps and lengths',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'kame-pcapng-'));
      try {
        const f = join(dir, 'x.pcapng');
        writeFileSync(f, pcapngFile([{ data: new Uint8Array(60), timestamp: 1_795_672_213_149_537_123n }]));
        const out = execFileSync(
          'tshark',
          ['-r', f, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len'],
          {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
          },
        );
        expect(out.trim()).toBe('1795672213.149537123\t60');
        expect(readFileSync(f).length % 4).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('pcapng reader', () => {
  const good = pcapngFile([Uint8Array.of(1, 2, 3), Uint8Array.of(4)]);

  it('reads big-endian sections', () => {
    // SHB(28) IDB(20) EPB(32 + 4 data) in big-endian.
    const be = Uint8Array.from([
      0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 28, 0x1a, 0x2b, 0x3c, 0x4d, 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff,
      0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 1, 0, 0, 0, 20, 0, 1, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 20, 0, 0,
      0, 6, 0, 0, 0, 36, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 4, 9, 8, 7, 6, 0, 0, 0, 36,
    ]);
    const [p] = readPcapng(be);
    expect(Array.from(p?.data ?? [])).toEqual([9, 8, 7, 6]);
    expect(p?.timestamp).toBe(1000n); // 1 µs (default resolution) = 1000 ns
  });

  it('rejects a file that is not pcapng, a bad trailing length and a truncated block', () => {
    expect(() => readPcapng(new Uint8Array(8))).toThrow(DecodeError);
    expect(() => readPcapng(Uint8Array.of(1, 0, 0, 0, 12, 0, 0, 0, 12, 0, 0, 0))).toThrow(/not a pcapng/);
    const badTrail = good.slice();
    badTrail[good.length - 1] = 0x7f;
    expect(() => readPcapng(badTrail)).toThrow(DecodeError);
    expect(() => readPcapng(good.subarray(0, good.length - 4))).toThrow(/overruns|truncated/);
  });

  it('never throws anything but DecodeError on mutated or truncated files', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: good.length }),
        fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          maxLength: 8,
        }),
        (cut, muts) => {
          const b = good.slice(0, cut);
          for (const [i, v] of muts) if (i < b.length) b[i] = v;
          try {
            readPcapng(b);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
