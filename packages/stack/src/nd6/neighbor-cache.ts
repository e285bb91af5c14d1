import type { Ipv6Address, MacAddress } from '@kame/addr';
import type { Clock, Random, Timer } from '@kame/time';
import {
  NO_ENTRY,
  neighborTransition,
  type NdMessageKind,
  type NeighborEvent,
  type NeighborSnapshot,
  type NeighborState,
  type Transition,
  type TransitionLimits,
} from './neighbor-state';
import { resolveNeighborCacheParams, type NeighborCacheParams } from './params';
import { ReachableTime } from './reachable-time';

/** Where the NS goes: solicited-node multicast, or unicast to the cached neighbor. */
export interface NsDestination {
  /** True for NUD probes (PROBE state); false for address resolution. */
  readonly unicast: boolean;
  /** The cached link-layer address for a unicast probe (absent on media without addresses). */
  readonly unicastTo?: MacAddress;
}

/** The output port: everything the cache asks of the rest of the stack. */
export interface NeighborCacheOutput<P> {
  /** Send an NS for `target`; multicast to its solicited-node group unless `unicast`. */
  sendNeighborSolicitation(target: Ipv6Address, dest: NsDestination): void;
  /** Send a packet that waited for resolution (undefined lladdr: media without addresses). */
  transmit(packet: P, lladdr: MacAddress | undefined): void;
  /**
   * Resolution gave up (or the INCOMPLETE entry was evicted): the caller sends
   * ICMPv6 Destination Unreachable, code 3, for each packet (RFC 4861 7.2.2).
   */
  resolutionFailed(target: Ipv6Address, droppedPackets: readonly P[]): void;
  /** IsRouter changed; `wasRouter` true means remove it as a default router (RFC 4861 7.2.5). */
  isRouterChanged(target: Ipv6Address, wasRouter: boolean): void;
}

export interface NeighborCacheOptions<P> {
  readonly clock: Clock;
  readonly random: Random;
  readonly params?: Partial<NeighborCacheParams>;
  readonly output: NeighborCacheOutput<P>;
}

export type ResolveResult =
  /** Send now. `lladdr` is undefined only on media without link-layer addresses. */
  | { readonly status: 'send'; readonly lladdr: MacAddress | undefined }
  /** Held in the entry's queue until resolution completes or fails. */
  | { readonly status: 'queued' };

/** A valid Neighbor Advertisement, reduced to what the cache needs (RFC 4861 4.4). */
export interface NeighborAdvertisementInfo {
  readonly target: Ipv6Address;
  /** The Target Link-Layer Address option, if present. */
  readonly lladdr?: MacAddress;
  readonly router: boolean;
  readonly solicited: boolean;
  readonly override: boolean;
}

export interface NdMessageOptions {
  readonly kind: NdMessageKind;
  /** Overrides the kind's rule, e.g. a Redirect whose Target != Destination passes true (RFC 4861 8.3). */
  readonly isRouter?: boolean;
}

/** One row of `ndp -a`. */
export interface NeighborEntryInfo {
  readonly address: Ipv6Address;
  readonly lladdr: MacAddress | undefined;
  readonly state: NeighborState;
  /** Absolute Clock time of the next state change, undefined when none is scheduled (STALE). */
  readonly expire: number | undefined;
  readonly isRouter: boolean;
  /** Solicitations sent in the current INCOMPLETE or PROBE episode. */
  readonly probes: number;
  readonly queued: number;
  /** A static entry (`ndp -s`): never expires, never changed by ND messages. */
  readonly permanent: boolean;
}

export interface NeighborCacheStats {
  /** Packets dropped from a full resolution queue, or with a deleted entry. */
  queueDrops: number;
  /** Entries removed to honour maxEntries. */
  evictions: number;
  /** INCOMPLETE entries that got no answer after maxMulticastSolicit NS. */
  resolutionFailures: number;
  /** PROBE entries deleted after maxUnicastSolicit unanswered probes. */
  nudFailures: number;
  multicastSolicitations: number;
  unicastSolicitations: number;
}

type TimerKind = 'RETRANS' | 'DELAY' | 'REACHABLE';

interface Entry<P> {
  readonly address: Ipv6Address;
  lladdr: MacAddress | undefined;
  state: NeighborState;
  isRouter: boolean;
  probes: number;
  queue: P[];
  timer: Timer | undefined;
  timerKind: TimerKind | undefined;
  /** REACHABLE until this time (RFC 4861 7.3.3), refreshed by confirmations. */
  reachableUntil: number;
  /** Monotonic use stamp for LRU eviction. */
  lastUsed: number;
  /** `ndp -s` entry: exempt from NUD, ND updates and eviction. */
  permanent: boolean;
}

/**
 * The Neighbor Cache of one interface (RFC 4861 5.1, 7.2, 7.3), sans-I/O:
 * packets and solicitations leave through `output`, time comes from `clock`.
 * Every state change goes through `neighborTransition`.
 */
export class NeighborCache<P = Uint8Array> {
  readonly params: NeighborCacheParams;
  readonly stats: NeighborCacheStats = {
    queueDrops: 0,
    evictions: 0,
    resolutionFailures: 0,
    nudFailures: 0,
    multicastSolicitations: 0,
    unicastSolicitations: 0,
  };

  private readonly clock: Clock;
  private readonly output: NeighborCacheOutput<P>;
  private readonly reachable: ReachableTime;
  private readonly table = new Map<string, Entry<P>>();
  private retransTimerMs: number;
  private useSeq = 0;

  constructor(opts: NeighborCacheOptions<P>) {
    this.params = resolveNeighborCacheParams(opts.params);
    this.clock = opts.clock;
    this.output = opts.output;
    this.retransTimerMs = this.params.retransTimer;
    this.reachable = new ReachableTime(
      opts.clock,
      opts.random,
      this.params.baseReachableTime,
      this.params.recalcReachableTimeInterval,
    );
  }

  /** The randomized ReachableTime in ms (RFC 4861 6.3.2). */
  get reachableTime(): number {
    return this.reachable.value;
  }

  get baseReachableTime(): number {
    return this.reachable.base;
  }

  get retransTimer(): number {
    return this.retransTimerMs;
  }

  get size(): number {
    return this.table.size;
  }

  /** RFC 4861 6.3.4: Reachable Time from an RA; 0 is ignored, a new value re-randomizes. */
  setBaseReachableTime(ms: number): void {
    this.reachable.setBase(ms);
  }

  /** RFC 4861 6.3.4: Retrans Timer from an RA; 0 is ignored. */
  setRetransTimer(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`nd6: RetransTimer: bad value ${ms}`);
    if (ms !== 0) this.retransTimerMs = ms;
  }

  /**
   * Output path (RFC 4861 7.2.2, 7.3.3): the link-layer address to send
   * `packet` to now, or 'queued' while resolution runs.
   */
  resolve(target: Ipv6Address, packet: P): ResolveResult {
    if (target.isMulticast() || target.isUnspecified()) {
      // RFC 4861 7.2.1: never resolve multicast; the caller maps it (RFC 2464 7).
      throw new RangeError(`nd6: cannot resolve ${target.toString()}: not a unicast address`);
    }
    const key = target.key();
    const before = this.table.get(key);
    if (before !== undefined) before.lastUsed = ++this.useSeq;
    if (before?.permanent) return { status: 'send', lladdr: before.lladdr };
    const t = this.step(target, { type: 'PACKET_TO_SEND' }, packet);
    const entry = this.table.get(key);
    if (t.actions.some((a) => a.type === 'SEND_PACKET')) {
      return { status: 'send', lladdr: entry?.lladdr };
    }
    return { status: 'queued' };
  }

  /** Upper-layer reachability hint (RFC 4861 7.3.1). Returns false when there is no usable entry. */
  reachabilityConfirmed(target: Ipv6Address): boolean {
    const t = this.step(target, { type: 'UPPER_LAYER_CONFIRMATION' });
    return !isIgnore(t);
  }

  /** RFC 4861 7.2.5: a valid NA (solicited or not, 7.2.6). */
  onNeighborAdvertisement(na: NeighborAdvertisementInfo): void {
    this.step(na.target, {
      type: 'NA',
      lladdr: na.lladdr,
      router: na.router,
      solicited: na.solicited,
      override: na.override,
    });
  }

  /**
   * NS/RS/RA source, or Redirect target, with its link-layer address option
   * if any (RFC 4861 7.2.3, 6.2.6, 6.3.4, 8.3). An NS from :: must not reach here.
   */
  onSolicitationOrRouterMessage(
    source: Ipv6Address,
    lladdr: MacAddress | undefined,
    opts: NdMessageOptions,
  ): void {
    if (source.isUnspecified() || source.isMulticast()) return; // RFC 4861 7.2.3: no entry for ::
    this.step(source, { type: 'ND_MESSAGE', kind: opts.kind, lladdr, isRouter: opts.isRouter });
  }

  lookup(target: Ipv6Address): NeighborEntryInfo | undefined {
    const e = this.table.get(target.key());
    return e === undefined ? undefined : this.info(e);
  }

  /** All entries for `ndp -a`, ordered by address. */
  entries(): NeighborEntryInfo[] {
    return [...this.table.values()].sort((a, b) => a.address.compare(b.address)).map((e) => this.info(e));
  }

  /**
   * `ndp -s ADDR LLADDR`: a static entry, always usable, never probed,
   * never overridden by Neighbor Advertisements (KAME's RTF_STATIC llinfo).
   * Packets queued on a previous INCOMPLETE entry go out now.
   */
  setPermanent(target: Ipv6Address, lladdr: MacAddress, isRouter = false): void {
    if (target.isMulticast() || target.isUnspecified())
      throw new RangeError(`nd6: ${target.toString()} cannot have a neighbor entry`);
    const effects: Array<() => void> = [];
    const e = this.table.get(target.key()) ?? this.create(target, effects);
    this.cancelTimer(e);
    e.state = 'REACHABLE';
    e.lladdr = lladdr;
    e.isRouter = isRouter;
    e.probes = 0;
    e.permanent = true;
    const queued = e.queue;
    e.queue = [];
    for (const p of queued) this.output.transmit(p, lladdr);
    for (const f of effects) f();
  }

  /** `ndp -d`: removes one entry; queued packets are dropped and counted. */
  delete(target: Ipv6Address): boolean {
    const e = this.table.get(target.key());
    if (e === undefined) return false;
    this.remove(e);
    this.stats.queueDrops += e.queue.length;
    e.queue = [];
    return true;
  }

  /** `ndp -c`: removes every entry. */
  flush(): void {
    for (const e of [...this.table.values()]) this.delete(e.address);
  }

  private get limits(): TransitionLimits {
    return {
      maxMulticastSolicit: this.params.maxMulticastSolicit,
      maxUnicastSolicit: this.params.maxUnicastSolicit,
      linkHasAddresses: this.params.linkHasAddresses,
    };
  }

  private info(e: Entry<P>): NeighborEntryInfo {
    let expire: number | undefined;
    if (e.permanent) expire = undefined;
    else if (e.state === 'REACHABLE') expire = e.reachableUntil;
    else if (e.timer?.pending === true) expire = e.timer.deadline;
    return {
      address: e.address,
      lladdr: e.lladdr,
      state: e.state,
      expire,
      isRouter: e.isRouter,
      probes: e.probes,
      queued: e.queue.length,
      permanent: e.permanent,
    };
  }

  /**
   * Runs one event through the transition function, commits the new state,
   * then performs I/O, so that callbacks re-entering the cache see it settled.
   */
  private step(address: Ipv6Address, event: NeighborEvent, packet?: P): Transition {
    const key = address.key();
    let entry = this.table.get(key);
    const snap: NeighborSnapshot =
      entry === undefined
        ? NO_ENTRY
        : {
            state: entry.state,
            lladdr: entry.lladdr,
            isRouter: entry.isRouter,
            probes: entry.probes,
            queued: entry.queue.length,
          };
    // Static entries ignore ND (RFC 4861 leaves them to the administrator).
    if (entry?.permanent) return { next: snap, actions: [{ type: 'IGNORE' }] };
    const t = neighborTransition(snap, event, this.limits);
    if (isIgnore(t)) return t;

    const effects: Array<() => void> = [];
    if (entry === undefined) {
      if (t.next.state === 'NONE') return t;
      entry = this.create(address, effects);
    }
    const e = entry;
    if (t.next.state !== 'NONE') {
      e.state = t.next.state;
      e.lladdr = t.next.lladdr;
      e.isRouter = t.next.isRouter;
      e.probes = t.next.probes;
    }

    for (const a of t.actions) {
      switch (a.type) {
        case 'QUEUE_PACKET':
          if (packet !== undefined) this.enqueue(e, packet);
          break;
        case 'SEND_PACKET':
          break; // resolve() returns the address; the caller sends
        case 'SEND_QUEUED': {
          const packets = e.queue;
          e.queue = [];
          effects.push(() => {
            for (const p of packets) this.output.transmit(p, e.lladdr);
          });
          break;
        }
        case 'SEND_MULTICAST_NS':
          this.stats.multicastSolicitations++;
          effects.push(() => this.output.sendNeighborSolicitation(address, { unicast: false }));
          break;
        case 'SEND_UNICAST_NS': {
          this.stats.unicastSolicitations++;
          const dest: NsDestination =
            e.lladdr === undefined ? { unicast: true } : { unicast: true, unicastTo: e.lladdr };
          effects.push(() => this.output.sendNeighborSolicitation(address, dest));
          break;
        }
        case 'START_RETRANS_TIMER':
          this.arm(e, 'RETRANS', this.retransTimerMs);
          break;
        case 'START_DELAY_TIMER':
          this.arm(e, 'DELAY', this.params.delayFirstProbeTime);
          break;
        case 'START_REACHABLE_TIMER':
          this.armReachable(e);
          break;
        case 'STOP_TIMER':
          this.cancelTimer(e);
          break;
        case 'RESOLUTION_FAILED': {
          this.stats.resolutionFailures++;
          this.remove(e);
          const dropped = e.queue;
          e.queue = [];
          effects.push(() => this.output.resolutionFailed(address, dropped));
          break;
        }
        case 'DELETE_ENTRY':
          this.stats.nudFailures++;
          this.stats.queueDrops += e.queue.length;
          e.queue = [];
          this.remove(e);
          break;
        case 'ISROUTER_CHANGED': {
          const was = a.wasRouter;
          effects.push(() => this.output.isRouterChanged(address, was));
          break;
        }
        case 'IGNORE':
          break;
      }
    }
    for (const f of effects) f();
    return t;
  }

  private create(address: Ipv6Address, effects: Array<() => void>): Entry<P> {
    while (this.table.size >= this.params.maxEntries) {
      const victim = this.pickVictim();
      if (victim === undefined) break;
      this.evict(victim, effects);
    }
    const e: Entry<P> = {
      address,
      lladdr: undefined,
      state: 'INCOMPLETE',
      isRouter: false,
      probes: 0,
      queue: [],
      timer: undefined,
      timerKind: undefined,
      reachableUntil: 0,
      lastUsed: ++this.useSeq,
      permanent: false,
    };
    this.table.set(address.key(), e);
    return e;
  }

  /**
   * Eviction order: STALE first, then other resolved states, then INCOMPLETE
   * without queued packets, and INCOMPLETE holding packets last; hosts before
   * routers; least recently used first within a class.
   */
  private pickVictim(): Entry<P> | undefined {
    const rank = (e: Entry<P>): number => {
      if (e.state === 'STALE') return 0;
      if (e.state !== 'INCOMPLETE') return 1;
      return e.queue.length === 0 ? 2 : 3;
    };
    let best: Entry<P> | undefined;
    for (const e of this.table.values()) {
      if (e.permanent) continue;
      if (
        best === undefined ||
        rank(e) < rank(best) ||
        (rank(e) === rank(best) &&
          (Number(e.isRouter) < Number(best.isRouter) ||
            (e.isRouter === best.isRouter && e.lastUsed < best.lastUsed)))
      ) {
        best = e;
      }
    }
    return best;
  }

  private evict(e: Entry<P>, effects: Array<() => void>): void {
    this.stats.evictions++;
    this.remove(e);
    if (e.queue.length > 0) {
      const dropped = e.queue;
      e.queue = [];
      this.stats.queueDrops += dropped.length;
      effects.push(() => this.output.resolutionFailed(e.address, dropped));
    }
  }

  private enqueue(e: Entry<P>, packet: P): void {
    // RFC 4861 7.2.2: on overflow the new packet replaces the oldest.
    while (e.queue.length >= this.params.maxQueuedPerEntry) {
      e.queue.shift();
      this.stats.queueDrops++;
    }
    e.queue.push(packet);
  }

  private remove(e: Entry<P>): void {
    this.cancelTimer(e);
    const key = e.address.key();
    if (this.table.get(key) === e) this.table.delete(key);
  }

  private cancelTimer(e: Entry<P>): void {
    e.timer?.cancel();
    e.timer = undefined;
    e.timerKind = undefined;
  }

  private arm(e: Entry<P>, kind: TimerKind, delayMs: number): void {
    this.cancelTimer(e);
    e.timerKind = kind;
    e.timer = this.clock.setTimer(delayMs, () => this.fire(e, kind));
  }

  private armReachable(e: Entry<P>): void {
    e.reachableUntil = this.clock.now() + this.reachable.value;
    // A pending REACHABLE timer that fires earlier re-arms itself for the
    // remainder, so frequent confirmations (every TCP ack) cost no timer churn.
    if (e.timerKind === 'REACHABLE' && e.timer?.pending === true && e.timer.deadline <= e.reachableUntil)
      return;
    this.arm(e, 'REACHABLE', e.reachableUntil - this.clock.now());
  }

  private fire(e: Entry<P>, kind: TimerKind): void {
    if (this.table.get(e.address.key()) !== e || e.timerKind !== kind) return;
    e.timer = undefined;
    e.timerKind = undefined;
    switch (kind) {
      case 'RETRANS':
        this.step(e.address, { type: 'RETRANS_TIMEOUT' });
        break;
      case 'DELAY':
        this.step(e.address, { type: 'DELAY_TIMEOUT' });
        break;
      case 'REACHABLE': {
        const left = e.reachableUntil - this.clock.now();
        if (left > 0) this.arm(e, 'REACHABLE', left);
        else this.step(e.address, { type: 'REACHABLE_TIMEOUT' });
        break;
      }
    }
  }
}

function isIgnore(t: Transition): boolean {
  return t.actions.length === 1 && t.actions[0]?.type === 'IGNORE';
}
