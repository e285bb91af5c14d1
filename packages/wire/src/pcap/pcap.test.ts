import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { DecodeError } from '../decode-error';
import { PCAP_MAGIC_NS, PCAP_MAGIC_US, readPcap } from './pcap';

/** A classic pcap file, built by hand for the reader's tests. */
function pcapFile(
  le: boolean,
  magic: number,
  records: { sec: number; frac: number; data: number[] }[],
): Uint8Array {
  const n = 24 + records.reduce((a, r) => a + 16 + r.data.length, 0);
  const out = new Uint8Array(n);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, magic, le);
  dv.setUint16(4, 2, le);
  dv.setUint16(6, 4, le);
  dv.setUint32(16, 65535, le);
  dv.setUint32(20, 1, le);
  let o = 24;
  for (const r of records) {
    dv.setUint32(o, r.sec, le);
    dv.setUint32(o + 4, r.frac, le);
    dv.setUint32(o + 8, r.data.length, le);
    dv.setUint32(o + 12, r.data.length, le);
    out.set(r.data, o + 16);
    o += 16 + r.data.length;
  }
  return out;
}

describe('classic pcap reader', () => {
  it.each([
    ['little-endian µs', true, PCAP_MAGIC_US, 5_000_123_000n],
    ['big-endian µs', false, PCAP_MAGIC_US, 5_000_123_000n],
    ['little-endian ns', true, PCAP_MAGIC_NS, 5_000_000_123n],
    ['big-endian ns', false, PCAP_MAGIC_NS, 5_000_000_123n],
  ])('%s', (_name, le, magic, ts) => {
    const pkts = readPcap(
      pcapFile(le, magic, [
        { sec: 5, frac: 123, data: [1, 2, 3] },
        { sec: 6, frac: 0, data: [] },
      ]),
    );
    expect(pkts).toHaveLength(2);
    expect(pkts[0]?.timestamp).toBe(ts);
    expect(pkts[0]?.linkType).toBe(1);
    expect(Array.from(pkts[0]?.data ?? [])).toEqual([1, 2, 3]);
    expect(pkts[1]?.data.length).toBe(0);
  });

  it('reads the shared captures (a-radvd.pcap: 11 frames, first at 1795672213.149537 s, 90 bytes)', () => {
    const pkts = readPcap(readFileSync(join(__dirname, '../../test/vectors/a-radvd.pcap')));
    expect(pkts).toHaveLength(11);
    expect(pkts[0]?.timestamp).toBe(1_795_672_213_149_537_000n);
    expect(pkts[0]?.data.length).toBe(90);
  });

  it('rejects bad magic, version, truncation and out-of-range fractions with DecodeError', () => {
    const good = pcapFile(true, PCAP_MAGIC_US, [{ sec: 1, frac: 2, data: [1, 2, 3, 4] }]);
    expect(() => readPcap(good.subarray(0, 20))).toThrow(/pcap global header at 0: truncated/);
    const badMagic = good.slice();
    badMagic[0] = 0;
    expect(() => readPcap(badMagic)).toThrow(/magic/);
    expect(() => readPcap(good.subarray(0, good.length - 1))).toThrow(/overruns/);
    expect(() => readPcap(good.subarray(0, 30))).toThrow(/record header/);
    expect(() => readPcap(pcapFile(true, PCAP_MAGIC_US, [{ sec: 0, frac: 1_000_000, data: [] }]))).toThrow(
      /fraction/,
    );
    const badVersion = good.slice();
    badVersion[4] = 3;
    expect(() => readPcap(badVersion)).toThrow(/major version/);
  });

  it('never throws anything but DecodeError', () => {
    const good = pcapFile(false, PCAP_MAGIC_NS, [
      { sec: 1, frac: 2, data: [1, 2, 3, 4] },
      { sec: 3, frac: 4, data: [5] },
    ]);
    fc.assert(
      fc.property(
        fc.nat({ max: good.length }),
        fc.nat({ max: good.length - 1 }),
        fc.nat(255),
        (cut, i, v) => {
          const b = good.slice(0, cut);
          if (i < b.length) b[i] = v;
          try {
            readPcap(b);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
