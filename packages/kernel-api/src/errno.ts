import { v1 } from './proto';

/** An errno name of the ABI (every member of the `Errno` enum but ERRNO_NONE). */
export type ErrnoName = Exclude<keyof typeof v1.Errno, 'ERRNO_NONE'>;

const BY_NAME = new Map<string, number>();
const BY_NUMBER = new Map<number, ErrnoName>();
for (const name of Object.keys(v1.Errno)) {
  const n = (v1.Errno as unknown as Record<string, number>)[name];
  if (n === undefined || n === 0) continue;
  BY_NAME.set(name, n);
  BY_NUMBER.set(n, name as ErrnoName);
}

/** Every errno name, in enum order. */
export const ERRNO_NAMES: readonly ErrnoName[] = [...BY_NUMBER.values()];

export function isErrnoName(s: string): s is ErrnoName {
  return BY_NAME.has(s);
}

/** The frozen number of an errno name (FreeBSD <sys/errno.h>). */
export function errnoNumber(name: ErrnoName): v1.Errno {
  const n = BY_NAME.get(name);
  if (n === undefined) throw new RangeError(`unknown errno name ${String(name)}`);
  return n;
}

/**
 * The name of an errno number; undefined for 0 (no error) and for numbers
 * this side does not know (a newer peer): callers report those as EPROTO.
 */
export function errnoName(n: number): ErrnoName | undefined {
  return BY_NUMBER.get(n);
}

/**
 * A failed kernel request as a client sees it: the errno name and the
 * kernel's message ("EADDRINUSE: bind [::]:521: address in use").
 */
export class KernelApiError extends Error {
  override readonly name = 'KernelApiError';
  constructor(
    readonly errno: ErrnoName,
    readonly detail: string,
  ) {
    super(`${errno}: ${detail}`);
  }
}
