import { AddrParseError } from './parse-error';
import { Ipv4Address, parseDottedQuad } from './ipv4';
import { Ipv6Address, parseIpv6Into } from './ipv6';
import { checkZone, parseZone, type Zone } from './zone';

/** A literal host with optional zone (IPv6 only) and optional port. */
export interface HostPort {
  address: Ipv6Address | Ipv4Address;
  zone?: Zone;
  port?: number;
}

const KIND = 'host:port';

/** RFC 3986 2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
function isUnreserved(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x7e
  );
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function fail(text: string, position: number, reason: string): never {
  throw new AddrParseError(KIND, text, position, reason);
}

/** RFC 3986 3.2.3 port: decimal digits; we also bound it to 0..65535 (16-bit transport ports). */
function parsePort(text: string, start: number): number {
  if (start >= text.length) fail(text, start, "missing port after ':'");
  let value = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) fail(text, i, `port must be decimal digits, found '${text[i]}'`);
    value = value * 10 + (c - 48);
    if (value > 0xffff) fail(text, start, `port ${text.slice(start)} > 65535`);
  }
  return value;
}

/**
 * The RFC 6874 2 ZoneID in text[start, end): 1*( unreserved / pct-encoded ),
 * percent-decoded (as UTF-8) and then checked like any zone.
 */
function parseUriZone(text: string, start: number, end: number): Zone {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= end || !isHex(text.charCodeAt(i + 1)) || !isHex(text.charCodeAt(i + 2))) {
        fail(text, i, "'%' in a URI zone must start a %XX escape");
      }
      i += 2;
    } else if (!isUnreserved(c)) {
      fail(text, i, `'${text[i]}' must be percent-encoded in a URI zone (RFC 6874 2)`);
    }
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(text.slice(start, end));
  } catch {
    return fail(text, start, 'zone escapes are not valid UTF-8');
  }
  const z = parseZone(decoded, 0, decoded.length);
  // Positions inside the decoded zone do not map 1:1 onto the text; report the zone start.
  if ('reason' in z) fail(text, start, start === end ? z.reason : `${z.reason} (after decoding)`);
  return z.zone;
}

/**
 * Parses a literal host with optional port:
 * - `[2001:db8::1]`, `[2001:db8::1]:80` (RFC 2732 2, RFC 3986 3.2.2);
 * - `[fe80::1%25eth0]:80`, the RFC 6874 2 URI form, where "%25" is the encoded
 *   '%' and the zone may use %XX escapes;
 * - `[fe80::1%eth0]:80`, the bare '%' form RFC 6874 4 suggests accepting from
 *   users. A zone that begins with "25" is always read as the URI form, so a
 *   zone literally named "25x" must be written `%2525x`;
 * - `192.0.2.1`, `192.0.2.1:80`.
 * An IPv6 address outside brackets is rejected: its colons would be ambiguous
 * with the port separator.
 */
export function parseHostPort(text: string): HostPort {
  let address: Ipv6Address | Ipv4Address;
  let zone: Zone | undefined;
  let rest: number;
  if (text.charCodeAt(0) === 0x5b /* [ */) {
    const close = text.indexOf(']');
    if (close < 0) fail(text, text.length, "missing ']'");
    const pct = text.indexOf('%');
    const addrEnd = pct >= 0 && pct < close ? pct : close;
    const out = new Uint8Array(16);
    const err = parseIpv6Into(text, 1, addrEnd, out);
    if (err) fail(text, err.position, err.reason);
    address = Ipv6Address.fromBytes(out);
    if (addrEnd < close) {
      if (text.startsWith('25', addrEnd + 1)) {
        zone = parseUriZone(text, addrEnd + 3, close);
      } else {
        const z = parseZone(text, addrEnd + 1, close);
        if ('reason' in z) fail(text, z.position, z.reason);
        zone = z.zone;
      }
    }
    rest = close + 1;
  } else {
    const colon = text.indexOf(':');
    if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
      fail(text, 0, "an IPv6 literal must be enclosed in '[' ']' (RFC 3986 3.2.2)");
    }
    const end = colon < 0 ? text.length : colon;
    const out = new Uint8Array(4);
    const err = parseDottedQuad(text, 0, end, out, 0);
    if (err) fail(text, err.position, err.reason);
    address = Ipv4Address.fromBytes(out);
    rest = end;
  }
  const result: HostPort = { address };
  if (zone !== undefined) result.zone = zone;
  if (rest < text.length) {
    if (text.charCodeAt(rest) !== 0x3a /* : */) fail(text, rest, `unexpected '${text[rest]}' after host`);
    result.port = parsePort(text, rest + 1);
  }
  return result;
}

/** Percent-encodes everything but RFC 3986 unreserved characters (RFC 6874 2 ZoneID). */
function encodeZone(zone: Zone): string {
  return encodeURIComponent(String(zone)).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The inverse of parseHostPort: `[addr%25zone]:port` for IPv6 (RFC 6874 2,
 * address in RFC 5952 form; RFC 5952 6 also recommends brackets with ports),
 * `a.b.c.d:port` for IPv4. Zone and port are optional; IPv4 takes no zone.
 */
export function formatHostPort(address: Ipv6Address | Ipv4Address, zone?: Zone, port?: number): string {
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 0xffff)) {
    throw new RangeError(`port must be an integer 0..65535, got ${port}`);
  }
  const suffix = port === undefined ? '' : `:${port}`;
  if (address instanceof Ipv4Address) {
    if (zone !== undefined) throw new RangeError('an IPv4 address has no zone');
    return `${address.toString()}${suffix}`;
  }
  if (zone !== undefined) checkZone(zone);
  const z = zone === undefined ? '' : `%25${encodeZone(zone)}`;
  return `[${address.toString()}${z}]${suffix}`;
}
