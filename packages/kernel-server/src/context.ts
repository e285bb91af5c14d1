import type { v1 } from '@kame/kernel-api';
import type { KernelNode } from '@kame/stack';
import type { SocketTable } from './socket-table';

/** What an operation handler sees of the server and of the connection that asked. */
export interface OpContext {
  readonly node: KernelNode;
  /** The connection may change kernel state and open raw sockets. */
  readonly privileged: boolean;
  /** The client's Hello name: the default owner tag of its routes. */
  readonly clientName: string;
  readonly pid: number;
  readonly requestId: number;
  /** The connection's sockets (per-connection handles over SocketLayer fds). */
  readonly sockets: SocketTable;
  /** Every connection's sockets, for SockList. */
  allSockets(): readonly SocketTable[];
  subscribe(topics: readonly v1.Topic[]): void;
  unsubscribe(topics: readonly v1.Topic[]): void;
}
