import { Ipv6Address } from '@kame/addr';
import { DecodeError } from '../decode-error';
import { ensure, put16, u16 } from '../codec';
import {
  MLDV2_LISTENER_REPORT,
  MLD_LISTENER_DONE,
  MLD_LISTENER_QUERY,
  MLD_LISTENER_REPORT,
} from './constants';

/**
 * Multicast Listener Discovery: MLDv1 (RFC 2710 3) and MLDv2 (RFC 3810 5).
 * Sizes include the 4-byte ICMPv6 header.
 */

export const MLD_V1_LEN = 24;
export const MLD_V2_QUERY_MIN_LEN = 28;
export const MLD_V2_REPORT_MIN_LEN = 8;
export const MLD_V2_RECORD_MIN_LEN = 20;

// RFC 3810 5.2.12 multicast address record types.
export const MLD_MODE_IS_INCLUDE = 1;
export const MLD_MODE_IS_EXCLUDE = 2;
export const MLD_CHANGE_TO_INCLUDE_MODE = 3;
export const MLD_CHANGE_TO_EXCLUDE_MODE = 4;
export const MLD_ALLOW_NEW_SOURCES = 5;
export const MLD_BLOCK_OLD_SOURCES = 6;

/** MLDv1 messages (RFC 2710 3): all 24 bytes. */
export interface MldV1Repr {
  kind: 'mldQuery' | 'mldReport' | 'mldDone';
  code: number;
  /** Milliseconds (meaningful in queries). */
  maxResponseDelay: number;
  /** :: in a general query. */
  multicastAddress: Ipv6Address;
}

/** MLDv2 Query (RFC 3810 5.1). */
export interface Mldv2QueryRepr {
  kind: 'mldv2Query';
  code: number;
  /** Milliseconds, decoded from the Maximum Response Code (RFC 3810 5.1.3). */
  maxResponseDelay: number;
  multicastAddress: Ipv6Address;
  /** S flag: Suppress Router-Side Processing (5.1.7). */
  suppressRouterSide: boolean;
  /** Querier's Robustness Variable, 0-7 (5.1.8). */
  qrv: number;
  /** Querier's Query Interval in seconds, decoded from QQIC (5.1.9). */
  qqi: number;
  sources: Ipv6Address[];
}

/** A Multicast Address Record of an MLDv2 Report (RFC 3810 5.2.4). */
export interface Mldv2Record {
  /** 1-6 (MLD_MODE_IS_INCLUDE ...); others are reported for the receiver to ignore. */
  recordType: number;
  multicastAddress: Ipv6Address;
  sources: Ipv6Address[];
  /** Auxiliary data: a multiple of 4 bytes. */
  auxData: Uint8Array;
}

/** MLDv2 Report (RFC 3810 5.2), type 143. */
export interface Mldv2ReportRepr {
  kind: 'mldv2Report';
  code: number;
  records: Mldv2Record[];
}

export type MldRepr = MldV1Repr | Mldv2QueryRepr | Mldv2ReportRepr;

/** RFC 3810 5.1.3: Maximum Response Code to milliseconds. */
export function decodeMaxRespCode(code: number): number {
  if (code < 0x8000) return code;
  return ((code & 0x0fff) | 0x1000) << (((code >> 12) & 7) + 3);
}

/**
 * Milliseconds to the nearest Maximum Response Code not above it (exact for
 * every value decodeMaxRespCode returns); values past the largest clamp to 0xffff.
 */
export function encodeMaxRespCode(ms: number): number {
  if (ms < 0x8000) return Math.max(0, Math.floor(ms));
  for (let exp = 7; exp >= 0; exp--) {
    const mant = Math.floor(ms / 2 ** (exp + 3));
    if (mant >= 0x1000) return 0x8000 | (exp << 12) | (Math.min(mant, 0x1fff) & 0x0fff);
  }
  return 0x7fff; // unreachable: ms >= 0x8000 gives mant >= 0x1000 at exp 0
}

/** RFC 3810 5.1.9: QQIC to seconds. */
export function decodeQqic(qqic: number): number {
  if (qqic < 0x80) return qqic;
  return ((qqic & 0x0f) | 0x10) << (((qqic >> 4) & 7) + 3);
}

/** Seconds to the nearest QQIC not above it; values past the largest clamp to 0xff. */
export function encodeQqic(seconds: number): number {
  if (seconds < 0x80) return Math.max(0, Math.floor(seconds));
  for (let exp = 7; exp >= 0; exp--) {
    const mant = Math.floor(seconds / 2 ** (exp + 3));
    if (mant >= 0x10) return 0x80 | (exp << 4) | (Math.min(mant, 0x1f) & 0x0f);
  }
  return 0x7f;
}

const P = 'ICMPv6';

function readAddrs(bytes: Uint8Array, offset: number, n: number): Ipv6Address[] {
  const out = new Array<Ipv6Address>(n);
  for (let i = 0; i < n; i++) out[i] = Ipv6Address.fromBytes(bytes, offset + 16 * i);
  return out;
}

/** Parses an MLD message of type 130, 131, 132 or 143 (type and checksum already checked). */
export function parseMld(bytes: Uint8Array): MldRepr {
  const type = bytes[0]!;
  const code = bytes[1]!;
  if (type === MLDV2_LISTENER_REPORT) {
    ensure(bytes, 0, MLD_V2_REPORT_MIN_LEN, P, 'MLDv2 report');
    const nrec = u16(bytes, 6);
    const records: Mldv2Record[] = [];
    let o = MLD_V2_REPORT_MIN_LEN;
    for (let i = 0; i < nrec; i++) {
      ensure(bytes, o, MLD_V2_RECORD_MIN_LEN, P, `MLDv2 record ${i}`);
      const aux = bytes[o + 1]! * 4;
      const nsrc = u16(bytes, o + 2);
      const len = MLD_V2_RECORD_MIN_LEN + 16 * nsrc + aux;
      ensure(bytes, o, len, P, `MLDv2 record ${i} sources and aux data`);
      records.push({
        recordType: bytes[o]!,
        multicastAddress: Ipv6Address.fromBytes(bytes, o + 4),
        sources: readAddrs(bytes, o + 20, nsrc),
        auxData: bytes.subarray(o + 20 + 16 * nsrc, o + len),
      });
      o += len;
    }
    return { kind: 'mldv2Report', code, records };
  }
  ensure(bytes, 0, MLD_V1_LEN, P, 'MLD message');
  const multicastAddress = Ipv6Address.fromBytes(bytes, 8);
  if (type === MLD_LISTENER_QUERY && bytes.length > MLD_V1_LEN) {
    // RFC 3810 8.1: 24 bytes is an MLDv1 query, 28 or more MLDv2; any other
    // length MUST be silently ignored.
    if (bytes.length < MLD_V2_QUERY_MIN_LEN) {
      throw new DecodeError(
        P,
        'MLD query length',
        0,
        `${bytes.length} bytes is neither MLDv1 (24) nor MLDv2 (28+)`,
      );
    }
    const nsrc = u16(bytes, 26);
    ensure(bytes, MLD_V2_QUERY_MIN_LEN, 16 * nsrc, P, 'MLDv2 query sources');
    // Octets after the sources count in the checksum and are ignored (5.1.12).
    return {
      kind: 'mldv2Query',
      code,
      maxResponseDelay: decodeMaxRespCode(u16(bytes, 4)),
      multicastAddress,
      suppressRouterSide: (bytes[24]! & 0x08) !== 0,
      qrv: bytes[24]! & 0x07,
      qqi: decodeQqic(bytes[25]!),
      sources: readAddrs(bytes, MLD_V2_QUERY_MIN_LEN, nsrc),
    };
  }
  return {
    kind: type === MLD_LISTENER_QUERY ? 'mldQuery' : type === MLD_LISTENER_REPORT ? 'mldReport' : 'mldDone',
    code,
    maxResponseDelay: u16(bytes, 4),
    multicastAddress,
  };
}

export function mldLen(r: MldRepr): number {
  switch (r.kind) {
    case 'mldQuery':
    case 'mldReport':
    case 'mldDone':
      return MLD_V1_LEN;
    case 'mldv2Query':
      return MLD_V2_QUERY_MIN_LEN + 16 * r.sources.length;
    case 'mldv2Report': {
      let n = MLD_V2_REPORT_MIN_LEN;
      for (const rec of r.records) n += MLD_V2_RECORD_MIN_LEN + 16 * rec.sources.length + rec.auxData.length;
      return n;
    }
  }
}

function writeAddrs(addrs: readonly Ipv6Address[], buf: Uint8Array, o: number): void {
  for (let i = 0; i < addrs.length; i++) buf.set(addrs[i]!.bytes, o + 16 * i);
}

/** Writes the whole message with a zero checksum; the caller checked room. */
export function emitMld(r: MldRepr, buf: Uint8Array, offset: number): number {
  const o = offset;
  const n = mldLen(r);
  buf[o + 1] = r.code;
  put16(buf, o + 2, 0);
  switch (r.kind) {
    case 'mldQuery':
    case 'mldReport':
    case 'mldDone':
      buf[o] =
        r.kind === 'mldQuery'
          ? MLD_LISTENER_QUERY
          : r.kind === 'mldReport'
            ? MLD_LISTENER_REPORT
            : MLD_LISTENER_DONE;
      put16(buf, o + 4, r.maxResponseDelay);
      put16(buf, o + 6, 0);
      buf.set(r.multicastAddress.bytes, o + 8);
      break;
    case 'mldv2Query':
      if (r.sources.length > 0xffff) throw new RangeError('MLDv2 query: more than 65535 sources');
      buf[o] = MLD_LISTENER_QUERY;
      put16(buf, o + 4, encodeMaxRespCode(r.maxResponseDelay));
      put16(buf, o + 6, 0);
      buf.set(r.multicastAddress.bytes, o + 8);
      buf[o + 24] = (r.suppressRouterSide ? 0x08 : 0) | (r.qrv & 7);
      buf[o + 25] = encodeQqic(r.qqi);
      put16(buf, o + 26, r.sources.length);
      writeAddrs(r.sources, buf, o + 28);
      break;
    case 'mldv2Report': {
      if (r.records.length > 0xffff) throw new RangeError('MLDv2 report: more than 65535 records');
      buf[o] = MLDV2_LISTENER_REPORT;
      put16(buf, o + 4, 0);
      put16(buf, o + 6, r.records.length);
      let w = o + MLD_V2_REPORT_MIN_LEN;
      for (const rec of r.records) {
        if (rec.auxData.length % 4 !== 0 || rec.auxData.length > 255 * 4) {
          throw new RangeError(`MLDv2 record: aux data of ${rec.auxData.length} bytes`);
        }
        if (rec.sources.length > 0xffff) throw new RangeError('MLDv2 record: more than 65535 sources');
        buf[w] = rec.recordType;
        buf[w + 1] = rec.auxData.length / 4;
        put16(buf, w + 2, rec.sources.length);
        buf.set(rec.multicastAddress.bytes, w + 4);
        writeAddrs(rec.sources, buf, w + 20);
        buf.set(rec.auxData, w + 20 + 16 * rec.sources.length);
        w += MLD_V2_RECORD_MIN_LEN + 16 * rec.sources.length + rec.auxData.length;
      }
      break;
    }
  }
  return n;
}
