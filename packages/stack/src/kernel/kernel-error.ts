/** errno names the kernel API reports (the IPC layer forwards them unchanged). */
export type Errno =
  | 'EPERM'
  | 'ENOENT'
  | 'ENXIO'
  | 'EEXIST'
  | 'EINVAL'
  | 'ENOBUFS'
  | 'EADDRINUSE'
  | 'EADDRNOTAVAIL'
  | 'ENETUNREACH'
  | 'EHOSTUNREACH'
  | 'EMSGSIZE'
  | 'ESRCH';

/** A failed kernel request: an errno name and a message saying what and where. */
export class KernelError extends Error {
  override readonly name = 'KernelError';
  constructor(
    readonly errno: Errno,
    message: string,
  ) {
    super(`${errno}: ${message}`);
  }
}
