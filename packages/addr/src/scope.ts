import type { Ipv6Address } from './ipv6';

/**
 * IPv6 scope values: the multicast "scop" nibble of RFC 4291 2.7 (also used for
 * unicast scopes by RFC 4007 4). Values not named here (3, 6, 7, 9..13) are
 * unassigned; 3 is realm-local per RFC 7346.
 */
export const Scope = {
  /** 0: reserved (RFC 4291 2.7). */
  Reserved0: 0,
  InterfaceLocal: 1,
  LinkLocal: 2,
  RealmLocal: 3,
  AdminLocal: 4,
  SiteLocal: 5,
  OrganizationLocal: 8,
  Global: 14,
  /** 15: reserved (RFC 4291 2.7). */
  Reserved15: 15,
} as const;

/** Any 4-bit scope value; the named ones are in `Scope`. */
export type Scope = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15;

const NAMES: Partial<Record<Scope, string>> = {
  0: 'reserved',
  1: 'interface-local',
  2: 'link-local',
  3: 'realm-local',
  4: 'admin-local',
  5: 'site-local',
  8: 'organization-local',
  14: 'global',
  15: 'reserved',
};

/** RFC 4291 2.7 name of a scope value, or `unassigned(N)`. */
export function scopeName(scope: Scope): string {
  return NAMES[scope] ?? `unassigned(${scope})`;
}

/**
 * The scope of an address.
 * Multicast: the scop nibble, whatever it is (RFC 4291 2.7).
 * Unicast: loopback is interface-local as KAME treats it (it belongs to the
 * loopback interface only, RFC 4007 11.1), fe80::/10 link-local
 * (RFC 4291 2.5.6), fec0::/10 site-local (RFC 3879 keeps it recognisable),
 * everything else global - including ULAs (RFC 4193 3.3) and `::`, which has
 * no scope (RFC 4007 11.1) and which KAME also reports as global.
 */
export function scopeOf(addr: Ipv6Address): Scope {
  const b = addr.bytes;
  if (b[0] === 0xff) return (b[1]! & 0x0f) as Scope;
  if (addr.isLoopback()) return Scope.InterfaceLocal;
  if (addr.isLinkLocal()) return Scope.LinkLocal;
  if (addr.isSiteLocal()) return Scope.SiteLocal;
  return Scope.Global;
}

/** The multicast flags nibble "0RPT" (RFC 4291 2.7, RFC 3306 4, RFC 3956 2). */
export interface MulticastFlags {
  /** T: transient (not IANA-assigned) group. */
  transient: boolean;
  /** P: unicast-prefix-based address (RFC 3306); requires T. */
  prefix: boolean;
  /** R: embedded rendezvous point address (RFC 3956); requires P and T. */
  rendezvous: boolean;
  /** The high-order flag bit, reserved (must be zero in RFC 4291 2.7). */
  reserved: boolean;
}

/** The flags of a multicast address, or undefined for a non-multicast one. */
export function multicastFlags(addr: Ipv6Address): MulticastFlags | undefined {
  const b = addr.bytes;
  if (b[0] !== 0xff) return undefined;
  const f = b[1]! >> 4;
  return {
    transient: (f & 1) !== 0,
    prefix: (f & 2) !== 0,
    rendezvous: (f & 4) !== 0,
    reserved: (f & 8) !== 0,
  };
}
