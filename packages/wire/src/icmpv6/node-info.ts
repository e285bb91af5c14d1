import { ensure, put16, u16 } from '../codec';
import { ICMP6_NI_QUERY, ICMP6_NI_REPLY } from './constants';

/**
 * ICMPv6 Node Information Query (139) and Reply (140), RFC 4620 4:
 * type, code, checksum, Qtype(2), Flags(2), Nonce(8), Data. The code is the
 * query's subject type (ICMP6_NI_SUBJ_*) or the reply's status (ICMP6_NI_*).
 */

export const NI_HEADER_LEN = 16;
export const NI_NONCE_LEN = 8;

// Qtypes, RFC 4620 6 (1 was Supported Qtypes in drafts; KAME still knows it).
export const NI_QTYPE_NOOP = 0;
export const NI_QTYPE_SUPTYPES = 1;
export const NI_QTYPE_NODENAME = 2;
export const NI_QTYPE_NODEADDR = 3;
export const NI_QTYPE_IPV4ADDR = 4;

// Flags, RFC 4620 6.3/6.4 (as 16-bit values in network order).
export const NI_NODEADDR_FLAG_TRUNCATE = 0x0001;
export const NI_NODEADDR_FLAG_ALL = 0x0002;
export const NI_NODEADDR_FLAG_COMPAT = 0x0004;
export const NI_NODEADDR_FLAG_LINKLOCAL = 0x0008;
export const NI_NODEADDR_FLAG_SITELOCAL = 0x0010;
export const NI_NODEADDR_FLAG_GLOBAL = 0x0020;

export interface NodeInfoRepr {
  kind: 'nodeInfoQuery' | 'nodeInfoReply';
  code: number;
  qtype: number;
  flags: number;
  /** 8 bytes, zero-copy on parse. */
  nonce: Uint8Array;
  /** Subject (query) or reply data, zero-copy on parse. */
  data: Uint8Array;
}

/** Parses type 139/140 (type and checksum already checked). */
export function parseNodeInfo(bytes: Uint8Array): NodeInfoRepr {
  ensure(bytes, 0, NI_HEADER_LEN, 'ICMPv6', 'node information header');
  return {
    kind: bytes[0] === ICMP6_NI_QUERY ? 'nodeInfoQuery' : 'nodeInfoReply',
    code: bytes[1]!,
    qtype: u16(bytes, 4),
    flags: u16(bytes, 6),
    nonce: bytes.subarray(8, NI_HEADER_LEN),
    data: bytes.subarray(NI_HEADER_LEN),
  };
}

export function nodeInfoLen(r: NodeInfoRepr): number {
  return NI_HEADER_LEN + r.data.length;
}

/** Writes the whole message with a zero checksum; the caller checked room. */
export function emitNodeInfo(r: NodeInfoRepr, buf: Uint8Array, offset: number): number {
  if (r.nonce.length !== NI_NONCE_LEN)
    throw new RangeError(`NI nonce must be 8 bytes, got ${r.nonce.length}`);
  const o = offset;
  buf[o] = r.kind === 'nodeInfoQuery' ? ICMP6_NI_QUERY : ICMP6_NI_REPLY;
  buf[o + 1] = r.code;
  put16(buf, o + 2, 0);
  put16(buf, o + 4, r.qtype);
  put16(buf, o + 6, r.flags);
  buf.set(r.nonce, o + 8);
  buf.set(r.data, o + NI_HEADER_LEN);
  return NI_HEADER_LEN + r.data.length;
}
