import { Ipv4Address } from './ipv4';
import { Ipv6Address } from './ipv6';
import { Ipv4Prefix } from './ipv4-prefix';
import { Ipv6Prefix } from './ipv6-prefix';

/**
 * One row of the IANA special-purpose address registries (RFC 6890 2.1 and
 * 2.2, as updated by RFC 8190). The booleans are the registry columns.
 */
export interface SpecialPurposeEntry<P> {
  readonly prefix: P;
  readonly name: string;
  /** The defining RFC(s), e.g. 'RFC 4291'. */
  readonly rfc: string;
  /** Valid as the source of a datagram that transits two devices. */
  readonly source: boolean;
  /** Valid as the destination of a datagram that transits two devices. */
  readonly destination: boolean;
  /** A router may forward it between external interfaces. */
  readonly forwardable: boolean;
  /** Forwardable beyond an administrative domain; undefined where the registry says N/A. */
  readonly global: boolean | undefined;
  /** IP itself requires special handling (RFC 6890 2.2.2). */
  readonly reservedByProtocol: boolean;
}

/** `flags` lists source, destination, forwardable, global, reserved as T, F or - (N/A). */
function row<P>(prefix: P, name: string, rfc: string, flags: string): SpecialPurposeEntry<P> {
  const f = (i: number): boolean | undefined => (flags[i] === '-' ? undefined : flags[i] === 'T');
  return Object.freeze({
    prefix,
    name,
    rfc,
    source: f(0) === true,
    destination: f(1) === true,
    forwardable: f(2) === true,
    global: f(3),
    reservedByProtocol: f(4) === true,
  });
}

const v6 = (p: string, name: string, rfc: string, flags: string) =>
  row(Ipv6Prefix.parse(p), name, rfc, flags);
const v4 = (p: string, name: string, rfc: string, flags: string) =>
  row(Ipv4Prefix.parse(p), name, rfc, flags);

/** IPv6 special-purpose address registry (RFC 6890 2.2.3 and later assignments). */
export const IPV6_SPECIAL_PURPOSE: readonly SpecialPurposeEntry<Ipv6Prefix>[] = Object.freeze([
  v6('::1/128', 'Loopback Address', 'RFC 4291', 'FFFFT'),
  v6('::/128', 'Unspecified Address', 'RFC 4291', 'TFFFT'),
  v6('::ffff:0:0/96', 'IPv4-mapped Address', 'RFC 4291', 'FFFFT'),
  v6('64:ff9b::/96', 'IPv4-IPv6 Translation', 'RFC 6052', 'TTTTF'),
  v6('64:ff9b:1::/48', 'IPv4-IPv6 Translation (local-use)', 'RFC 8215', 'TTTFF'),
  v6('100::/64', 'Discard-Only Address Block', 'RFC 6666', 'TTTFF'),
  v6('2001::/23', 'IETF Protocol Assignments', 'RFC 2928', 'FFFFF'),
  v6('2001::/32', 'TEREDO', 'RFC 4380, RFC 8190', 'TTT-F'),
  v6('2001:1::1/128', 'Port Control Protocol Anycast', 'RFC 7723', 'TTTTF'),
  v6('2001:1::2/128', 'Traversal Using Relays around NAT Anycast', 'RFC 8155', 'TTTTF'),
  v6('2001:2::/48', 'Benchmarking', 'RFC 5180', 'TTTFF'),
  v6('2001:3::/32', 'AMT', 'RFC 7450', 'TTTTF'),
  v6('2001:4:112::/48', 'AS112-v6', 'RFC 7535', 'TTTTF'),
  v6('2001:10::/28', 'Deprecated (previously ORCHID)', 'RFC 4843', 'FFFFF'),
  v6('2001:20::/28', 'ORCHIDv2', 'RFC 7343', 'TTTTF'),
  v6('2001:db8::/32', 'Documentation', 'RFC 3849', 'FFFFF'),
  v6('2002::/16', '6to4', 'RFC 3056', 'TTT-F'),
  v6('2620:4f:8000::/48', 'Direct Delegation AS112 Service', 'RFC 7534', 'TTTTF'),
  v6('fc00::/7', 'Unique-Local', 'RFC 4193, RFC 8190', 'TTTFF'),
  v6('fe80::/10', 'Link-Local Unicast', 'RFC 4291', 'TTFFT'),
]);

/** IPv4 special-purpose address registry (RFC 6890 2.2.2 and later assignments). */
export const IPV4_SPECIAL_PURPOSE: readonly SpecialPurposeEntry<Ipv4Prefix>[] = Object.freeze([
  v4('0.0.0.0/8', '"This network"', 'RFC 791 3.2', 'TFFFT'),
  v4('0.0.0.0/32', '"This host on this network"', 'RFC 1122 3.2.1.3', 'TFFFT'),
  v4('10.0.0.0/8', 'Private-Use', 'RFC 1918', 'TTTFF'),
  v4('100.64.0.0/10', 'Shared Address Space', 'RFC 6598', 'TTTFF'),
  // Loopback is not valid as a source either off the node (RFC 1122 3.2.1.3).
  v4('127.0.0.0/8', 'Loopback', 'RFC 1122 3.2.1.3', 'FFFFT'),
  v4('169.254.0.0/16', 'Link Local', 'RFC 3927', 'TTFFT'),
  v4('172.16.0.0/12', 'Private-Use', 'RFC 1918', 'TTTFF'),
  v4('192.0.0.0/24', 'IETF Protocol Assignments', 'RFC 6890 2.1', 'FFFFF'),
  v4('192.0.0.0/29', 'IPv4 Service Continuity Prefix', 'RFC 7335', 'TTTFF'),
  v4('192.0.0.8/32', 'IPv4 dummy address', 'RFC 7600', 'TFFFF'),
  v4('192.0.0.9/32', 'Port Control Protocol Anycast', 'RFC 7723', 'TTTTF'),
  v4('192.0.0.10/32', 'Traversal Using Relays around NAT Anycast', 'RFC 8155', 'TTTTF'),
  v4('192.0.0.170/32', 'NAT64/DNS64 Discovery', 'RFC 8880, RFC 7050', 'FFFFT'),
  v4('192.0.0.171/32', 'NAT64/DNS64 Discovery', 'RFC 8880, RFC 7050', 'FFFFT'),
  v4('192.0.2.0/24', 'Documentation (TEST-NET-1)', 'RFC 5737', 'FFFFF'),
  v4('192.31.196.0/24', 'AS112-v4', 'RFC 7535', 'TTTTF'),
  v4('192.52.193.0/24', 'AMT', 'RFC 7450', 'TTTTF'),
  // Listed by RFC 6890; deprecated by RFC 7526, which leaves the columns N/A.
  v4('192.88.99.0/24', 'Deprecated (6to4 Relay Anycast)', 'RFC 3068, RFC 7526', 'TTT-F'),
  v4('192.168.0.0/16', 'Private-Use', 'RFC 1918', 'TTTFF'),
  v4('192.175.48.0/24', 'Direct Delegation AS112 Service', 'RFC 7534', 'TTTTF'),
  v4('198.18.0.0/15', 'Benchmarking', 'RFC 2544', 'TTTFF'),
  v4('198.51.100.0/24', 'Documentation (TEST-NET-2)', 'RFC 5737', 'FFFFF'),
  v4('203.0.113.0/24', 'Documentation (TEST-NET-3)', 'RFC 5737', 'FFFFF'),
  v4('240.0.0.0/4', 'Reserved', 'RFC 1112 4', 'FFFFT'),
  v4('255.255.255.255/32', 'Limited Broadcast', 'RFC 8190, RFC 919 7', 'FTFFT'),
]);

function mostSpecific<P extends { length: number; contains(a: A): boolean }, A>(
  table: readonly SpecialPurposeEntry<P>[],
  addr: A,
): SpecialPurposeEntry<P> | undefined {
  let best: SpecialPurposeEntry<P> | undefined;
  for (const e of table) {
    if (e.prefix.contains(addr) && (best === undefined || e.prefix.length > best.prefix.length)) best = e;
  }
  return best;
}

/**
 * The most specific special-purpose registry entry covering `addr`
 * (RFC 6890 2.2.1: a more specific entry overrides a less specific one),
 * or undefined for an ordinary address.
 */
export function specialPurpose(addr: Ipv6Address): SpecialPurposeEntry<Ipv6Prefix> | undefined;
export function specialPurpose(addr: Ipv4Address): SpecialPurposeEntry<Ipv4Prefix> | undefined;
export function specialPurpose(
  addr: Ipv6Address | Ipv4Address,
): SpecialPurposeEntry<Ipv6Prefix> | SpecialPurposeEntry<Ipv4Prefix> | undefined {
  if (addr instanceof Ipv6Address) return mostSpecific(IPV6_SPECIAL_PURPOSE, addr);
  if (addr instanceof Ipv4Address) return mostSpecific(IPV4_SPECIAL_PURPOSE, addr);
  throw new TypeError('specialPurpose: not an IPv4 or IPv6 address');
}
