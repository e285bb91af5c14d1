import { AddrParseError } from '../src/parse-error';

/** Runs `fn`, expecting an AddrParseError, and returns it for position/reason checks. */
export function parseErrorOf(fn: () => unknown): AddrParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AddrParseError) return e;
    throw new Error(`expected AddrParseError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected AddrParseError, but nothing was thrown');
}

/** Runs `fn` and fails if it throws anything but AddrParseError. */
export function parsesOrAddrParseError(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof AddrParseError) return true;
    throw e;
  }
}
