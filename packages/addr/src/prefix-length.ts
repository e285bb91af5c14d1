/**
 * Parses the decimal prefix length after '/' in text[start, end)
 * (RFC 4291 2.3: "prefix-length is a decimal value"). No sign, no hex, no
 * leading zeros (so "010" cannot be read as octal), at most `max`.
 * Returns the value, or the failing position and reason.
 */
export function parsePrefixLength(
  text: string,
  start: number,
  end: number,
  max: number,
): { value: number } | { position: number; reason: string } {
  if (start === end) return { position: start, reason: "missing prefix length after '/'" };
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      return { position: i, reason: `prefix length must be decimal digits, found '${text[i]}'` };
    }
    if (i > start && value === 0) return { position: start, reason: 'prefix length has a leading zero' };
    value = value * 10 + (c - 48);
    if (value > max) return { position: start, reason: `prefix length ${text.slice(start, end)} > ${max}` };
  }
  return { value };
}
