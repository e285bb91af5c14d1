import { isErrnoName, KernelApiError, type ErrnoName } from '@kame/kernel-api';

/** A request the server refuses: the errno name and message that go into the Response. */
export class OpError extends Error {
  override readonly name = 'OpError';
  constructor(
    readonly errno: ErrnoName,
    readonly detail: string,
  ) {
    super(`${errno}: ${detail}`);
  }
}

/** Throws an OpError; `never`, so it narrows. */
export function fail(errno: ErrnoName, detail: string): never {
  throw new OpError(errno, detail);
}

/**
 * The errno and message of anything a handler threw. The stack's errors
 * (KernelError, RouteError, SocketError, SysctlError) carry an errno name that
 * is also an ABI errno; a RangeError is a bad argument (EINVAL); anything else
 * is a server bug reported as EIO, never thrown out to the node.
 */
export function errnoOf(e: unknown): { errno: ErrnoName; message: string } {
  if (e instanceof OpError) return { errno: e.errno, message: e.detail };
  if (e instanceof KernelApiError) return { errno: e.errno, message: e.detail };
  if (e instanceof Error) {
    const errno = (e as { errno?: unknown }).errno;
    if (typeof errno === 'string' && isErrnoName(errno)) return { errno, message: e.message };
    if (e instanceof RangeError || e instanceof TypeError) return { errno: 'EINVAL', message: e.message };
    return { errno: 'EIO', message: `internal error: ${e.message}` };
  }
  return { errno: 'EIO', message: `internal error: ${String(e)}` };
}
