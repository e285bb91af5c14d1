import { extractScope, Ipv6Address, needsScope } from '@kame/addr';
import { v1, type FrameChannel } from '@kame/kernel-api';
import { RTF_GATEWAY, type KernelNode, type RtMessage } from '@kame/stack';
import { Connection, type AcceptOptions } from './connection';
import { interfaceAddressToProto, interfaceToProto, rtMsgToProto } from './convert';
import type { SocketTable } from './socket-table';
import { datagramToProto } from './sockets';

export interface KernelServerLimits {
  /** Requests queued on one connection before it is dropped with ENOBUFS. Default 1024. */
  readonly maxQueuedRequests: number;
  /** Requests served per connection per event-loop turn (fairness between connections). Default 64. */
  readonly requestsPerTurn: number;
  /** Bytes queued towards one client before it counts as a slow reader and is dropped. Default 8 MiB. */
  readonly maxOutgoingBytes: number;
  /** Sockets one connection may hold (EMFILE beyond). Default 256. */
  readonly maxSocketsPerConnection: number;
}

export interface KernelServerOptions {
  /** The node name the Welcome reports ("r1"). */
  readonly name: string;
  /**
   * Privileged (`<node>.sock`): every operation. Not privileged
   * (`<node>.ro.sock`): reads, subscriptions and UDP sockets; EPERM for
   * interface, address, route, ND and sysctl changes and for raw sockets.
   */
  readonly privileged: boolean;
  /**
   * Keep the routes of a client that disconnects. The proto has no "retain
   * routes" field in Hello, so this is a server-wide choice; default false:
   * a departing client's routes (owner = its Hello name) are withdrawn.
   */
  readonly retainRoutes?: boolean;
  readonly limits?: Partial<KernelServerLimits>;
  /**
   * How a connection yields between batches of requests (default
   * setImmediate). A lab delivering its channels through a MemoryPump passes
   * `(fn) => pump.enqueue(fn)` so that every step of a run is the pump's.
   */
  readonly defer?: (fn: () => void) => void;
  readonly log?: (level: 'err' | 'warning' | 'notice' | 'info' | 'debug', message: string) => void;
}

const DEFAULT_LIMITS: KernelServerLimits = {
  maxQueuedRequests: 1024,
  requestsPerTurn: 64,
  maxOutgoingBytes: 8 * 1024 * 1024,
  maxSocketsPerConnection: 256,
};

/** Every live connection of every server of a node (route withdrawal looks across servers). */
const LIVE = new WeakMap<KernelNode, Set<Connection>>();

/**
 * Serves one KernelNode over the kernel API: accepts FrameChannels, runs
 * each connection's handshake and requests, and fans the node's routing
 * messages, sysctl changes and socket datagrams out as events.
 */
export class KernelServer {
  readonly nodeName: string;
  readonly privileged: boolean;
  readonly retainRoutes: boolean;
  readonly limits: KernelServerLimits;
  /** @internal */
  readonly defer: (fn: () => void) => void;
  readonly capabilities: readonly string[];
  private readonly connections = new Set<Connection>();
  private readonly unsubscribers: (() => void)[] = [];
  private readonly logSink: NonNullable<KernelServerOptions['log']>;
  private disposed = false;

  constructor(
    readonly node: KernelNode,
    options: KernelServerOptions,
  ) {
    this.nodeName = options.name;
    this.privileged = options.privileged;
    this.retainRoutes = options.retainRoutes ?? false;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.defer = options.defer ?? ((fn) => void setImmediate(fn));
    this.logSink = options.log ?? (() => undefined);
    this.capabilities = [
      'inet6',
      'route',
      'udp',
      ...(this.privileged ? ['raw'] : []),
      'nd6',
      'sysctl',
      'stats',
    ];
    this.unsubscribers.push(
      node.routes.bus.subscribe((m) => this.safely('routing message', () => this.onRtMessage(m))),
      node.sysctl.onChange((name, value, oldValue) =>
        this.safely('sysctl change', () => this.onSysctl(name, value, oldValue)),
      ),
      node.sockets.onDatagram((fd) => this.safely('datagram', () => this.onDatagram(fd))),
    );
  }

  /** Live connections (handshake done or pending). */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Serves one connection. Never throws; a closed or closing channel is just dropped. */
  accept(channel: FrameChannel, options: AcceptOptions = {}): void {
    if (this.disposed) {
      try {
        channel.close();
      } catch {
        // Nothing to do.
      }
      return;
    }
    const c = new Connection(this, channel, options);
    this.connections.add(c);
    let live = LIVE.get(this.node);
    if (!live) LIVE.set(this.node, (live = new Set()));
    live.add(c);
  }

  /** Closes every connection (running their cleanup) and stops listening to the node. */
  close(): void {
    if (this.disposed) return;
    for (const c of [...this.connections]) c.shutdown();
    this.disposed = true;
    for (const u of this.unsubscribers.splice(0)) u();
  }

  log(level: Parameters<NonNullable<KernelServerOptions['log']>>[0], message: string): void {
    try {
      this.logSink(level, message);
    } catch {
      // A broken log sink must not break the server.
    }
  }

  /** @internal Every connection's socket table (SockList). */
  socketTables(): SocketTable[] {
    return [...this.connections].map((c) => c.sockets);
  }

  /** @internal Called once per connection when it ends: withdraws its routes unless kept. */
  connectionClosed(c: Connection, wasOpen: boolean, error?: Error): void {
    this.connections.delete(c);
    LIVE.get(this.node)?.delete(c);
    if (error) this.log('info', `connection ${c.name || '?'} closed: ${error.message}`);
    if (!wasOpen || this.retainRoutes || !c.privileged) return;
    const owner = c.name;
    if (owner === '' || owner === 'kernel') return;
    // Another live connection of the same program still stands behind these routes.
    for (const other of LIVE.get(this.node) ?? []) if (other.isOpen && other.name === owner) return;
    this.safely('route withdrawal', () => {
      const n = this.node.routes.flush(owner);
      if (n > 0) this.log('info', `withdrew ${n} route(s) of ${owner}`);
    });
  }

  // ---- node -> clients -----------------------------------------------------

  private *subscribers(topic: v1.Topic): Iterable<Connection> {
    for (const c of [...this.connections]) if (c.wants(topic)) yield c;
  }

  private onRtMessage(m: RtMessage): void {
    const now = this.node.clock.now();
    const rtm = rtMsgToProto(m, now);
    const gatewayRoute = 'dst' in m && (m.flags & RTF_GATEWAY) !== 0;
    for (const c of [...this.connections]) {
      if (c.wants(v1.Topic.TOPIC_ROUTE) || (!gatewayRoute && c.wants(v1.Topic.TOPIC_ROUTE_INTERFACE)))
        c.event('rtm', rtm);
    }
    const delta = this.ifaceDelta(m, now);
    if (!delta) return;
    for (const c of this.subscribers(v1.Topic.TOPIC_IFACE)) {
      if ('iface' in delta) c.event('iface', delta.iface);
      else c.event('addr', delta.addr);
    }
  }

  /** The IFACE delta a routing message implies: IFINFO -> IfDelta, NEWADDR / DELADDR -> AddrDelta. */
  private ifaceDelta(
    m: RtMessage,
    now: number,
  ): { iface: v1.IfDelta.$Properties } | { addr: v1.AddrDelta.$Properties } | undefined {
    if (m.type === 'RTM_IFANNOUNCE') {
      // Arrival: the whole interface; departure: only its identity is left.
      const ifp = this.node.ifnet(m.ifindex);
      if (m.what === 'arrival' && ifp)
        return { iface: { kind: v1.DeltaKind.DELTA_ADD, iface: interfaceToProto(this.node, ifp, false) } };
      if (m.what === 'departure')
        return { iface: { kind: v1.DeltaKind.DELTA_DELETE, iface: { index: m.ifindex, name: m.ifname } } };
      return undefined;
    }
    if (m.type === 'RTM_IFINFO') {
      const ifp = this.node.ifnet(m.ifindex);
      if (!ifp) return undefined;
      return { iface: { kind: v1.DeltaKind.DELTA_CHANGE, iface: interfaceToProto(this.node, ifp, false) } };
    }
    if (m.type !== 'RTM_NEWADDR' && m.type !== 'RTM_DELADDR') return undefined;
    if (!(m.address instanceof Ipv6Address)) return undefined;
    const plain = needsScope(m.address) ? extractScope(m.address).address : m.address;
    const ia = this.node.ifnet(m.ifindex)?.addresses.find((a) => a.address.equals(plain));
    const address =
      m.type === 'RTM_NEWADDR' && ia
        ? interfaceAddressToProto(ia, now)
        : {
            address: plain.bytes.slice(),
            prefixLength: m.prefixLength,
            ifindex: m.ifindex,
            flags: m.flags,
          };
    const kind = m.type === 'RTM_NEWADDR' ? v1.DeltaKind.DELTA_ADD : v1.DeltaKind.DELTA_DELETE;
    return { addr: { kind, address } };
  }

  private onSysctl(name: string, value: number, oldValue: number): void {
    for (const c of this.subscribers(v1.Topic.TOPIC_SYSCTL)) c.event('sysctl', { name, value, oldValue });
  }

  /** A datagram was queued on a SocketLayer fd: the connection holding it gets every queued one. */
  private onDatagram(fd: number): void {
    for (const c of this.connections) {
      const handle = c.sockets.handleOf(fd);
      if (handle === undefined) continue;
      for (let d = this.node.sockets.recvmsg(fd); d; d = this.node.sockets.recvmsg(fd)) {
        if (!c.event('datagram', datagramToProto(handle, d))) break;
      }
      return;
    }
  }

  private safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log('err', `kernel server (${what}): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
