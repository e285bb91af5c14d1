/**
 * The errno names the routing table answers with, as route(4) documents for
 * a failed routing-socket request (rtm_errno): EEXIST for an RTM_ADD of a
 * route already present, ESRCH for an RTM_DELETE/CHANGE/GET of one that is
 * absent, ENOBUFS when the table is full, EINVAL for a malformed request.
 */
export type RouteErrno = 'EEXIST' | 'ESRCH' | 'ENOBUFS' | 'EINVAL';

export class RouteError extends Error {
  override readonly name = 'RouteError';

  constructor(
    readonly errno: RouteErrno,
    message: string,
  ) {
    super(`${errno}: ${message}`);
  }
}
