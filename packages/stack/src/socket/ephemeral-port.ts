import type { Random } from '@kame/time';

/** RFC 6335 6: the Dynamic and/or Private Ports range, used for ephemeral ports. */
export const IANA_EPHEMERAL_FIRST = 49152;
export const IANA_EPHEMERAL_LAST = 65535;

export interface PortRange {
  readonly first: number;
  readonly last: number;
}

export const IANA_EPHEMERAL_RANGE: PortRange = { first: IANA_EPHEMERAL_FIRST, last: IANA_EPHEMERAL_LAST };

/**
 * RFC 6056 3.3.1 (Algorithm 1, simple port randomization): start at a random
 * port of the range and probe upwards, wrapping, until `inUse` says no.
 * Undefined when every port of the range is taken.
 */
export function selectEphemeralPort(
  random: Random,
  inUse: (port: number) => boolean,
  range: PortRange = IANA_EPHEMERAL_RANGE,
): number | undefined {
  const count = range.last - range.first + 1;
  if (count <= 0) return undefined;
  let port = random.int(range.first, range.last);
  for (let i = 0; i < count; i++) {
    if (!inUse(port)) return port;
    port = port === range.last ? range.first : port + 1;
  }
  return undefined;
}
