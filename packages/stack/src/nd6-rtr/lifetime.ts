import { ND6_INFINITE_LIFETIME } from '@kame/wire';

/** RFC 4862 5.5.3 (e): the two hours of the valid-lifetime rule, in seconds. */
export const TWO_HOURS = 2 * 60 * 60;

/** Seconds from an option (0xffffffff = infinity) as a number, Infinity for infinite. */
export function lifetimeSeconds(raw: number): number {
  return raw === ND6_INFINITE_LIFETIME ? Infinity : raw;
}

/** Absolute Clock deadline (ms) for a lifetime in seconds from `now`; Infinity stays Infinity. */
export function deadlineOf(now: number, seconds: number): number {
  return seconds === Infinity ? Infinity : now + seconds * 1000;
}

/** Whole seconds left until `deadline` (Infinity for infinite, never negative). */
export function remainingSeconds(now: number, deadline: number): number {
  if (deadline === Infinity) return Infinity;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** Which branch of RFC 4862 5.5.3 (e) decided the new valid lifetime. */
export type ValidLifetimeRule =
  /** e.1: received > 2 hours or > RemainingLifetime: the advertised value is taken. */
  | 'advertised'
  /** e.2: RemainingLifetime <= 2 hours: the option is ignored for the valid lifetime. */
  | 'ignored'
  /** e.2, authenticated RA (e.g. SEND): the advertised value is taken after all. */
  | 'authenticated'
  /** e.3: otherwise the valid lifetime is reset to 2 hours. */
  | 'two-hours';

export interface ValidLifetimeUpdate {
  /** The new valid lifetime in seconds (Infinity = infinite). */
  readonly validLifetime: number;
  readonly rule: ValidLifetimeRule;
}

/**
 * RFC 4862 5.5.3 (e), for an address already autoconfigured from the prefix.
 * All values in seconds, Infinity for infinite. The text, applied literally:
 *
 *  1. If the received Valid Lifetime is greater than 2 hours or greater than
 *     RemainingLifetime, set the valid lifetime of the address to it.
 *  2. If RemainingLifetime is less than or equal to 2 hours, ignore the
 *     option with regard to the valid lifetime, unless the RA was
 *     authenticated, in which case the advertised value is used.
 *  3. Otherwise, reset the valid lifetime of the address to 2 hours.
 *
 * IMPLEMENTATION 1.4.2 says KAME implements Jim Bound's update (ipng 6712) of
 * the RFC 2462 rule. That mail is not at hand; RFC 4862 is the later text
 * that carries the rule forward (comparing against the *remaining* lifetime,
 * and the authenticated-RA escape of step 2), and it is what is implemented
 * here, word for word. Note that an infinite remaining lifetime with a finite
 * received one falls through to step 3 (two hours), as the text says.
 */
export function applyTwoHourRule(
  receivedValid: number,
  remaining: number,
  authenticated = false,
): ValidLifetimeUpdate {
  if (receivedValid > TWO_HOURS || receivedValid > remaining) {
    return { validLifetime: receivedValid, rule: 'advertised' };
  }
  if (remaining <= TWO_HOURS) {
    return authenticated
      ? { validLifetime: receivedValid, rule: 'authenticated' }
      : { validLifetime: remaining, rule: 'ignored' };
  }
  return { validLifetime: TWO_HOURS, rule: 'two-hours' };
}
