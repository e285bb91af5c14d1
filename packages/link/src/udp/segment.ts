import type { Clock } from '@kame/time';
import { vxlan } from '@kame/wire';
import { type EndpointStats, type FrameListener, type LinkEndpoint, newEndpointStats } from '../endpoint';
import { type VxlanSegmentCounters, type VxlanTransportCounters, newVxlanSegmentCounters } from './counters';
import { MacTable, type MacTableOptions, macTableKey } from '../mac-table';
import { type UdpFamily, type UdpRemote, addressKey, normalizeRemote, sameRemote } from './remote';

/** Smallest inner frame: destination MAC, source MAC, EtherType. */
export const ETHERNET_HEADER_LEN = 14;

/** Bounds and aging of a segment's learned table (when full, the least recently seen entry goes). */
export type VxlanFdbOptions = Pick<MacTableOptions, 'maxEntries' | 'agingMs'>;

/** One learned MAC -> remote entry, as listed by VxlanSegment.learned(). */
export interface LearnedEntry<R> {
  /** The MAC address as "02:00:00:00:00:01". */
  mac: string;
  remote: R;
  /** Milliseconds since the entry was last refreshed. */
  ageMs: number;
}

export interface VxlanSegmentOptions {
  /** Remote tunnel endpoints (IP literals) that are members of this segment. */
  remotes?: readonly UdpRemote[];
  /** Learn inner source MAC -> remote and send known unicast to one remote (default true). */
  learn?: boolean;
  /** Endpoint name (default "vxlan:<vni>"). */
  name?: string;
  /** Bounds and aging of the learned table. */
  fdb?: VxlanFdbOptions;
}

/** What a segment needs from its transport (implemented by VxlanTransport). */
export interface VxlanSegmentHost {
  readonly family: UdpFamily;
  readonly maxDatagram: number;
  isOpen(): boolean;
  readonly clock: Clock;
  readonly counters: VxlanTransportCounters;
  transmit(datagram: Uint8Array, remote: UdpRemote): void;
  detach(segment: VxlanSegment): void;
}

/**
 * The local port of one VXLAN segment (one VNI on one transport): a
 * LinkEndpoint whose other members are remote VTEPs. Sends encapsulate
 * and go to the learned remote (known unicast) or to every remote
 * (head-end replication); received frames come from the transport's demux.
 */
export class VxlanSegment implements LinkEndpoint {
  readonly name: string;
  readonly stats: EndpointStats = newEndpointStats();
  readonly counters: VxlanSegmentCounters = newVxlanSegmentCounters();
  readonly learning: boolean;
  private readonly table: MacTable<UdpRemote>;
  private remoteList: UdpRemote[] = [];
  private readonly byEndpoint = new Map<string, UdpRemote>();
  private readonly byAddress = new Map<string, UdpRemote>();
  private readonly listeners = new Set<FrameListener>();
  private readonly carrierListeners = new Set<(up: boolean) => void>();
  private closed = false;
  private up: boolean;
  // One-entry cache of the last outer source -> configured remote.
  private lastSrcAddress = '';
  private lastSrcPort = -1;
  private lastSrcRemote: UdpRemote | undefined;

  constructor(
    readonly vni: number,
    private readonly host: VxlanSegmentHost,
    options: VxlanSegmentOptions = {},
  ) {
    if (!Number.isInteger(vni) || vni < 0 || vni > 0xffffff)
      throw new RangeError(`VXLAN VNI ${vni}: not 24-bit`);
    this.name = options.name ?? `vxlan:${vni}`;
    this.learning = options.learn ?? true;
    // Lazy aging only (no timers on the transport's clock); evict the least recently seen when full.
    this.table = new MacTable<UdpRemote>(host.clock, {
      maxEntries: options.fdb?.maxEntries,
      agingMs: options.fdb?.agingMs,
      whenFull: 'evict-oldest',
      agingTimer: false,
    });
    this.up = host.isOpen();
    for (const r of options.remotes ?? []) this.addRemote(r);
  }

  get carrier(): boolean {
    return this.up && !this.closed;
  }

  get remotes(): readonly UdpRemote[] {
    return this.remoteList;
  }

  /** Adds a member VTEP at run time (a duplicate is ignored); returns the stored form. */
  addRemote(remote: UdpRemote): UdpRemote {
    const r = normalizeRemote(remote, this.host.family);
    const existing = this.remoteList.find((x) => sameRemote(x, r));
    if (existing) return existing;
    this.remoteList = [...this.remoteList, r];
    this.reindex();
    return r;
  }

  /** Removes a member VTEP and forgets the MACs learned behind it; false if it was not a member. */
  removeRemote(remote: UdpRemote): boolean {
    const r = this.remoteList.find((x) => sameRemote(x, normalizeRemote(remote, this.host.family)));
    if (!r) return false;
    this.remoteList = this.remoteList.filter((x) => x !== r);
    this.table.removePort(r);
    this.reindex();
    return true;
  }

  /** Learned MAC -> remote entries that have not aged out. */
  learned(): LearnedEntry<UdpRemote>[] {
    const aging = this.table.agingMs;
    return this.table.entries().map((e) => ({ mac: e.mac, remote: e.port, ageMs: aging - e.expiresInMs }));
  }

  /** Forgets every learned entry (frames flood until relearned). */
  flushLearned(): void {
    this.table.clear();
  }

  send(frame: Uint8Array): void {
    if (this.closed || !this.up) {
      this.stats.dropped++;
      return;
    }
    if (frame.length < ETHERNET_HEADER_LEN) {
      this.stats.dropped++;
      return;
    }
    if (frame.length + 8 > this.host.maxDatagram) {
      this.counters.tooBig++;
      this.stats.dropped++;
      return;
    }
    const remotes = this.remoteList;
    if (remotes.length === 0) {
      this.counters.noRemote++;
      this.stats.dropped++;
      return;
    }
    this.stats.framesOut++;
    this.stats.bytesOut += frame.length;
    // The frame is copied (the caller may reuse its buffer once send() returns), into
    // node's pooled allocator: no zero-fill for the bytes the codec overwrites anyway.
    const repr = { vni: this.vni, payload: frame };
    const datagram = Buffer.allocUnsafe(vxlan.bufferLen(repr));
    vxlan.emit(repr, datagram, 0);
    // Group bit of the destination MAC: broadcast/multicast always floods.
    const target =
      this.learning && (frame[0]! & 1) === 0 ? this.table.lookup(macTableKey(frame, 0)) : undefined;
    if (target) {
      this.counters.unicast++;
      this.host.transmit(datagram, target);
      return;
    }
    this.counters.flooded++;
    for (const r of remotes) this.host.transmit(datagram, r);
  }

  onReceive(listener: FrameListener): () => void {
    const l: FrameListener = (f) => listener(f);
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  }

  onCarrier(listener: (up: boolean) => void): () => void {
    const l = (up: boolean) => listener(up);
    this.carrierListeners.add(l);
    return () => void this.carrierListeners.delete(l);
  }

  close(): void {
    if (this.closed) return;
    const was = this.carrier;
    this.closed = true;
    this.host.detach(this);
    this.table.clear();
    if (was) this.emitCarrier(false);
    this.listeners.clear();
    this.carrierListeners.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Transport -> segment: one decapsulated frame (>= 14 bytes) from `srcAddress`:`srcPort`. */
  deliver(frame: Uint8Array, srcAddress: string, srcPort: number): void {
    if (this.closed) return;
    if (this.learning && (frame[6]! & 1) === 0) {
      const from = this.memberFor(srcAddress, srcPort);
      if (from) {
        const learned = this.table.learn(macTableKey(frame, 6), from);
        if (learned === 'learned' || learned === 'moved') this.counters.learned++;
      } else {
        this.counters.unknownSource++;
      }
    }
    this.stats.framesIn++;
    this.stats.bytesIn += frame.length;
    for (const l of this.listeners) {
      try {
        l(frame);
      } catch {
        this.host.counters.listenerErrors++;
      }
    }
  }

  /** Transport -> segment: the socket opened or closed. */
  setCarrier(up: boolean): void {
    const was = this.carrier;
    this.up = up;
    if (this.carrier !== was) this.emitCarrier(this.carrier);
  }

  private emitCarrier(up: boolean): void {
    for (const l of this.carrierListeners) {
      try {
        l(up);
      } catch {
        this.host.counters.listenerErrors++;
      }
    }
  }

  /**
   * The configured remote an outer source belongs to: exact address+port,
   * else the first remote with that address (a Linux VTEP sends from its
   * srcport range, not from the port it listens on).
   */
  private memberFor(address: string, port: number): UdpRemote | undefined {
    if (address === this.lastSrcAddress && port === this.lastSrcPort) return this.lastSrcRemote;
    const a = addressKey(address);
    const r = this.byEndpoint.get(`${a}|${port}`) ?? this.byAddress.get(a);
    this.lastSrcAddress = address;
    this.lastSrcPort = port;
    this.lastSrcRemote = r;
    return r;
  }

  private reindex(): void {
    this.byEndpoint.clear();
    this.byAddress.clear();
    for (const r of this.remoteList) {
      const a = addressKey(r.address);
      this.byEndpoint.set(`${a}|${r.port}`, r);
      if (!this.byAddress.has(a)) this.byAddress.set(a, r);
    }
    this.lastSrcAddress = '';
    this.lastSrcPort = -1;
    this.lastSrcRemote = undefined;
  }
}
