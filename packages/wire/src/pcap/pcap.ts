import { DecodeError } from '../decode-error';
import type { CapturedPacket } from './pcapng';

/**
 * Classic libpcap files: a 24-byte global header (magic, version 2.4,
 * thiszone, sigfigs, snaplen, link type) and then records of
 * ts_sec(4) ts_frac(4) incl_len(4) orig_len(4) data. The magic 0xa1b2c3d4
 * means microsecond fractions and 0xa1b23c4d nanoseconds; read in the other
 * byte order, it tells the file was written on a host of the other endianness.
 */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
const GLOBAL_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;

function fail(field: string, offset: number, reason: string): never {
  throw new DecodeError('pcap', field, offset, reason);
}

/** Reads every record of a classic libpcap file; a malformed file throws DecodeError. */
export function readPcap(bytes: Uint8Array): CapturedPacket[] {
  if (bytes.length < GLOBAL_HEADER_LEN) fail('global header', 0, `truncated: ${bytes.length} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le: boolean;
  const m = dv.getUint32(0, true);
  if (m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS) le = true;
  else if (dv.getUint32(0, false) === PCAP_MAGIC_US || dv.getUint32(0, false) === PCAP_MAGIC_NS) le = false;
  else fail('magic', 0, `0x${m.toString(16)} is not a pcap magic number`);
  const nanos = dv.getUint32(0, le) === PCAP_MAGIC_NS;
  const major = dv.getUint16(4, le);
  if (major !== 2) fail('major version', 4, `${major} (want 2)`);
  // The link-type field's upper bits may carry FCS information; the type is the low 16 bits.
  const linkType = dv.getUint32(20, le) & 0xffff;
  const fracPerSecond = nanos ? 1_000_000_000 : 1_000_000;
  const packets: CapturedPacket[] = [];
  let off = GLOBAL_HEADER_LEN;
  while (off < bytes.length) {
    if (off + RECORD_HEADER_LEN > bytes.length) {
      fail('record header', off, `truncated: ${bytes.length - off} trailing bytes`);
    }
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const inclLen = dv.getUint32(off + 8, le);
    const origLen = dv.getUint32(off + 12, le);
    if (frac >= fracPerSecond) fail('timestamp fraction', off + 4, `${frac} is not below ${fracPerSecond}`);
    const data = off + RECORD_HEADER_LEN;
    if (data + inclLen > bytes.length) fail('captured length', off + 8, `${inclLen} overruns the file`);
    packets.push({
      linkType,
      timestamp: BigInt(sec) * 1_000_000_000n + BigInt(nanos ? frac : frac * 1000),
      data: bytes.subarray(data, data + inclLen),
      origLen,
      interfaceId: 0,
    });
    off = data + inclLen;
  }
  return packets;
}
