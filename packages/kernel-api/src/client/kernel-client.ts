import { Ipv4Address, Ipv4Prefix, Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { ABI_VERSION, checkWelcome } from '../abi';
import { prefixToProto } from '../address';
import { errnoName, KernelApiError } from '../errno';
import {
  helloFrame,
  requestFrame,
  unwrapResponse,
  type OpArgs,
  type RequestOp,
  type ResultOf,
} from '../messages';
import { v1 } from '../proto';
import type { FrameChannel } from '../transport';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import type { ClientClock, ClientTimer } from './clock';
import { TypedEmitter } from './emitter';
import { InterfaceMirror, type MirrorAddress, type MirrorChange, type MirrorInterface } from './mirror';
import { datagramFromProto, KernelSocket, type Datagram } from './socket';

/** A topic by enum value or by name. */
export type TopicName = 'route' | 'route-interface' | 'iface' | 'sysctl';
export type TopicArg = v1.Topic | TopicName;

const TOPIC_BY_NAME: Record<TopicName, v1.Topic> = {
  route: v1.Topic.TOPIC_ROUTE,
  'route-interface': v1.Topic.TOPIC_ROUTE_INTERFACE,
  iface: v1.Topic.TOPIC_IFACE,
  sysctl: v1.Topic.TOPIC_SYSCTL,
};

function topicOf(t: TopicArg): v1.Topic {
  return typeof t === 'string' ? TOPIC_BY_NAME[t] : t;
}

export interface KernelClientOptions {
  /** Opens a fresh connection to the kernel (connectUnix(socketPath(node)), a memoryPair end...). */
  readonly channelFactory: () => Promise<FrameChannel>;
  /** Program name sent in Hello; also the default owner of the routes it adds. */
  readonly name: string;
  /** Default process.pid. */
  readonly pid?: number;
  readonly uid?: number;
  /** Times the reconnect backoff and the handshake timeout (a VirtualClock in tests). */
  readonly clock: ClientClock;
  /** Reconnect backoff; default { initialMs: 100, maxMs: 30000, factor: 2 }; false = no reconnect. */
  readonly reconnect?: Partial<BackoffOptions> | false;
  /** How long to wait for the Welcome; default 10000 ms. */
  readonly handshakeTimeoutMs?: number;
  /** The version sent in Hello and expected in Welcome; default ABI_VERSION (tests set others). */
  readonly abiVersion?: number;
}

/** What the kernel said in its Welcome. */
export interface WelcomeInfo {
  readonly abiVersion: number;
  readonly node: string;
  readonly capabilities: readonly string[];
  readonly privileged: boolean;
}

export type ClientState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface SysctlChange {
  readonly name: string;
  readonly value: number;
  readonly oldValue: number;
}

export type KernelClientEvents = {
  /** A routing-socket message (TOPIC_ROUTE). */
  rtm: (msg: v1.RtMsg.$Properties) => void;
  /** Raw interface / address deltas (TOPIC_IFACE), after the mirror applied them. */
  ifaceDelta: (delta: v1.IfDelta.$Properties) => void;
  addrDelta: (delta: v1.AddrDelta.$Properties) => void;
  /** One change of the mirror (from a delta, a dump, or a resync after a reconnect). */
  change: (change: MirrorChange) => void;
  /** Every received datagram, whatever its socket (each KernelSocket also gets its own). */
  datagram: (d: Datagram) => void;
  sockError: (fd: number, error: KernelApiError) => void;
  /** A sysctl value changed (TOPIC_SYSCTL). */
  sysctl: (change: SysctlChange) => void;
  /** The connection was lost; pending requests were rejected and sockets closed. */
  disconnected: (reason: Error) => void;
  /** A reconnect attempt failed; the next one is in `nextDelayMs`. */
  reconnectFailed: (error: Error, attempt: number, nextDelayMs: number) => void;
  /** Connected again: Hello redone, topics resubscribed, mirror resynced. */
  reconnected: (welcome: WelcomeInfo) => void;
  /** close() was called, or the connection was lost with reconnect disabled. */
  closed: () => void;
};

/** An interface by name ("ne0") or index. */
export type IfArg = string | number;

function ifRef(i: IfArg): v1.IfRef.$Properties {
  return typeof i === 'number' ? { ifindex: i } : { ifname: i };
}

export type PrefixArg = Ipv6Prefix | Ipv4Prefix | v1.Prefix.$Properties;

function prefixArg(p: PrefixArg): v1.Prefix.$Properties {
  return p instanceof Ipv6Prefix || p instanceof Ipv4Prefix ? prefixToProto(p) : p;
}

export interface AddressAddInit {
  readonly address: Ipv6Address;
  readonly prefixLength: number;
  /** IN6_IFF_ANYCAST, IN6_IFF_AUTOCONF, ... */
  readonly flags?: number;
  /** Seconds; absent = infinite. */
  readonly vltime?: number;
  readonly pltime?: number;
}

interface Pending {
  readonly op: RequestOp;
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** Runs synchronously when the result arrives, before later frames are dispatched. */
  readonly onResult?: (value: unknown) => void;
}

/** One connection: a channel and the requests sent on it. */
class Session {
  readonly pending = new Map<number, Pending>();
  readonly offs: (() => void)[] = [];
  ended = false;
  /** The ErrorFrame the server sent before closing, if any. */
  lastError: KernelApiError | undefined;
  handshake: { resolve(w: v1.Welcome.$Properties): void; reject(e: Error): void } | undefined;
  constructor(readonly channel: FrameChannel) {}
}

/**
 * The kernel client SDK: one connection to a kernel node with the Hello /
 * Welcome handshake, typed requests, events, the mirror of interfaces and
 * addresses (hello -> full dump -> deltas) and reconnection with backoff.
 */
export class KernelClient extends TypedEmitter<KernelClientEvents> {
  private readonly clock: ClientClock;
  private readonly backoff: Backoff | undefined;
  private readonly mirror: InterfaceMirror;
  private readonly topics = new Set<v1.Topic>([v1.Topic.TOPIC_IFACE]);
  private readonly sockets = new Map<number, KernelSocket>();
  private session: Session | undefined;
  private currentState: ClientState = 'connecting';
  private welcomeInfo: WelcomeInfo | undefined;
  private nextId = 1;
  private reconnectTimer: ClientTimer | undefined;

  /** Connects, does the handshake and loads the mirror; rejects if any of it fails (no retry). */
  static async connect(options: KernelClientOptions): Promise<KernelClient> {
    const client = new KernelClient(options);
    try {
      await client.establish();
    } catch (e) {
      client.currentState = 'closed';
      throw e;
    }
    client.currentState = 'connected';
    return client;
  }

  private constructor(private readonly options: KernelClientOptions) {
    super();
    this.clock = options.clock;
    this.backoff =
      options.reconnect === false ? undefined : new Backoff({ ...DEFAULT_BACKOFF, ...options.reconnect });
    this.mirror = new InterfaceMirror(() => this.clock.now());
    this.mirror.on('change', (c) => this.emit('change', c));
  }

  get state(): ClientState {
    return this.currentState;
  }

  /** The Welcome of the current (or last) connection. */
  get welcome(): WelcomeInfo {
    return this.welcomeInfo!;
  }

  /** Topics subscribed (TOPIC_IFACE always, for the mirror). */
  get subscribedTopics(): v1.Topic[] {
    return [...this.topics].sort((a, b) => a - b);
  }

  // ---- requests ------------------------------------------------------------

  /**
   * Sends one request and resolves with its result. Rejects with a
   * KernelApiError carrying the errno name when the kernel answers with one,
   * ECONNRESET when the connection is lost first, ENOTCONN while disconnected.
   */
  request<K extends RequestOp>(op: K, args: OpArgs<K>): Promise<ResultOf<K>> {
    const s = this.session;
    if (this.currentState !== 'connected' || !s || s.ended) {
      return Promise.reject(
        new KernelApiError('ENOTCONN', `${op}: not connected to the kernel (${this.currentState})`),
      );
    }
    return this.send(s, op, args);
  }

  private send<K extends RequestOp>(
    s: Session,
    op: K,
    args: OpArgs<K>,
    onResult?: (value: ResultOf<K>) => void,
  ): Promise<ResultOf<K>> {
    const id = this.allocateId(s);
    return new Promise<ResultOf<K>>((resolve, reject) => {
      s.pending.set(id, {
        op,
        resolve: resolve as (v: unknown) => void,
        reject,
        ...(onResult ? { onResult: onResult as (v: unknown) => void } : {}),
      });
      try {
        s.channel.send(requestFrame(id, op, args));
      } catch (e) {
        s.pending.delete(id);
        reject(e instanceof KernelApiError ? e : new KernelApiError('ECONNRESET', `${op}: ${String(e)}`));
      }
    });
  }

  private allocateId(s: Session): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1;
      if (!s.pending.has(id)) return id;
    }
  }

  // ---- events --------------------------------------------------------------

  /** Subscribes to topics; they are resubscribed after a reconnect. */
  async subscribe(...topics: TopicArg[]): Promise<void> {
    const ts = topics.map(topicOf);
    const s = this.session;
    if (this.currentState !== 'connected' || !s) {
      throw new KernelApiError('ENOTCONN', `subscribe: not connected to the kernel (${this.currentState})`);
    }
    await this.send(s, 'subscribe', { topics: ts }, (r) => {
      if (ts.includes(v1.Topic.TOPIC_IFACE)) this.mirror.applyDump(r.interfaces ?? []);
    });
    for (const t of ts) this.topics.add(t);
  }

  /** Unsubscribes; TOPIC_IFACE stays on (the mirror needs it). */
  async unsubscribe(...topics: TopicArg[]): Promise<void> {
    const ts = topics.map(topicOf).filter((t) => t !== v1.Topic.TOPIC_IFACE);
    if (ts.length === 0) return;
    await this.request('unsubscribe', { topics: ts });
    for (const t of ts) this.topics.delete(t);
  }

  // ---- the mirror ----------------------------------------------------------

  /** Every interface, by ascending index (synchronous, from the mirror). */
  interfaces(): MirrorInterface[] {
    return this.mirror.interfaces();
  }

  interface(nameOrIndex: IfArg): MirrorInterface | undefined {
    return this.mirror.interface(nameOrIndex);
  }

  /** Addresses of one interface, or of all. */
  addresses(iface?: IfArg): MirrorAddress[] {
    return this.mirror.addresses(iface);
  }

  // ---- convenience wrappers ------------------------------------------------

  /** IfList from the kernel (full Interface messages with counters, ND info...). */
  async ifList(): Promise<v1.Interface.$Properties[]> {
    return (await this.request('ifList', {})).interfaces ?? [];
  }

  ifGet(iface: IfArg): Promise<v1.Interface.$Properties> {
    return this.request('ifGet', { ifp: ifRef(iface) });
  }

  async ifSetFlags(iface: IfArg, set: number, clear = 0): Promise<void> {
    await this.request('ifSetFlags', { ifp: ifRef(iface), set, clear });
  }

  async ifSetMtu(iface: IfArg, mtu: number): Promise<void> {
    await this.request('ifSetMtu', { ifp: ifRef(iface), mtu });
  }

  /** SIOCAIFADDR_IN6. */
  async addressAdd(iface: IfArg, init: AddressAddInit): Promise<void> {
    const args: v1.AddrAdd.$Properties = {
      ifp: ifRef(iface),
      address: init.address.bytes.slice(),
      prefixLength: init.prefixLength,
      flags: init.flags ?? 0,
    };
    if (init.vltime !== undefined) args.vltime = init.vltime;
    if (init.pltime !== undefined) args.pltime = init.pltime;
    await this.request('addrAdd', args);
  }

  /** SIOCDIFADDR_IN6. */
  async addressDelete(iface: IfArg, address: Ipv6Address): Promise<void> {
    await this.request('addrDelete', { ifp: ifRef(iface), address: address.bytes.slice() });
  }

  /** AddrList from the kernel (the mirror's addresses() answers without a request). */
  async addressList(iface?: IfArg): Promise<v1.InterfaceAddress.$Properties[]> {
    return (await this.request('addrList', iface === undefined ? {} : { ifp: ifRef(iface) })).addresses ?? [];
  }

  /** RTM_ADD; owner defaults to the Hello name on the kernel side. */
  async routeAdd(route: v1.Route.$Properties): Promise<void> {
    await this.request('routeAdd', { route });
  }

  /** RTM_DELETE by destination; gateway and owner, when given, must match. */
  async routeDelete(
    dst: PrefixArg,
    match: { gateway?: v1.Gateway.$Properties; owner?: string } = {},
  ): Promise<void> {
    const args: v1.RouteDelete.$Properties = { dst: prefixArg(dst) };
    if (match.gateway) args.gateway = match.gateway;
    if (match.owner !== undefined) args.owner = match.owner;
    await this.request('routeDelete', args);
  }

  async routeChange(change: v1.RouteChange.$Properties): Promise<void> {
    await this.request('routeChange', change);
  }

  /** RTM_GET: longest match of `dst`, or the exact entry when prefixLength is given. */
  routeGet(
    dst: Ipv6Address | Ipv4Address,
    options: { zone?: number; prefixLength?: number } = {},
  ): Promise<v1.RtMsg.$Properties> {
    const args: v1.RouteGet.$Properties = { dst: { addr: dst.bytes.slice(), zone: options.zone ?? 0 } };
    if (options.prefixLength !== undefined) args.prefixLength = options.prefixLength;
    return this.request('routeGet', args);
  }

  /** family 0 = both, 4, 6; owner empty = all. */
  async routeList(filter: { family?: 0 | 4 | 6; owner?: string } = {}): Promise<v1.Route.$Properties[]> {
    return (
      (await this.request('routeList', { family: filter.family ?? 0, owner: filter.owner ?? '' })).routes ??
      []
    );
  }

  /** Removes every route of `owner` (default: this client's name); resolves with the count. */
  async routeFlush(owner = this.options.name): Promise<number> {
    return (await this.request('routeFlush', { owner })).count ?? 0;
  }

  sysctlGet(name: string): Promise<v1.SysctlEntry.$Properties> {
    return this.request('sysctlGet', { name });
  }

  /** A number, or text the kernel parses as `sysctl -w name=text`. */
  sysctlSet(name: string, value: number | string): Promise<v1.SysctlSetReply.$Properties> {
    return this.request(
      'sysctlSet',
      typeof value === 'number' ? { name, numberValue: value } : { name, stringValue: value },
    );
  }

  async sysctlList(prefix = ''): Promise<v1.SysctlEntry.$Properties[]> {
    return (await this.request('sysctlList', { prefix })).entries ?? [];
  }

  /** ndp -a */
  async neighbors(iface?: IfArg): Promise<v1.Neighbor.$Properties[]> {
    return (
      (await this.request('ndNeighbors', iface === undefined ? {} : { ifp: ifRef(iface) })).neighbors ?? []
    );
  }

  /** ndp -s: a permanent neighbor entry. */
  async setNeighbor(iface: IfArg, address: Ipv6Address, lladdr: Uint8Array, router = false): Promise<void> {
    const ifindex = this.interface(iface)?.index ?? (typeof iface === 'number' ? iface : 0);
    if (ifindex === 0) throw new KernelApiError('ENXIO', `no interface ${String(iface)}`);
    await this.request('ndSetNeighbor', { address: address.bytes.slice(), ifindex, lladdr, router });
  }

  /** ndp -r */
  async routers(): Promise<v1.NdRouter.$Properties[]> {
    return (await this.request('ndRouters', {})).routers ?? [];
  }

  /** ndp -p */
  async prefixes(): Promise<v1.NdPrefix.$Properties[]> {
    return (await this.request('ndPrefixes', {})).prefixes ?? [];
  }

  /** netstat -s groups ("ip6", "icmp6", ...; none = all). */
  async stats(...groups: string[]): Promise<v1.StatGroup.$Properties[]> {
    return (await this.request('statsGet', { groups })).groups ?? [];
  }

  /** socket(AF_INET6, type, protocol): 'dgram' (UDP) or 'raw' (protocol = Next Header, 58 = ICMPv6). */
  async socket(type: 'dgram' | 'raw' | v1.SocketType, protocol = 0): Promise<KernelSocket> {
    const t = type === 'dgram' ? v1.SocketType.SOCK_DGRAM : type === 'raw' ? v1.SocketType.SOCK_RAW : type;
    const s = this.session;
    const r = await this.request('sockOpen', { type: t, protocol });
    const fd = r.fd ?? 0;
    const sock = new KernelSocket(
      { request: (op, args) => this.request(op, args), forgetSocket: (n) => this.forgetSocket(n, sock) },
      fd,
      t,
      protocol,
    );
    if (this.session !== s || this.currentState !== 'connected') {
      // The connection was lost while the reply travelled: the fd is already gone.
      sock.markClosed(new KernelApiError('ECONNRESET', `socket ${fd}: kernel connection lost`));
    } else {
      this.sockets.set(fd, sock);
    }
    return sock;
  }

  /** Open sockets of the current connection. */
  openSockets(): KernelSocket[] {
    return [...this.sockets.values()];
  }

  private forgetSocket(fd: number, sock: KernelSocket): void {
    if (this.sockets.get(fd) === sock) this.sockets.delete(fd);
  }

  // ---- lifecycle -----------------------------------------------------------

  /** Stops everything: no reconnect, pending requests rejected, sockets closed, channel closed. */
  close(): void {
    if (this.currentState === 'closed') return;
    this.currentState = 'closed';
    this.reconnectTimer?.cancel();
    this.reconnectTimer = undefined;
    const reason = new KernelApiError('ENOTCONN', 'kernel client closed');
    const s = this.session;
    if (s) this.endSession(s, reason);
    this.closeSockets(reason);
    this.emit('closed');
  }

  /** Opens a channel, does Hello/Welcome, subscribes the topics and loads the mirror from the dump. */
  private async establish(): Promise<WelcomeInfo> {
    const channel = await this.options.channelFactory();
    const s = new Session(channel);
    if (this.currentState === 'closed') {
      channel.close();
      throw new KernelApiError('ENOTCONN', 'kernel client closed');
    }
    this.session = s;
    s.offs.push(channel.onFrame((f) => this.onFrame(s, f)));
    s.offs.push(channel.onClose((e) => this.onChannelClose(s, e)));
    try {
      const welcome = await this.handshake(s);
      const topics = this.subscribedTopics;
      await this.send(s, 'subscribe', { topics }, (r) => this.mirror.applyDump(r.interfaces ?? []));
      this.welcomeInfo = welcome;
      return welcome;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      this.endSession(s, err);
      throw err;
    }
  }

  private handshake(s: Session): Promise<WelcomeInfo> {
    const version = this.options.abiVersion ?? ABI_VERSION;
    return new Promise<WelcomeInfo>((resolve, reject) => {
      const timeoutMs = this.options.handshakeTimeoutMs ?? 10_000;
      const timer = this.clock.setTimer(timeoutMs, () => {
        s.handshake = undefined;
        reject(new KernelApiError('ETIMEDOUT', `no Welcome from the kernel within ${timeoutMs} ms`));
      });
      s.handshake = {
        resolve: (w) => {
          timer.cancel();
          try {
            checkWelcome(w, version);
          } catch (e) {
            reject(e as Error);
            return;
          }
          resolve({
            abiVersion: w.abiVersion ?? 0,
            node: w.node ?? '',
            capabilities: [...(w.capabilities ?? [])],
            privileged: w.privileged ?? false,
          });
        },
        reject: (e) => {
          timer.cancel();
          reject(e);
        },
      };
      try {
        s.channel.send(
          helloFrame({
            name: this.options.name,
            pid: this.options.pid ?? process.pid,
            uid: this.options.uid ?? 0,
            abiVersion: version,
          }),
        );
      } catch (e) {
        s.handshake.reject(new KernelApiError('ECONNRESET', `sending Hello: ${String(e)}`));
      }
    });
  }

  private onFrame(s: Session, f: v1.Frame): void {
    if (s.ended) return;
    switch (f.body) {
      case 'welcome': {
        const h = s.handshake;
        s.handshake = undefined;
        h?.resolve(f.welcome!);
        return;
      }
      case 'error': {
        const e = f.error!;
        const n = e.errno ?? 0;
        const err = new KernelApiError(errnoName(n) ?? 'EPROTO', e.message ?? '');
        s.lastError = err;
        const h = s.handshake;
        s.handshake = undefined;
        h?.reject(err);
        const rid = e.requestId ?? 0;
        const p = rid !== 0 ? s.pending.get(rid) : undefined;
        if (p) {
          s.pending.delete(rid);
          p.reject(err);
        }
        return;
      }
      case 'response': {
        const res = f.response!;
        const id = res.id ?? 0;
        const p = s.pending.get(id);
        if (!p) return; // a late answer to nothing we wait for
        s.pending.delete(id);
        let value: unknown;
        try {
          value = unwrapResponse(p.op, res);
        } catch (e) {
          p.reject(e as Error);
          return;
        }
        try {
          p.onResult?.(value);
        } catch (e) {
          p.reject(e as Error);
          return;
        }
        p.resolve(value);
        return;
      }
      case 'event':
        this.onEvent(f.event!);
        return;
      default:
        return; // hello / request from a server: not ours to answer
    }
  }

  private onEvent(ev: v1.Event.$Properties): void {
    switch (ev.body) {
      case 'rtm':
        this.emit('rtm', ev.rtm!);
        return;
      case 'iface':
        this.mirror.applyIfDelta(ev.iface!);
        this.emit('ifaceDelta', ev.iface!);
        return;
      case 'addr':
        this.mirror.applyAddrDelta(ev.addr!);
        this.emit('addrDelta', ev.addr!);
        return;
      case 'datagram': {
        let d: Datagram;
        try {
          d = datagramFromProto(ev.datagram!);
        } catch {
          return; // a malformed sender address: drop it, as a kernel would
        }
        this.sockets.get(d.fd)?.deliver({ datagram: d });
        this.emit('datagram', d);
        return;
      }
      case 'sockError': {
        const se = ev.sockError!;
        const fd = se.fd ?? 0;
        this.sockets.get(fd)?.deliver({ error: se });
        this.emit(
          'sockError',
          fd,
          new KernelApiError(errnoName(se.errno ?? 0) ?? 'EPROTO', se.message ?? ''),
        );
        return;
      }
      case 'sysctl': {
        const c = ev.sysctl!;
        this.emit('sysctl', { name: c.name ?? '', value: c.value ?? 0, oldValue: c.oldValue ?? 0 });
        return;
      }
      default:
        return;
    }
  }

  private onChannelClose(s: Session, error: Error | undefined): void {
    if (s.ended) return;
    const reason = s.lastError ?? error ?? new Error('kernel closed the connection');
    const wasCurrent = this.session === s && this.currentState === 'connected';
    this.endSession(s, new KernelApiError('ECONNRESET', `kernel connection lost: ${reason.message}`));
    if (wasCurrent) this.lost(reason);
  }

  /** Rejects what the session still waits for and closes its channel. */
  private endSession(s: Session, reason: Error): void {
    if (s.ended) return;
    s.ended = true;
    for (const off of s.offs) off();
    const h = s.handshake;
    s.handshake = undefined;
    h?.reject(reason);
    const pending = [...s.pending.values()];
    s.pending.clear();
    for (const p of pending) p.reject(reason);
    if (!s.channel.closed) s.channel.close();
    if (this.session === s) this.session = undefined;
  }

  private closeSockets(reason: Error): void {
    const socks = [...this.sockets.values()];
    this.sockets.clear();
    for (const sock of socks) sock.markClosed(reason);
  }

  private lost(reason: Error): void {
    this.closeSockets(new KernelApiError('ECONNRESET', `kernel connection lost: ${reason.message}`));
    if (!this.backoff) {
      this.currentState = 'closed';
      this.emit('disconnected', reason);
      this.emit('closed');
      return;
    }
    this.currentState = 'reconnecting';
    this.backoff.reset();
    this.emit('disconnected', reason);
    if (this.currentState === 'reconnecting') this.scheduleReconnect();
  }

  private scheduleReconnect(): number {
    const delay = this.backoff!.next();
    const attempt = this.backoff!.attempts;
    this.reconnectTimer = this.clock.setTimer(delay, () => {
      this.reconnectTimer = undefined;
      void this.attemptReconnect(attempt);
    });
    return delay;
  }

  private async attemptReconnect(attempt: number): Promise<void> {
    if (this.currentState !== 'reconnecting') return;
    let welcome: WelcomeInfo;
    try {
      welcome = await this.establish();
    } catch (e) {
      if (this.currentState !== 'reconnecting') return;
      const next = this.scheduleReconnect();
      this.emit('reconnectFailed', e instanceof Error ? e : new Error(String(e)), attempt, next);
      return;
    }
    if (this.currentState !== 'reconnecting') {
      // close() during the handshake; establish already finished, drop this session.
      if (this.session) this.endSession(this.session, new KernelApiError('ENOTCONN', 'kernel client closed'));
      return;
    }
    this.currentState = 'connected';
    this.backoff!.reset();
    this.emit('reconnected', welcome);
  }
}
