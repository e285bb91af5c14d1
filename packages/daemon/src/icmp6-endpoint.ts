import { Scope, scopeOf, type Ipv6Address } from '@kame/addr';
import {
  icmp6FilterPassing,
  KernelApiError,
  type Datagram,
  type KernelClient,
  type KernelSocket,
} from '@kame/kernel-api';

/** IPPROTO_ICMPV6, the Next Header value of a raw ICMPv6 socket. */
export const IPPROTO_ICMPV6 = 58;

/** RFC 4861 6.1.1 / 7.1.1: ND messages go out and are accepted only with hop limit 255. */
export const ND_HOPLIMIT = 255;

/** One received ICMPv6 message with what IPV6_RECVPKTINFO / IPV6_RECVHOPLIMIT told about it. */
export interface Icmp6Message {
  readonly ifindex: number;
  /** From the client's interface mirror; '' if the interface is unknown there. */
  readonly ifname: string;
  readonly src: Ipv6Address;
  /** The destination address (pktinfo); undefined if the kernel gave none. */
  readonly dst: Ipv6Address | undefined;
  readonly hoplimit: number | undefined;
  /** The ICMPv6 message, from its Type byte. */
  readonly data: Uint8Array;
}

/** Counters of the endpoint (the kernel counts its own drops). */
export interface Icmp6EndpointStats {
  received: number;
  /** Datagrams without a sender or a pktinfo: cannot be attributed, dropped. */
  dropped: number;
  sent: number;
  /** Times the socket was reopened after the kernel connection came back. */
  reopened: number;
}

export interface Icmp6EndpointOptions {
  /** ICMP6_FILTER pass list (RFC 3542 3.2): every other type is blocked in the kernel. */
  readonly types: readonly number[];
}

/** Bound on remembered group memberships (IPV6_JOIN_GROUP re-done after a reconnect). */
export const MAX_ENDPOINT_GROUPS = 1024;

const groupKey = (ifname: string, group: Ipv6Address): string => `${ifname}%${group.toString()}`;

/**
 * A raw ICMPv6 socket set up as ND daemons need it (rtadvd, rtsold): a
 * filter passing only their types, pktinfo and hop limit on input, output
 * on a chosen interface with hop limit 255, the kernel computing the
 * checksum (RFC 3542 3.1). A kernel socket dies with its connection; this
 * endpoint reopens it after the client's 'reconnected', reapplies the
 * options and re-joins its groups, so daemons see no difference besides
 * the messages lost meanwhile.
 */
export class Icmp6Endpoint {
  readonly stats: Icmp6EndpointStats = { received: 0, dropped: 0, sent: 0, reopened: 0 };
  private sock: KernelSocket | undefined;
  private readonly groups = new Map<string, { ifname: string; group: Ipv6Address }>();
  private readonly listeners = new Set<(m: Icmp6Message) => void>();
  private readonly errorListeners = new Set<(e: Error) => void>();
  private readonly reopenListeners = new Set<() => void>();
  private readonly offs: (() => void)[] = [];
  private generation = 0;
  private isClosed = false;

  private constructor(
    private readonly client: KernelClient,
    private readonly types: readonly number[],
  ) {}

  /** socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) plus the options; rejects if the kernel refuses any. */
  static async open(client: KernelClient, opts: Icmp6EndpointOptions): Promise<Icmp6Endpoint> {
    icmp6FilterPassing(opts.types); // RangeError for a bad type, before any request
    const ep = new Icmp6Endpoint(client, [...opts.types]);
    await ep.setup(ep.generation);
    ep.offs.push(client.on('reconnected', () => ep.reopen()));
    ep.offs.push(client.on('closed', () => ep.close()));
    return ep;
  }

  /** True while the socket is open (false between a lost connection and its reopening). */
  get ready(): boolean {
    return this.sock !== undefined && !this.sock.closed;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** The kernel fd of the current socket (changes on reopen). */
  get fd(): number | undefined {
    return this.sock?.fd;
  }

  /** IPV6_JOIN_GROUP on `ifname`; remembered and re-joined after a reconnect. */
  async join(ifname: string, group: Ipv6Address): Promise<void> {
    const key = groupKey(ifname, group);
    if (!this.groups.has(key) && this.groups.size >= MAX_ENDPOINT_GROUPS) {
      throw new KernelApiError('ENOBUFS', `join ${group.toString()} on ${ifname}: too many groups`);
    }
    await this.membership('ipv6JoinGroup', ifname, group);
    this.groups.set(key, { ifname, group });
  }

  /** IPV6_LEAVE_GROUP; forgotten even if the kernel answers with an error. */
  async leave(ifname: string, group: Ipv6Address): Promise<void> {
    this.groups.delete(groupKey(ifname, group));
    await this.membership('ipv6LeaveGroup', ifname, group);
  }

  /** The groups joined, as [ifname, group]. */
  memberships(): { ifname: string; group: Ipv6Address }[] {
    return [...this.groups.values()];
  }

  /**
   * sendmsg with IPV6_PKTINFO ifindex = `ifname` and IPV6_HOPLIMIT (default
   * 255); `icmp6` starts at the Type byte, its checksum is filled in by the kernel.
   */
  async send(ifname: string, dst: Ipv6Address, icmp6: Uint8Array, hoplimit = ND_HOPLIMIT): Promise<void> {
    const sock = this.current(`send to ${dst.toString()} on ${ifname}`);
    const ifindex = this.ifindexOf(ifname, `send to ${dst.toString()}`);
    // A link-scoped destination also carries the zone (RFC 4007 11); pktinfo picks the interface for all.
    const zoned = scopeOf(dst) <= Scope.LinkLocal;
    await sock.sendmsg(icmp6, {
      to: zoned ? { address: dst, zone: ifindex } : { address: dst },
      pktinfo: { ifindex },
      hoplimit,
    });
    this.stats.sent++;
  }

  onMessage(fn: (m: Icmp6Message) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Errors that no call can return: a reopen after a reconnect that failed. */
  onError(fn: (e: Error) => void): () => void {
    this.errorListeners.add(fn);
    return () => this.errorListeners.delete(fn);
  }

  /** Called each time the socket was reopened after a reconnect (options and groups restored). */
  onReopen(fn: () => void): () => void {
    this.reopenListeners.add(fn);
    return () => this.reopenListeners.delete(fn);
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.generation++;
    for (const off of this.offs) off();
    this.offs.length = 0;
    const s = this.sock;
    this.sock = undefined;
    if (s && !s.closed) s.close().catch(() => undefined);
    this.listeners.clear();
    this.errorListeners.clear();
    this.reopenListeners.clear();
  }

  // ---- internals ---------------------------------------------------------

  private async setup(gen: number): Promise<void> {
    const sock = await this.client.socket('raw', IPPROTO_ICMPV6);
    if (gen !== this.generation) {
      sock.close().catch(() => undefined);
      return;
    }
    sock.on('datagram', (d) => {
      if (this.sock === sock) this.deliver(d);
    });
    try {
      await sock.setsockopt({ icmp6Filter: icmp6FilterPassing(this.types) });
      await sock.setsockopt({ ipv6Recvpktinfo: true });
      await sock.setsockopt({ ipv6Recvhoplimit: true });
    } catch (e) {
      sock.close().catch(() => undefined);
      throw e;
    }
    if (gen !== this.generation) {
      sock.close().catch(() => undefined);
      return;
    }
    this.sock = sock;
  }

  private reopen(): void {
    if (this.isClosed) return;
    const gen = ++this.generation;
    this.sock = undefined;
    void (async () => {
      try {
        await this.setup(gen);
        if (gen !== this.generation) return;
        for (const [key, { ifname, group }] of [...this.groups]) {
          try {
            await this.membership('ipv6JoinGroup', ifname, group);
          } catch (e) {
            if (gen !== this.generation) return;
            // The interface may be gone; keep the membership for a later reopen.
            this.fail(new Error(`re-join ${key} after reconnect: ${(e as Error).message}`));
          }
        }
        if (gen !== this.generation) return;
        this.stats.reopened++;
        for (const l of [...this.reopenListeners]) l();
      } catch (e) {
        // Lost again meanwhile: the next 'reconnected' retries; anything else is reported.
        if (gen !== this.generation) return;
        if (e instanceof KernelApiError && (e.errno === 'ECONNRESET' || e.errno === 'ENOTCONN')) return;
        this.fail(new Error(`reopening the ICMPv6 socket after reconnect: ${(e as Error).message}`));
      }
    })();
  }

  private fail(e: Error): void {
    for (const l of [...this.errorListeners]) l(e);
  }

  private current(what: string): KernelSocket {
    if (this.isClosed) throw new KernelApiError('EBADF', `${what}: ICMPv6 endpoint closed`);
    const s = this.sock;
    if (!s || s.closed)
      throw new KernelApiError('ENOTCONN', `${what}: ICMPv6 socket not open (kernel connection lost)`);
    return s;
  }

  private ifindexOf(ifname: string, what: string): number {
    const ifp = this.client.interface(ifname);
    if (!ifp) throw new KernelApiError('ENXIO', `${what}: no interface ${ifname}`);
    return ifp.index;
  }

  private async membership(
    op: 'ipv6JoinGroup' | 'ipv6LeaveGroup',
    ifname: string,
    group: Ipv6Address,
  ): Promise<void> {
    const what = `${op === 'ipv6JoinGroup' ? 'join' : 'leave'} ${group.toString()} on ${ifname}`;
    const sock = this.current(what);
    const ifindex = this.ifindexOf(ifname, what);
    await sock.setsockopt({ [op]: { group: group.bytes.slice(), ifindex } });
  }

  private deliver(d: Datagram): void {
    if (!d.from || !d.pktinfo) {
      this.stats.dropped++;
      return;
    }
    this.stats.received++;
    const ifindex = d.pktinfo.ifindex;
    const m: Icmp6Message = {
      ifindex,
      ifname: this.client.interface(ifindex)?.name ?? '',
      src: d.from.address,
      dst: d.pktinfo.address,
      hoplimit: d.hoplimit,
      data: d.data,
    };
    for (const l of [...this.listeners]) l(m);
  }
}
