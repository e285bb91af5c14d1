import { SeededRandom } from '@kame/time';
import { IANA_EPHEMERAL_FIRST, IANA_EPHEMERAL_LAST, selectEphemeralPort } from './ephemeral-port';

describe('selectEphemeralPort (RFC 6056 3.3.1, RFC 6335 range)', () => {
  it('stays in 49152-65535 and avoids ports in use', () => {
    const r = new SeededRandom(1);
    const used = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const p = selectEphemeralPort(r, (x) => used.has(x))!;
      expect(p).toBeGreaterThanOrEqual(IANA_EPHEMERAL_FIRST);
      expect(p).toBeLessThanOrEqual(IANA_EPHEMERAL_LAST);
      expect(used.has(p)).toBe(false);
      used.add(p);
    }
  });

  it('wraps around the range and reports exhaustion', () => {
    const r = new SeededRandom(2);
    const range = { first: 10, last: 12 };
    expect(selectEphemeralPort(r, (x) => x !== 10, range)).toBe(10);
    expect(selectEphemeralPort(r, () => true, range)).toBeUndefined();
  });
});
