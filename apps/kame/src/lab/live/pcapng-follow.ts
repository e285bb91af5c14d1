import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { LINKTYPE_ETHERNET, PcapngWriter } from '@kame/wire';

/**
 * Live capture of one interface of a kame-kernel node. kame-kernel `--pcap DIR`
 * writes DIR/<node>.pcapng synchronously, block by block, with two pcapng
 * interfaces per endpoint ("<node>:<if>/out" and "<node>:<if>/in"). A follower
 * reads that file's blocks as they are appended, skips everything already in
 * the file when it starts (the capture is "from now on"), and re-emits the
 * frames of the wanted endpoint, both directions, as a fresh pcapng stream
 * with one interface named "<node>:<if>": SHB + IDB at once, then one EPB per
 * frame, timestamps kept.
 */

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const IF_NAME = 2;
const IF_TSRESOL = 9;
/** A block larger than this is treated as a broken file (frames are at most 64 KiB + headers). */
const MAX_BLOCK = 1 << 20;

export interface PcapngFilter {
  /** Feeds bytes of the source file; calls `emit` for each kept frame. */
  push(chunk: Uint8Array): void;
}

interface SourceIf {
  name: string;
  /** Units per second of the timestamps. */
  unitsPerSecond: bigint;
}

/**
 * An incremental pcapng reader that keeps the frames of interfaces whose
 * name is `<endpoint>/in` or `<endpoint>/out` (or `<endpoint>` itself).
 * `live` decides per frame whether it is emitted (false while catching up).
 */
export function pcapngFilter(
  endpoint: string,
  emit: (timestampNs: bigint, data: Uint8Array, origLen: number) => void,
  live: () => boolean,
): PcapngFilter {
  let buf = new Uint8Array(0);
  let interfaces: SourceIf[] = [];
  const wanted = new Set([endpoint, `${endpoint}/in`, `${endpoint}/out`]);
  return {
    push(chunk) {
      const merged = new Uint8Array(buf.length + chunk.length);
      merged.set(buf);
      merged.set(chunk, buf.length);
      buf = merged;
      let off = 0;
      const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      while (off + 12 <= buf.length) {
        const type = dv.getUint32(off, true);
        const total = dv.getUint32(off + 4, true);
        if (total < 12 || total % 4 !== 0 || total > MAX_BLOCK) {
          // Not ours to repair: drop what is buffered and resynchronize on the next push.
          buf = new Uint8Array(0);
          return;
        }
        if (off + total > buf.length) break;
        const body = off + 8;
        const end = off + total - 4;
        if (type === BLOCK_SHB) interfaces = [];
        else if (type === BLOCK_IDB && total >= 20) interfaces.push(readIdb(dv, body + 8, end));
        else if (type === BLOCK_EPB && total >= 32) {
          const ifc = interfaces[dv.getUint32(body, true)];
          if (ifc && wanted.has(ifc.name) && live()) {
            const units =
              (BigInt(dv.getUint32(body + 4, true)) << 32n) | BigInt(dv.getUint32(body + 8, true));
            const capLen = dv.getUint32(body + 12, true);
            const origLen = dv.getUint32(body + 16, true);
            if (body + 20 + capLen <= end) {
              const ns = (units * 1_000_000_000n) / ifc.unitsPerSecond;
              emit(ns, buf.slice(body + 20, body + 20 + capLen), origLen);
            }
          }
        }
        off += total;
      }
      buf = buf.slice(off);
    },
  };
}

function readIdb(dv: DataView, off: number, end: number): SourceIf {
  let name = '';
  let unitsPerSecond = 1_000_000n; // pcapng default: microseconds
  while (off + 4 <= end) {
    const code = dv.getUint16(off, true);
    const len = dv.getUint16(off + 2, true);
    if (code === 0 || off + 4 + len > end) break;
    if (code === IF_NAME)
      name = new TextDecoder().decode(new Uint8Array(dv.buffer, dv.byteOffset + off + 4, len));
    else if (code === IF_TSRESOL && len >= 1) {
      const v = dv.getUint8(off + 4);
      unitsPerSecond = v & 0x80 ? 2n ** BigInt(v & 0x7f) : 10n ** BigInt(v);
    }
    off += 4 + ((len + 3) & ~3);
  }
  return { name, unitsPerSecond };
}

export interface FollowOptions {
  /** How often the file is polled for new blocks (ms). */
  readonly pollMs?: number;
}

/**
 * Follows `path` (a kame-kernel per-node capture) and writes a pcapng stream
 * of `endpoint` ("node:if") to `sink`. Returns stop(). Process glue: polls
 * with a host timer.
 */
export function followPcapng(
  path: string,
  endpoint: string,
  sink: (bytes: Uint8Array) => void,
  o: FollowOptions = {},
): () => void {
  const writer = new PcapngWriter(sink, { userAppl: 'kame lab capture' });
  const ifId = writer.addInterface(endpoint, LINKTYPE_ETHERNET, 0, {
    description: `kame lab capture of ${endpoint}, both directions`,
  });
  let caughtUp = false;
  const filter = pcapngFilter(
    endpoint,
    (ns, data, origLen) => writer.writePacket(ifId, ns, data, origLen),
    () => caughtUp,
  );
  const fd = openSync(path, 'r');
  let pos = 0;
  const chunk = Buffer.alloc(1 << 16);
  const poll = (): void => {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      if (n <= 0) break;
      pos += n;
      filter.push(chunk.subarray(0, n));
    }
  };
  // Catch up with what the file holds (interfaces, old frames), then go live.
  const size = fstatSync(fd).size;
  while (pos < size) {
    const n = readSync(fd, chunk, 0, Math.min(chunk.length, size - pos), pos);
    if (n <= 0) break;
    pos += n;
    filter.push(chunk.subarray(0, n));
  }
  caughtUp = true;
  const timer = setInterval(poll, o.pollMs ?? 50);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    try {
      poll();
    } finally {
      closeSync(fd);
    }
  };
}
