import { Ipv6Address } from '@kame/addr';
import { type Codec, encodeWith, ensure, ensureRoom, put16, u16 } from '../codec';
import { DecodeError } from '../decode-error';

/**
 * RIPng, RFC 2080 2.1: a 4-byte header (command, version, must-be-zero)
 * followed by 20-byte Route Table Entries (prefix(16) route tag(2) prefix
 * length(1) metric(1)). A next-hop RTE (2.1.1) has metric 0xFF, tag 0 and
 * prefix length 0; its prefix is the next hop (:: = the originator).
 *
 * parse() checks the structure only: header present, version 1, command 1 or
 * 2, a whole number of RTEs. Per-RTE rules (metric range, prefix length) and
 * the datagram rules of RFC 2080 2.4.2 (port 521, link-local source, hop
 * limit 255) are separate checks, because RFC 2080 ignores a bad RTE but not
 * the rest of its packet.
 */
export const RIPNG_PORT = 521;
/** All RIP Routers, RFC 2080 2.4.2. */
export const RIPNG_GROUP = Ipv6Address.parse('ff02::9');
export const RIPNG_VERSION = 1;
export const RIPNG_REQUEST = 1;
export const RIPNG_RESPONSE = 2;
export const RIPNG_HEADER_LEN = 4;
export const RIPNG_RTE_LEN = 20;
/** RFC 2080 2.1: the metric meaning unreachable. */
export const RIPNG_METRIC_INFINITY = 16;
/** RFC 2080 2.1.1: the metric of a next-hop RTE. */
export const RIPNG_METRIC_NEXTHOP = 0xff;
/** The hop limit responses must carry (RFC 2080 2.4.2). */
export const RIPNG_HOP_LIMIT = 255;

export type RipngCommand = 'request' | 'response';

export interface RipngRte {
  prefix: Ipv6Address;
  routeTag: number;
  prefixLength: number;
  /** 1..16, or 0xFF for a next-hop RTE (RFC 2080 2.1.1). */
  metric: number;
}

export interface RipngRepr {
  command: RipngCommand;
  /** Always 1 after parse. */
  version: number;
  /** The must-be-zero field, kept so a packet re-encodes as received. */
  reserved: number;
  rtes: RipngRte[];
}

const P = 'RIPng';

/** Checked view over a RIPng packet (the UDP payload). */
export class RipngPacket {
  private constructor(readonly bytes: Uint8Array) {}

  static of(bytes: Uint8Array): RipngPacket {
    ensure(bytes, 0, RIPNG_HEADER_LEN, P, 'header');
    return new RipngPacket(bytes);
  }
  get command(): number {
    return this.bytes[0]!;
  }
  get version(): number {
    return this.bytes[1]!;
  }
  get reserved(): number {
    return u16(this.bytes, 2);
  }
  /** RTEs wholly inside the buffer (a trailing partial RTE is not counted). */
  get rteCount(): number {
    return Math.floor((this.bytes.length - RIPNG_HEADER_LEN) / RIPNG_RTE_LEN);
  }
  rte(i: number): RipngRte {
    if (!Number.isInteger(i) || i < 0 || i >= this.rteCount) throw new RangeError(`RIPng: no RTE ${i}`);
    const o = RIPNG_HEADER_LEN + i * RIPNG_RTE_LEN;
    const b = this.bytes;
    return {
      prefix: Ipv6Address.fromBytes(b, o),
      routeTag: u16(b, o + 16),
      prefixLength: b[o + 18]!,
      metric: b[o + 19]!,
    };
  }
}

function commandName(c: number): RipngCommand | undefined {
  return c === RIPNG_REQUEST ? 'request' : c === RIPNG_RESPONSE ? 'response' : undefined;
}

function parse(bytes: Uint8Array): RipngRepr {
  const v = RipngPacket.of(bytes);
  const command = commandName(v.command);
  if (command === undefined) throw new DecodeError(P, 'command', 0, `${v.command} (expected 1 or 2)`);
  // RFC 2080 2.1: this document specifies version 1 only.
  if (v.version !== RIPNG_VERSION) throw new DecodeError(P, 'version', 1, `${v.version} (expected 1)`);
  const body = bytes.length - RIPNG_HEADER_LEN;
  if (body % RIPNG_RTE_LEN !== 0) {
    const at = RIPNG_HEADER_LEN + v.rteCount * RIPNG_RTE_LEN;
    throw new DecodeError(P, 'RTE', at, `truncated: ${body % RIPNG_RTE_LEN} trailing bytes (RTEs are 20)`);
  }
  const rtes: RipngRte[] = [];
  for (let i = 0; i < v.rteCount; i++) rtes.push(v.rte(i));
  return { command, version: v.version, reserved: v.reserved, rtes };
}

function bufferLen(r: RipngRepr): number {
  return RIPNG_HEADER_LEN + r.rtes.length * RIPNG_RTE_LEN;
}

function emit(r: RipngRepr, buf: Uint8Array, offset: number): number {
  const n = bufferLen(r);
  ensureRoom(buf, offset, n, P);
  buf[offset] = r.command === 'request' ? RIPNG_REQUEST : RIPNG_RESPONSE;
  buf[offset + 1] = r.version;
  put16(buf, offset + 2, r.reserved);
  let o = offset + RIPNG_HEADER_LEN;
  for (const e of r.rtes) {
    buf.set(e.prefix.bytes, o);
    put16(buf, o + 16, e.routeTag & 0xffff);
    buf[o + 18] = e.prefixLength;
    buf[o + 19] = e.metric;
    o += RIPNG_RTE_LEN;
  }
  return n;
}

export const ripng: Codec<RipngRepr> = {
  protocol: P,
  parse: (bytes) => parse(bytes),
  bufferLen,
  emit: (r, buf, offset) => emit(r, buf, offset),
  encode: encodeWith<RipngRepr, void>(bufferLen, (r, b, o) => emit(r, b, o)),
};

/** A RIPng packet with version 1 and zero must-be-zero field. */
export function ripngPacket(command: RipngCommand, rtes: RipngRte[]): RipngRepr {
  return { command, version: RIPNG_VERSION, reserved: 0, rtes };
}

/** RFC 2080 2.4.1: the request for the whole table, one RTE ::/0 with metric 16. */
export function isWholeTableRequest(r: RipngRepr): boolean {
  const e = r.rtes[0];
  return (
    r.command === 'request' &&
    r.rtes.length === 1 &&
    e !== undefined &&
    e.prefix.isUnspecified() &&
    e.prefixLength === 0 &&
    e.metric === RIPNG_METRIC_INFINITY
  );
}

export function isNextHopRte(e: RipngRte): boolean {
  return e.metric === RIPNG_METRIC_NEXTHOP;
}

/** Why an RTE of a RESPONSE must be ignored (RFC 2080 2.4.2), or undefined when it is usable. */
export type RipngRteProblem = 'metric-zero' | 'metric-range' | 'prefix-length' | 'nexthop-format';

/** RFC 2080 2.4.2 per-RTE checks: prefix length 0..128 and metric 1..16 (0xFF for a next-hop RTE). */
export function ripngRteProblem(e: RipngRte): RipngRteProblem | undefined {
  if (e.metric === RIPNG_METRIC_NEXTHOP) {
    // RFC 2080 2.1.1: tag and prefix length of a next-hop RTE are zero.
    return e.prefixLength !== 0 || e.routeTag !== 0 ? 'nexthop-format' : undefined;
  }
  if (e.prefixLength > 128) return 'prefix-length';
  if (e.metric === 0) return 'metric-zero';
  if (e.metric > RIPNG_METRIC_INFINITY) return 'metric-range';
  return undefined;
}

/** How a RIPng datagram arrived (from the socket's ancillary data). */
export interface RipngArrival {
  src: Ipv6Address;
  srcPort: number;
  /** The destination address (IPV6_PKTINFO). */
  dst: Ipv6Address;
  /** The received hop limit (IPV6_HOPLIMIT); undefined when the socket did not supply it. */
  hopLimit: number | undefined;
}

export type RipngResponseProblem = 'no-hoplimit' | 'bad-port' | 'not-link-local' | 'bad-hoplimit';

/**
 * RFC 2080 2.4.2: a RESPONSE is ignored unless it comes from port 521 and a
 * link-local source; the hop limit must be 255 (checked, as KAME route6d does,
 * whenever the destination is multicast or not link-local: an on-link peer
 * sends with 255, anything else may have been forwarded).
 */
export function ripngResponseProblem(a: RipngArrival): RipngResponseProblem | undefined {
  if (a.srcPort !== RIPNG_PORT) return 'bad-port';
  if (!a.src.isLinkLocal()) return 'not-link-local';
  if (a.hopLimit === undefined) return 'no-hoplimit';
  if ((a.dst.isMulticast() || !a.dst.isLinkLocal()) && a.hopLimit !== RIPNG_HOP_LIMIT) return 'bad-hoplimit';
  return undefined;
}
