/**
 * Zone identifiers (RFC 4007 11.2): either an interface name or a decimal zone
 * index. Names follow BSD interface naming: 1..15 bytes (IFNAMSIZ 16 less the
 * NUL), no '%' (the delimiter), no '/' (the prefix delimiter, RFC 4007 11.7),
 * no white space or control characters.
 */
export type Zone = string | number;

/** Largest zone index: sin6_scope_id is 32 bits (RFC 3493 3.3). */
export const MAX_ZONE_INDEX = 0xffffffff;
/** Longest interface name in bytes. */
export const MAX_ZONE_NAME_LENGTH = 15;

/**
 * Checks text[start, end) as a zone. All-digit zones become numbers
 * (RFC 4007 11.2: "the numerical value of the zone index"). Returns the zone
 * or the failing position and reason.
 */
export function parseZone(
  text: string,
  start: number,
  end: number,
): { zone: Zone } | { position: number; reason: string } {
  if (start >= end) return { position: start, reason: "empty zone after '%'" };
  let digits = true;
  let bytes = 0;
  for (let i = start; i < end; i++) {
    const c = text.codePointAt(i)!;
    if (c === 0x25) return { position: i, reason: "'%' in zone" };
    if (c === 0x2f) return { position: i, reason: "'/' in zone" };
    if (c <= 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f) || /\s/u.test(String.fromCodePoint(c))) {
      return { position: i, reason: 'white space or control character in zone' };
    }
    if (c < 48 || c > 57) digits = false;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (c >= 0x10000) i++; // the low surrogate
  }
  if (digits) {
    const n = Number(text.slice(start, end));
    if (n > MAX_ZONE_INDEX) return { position: start, reason: `zone index ${n} > ${MAX_ZONE_INDEX}` };
    return { zone: n };
  }
  if (bytes > MAX_ZONE_NAME_LENGTH) {
    return { position: start, reason: `zone name is ${bytes} bytes, max ${MAX_ZONE_NAME_LENGTH}` };
  }
  return { zone: text.slice(start, end) };
}

/** Throws RangeError unless `zone` is a valid zone name or index. */
export function checkZone(zone: Zone): void {
  if (typeof zone === 'number') {
    if (!Number.isInteger(zone) || zone < 0 || zone > MAX_ZONE_INDEX) {
      throw new RangeError(`zone index must be an integer 0..${MAX_ZONE_INDEX}, got ${zone}`);
    }
    return;
  }
  const r = parseZone(zone, 0, zone.length);
  if ('reason' in r) throw new RangeError(`invalid zone '${zone}': ${r.reason}`);
  if (typeof r.zone === 'number')
    throw new RangeError(`zone name '${zone}' is all digits; pass it as a number`);
}
