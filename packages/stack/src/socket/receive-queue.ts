/**
 * A socket receive buffer bounded in bytes (so_rcv, SO_RCVBUF). A datagram is
 * appended whole or not at all: when it does not fit in the space left it is
 * dropped and counted (BSD sbappendaddr failing: udp6s_fullsock for UDP,
 * rip6s_fullsock for raw sockets).
 */
export class ReceiveQueue<T> {
  private readonly items: { item: T; size: number }[] = [];
  private used = 0;
  /** Datagrams refused because the buffer was full. */
  drops = 0;

  constructor(public limit: number) {}

  /** Appends unless it would exceed `limit`; false (and counted) when dropped. */
  push(item: T, size: number): boolean {
    if (this.used + size > this.limit) {
      this.drops++;
      return false;
    }
    this.items.push({ item, size });
    this.used += size;
    return true;
  }

  /** The oldest datagram, removed; undefined when empty (EWOULDBLOCK). */
  shift(): T | undefined {
    const e = this.items.shift();
    if (e === undefined) return undefined;
    this.used -= e.size;
    return e.item;
  }

  /** Bytes queued (netstat Recv-Q). */
  get bytes(): number {
    return this.used;
  }

  get length(): number {
    return this.items.length;
  }

  clear(): void {
    this.items.length = 0;
    this.used = 0;
  }
}
