import type { OpArgs, RequestOp } from '@kame/kernel-api';
import { v1 } from '@kame/kernel-api';

/**
 * Operations that change kernel state other than the client's own sockets:
 * a non-privileged connection (the `<node>.ro.sock` server) gets EPERM for
 * them. Reads, UDP sockets and subscriptions stay open to it.
 */
export const PRIVILEGED_OPS: ReadonlySet<RequestOp> = new Set<RequestOp>([
  'ifSetFlags',
  'ifSetMtu',
  'ifSetLladdr',
  'ifCreate',
  'ifDestroy',
  'ifSetTunnel',
  'addrAdd',
  'addrDelete',
  'routeAdd',
  'routeDelete',
  'routeChange',
  'routeFlush',
  'ndSetDefaultIf',
  'ndFlush',
  'ndDeleteNeighbor',
  'ndSetNeighbor',
  'ndSetIfinfo',
  'sysctlSet',
]);

/** Why `op` is refused to a non-privileged client, or undefined when it is allowed. */
export function privilegeDenial(op: RequestOp, args: OpArgs<RequestOp>): string | undefined {
  if (PRIVILEGED_OPS.has(op)) return `${op} needs a privileged connection`;
  if (op === 'sockOpen' && (args as v1.SockOpen.$Properties).type === v1.SocketType.SOCK_RAW) {
    return 'raw sockets need a privileged connection';
  }
  return undefined;
}
