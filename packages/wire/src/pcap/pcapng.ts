import { DecodeError } from '../decode-error';

/**
 * pcapng (draft-ietf-opsawg-pcapng): a writer that streams blocks to a sink,
 * and a reader for whole files. All blocks this writer emits are
 * little-endian; the reader accepts either byte order per section.
 *
 * Block layout (section 3.1): type(4) totalLength(4) body... totalLength(4),
 * with the body padded to 32 bits and totalLength counting the whole block.
 * Options (section 3.5): code(2) length(2) value padded to 32 bits, ending
 * with opt_endofopt (code 0, length 0).
 */

/** LINKTYPE_ETHERNET: IEEE 802.3 / Ethernet II frames without FCS. */
export const LINKTYPE_ETHERNET = 1;
/** LINKTYPE_RAW: raw IPv4 or IPv6, no link-layer header. */
export const LINKTYPE_RAW = 101;

export const PCAPNG_BLOCK_SHB = 0x0a0d0d0a;
export const PCAPNG_BLOCK_IDB = 0x00000001;
export const PCAPNG_BLOCK_PB = 0x00000002; // obsolete Packet Block
export const PCAPNG_BLOCK_SPB = 0x00000003;
export const PCAPNG_BLOCK_EPB = 0x00000006;
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const SHB_HARDWARE = 2;
const SHB_OS = 3;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** One captured frame as a reader returns it. */
export interface CapturedPacket {
  /** LINKTYPE_* of the interface the frame was captured on. */
  linkType: number;
  /** Capture time in nanoseconds since 1970-01-01 UTC (0n when the block has none, e.g. an SPB). */
  timestamp: bigint;
  /** The captured bytes (a copy-free view into the file). */
  data: Uint8Array;
  /** Length of the frame on the wire (>= data.length when the capture was truncated). */
  origLen: number;
  /** pcapng interface id (0 for classic pcap). */
  interfaceId: number;
}

export interface PcapngWriterOptions {
  /** shb_userappl; default "kame". */
  userAppl?: string;
  /** shb_os. */
  os?: string;
  /** shb_hardware. */
  hardware?: string;
  /**
   * Timestamp resolution written as if_tsresol on every interface, as a
   * negative power of ten: 9 (nanoseconds, the default) or 6 (microseconds), 0..9.
   */
  tsresol?: number;
}

export interface PcapngInterfaceOptions {
  /** if_description. */
  description?: string;
}

const utf8 = new TextEncoder();

function pad4(n: number): number {
  return (n + 3) & ~3;
}

interface Opt {
  code: number;
  value: Uint8Array;
}

function optionsLen(opts: readonly Opt[]): number {
  if (opts.length === 0) return 0;
  let n = 4; // opt_endofopt
  for (const o of opts) n += 4 + pad4(o.value.length);
  return n;
}

function writeOptions(dv: DataView, off: number, opts: readonly Opt[]): number {
  if (opts.length === 0) return off;
  const bytes = new Uint8Array(dv.buffer, dv.byteOffset, dv.byteLength);
  for (const o of opts) {
    dv.setUint16(off, o.code, true);
    dv.setUint16(off + 2, o.value.length, true);
    bytes.set(o.value, off + 4);
    off += 4 + pad4(o.value.length); // padding is already zero (fresh buffer)
  }
  dv.setUint16(off, OPT_ENDOFOPT, true);
  dv.setUint16(off + 2, 0, true);
  return off + 4;
}

/** Allocates a block with its type and both total-length fields filled in. */
function newBlock(type: number, total: number): { out: Uint8Array; dv: DataView } {
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, total, true);
  dv.setUint32(total - 4, total, true);
  return { out, dv };
}

/** Milliseconds (number, may be fractional) or nanoseconds (bigint) → nanoseconds. */
export function toNanoseconds(t: bigint | number): bigint {
  if (typeof t === 'bigint') return t;
  if (!Number.isFinite(t)) throw new RangeError(`pcapng: timestamp ${t} is not finite`);
  const whole = Math.floor(t);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((t - whole) * 1e6));
}

interface WriterInterface {
  linkType: number;
  snaplen: number;
  divisor: bigint;
}

/**
 * A streaming pcapng writer. The constructor emits the Section Header Block;
 * every later call emits exactly one block, as one chunk, to `sink`, so the
 * sink may append to a file or a socket as it goes.
 */
export class PcapngWriter {
  private readonly interfaces: WriterInterface[] = [];
  private readonly tsresol: number;

  constructor(
    private readonly sink: (chunk: Uint8Array) => void,
    opts: PcapngWriterOptions = {},
  ) {
    const tsresol = opts.tsresol ?? 9;
    if (!Number.isInteger(tsresol) || tsresol < 0 || tsresol > 9) {
      throw new RangeError(`pcapng: tsresol ${tsresol} must be an integer 0..9`);
    }
    this.tsresol = tsresol;
    const options: Opt[] = [];
    if (opts.hardware !== undefined) options.push({ code: SHB_HARDWARE, value: utf8.encode(opts.hardware) });
    if (opts.os !== undefined) options.push({ code: SHB_OS, value: utf8.encode(opts.os) });
    options.push({ code: SHB_USERAPPL, value: utf8.encode(opts.userAppl ?? 'kame') });
    // SHB body: byte-order magic(4) major(2) minor(2) section length(8) options.
    const total = 12 + 16 + optionsLen(options);
    const { out, dv } = newBlock(PCAPNG_BLOCK_SHB, total);
    dv.setUint32(8, PCAPNG_BYTE_ORDER_MAGIC, true);
    dv.setUint16(12, 1, true);
    dv.setUint16(14, 0, true);
    dv.setBigInt64(16, -1n, true); // section length not specified
    writeOptions(dv, 24, options);
    this.sink(out);
  }

  /**
   * Emits an Interface Description Block and returns the interface id to
   * pass to writePacket. `snaplen` 0 means "no limit".
   */
  addInterface(
    name: string,
    linkType: number = LINKTYPE_ETHERNET,
    snaplen = 262144,
    ifOpts: PcapngInterfaceOptions = {},
  ): number {
    if (!Number.isInteger(linkType) || linkType < 0 || linkType > 0xffff) {
      throw new RangeError(`pcapng: link type ${linkType} out of range`);
    }
    if (!Number.isInteger(snaplen) || snaplen < 0 || snaplen > 0xffffffff) {
      throw new RangeError(`pcapng: snaplen ${snaplen} out of range`);
    }
    const options: Opt[] = [{ code: IF_NAME, value: utf8.encode(name) }];
    if (ifOpts.description !== undefined) {
      options.push({ code: IF_DESCRIPTION, value: utf8.encode(ifOpts.description) });
    }
    options.push({ code: IF_TSRESOL, value: Uint8Array.of(this.tsresol) });
    // IDB body: linktype(2) reserved(2) snaplen(4) options.
    const total = 12 + 8 + optionsLen(options);
    const { out, dv } = newBlock(PCAPNG_BLOCK_IDB, total);
    dv.setUint16(8, linkType, true);
    dv.setUint32(12, snaplen, true);
    writeOptions(dv, 16, options);
    this.sink(out);
    this.interfaces.push({ linkType, snaplen, divisor: 10n ** BigInt(9 - this.tsresol) });
    return this.interfaces.length - 1;
  }

  /**
   * Emits an Enhanced Packet Block. `timestamp` is nanoseconds since the
   * epoch as a bigint, or milliseconds as a number (as from a Clock). Bytes
   * beyond the interface's snaplen are cut; `origLen` defaults to the full
   * length of `bytes`.
   */
  writePacket(ifId: number, timestamp: bigint | number, bytes: Uint8Array, origLen?: number): void {
    const iface = this.interfaces[ifId];
    if (iface === undefined) throw new RangeError(`pcapng: no interface ${ifId}`);
    const orig = origLen ?? bytes.length;
    if (!Number.isInteger(orig) || orig < 0 || orig > 0xffffffff) {
      throw new RangeError(`pcapng: original length ${orig} out of range`);
    }
    const ns = toNanoseconds(timestamp);
    if (ns < 0n) throw new RangeError('pcapng: negative timestamp');
    const units = ns / iface.divisor;
    if (units > 0xffffffffffffffffn) throw new RangeError('pcapng: timestamp too large');
    const data =
      iface.snaplen !== 0 && bytes.length > iface.snaplen ? bytes.subarray(0, iface.snaplen) : bytes;
    // EPB body: interface id(4) ts high(4) ts low(4) captured len(4) orig len(4) data (padded).
    const total = 12 + 20 + pad4(data.length);
    const { out, dv } = newBlock(PCAPNG_BLOCK_EPB, total);
    dv.setUint32(8, ifId, true);
    dv.setUint32(12, Number(units >> 32n), true);
    dv.setUint32(16, Number(units & 0xffffffffn), true);
    dv.setUint32(20, data.length, true);
    dv.setUint32(24, Math.max(orig, data.length), true);
    out.set(data, 28);
    this.sink(out);
  }
}

/** A frame for pcapngFile: bare bytes, or bytes with a timestamp and link type. */
export type PcapngFrame =
  Uint8Array | { data: Uint8Array; timestamp?: bigint | number; linkType?: number; origLen?: number };

/**
 * Builds a whole pcapng file in memory: one interface per link type
 * (named "if0", "if1", ...; Ethernet unless a frame says otherwise).
 * Frames without a timestamp are stamped 1 ms apart from the epoch.
 */
export function pcapngFile(frames: Iterable<PcapngFrame>, opts: PcapngWriterOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = new PcapngWriter((c) => chunks.push(c), opts);
  const ifByType = new Map<number, number>();
  let i = 0;
  for (const f of frames) {
    const frame = f instanceof Uint8Array ? { data: f } : f;
    const linkType = frame.linkType ?? LINKTYPE_ETHERNET;
    let ifId = ifByType.get(linkType);
    if (ifId === undefined) {
      ifId = w.addInterface(`if${ifByType.size}`, linkType, 0);
      ifByType.set(linkType, ifId);
    }
    w.writePacket(ifId, frame.timestamp ?? BigInt(i) * 1_000_000n, frame.data, frame.origLen);
    i++;
  }
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

interface ReaderInterface {
  linkType: number;
  /** Timestamp units per second: 10^n or 2^n. */
  unitsPerSecond: bigint;
  /** if_tsoffset in seconds. */
  offsetSeconds: bigint;
}

function fail(field: string, offset: number, reason: string): never {
  throw new DecodeError('pcapng', field, offset, reason);
}

/** Units → nanoseconds for a given resolution, exact for powers of ten. */
function unitsToNs(units: bigint, perSecond: bigint): bigint {
  if (perSecond === 1_000_000_000n) return units;
  if (perSecond < 1_000_000_000n && 1_000_000_000n % perSecond === 0n)
    return units * (1_000_000_000n / perSecond);
  return (units * 1_000_000_000n) / perSecond;
}

/** Parses an IDB's options for if_tsresol and if_tsoffset. */
function readIdbOptions(
  dv: DataView,
  start: number,
  end: number,
  le: boolean,
): { unitsPerSecond: bigint; offsetSeconds: bigint } {
  let unitsPerSecond = 1_000_000n;
  let offsetSeconds = 0n;
  let off = start;
  while (off + 4 <= end) {
    const code = dv.getUint16(off, le);
    const len = dv.getUint16(off + 2, le);
    if (code === OPT_ENDOFOPT) break;
    if (off + 4 + len > end)
      fail('option length', off + 2, `option ${code} of ${len} bytes overruns its block`);
    if (code === IF_TSRESOL) {
      if (len !== 1) fail('if_tsresol', off, `length ${len} (want 1)`);
      const r = dv.getUint8(off + 4);
      const exp = BigInt(r & 0x7f);
      if ((r & 0x80) !== 0) {
        if (exp > 63n) fail('if_tsresol', off + 4, `2^-${exp} is too fine`);
        unitsPerSecond = 1n << exp;
      } else {
        if (exp > 18n) fail('if_tsresol', off + 4, `10^-${exp} is too fine`);
        unitsPerSecond = 10n ** exp;
      }
    } else if (code === IF_TSOFFSET) {
      if (len !== 8) fail('if_tsoffset', off, `length ${len} (want 8)`);
      offsetSeconds = dv.getBigInt64(off + 4, le);
    }
    off += 4 + pad4(len);
  }
  return { unitsPerSecond, offsetSeconds };
}

/**
 * Reads every packet of a pcapng file (all sections; EPB, SPB and the
 * obsolete PB; other block types are skipped). A file that is not
 * well-formed throws DecodeError.
 */
export function readPcapng(bytes: Uint8Array): CapturedPacket[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: CapturedPacket[] = [];
  let interfaces: ReaderInterface[] = [];
  let le = true;
  let off = 0;
  if (bytes.length < 12) fail('section header', 0, `truncated: ${bytes.length} bytes`);
  while (off < bytes.length) {
    if (off + 12 > bytes.length) fail('block', off, `truncated: ${bytes.length - off} trailing bytes`);
    // The block type is a palindrome for the SHB, so it can be read before the byte order is known.
    const typeLe = dv.getUint32(off, true);
    if (typeLe === PCAPNG_BLOCK_SHB) {
      const magicLe = dv.getUint32(off + 8, true);
      if (magicLe === PCAPNG_BYTE_ORDER_MAGIC) le = true;
      else if (dv.getUint32(off + 8, false) === PCAPNG_BYTE_ORDER_MAGIC) le = false;
      else fail('byte-order magic', off + 8, `0x${magicLe.toString(16)} (want 0x1a2b3c4d)`);
      interfaces = [];
    } else if (off === 0) {
      fail('section header', 0, `block type 0x${typeLe.toString(16)} (not a pcapng file)`);
    }
    const type = dv.getUint32(off, le);
    const total = dv.getUint32(off + 4, le);
    if (total < 12 || total % 4 !== 0)
      fail('block total length', off + 4, `${total} (want >= 12, multiple of 4)`);
    if (off + total > bytes.length) fail('block total length', off + 4, `${total} overruns the file`);
    const end = off + total - 4;
    if (dv.getUint32(end, le) !== total)
      fail('trailing block total length', end, 'differs from the leading one');
    const body = off + 8;
    switch (type) {
      case PCAPNG_BLOCK_SHB: {
        if (total < 28) fail('section header', off, `length ${total} (want >= 28)`);
        const major = dv.getUint16(body + 4, le);
        if (major !== 1) fail('major version', body + 4, `${major} (want 1)`);
        break;
      }
      case PCAPNG_BLOCK_IDB: {
        if (total < 20) fail('interface description', off, `length ${total} (want >= 20)`);
        const linkType = dv.getUint16(body, le);
        interfaces.push({ linkType, ...readIdbOptions(dv, body + 8, end, le) });
        break;
      }
      case PCAPNG_BLOCK_EPB:
      case PCAPNG_BLOCK_PB: {
        if (total < 32) fail('packet block', off, `length ${total} (want >= 32)`);
        const ifId = type === PCAPNG_BLOCK_EPB ? dv.getUint32(body, le) : dv.getUint16(body, le);
        const iface = interfaces[ifId];
        if (iface === undefined) fail('interface id', body, `${ifId} names no interface in this section`);
        const units = (BigInt(dv.getUint32(body + 4, le)) << 32n) | BigInt(dv.getUint32(body + 8, le));
        const capLen = dv.getUint32(body + 12, le);
        const origLen = dv.getUint32(body + 16, le);
        const dataOff = body + 20;
        if (dataOff + capLen > end) fail('captured length', body + 12, `${capLen} overruns the block`);
        packets.push({
          linkType: iface.linkType,
          timestamp: unitsToNs(units, iface.unitsPerSecond) + iface.offsetSeconds * 1_000_000_000n,
          data: bytes.subarray(dataOff, dataOff + capLen),
          origLen,
          interfaceId: ifId,
        });
        break;
      }
      case PCAPNG_BLOCK_SPB: {
        if (total < 16) fail('simple packet block', off, `length ${total} (want >= 16)`);
        const iface = interfaces[0];
        if (iface === undefined) fail('interface id', body, 'simple packet block before any interface');
        const origLen = dv.getUint32(body, le);
        const capLen = Math.min(origLen, end - (body + 4));
        packets.push({
          linkType: iface.linkType,
          timestamp: 0n,
          data: bytes.subarray(body + 4, body + 4 + capLen),
          origLen,
          interfaceId: 0,
        });
        break;
      }
      default:
        break; // NRB, ISB, DSB, custom blocks: not needed here.
    }
    off += total;
  }
  return packets;
}
