import { Ipv4Address, Ipv4Prefix, Ipv6Address, Ipv6Prefix, MacAddress, type Zone } from '@kame/addr';
import { KernelApiError } from './errno';
import type { v1 } from './proto';

/**
 * Conversions between @kame/addr values and the ABI's byte fields. Decoding
 * never trusts a length: a wrong one is EINVAL naming the field.
 */

function bytesOf(b: Uint8Array | null | undefined): Uint8Array {
  return b ?? new Uint8Array(0);
}

export function ipv6FromBytes(b: Uint8Array | null | undefined, field: string): Ipv6Address {
  const bytes = bytesOf(b);
  if (bytes.length !== 16)
    throw new KernelApiError('EINVAL', `${field}: expected 16 bytes, got ${bytes.length}`);
  return Ipv6Address.fromBytes(bytes);
}

/** An IPv6 address (16 bytes) or an IPv4 one (4 bytes). */
export function ipFromBytes(b: Uint8Array | null | undefined, field: string): Ipv6Address | Ipv4Address {
  const bytes = bytesOf(b);
  if (bytes.length === 16) return Ipv6Address.fromBytes(bytes);
  if (bytes.length === 4) return Ipv4Address.fromBytes(bytes);
  throw new KernelApiError('EINVAL', `${field}: expected 16 or 4 bytes, got ${bytes.length}`);
}

export function ipToBytes(a: Ipv6Address | Ipv4Address): Uint8Array {
  return a.bytes.slice();
}

export function macFromBytes(b: Uint8Array | null | undefined, field: string): MacAddress | undefined {
  const bytes = bytesOf(b);
  if (bytes.length === 0) return undefined;
  if (bytes.length !== 6)
    throw new KernelApiError('EINVAL', `${field}: expected 6 bytes, got ${bytes.length}`);
  return MacAddress.fromBytes(bytes);
}

export function macToBytes(m: MacAddress | undefined): Uint8Array {
  return m ? m.bytes.slice() : new Uint8Array(0);
}

export function prefixToProto(p: Ipv6Prefix | Ipv4Prefix): v1.Prefix.$Properties {
  return { addr: p.address.bytes.slice(), length: p.length };
}

export function prefixFromProto(
  p: v1.Prefix.$Properties | null | undefined,
  field: string,
): Ipv6Prefix | Ipv4Prefix {
  if (!p) throw new KernelApiError('EINVAL', `${field}: missing`);
  const a = ipFromBytes(p.addr, field);
  const len = p.length ?? 0;
  const max = a instanceof Ipv6Address ? 128 : 32;
  if (!Number.isInteger(len) || len < 0 || len > max) {
    throw new KernelApiError('EINVAL', `${field}: prefix length ${len} not in 0..${max}`);
  }
  return a instanceof Ipv6Address ? Ipv6Prefix.of(a, len) : Ipv4Prefix.of(a, len);
}

/** sockaddr_in6 as callers give it (zone by index or interface name). */
export interface SockaddrInit {
  readonly address: Ipv6Address;
  readonly port?: number;
  readonly zone?: Zone;
}

/** sockaddr_in6 as the kernel reports it: zone is an index, 0 = none. */
export interface Sockaddr {
  readonly address: Ipv6Address;
  readonly port: number;
  readonly zone: number;
  /** Set only in requests that named the zone instead of numbering it. */
  readonly zoneName?: string;
}

export function sockaddrToProto(s: SockaddrInit): v1.SockaddrIn6.$Properties {
  const out: v1.SockaddrIn6.$Properties = { addr: s.address.bytes.slice(), port: s.port ?? 0 };
  if (typeof s.zone === 'number') out.scopeId = s.zone;
  else if (typeof s.zone === 'string') out.zoneName = s.zone;
  return out;
}

export function sockaddrFromProto(s: v1.SockaddrIn6.$Properties | null | undefined, field: string): Sockaddr {
  if (!s) throw new KernelApiError('EINVAL', `${field}: missing`);
  const port = s.port ?? 0;
  if (port > 0xffff) throw new KernelApiError('EINVAL', `${field}: port ${port} above 65535`);
  const zoneName = s.zoneName ?? '';
  return {
    address: ipv6FromBytes(s.addr, field),
    port,
    zone: s.scopeId ?? 0,
    ...(zoneName !== '' ? { zoneName } : {}),
  };
}

/** struct icmp6_filter from the ICMPv6 types that pass (RFC 3542 3.2). */
export function icmp6FilterPassing(types: Iterable<number>): v1.Icmp6Filter.$Properties {
  const pass = new Uint8Array(32);
  for (const t of types) {
    if (!Number.isInteger(t) || t < 0 || t > 255) throw new RangeError(`ICMPv6 type ${t}`);
    pass[t >> 3]! |= 1 << (t & 7);
  }
  return { pass };
}

/** The ICMPv6 types an icmp6_filter passes, ascending. */
export function icmp6FilterTypes(f: v1.Icmp6Filter.$Properties | null | undefined): number[] {
  const pass = bytesOf(f?.pass);
  if (pass.length !== 32)
    throw new KernelApiError('EINVAL', `ICMP6_FILTER: expected 32 bytes, got ${pass.length}`);
  const out: number[] = [];
  for (let t = 0; t < 256; t++) if ((pass[t >> 3]! & (1 << (t & 7))) !== 0) out.push(t);
  return out;
}

/** ND6_INFINITE_LIFETIME: an address lifetime that never runs out. */
export const ND6_INFINITE_LIFETIME = 0xffffffff;
