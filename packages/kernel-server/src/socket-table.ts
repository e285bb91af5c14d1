import type { SocketLayer } from '@kame/stack';
import { fail } from './op-error';

/**
 * One connection's sockets. The client sees small per-connection handles
 * (from 3, like descriptors); each maps to a SocketLayer fd. Closing the
 * table (disconnect) closes every socket through SocketLayer.close, which
 * releases its multicast memberships and port.
 */
export class SocketTable {
  private readonly byHandle = new Map<number, number>();
  private readonly byFd = new Map<number, number>();
  private nextHandle = 3;

  constructor(
    private readonly layer: SocketLayer,
    /** Most sockets one connection may hold (EMFILE beyond). */
    readonly limit: number,
  ) {}

  /** The owning client's pid (SockList), set at the handshake. */
  pid = 0;

  get size(): number {
    return this.byHandle.size;
  }

  add(fd: number): number {
    const handle = this.nextHandle++;
    this.byHandle.set(handle, fd);
    this.byFd.set(fd, handle);
    return handle;
  }

  /** The SocketLayer fd behind a handle; EBADF for handles this connection does not hold. */
  fd(handle: number): number {
    const fd = this.byHandle.get(handle);
    if (fd === undefined) fail('EBADF', `bad socket ${handle}`);
    return fd;
  }

  handleOf(fd: number): number | undefined {
    return this.byFd.get(fd);
  }

  /** [handle, fd] pairs in handle order. */
  entries(): [number, number][] {
    return [...this.byHandle.entries()];
  }

  close(handle: number): void {
    const fd = this.fd(handle);
    this.byHandle.delete(handle);
    this.byFd.delete(fd);
    this.layer.close(fd);
  }

  /** Closes every socket (disconnect cleanup); never throws. */
  closeAll(): void {
    for (const handle of [...this.byHandle.keys()]) {
      try {
        this.close(handle);
      } catch {
        // Already gone from the layer: nothing left to release.
      }
    }
  }
}
