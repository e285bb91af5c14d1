import type { Ipv6Address } from '@kame/addr';
import { sockaddrFromProto, sockaddrToProto, type Sockaddr, type SockaddrInit } from '../address';
import { errnoName, KernelApiError } from '../errno';
import type { OpArgs, RequestOp, ResultOf } from '../messages';
import { v1 } from '../proto';
import { TypedEmitter } from './emitter';

/** A received datagram (recvmsg with its ancillary data). */
export interface Datagram {
  readonly fd: number;
  readonly data: Uint8Array;
  /** The sender; undefined only if the kernel omitted it. */
  readonly from: Sockaddr | undefined;
  /** IPV6_PKTINFO, when IPV6_RECVPKTINFO was on. */
  readonly pktinfo?: { readonly address: Ipv6Address | undefined; readonly ifindex: number };
  /** IPV6_HOPLIMIT, when IPV6_RECVHOPLIMIT was on. */
  readonly hoplimit?: number;
}

/** sendmsg(2) options (RFC 3542 ancillary data). */
export interface SendOptions {
  /** Destination; omit on a connected socket. */
  readonly to?: SockaddrInit;
  /** IPV6_PKTINFO: source address and/or outgoing interface. */
  readonly pktinfo?: { readonly address?: Ipv6Address; readonly ifindex?: number };
  readonly hoplimit?: number;
  readonly tclass?: number;
}

export type SocketEvents = {
  datagram: (d: Datagram) => void;
  /** An asynchronous socket error (ICMPv6 unreachable on a connected socket...). */
  error: (e: KernelApiError) => void;
  /** The socket is closed: by close(), or with the reason when the kernel connection was lost. */
  close: (reason?: Error) => void;
};

/** What a socket needs from its client. */
export interface SocketHost {
  request<K extends RequestOp>(op: K, args: OpArgs<K>): Promise<ResultOf<K>>;
  forgetSocket(fd: number): void;
}

/** A datagram event of the ABI as a Datagram. */
export function datagramFromProto(d: v1.SockDatagram.$Properties): Datagram {
  const out: {
    fd: number;
    data: Uint8Array;
    from: Sockaddr | undefined;
    pktinfo?: { address: Ipv6Address | undefined; ifindex: number };
    hoplimit?: number;
  } = {
    fd: d.fd ?? 0,
    data: d.data ?? new Uint8Array(0),
    from: d.from ? sockaddrFromProto(d.from, 'datagram.from') : undefined,
  };
  if (d.pktinfo) {
    const a = d.pktinfo.addr;
    out.pktinfo = {
      address: a && a.length === 16 ? sockaddrFromProto({ addr: a }, 'pktinfo').address : undefined,
      ifindex: d.pktinfo.ifindex ?? 0,
    };
  }
  if (d.hoplimit !== undefined && d.hoplimit !== null) out.hoplimit = d.hoplimit;
  return out;
}

/**
 * A kernel socket (socket(AF_INET6, type, protocol)) as a small facade:
 * each method is one request, received datagrams arrive as 'datagram'
 * events. A socket does not survive a reconnect: it emits 'close' with the
 * reason and the daemon opens a new one after 'reconnected'.
 */
export class KernelSocket extends TypedEmitter<SocketEvents> {
  private isClosed = false;

  constructor(
    private readonly host: SocketHost,
    readonly fd: number,
    readonly type: v1.SocketType,
    readonly protocol: number,
  ) {
    super();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  bind(addr: SockaddrInit): Promise<void> {
    return this.call('sockBind', { fd: this.fd, addr: sockaddrToProto(addr) }).then(() => undefined);
  }

  /** connect(2); no address disconnects. */
  connect(addr?: SockaddrInit): Promise<void> {
    const args: v1.SockConnect.$Properties = { fd: this.fd };
    if (addr) args.addr = sockaddrToProto(addr);
    return this.call('sockConnect', args).then(() => undefined);
  }

  /** setsockopt(2) with one SockOpt member: `{ ipv6RecvPktinfo: true }`, `{ ipv6JoinGroup: {...} }`. */
  setsockopt(opt: v1.SockOpt.$Properties): Promise<void> {
    return this.call('sockSetOpt', { fd: this.fd, opt }).then(() => undefined);
  }

  getsockopt(name: v1.SockOptName): Promise<v1.SockOpt.$Properties> {
    return this.call('sockGetOpt', { fd: this.fd, name });
  }

  /** sendmsg(2); resolves with the bytes sent. */
  async sendmsg(data: Uint8Array, options: SendOptions = {}): Promise<number> {
    const args: v1.SockSendmsg.$Properties = { fd: this.fd, data };
    if (options.to) args.to = sockaddrToProto(options.to);
    if (options.pktinfo) {
      args.pktinfo = {
        addr: options.pktinfo.address ? options.pktinfo.address.bytes.slice() : new Uint8Array(0),
        ifindex: options.pktinfo.ifindex ?? 0,
      };
    }
    if (options.hoplimit !== undefined) args.hoplimit = options.hoplimit;
    if (options.tclass !== undefined) args.tclass = options.tclass;
    const r = await this.call('sockSendmsg', args);
    return r.bytes ?? 0;
  }

  async getsockname(): Promise<Sockaddr> {
    return sockaddrFromProto(await this.call('sockGetName', { fd: this.fd }), 'getsockname');
  }

  async getpeername(): Promise<Sockaddr> {
    return sockaddrFromProto(await this.call('sockGetName', { fd: this.fd, peer: true }), 'getpeername');
  }

  /** close(2). Local state is released even when the kernel answers with an error. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.markClosed(undefined);
    await this.host.request('sockClose', { fd: this.fd });
  }

  /** @internal The client routes this socket's events here. */
  deliver(ev: { datagram: Datagram } | { error: v1.SockError.$Properties }): void {
    if (this.isClosed) return;
    if ('datagram' in ev) {
      this.emit('datagram', ev.datagram);
    } else {
      const n = ev.error.errno ?? 0;
      this.emit('error', new KernelApiError(errnoName(n) ?? 'EPROTO', ev.error.message ?? ''));
    }
  }

  /** @internal The socket is gone (close() or a lost connection). */
  markClosed(reason: Error | undefined): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.host.forgetSocket(this.fd);
    this.emit('close', reason);
  }

  private call<K extends RequestOp>(op: K, args: OpArgs<K>): Promise<ResultOf<K>> {
    if (this.isClosed)
      return Promise.reject(new KernelApiError('EBADF', `${op}: socket ${this.fd} is closed`));
    return this.host.request(op, args);
  }
}
