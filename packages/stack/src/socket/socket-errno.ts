/**
 * errno names the socket layer reports; the IPC layer forwards them unchanged.
 * A superset of the kernel's `Errno` with the socket-specific ones (POSIX
 * connect/send/bind, RFC 3493, RFC 3542 6.1 ENXIO for a bad interface index).
 */
export type SocketErrno =
  | 'EPERM'
  | 'EBADF'
  | 'EACCES'
  | 'EINVAL'
  | 'ENXIO'
  | 'EMSGSIZE'
  | 'ENOPROTOOPT'
  | 'EAFNOSUPPORT'
  | 'EADDRINUSE'
  | 'EADDRNOTAVAIL'
  | 'ENETUNREACH'
  | 'EHOSTUNREACH'
  | 'ENOBUFS'
  | 'EISCONN'
  | 'ENOTCONN';

/** A failed socket call: the errno name and what failed. */
export class SocketError extends Error {
  override readonly name = 'SocketError';
  constructor(
    readonly errno: SocketErrno,
    message: string,
  ) {
    super(`${errno}: ${message}`);
  }
}

/** Throws a SocketError; `never` so that it narrows in expressions. */
export function throwSocketError(errno: SocketErrno, message: string): never {
  throw new SocketError(errno, message);
}
