import { Ipv6Address } from '@kame/addr';
import { ensure, put16, put32, u16, u32 } from '../codec';
import {
  ND_NEIGHBOR_ADVERT,
  ND_NEIGHBOR_SOLICIT,
  ND_REDIRECT,
  ND_ROUTER_ADVERT,
  ND_ROUTER_SOLICIT,
} from './constants';
import {
  type NdOption,
  type RouterPreference,
  decodePreference,
  emitNdOptions,
  encodePreference,
  ndOptionsLen,
  parseNdOptions,
} from './nd-options';

/**
 * Neighbor Discovery messages, RFC 4861 4.1-4.5. Each is the 4-byte ICMPv6
 * header, a fixed part and options. The code is reported as received: RFC 4861
 * 6.1 makes code 0 a validity rule of the receiver, not of the format.
 */

export const ND_RA_FLAG_MANAGED = 0x80;
export const ND_RA_FLAG_OTHER = 0x40;
/** RFC 6275 7.1 */
export const ND_RA_FLAG_HA = 0x20;
/** RFC 4191 2.2 */
export const ND_RA_FLAG_RTPREF_MASK = 0x18;
/** RFC 4389 4.1 */
export const ND_RA_FLAG_PROXY = 0x04;
export const ND_NA_FLAG_ROUTER = 0x80000000;
export const ND_NA_FLAG_SOLICITED = 0x40000000;
export const ND_NA_FLAG_OVERRIDE = 0x20000000;

/** Fixed sizes including the 4-byte ICMPv6 header. */
export const ND_RS_LEN = 8;
export const ND_RA_LEN = 16;
export const ND_NS_LEN = 24;
export const ND_NA_LEN = 24;
export const ND_REDIRECT_LEN = 40;

export interface RouterSolicitRepr {
  kind: 'routerSolicit';
  code: number;
  options: NdOption[];
}

export interface RouterAdvertRepr {
  kind: 'routerAdvert';
  code: number;
  /** 0 = unspecified by this router. */
  curHopLimit: number;
  /** M */
  managed: boolean;
  /** O */
  other: boolean;
  /** H, RFC 6275 7.1 */
  homeAgent: boolean;
  /** Prf, RFC 4191 2.2 */
  preference: RouterPreference;
  /** Proxy, RFC 4389 4.1 */
  proxy: boolean;
  /** Seconds; 0 = not a default router. */
  routerLifetime: number;
  /** Milliseconds; 0 = unspecified. */
  reachableTime: number;
  /** Milliseconds; 0 = unspecified. */
  retransTimer: number;
  options: NdOption[];
}

export interface NeighborSolicitRepr {
  kind: 'neighborSolicit';
  code: number;
  target: Ipv6Address;
  options: NdOption[];
}

export interface NeighborAdvertRepr {
  kind: 'neighborAdvert';
  code: number;
  router: boolean;
  solicited: boolean;
  override: boolean;
  target: Ipv6Address;
  options: NdOption[];
}

export interface RedirectRepr {
  kind: 'redirect';
  code: number;
  /** The better first hop. */
  target: Ipv6Address;
  /** The destination being redirected. */
  destination: Ipv6Address;
  options: NdOption[];
}

export type NdMessageRepr =
  RouterSolicitRepr | RouterAdvertRepr | NeighborSolicitRepr | NeighborAdvertRepr | RedirectRepr;

const P = 'ICMPv6';

/** Parses an ND message of type 133-137 (the caller checked the type and checksum). */
export function parseNdMessage(bytes: Uint8Array): NdMessageRepr {
  const type = bytes[0]!;
  const code = bytes[1]!;
  switch (type) {
    case ND_ROUTER_SOLICIT:
      ensure(bytes, 0, ND_RS_LEN, P, 'router solicitation');
      return { kind: 'routerSolicit', code, options: parseNdOptions(bytes, ND_RS_LEN) };
    case ND_ROUTER_ADVERT: {
      ensure(bytes, 0, ND_RA_LEN, P, 'router advertisement');
      const flags = bytes[5]!;
      return {
        kind: 'routerAdvert',
        code,
        curHopLimit: bytes[4]!,
        managed: (flags & ND_RA_FLAG_MANAGED) !== 0,
        other: (flags & ND_RA_FLAG_OTHER) !== 0,
        homeAgent: (flags & ND_RA_FLAG_HA) !== 0,
        preference: decodePreference(flags),
        proxy: (flags & ND_RA_FLAG_PROXY) !== 0,
        routerLifetime: u16(bytes, 6),
        reachableTime: u32(bytes, 8),
        retransTimer: u32(bytes, 12),
        options: parseNdOptions(bytes, ND_RA_LEN),
      };
    }
    case ND_NEIGHBOR_SOLICIT:
      ensure(bytes, 0, ND_NS_LEN, P, 'neighbor solicitation');
      return {
        kind: 'neighborSolicit',
        code,
        target: Ipv6Address.fromBytes(bytes, 8),
        options: parseNdOptions(bytes, ND_NS_LEN),
      };
    case ND_NEIGHBOR_ADVERT: {
      ensure(bytes, 0, ND_NA_LEN, P, 'neighbor advertisement');
      const flags = bytes[4]!;
      return {
        kind: 'neighborAdvert',
        code,
        router: (flags & 0x80) !== 0,
        solicited: (flags & 0x40) !== 0,
        override: (flags & 0x20) !== 0,
        target: Ipv6Address.fromBytes(bytes, 8),
        options: parseNdOptions(bytes, ND_NA_LEN),
      };
    }
    default:
      ensure(bytes, 0, ND_REDIRECT_LEN, P, 'redirect');
      return {
        kind: 'redirect',
        code,
        target: Ipv6Address.fromBytes(bytes, 8),
        destination: Ipv6Address.fromBytes(bytes, 24),
        options: parseNdOptions(bytes, ND_REDIRECT_LEN),
      };
  }
}

function fixedLen(r: NdMessageRepr): number {
  switch (r.kind) {
    case 'routerSolicit':
      return ND_RS_LEN;
    case 'routerAdvert':
      return ND_RA_LEN;
    case 'neighborSolicit':
      return ND_NS_LEN;
    case 'neighborAdvert':
      return ND_NA_LEN;
    case 'redirect':
      return ND_REDIRECT_LEN;
  }
}

export function ndMessageLen(r: NdMessageRepr): number {
  return fixedLen(r) + ndOptionsLen(r.options);
}

/** Writes the whole message with a zero checksum; the caller checked room. */
export function emitNdMessage(r: NdMessageRepr, buf: Uint8Array, offset: number): number {
  const o = offset;
  const fixed = fixedLen(r);
  buf.fill(0, o, o + fixed);
  buf[o + 1] = r.code;
  switch (r.kind) {
    case 'routerSolicit':
      buf[o] = ND_ROUTER_SOLICIT;
      break;
    case 'routerAdvert':
      buf[o] = ND_ROUTER_ADVERT;
      buf[o + 4] = r.curHopLimit;
      buf[o + 5] =
        (r.managed ? ND_RA_FLAG_MANAGED : 0) |
        (r.other ? ND_RA_FLAG_OTHER : 0) |
        (r.homeAgent ? ND_RA_FLAG_HA : 0) |
        encodePreference(r.preference) |
        (r.proxy ? ND_RA_FLAG_PROXY : 0);
      put16(buf, o + 6, r.routerLifetime);
      put32(buf, o + 8, r.reachableTime);
      put32(buf, o + 12, r.retransTimer);
      break;
    case 'neighborSolicit':
      buf[o] = ND_NEIGHBOR_SOLICIT;
      buf.set(r.target.bytes, o + 8);
      break;
    case 'neighborAdvert':
      buf[o] = ND_NEIGHBOR_ADVERT;
      buf[o + 4] = (r.router ? 0x80 : 0) | (r.solicited ? 0x40 : 0) | (r.override ? 0x20 : 0);
      buf.set(r.target.bytes, o + 8);
      break;
    case 'redirect':
      buf[o] = ND_REDIRECT;
      buf.set(r.target.bytes, o + 8);
      buf.set(r.destination.bytes, o + 24);
      break;
  }
  return fixed + emitNdOptions(r.options, buf, o + fixed);
}
