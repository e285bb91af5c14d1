import { type Ipv6Address, scopeOf, solicitedNodeMulticast } from '@kame/addr';
import type { Clock, Random, Timer } from '@kame/time';
import {
  MLD_CHANGE_TO_EXCLUDE_MODE,
  MLD_CHANGE_TO_INCLUDE_MODE,
  MLD_MODE_IS_EXCLUDE,
  MLD_MODE_IS_INCLUDE,
  type Icmpv6Repr,
  type Mldv2Record,
} from '@kame/wire';
import {
  MLD_NON_LISTENER,
  mldListenerTransition,
  type MldListenerEvent,
  type MldListenerState,
  type MldListenerTransition,
} from './listener-state';
import {
  MLDV2_ALL_ROUTERS,
  MLD_ALL_NODES,
  MLD_ALL_ROUTERS,
  olderVersionQuerierPresentTimeout,
  resolveMld6Params,
  type Mld6Params,
  type MldVersion,
} from './params';

/** The output port. The caller adds hop limit 1 and Router Alert (RFC 2710 3, RFC 3810 5). */
export interface Mld6Output {
  send(message: Icmpv6Repr, destination: Ipv6Address): void;
}

export interface Mld6ListenerOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly output: Mld6Output;
  readonly params?: Partial<Mld6Params>;
  /** Join ff02::1 at creation, as the kernel does for every interface (default true). */
  readonly joinAllNodes?: boolean;
}

/** One group of one interface, for ifmcstat. */
export interface MldMembership {
  readonly group: Ipv6Address;
  /** Sockets plus the kernel's own joins. */
  readonly refcount: number;
  readonly state: MldListenerState;
  /** Milliseconds left on the group's delay timer, undefined when none runs. */
  readonly timer: number | undefined;
  /** RFC 2710 4: this node sent the last Report heard for the group. */
  readonly lastReporter: boolean;
  /** False for ff02::1 and scope 0/1 groups, which are never reported (RFC 2710 5). */
  readonly reportable: boolean;
}

export interface Mld6Stats {
  /** MLDv1 Reports sent (unsolicited and in answer to queries). */
  v1ReportsSent: number;
  /** MLDv2 Reports sent (State Change and Current State). */
  v2ReportsSent: number;
  donesSent: number;
  v1QueriesReceived: number;
  v2QueriesReceived: number;
  /** Queries dropped: non-link-local source (RFC 3810 5.1.14) or a group we do not listen to. */
  queriesIgnored: number;
  /** Other nodes' MLDv1 Reports heard. */
  reportsReceived: number;
  /** Our pending Reports cancelled by another node's (RFC 2710 4). */
  reportsSuppressed: number;
  /** Host Compatibility Mode changes (RFC 3810 8.2.1). */
  compatModeChanges: number;
}

interface Group {
  readonly group: Ipv6Address;
  readonly reportable: boolean;
  refcount: number;
  state: MldListenerState;
  lastReporter: boolean;
  timer: Timer | undefined;
  /**
   * Sources of pending MLDv2 group-and-source-specific queries; undefined
   * when the pending response is for the whole group (RFC 3810 6.2 rules 4-5).
   */
  querySources: Ipv6Address[] | undefined;
}

interface PendingChange {
  readonly group: Ipv6Address;
  readonly recordType: number;
  /** Transmissions still to make, the next one included. */
  remaining: number;
}

/** RFC 2710 5 / RFC 3810 6: never report ff02::1, nor groups of scope 0 or 1. */
export function isMldReportableGroup(group: Ipv6Address): boolean {
  const scope = scopeOf(group);
  return scope > 1 && !group.equals(MLD_ALL_NODES);
}

/**
 * The MLD host part of one interface (RFC 2710 4-5, RFC 3810 6 and 8.2),
 * sans-I/O: messages leave through `output`, time comes from `clock`,
 * random delays from `random`. Group state changes go through
 * `mldListenerTransition`; the interface keeps the MLDv2 parts that are not
 * per group (general-query response, State Change retransmissions, Host
 * Compatibility Mode).
 *
 * Our own messages must not be fed back to `input` (IPV6_MULTICAST_LOOP
 * is the caller's business).
 */
export class Mld6Listener {
  readonly params: Mld6Params;
  readonly stats: Mld6Stats = {
    v1ReportsSent: 0,
    v2ReportsSent: 0,
    donesSent: 0,
    v1QueriesReceived: 0,
    v2QueriesReceived: 0,
    queriesIgnored: 0,
    reportsReceived: 0,
    reportsSuppressed: 0,
    compatModeChanges: 0,
  };

  private readonly clock: Clock;
  private readonly random: Random;
  private readonly output: Mld6Output;
  private readonly groups = new Map<string, Group>();
  private readonly changes = new Map<string, PendingChange>();
  private compatMode: MldVersion;
  private robustnessVar: number;
  private queryIntervalMs: number;
  private olderQuerierTimer: Timer | undefined;
  private generalTimer: Timer | undefined;
  private retransTimer: Timer | undefined;
  private readonly outbox: Array<[Icmpv6Repr, Ipv6Address]> = [];
  private depth = 0;

  constructor(opts: Mld6ListenerOptions) {
    this.params = resolveMld6Params(opts.params);
    this.clock = opts.clock;
    this.random = opts.random;
    this.output = opts.output;
    this.compatMode = this.params.version;
    this.robustnessVar = this.params.robustness;
    this.queryIntervalMs = this.params.queryInterval;
    if (opts.joinAllNodes !== false) this.join(MLD_ALL_NODES);
  }

  /** The Host Compatibility Mode now (RFC 3810 8.2.1). */
  get mode(): MldVersion {
    return this.compatMode;
  }

  /** Robustness Variable in use (RFC 3810 9.1, adopted from QRV). */
  get robustness(): number {
    return this.robustnessVar;
  }

  /** Query Interval in use, ms (RFC 3810 9.2, adopted from QQIC). */
  get queryInterval(): number {
    return this.queryIntervalMs;
  }

  /** Ms until MLDv2 mode returns, undefined when no older querier is present. */
  get olderVersionQuerierPresent(): number | undefined {
    return this.remaining(this.olderQuerierTimer);
  }

  /** Ms until the pending MLDv2 answer to a General Query, if any (RFC 3810 6.2). */
  get generalQueryResponse(): number | undefined {
    return this.remaining(this.generalTimer);
  }

  /** Groups with MLDv2 State Change retransmissions still to send. */
  get pendingStateChanges(): number {
    return this.changes.size;
  }

  isMember(group: Ipv6Address): boolean {
    return this.groups.has(group.toString());
  }

  /**
   * One more reference to `group` (a socket's IPV6_JOIN_GROUP or the
   * kernel's own join). The first one starts listening. Returns the refcount.
   */
  join(group: Ipv6Address): number {
    if (!group.isMulticast()) throw new RangeError(`mld6: ${group.toString()} is not a multicast address`);
    return this.run(() => {
      const key = group.toString();
      const existing = this.groups.get(key);
      if (existing !== undefined) return ++existing.refcount;
      const g: Group = {
        group,
        reportable: isMldReportableGroup(group),
        refcount: 1,
        state: 'NON_LISTENER',
        lastReporter: false,
        timer: undefined,
        querySources: undefined,
      };
      this.groups.set(key, g);
      const delay =
        g.reportable && this.compatMode === 1 ? this.draw(this.params.v1UnsolicitedReportInterval) : 0;
      this.step(g, { type: 'START_LISTENING', delay });
      return 1;
    });
  }

  /** Drops one reference; the last one stops listening. Returns the refcount left. */
  leave(group: Ipv6Address): number {
    return this.run(() => {
      const key = group.toString();
      const g = this.groups.get(key);
      if (g === undefined) throw new RangeError(`mld6: not a member of ${group.toString()}`);
      if (--g.refcount > 0) return g.refcount;
      this.step(g, { type: 'STOP_LISTENING' });
      this.groups.delete(key);
      return 0;
    });
  }

  /** The kernel's join of an address's solicited-node group (RFC 4861 7.2.1). */
  joinSolicitedNode(address: Ipv6Address): number {
    return this.join(solicitedNodeMulticast(address));
  }

  leaveSolicitedNode(address: Ipv6Address): number {
    return this.leave(solicitedNodeMulticast(address));
  }

  /**
   * An MLD message received on the interface (hop limit and Router Alert
   * already checked by the caller). Other ICMPv6 kinds are ignored.
   */
  input(message: Icmpv6Repr, source: Ipv6Address): void {
    this.run(() => {
      switch (message.kind) {
        case 'mldQuery':
          this.stats.v1QueriesReceived++;
          if (!this.querySourceOk(source)) return;
          if (this.params.version === 2) this.olderQuerierHeard();
          this.v1Query(message.multicastAddress, message.maxResponseDelay);
          return;
        case 'mldv2Query':
          this.stats.v2QueriesReceived++;
          if (!this.querySourceOk(source)) return;
          // An MLDv1 host reads the first 24 bytes of an MLDv2 query as an
          // MLDv1 query (RFC 2710 3.6 "ignore extra bytes", RFC 3810 8.2.1).
          if (this.compatMode === 1) {
            this.v1Query(message.multicastAddress, message.maxResponseDelay);
            return;
          }
          this.v2Query(message);
          return;
        case 'mldReport': {
          this.stats.reportsReceived++;
          const g = this.groups.get(message.multicastAddress.toString());
          if (g === undefined) return;
          const t = this.step(g, { type: 'REPORT_RECEIVED' });
          if (!isIgnore(t)) this.stats.reportsSuppressed++;
          return;
        }
        default:
          // Done and MLDv2 Reports are for routers (RFC 2710 4, RFC 3810 6).
          return;
      }
    });
  }

  /** Every group for ifmcstat, in join order. */
  memberships(): MldMembership[] {
    return [...this.groups.values()].map((g) => ({
      group: g.group,
      refcount: g.refcount,
      state: g.state,
      timer: this.remaining(g.timer),
      lastReporter: g.lastReporter,
      reportable: g.reportable,
    }));
  }

  /** The interface goes away: cancels every timer, sends nothing. */
  detach(): void {
    for (const g of this.groups.values()) this.cancelGroupTimer(g);
    this.groups.clear();
    this.changes.clear();
    this.olderQuerierTimer?.cancel();
    this.generalTimer?.cancel();
    this.retransTimer?.cancel();
    this.olderQuerierTimer = this.generalTimer = this.retransTimer = undefined;
  }

  // --- queries -------------------------------------------------------------

  private querySourceOk(source: Ipv6Address): boolean {
    // RFC 3810 5.1.14: a query whose source is not link-local is ignored
    // (RFC 2710 3 also has every MLD message sent from a link-local address).
    if (source.isLinkLocal()) return true;
    this.stats.queriesIgnored++;
    return false;
  }

  /** RFC 2710 4: a General Query hits every group, a specific one its group. */
  private v1Query(address: Ipv6Address, maxResponseDelay: number): void {
    if (address.isUnspecified()) {
      for (const g of [...this.groups.values()]) this.query(g, maxResponseDelay);
      return;
    }
    const g = this.groups.get(address.toString());
    if (g === undefined) {
      this.stats.queriesIgnored++;
      return;
    }
    this.query(g, maxResponseDelay);
  }

  private query(g: Group, maxResponseDelay: number): MldListenerTransition {
    return this.step(g, { type: 'QUERY', maxResponseDelay, delay: this.draw(maxResponseDelay) });
  }

  /** RFC 3810 6.2 (MLDv2 mode). */
  private v2Query(q: Extract<Icmpv6Repr, { kind: 'mldv2Query' }>): void {
    // RFC 3810 5.1.8 / 5.1.9: adopt the querier's QRV and QQI when non-zero.
    if (q.qrv !== 0) this.robustnessVar = q.qrv;
    if (q.qqi !== 0) this.queryIntervalMs = q.qqi * 1000;
    const delay = this.draw(q.maxResponseDelay);
    // Rule 1: a General Query answer due sooner covers this query too.
    const general = this.remaining(this.generalTimer);
    if (general !== undefined && general <= delay) return;
    if (q.multicastAddress.isUnspecified()) {
      // Rule 2: (re)schedule the interface timer.
      this.generalTimer?.cancel();
      this.generalTimer = this.clock.setTimer(delay, () => this.run(() => this.generalQueryExpired()));
      return;
    }
    const g = this.groups.get(q.multicastAddress.toString());
    if (g === undefined || !g.reportable) {
      this.stats.queriesIgnored++;
      return;
    }
    // Rules 3-5: a group-specific query, or a pending whole-group answer,
    // answers for the whole group; otherwise the source lists merge.
    const pending = g.timer?.pending === true;
    if (q.sources.length === 0 || (pending && g.querySources === undefined)) g.querySources = undefined;
    else if (pending && g.querySources !== undefined) g.querySources = union(g.querySources, q.sources);
    else g.querySources = [...q.sources];
    this.step(g, { type: 'QUERY', maxResponseDelay: q.maxResponseDelay, delay });
  }

  /** RFC 3810 6.3: one Current State Report with an IS_EX({}) record per group. */
  private generalQueryExpired(): void {
    this.generalTimer = undefined;
    const records: Mldv2Record[] = [];
    for (const g of this.groups.values()) {
      if (g.reportable) records.push(record(MLD_MODE_IS_EXCLUDE, g.group));
    }
    this.sendV2(records);
  }

  // --- MLDv1 compatibility (RFC 3810 8.2.1) ------------------------------------

  private olderQuerierHeard(): void {
    this.olderQuerierTimer?.cancel();
    this.olderQuerierTimer = this.clock.setTimer(
      olderVersionQuerierPresentTimeout(this.currentParams()),
      () =>
        this.run(() => {
          this.olderQuerierTimer = undefined;
          this.setMode(2);
        }),
    );
    this.setMode(1);
  }

  private currentParams(): Mld6Params {
    return { ...this.params, robustness: this.robustnessVar, queryInterval: this.queryIntervalMs };
  }

  private setMode(mode: MldVersion): void {
    if (this.compatMode === mode) return;
    this.compatMode = mode;
    this.stats.compatModeChanges++;
    // "cancels all its pending response and retransmission timers".
    this.generalTimer?.cancel();
    this.generalTimer = undefined;
    this.retransTimer?.cancel();
    this.retransTimer = undefined;
    this.changes.clear();
    for (const g of [...this.groups.values()]) this.step(g, { type: 'COMPAT_MODE_CHANGED' });
  }

  // --- MLDv2 State Change Reports (RFC 3810 6.1) -------------------------------

  private stateChange(group: Ipv6Address, change: 'join' | 'leave'): void {
    // A newer change to the same group replaces the older record.
    this.changes.set(group.toString(), {
      group,
      recordType: change === 'join' ? MLD_CHANGE_TO_EXCLUDE_MODE : MLD_CHANGE_TO_INCLUDE_MODE,
      remaining: this.robustnessVar,
    });
    this.sendStateChanges();
  }

  /**
   * Sends every pending change record in one report; records still owed a
   * retransmission go again after a random (0, Unsolicited Report Interval].
   */
  private sendStateChanges(): void {
    const records: Mldv2Record[] = [];
    for (const [key, c] of this.changes) {
      records.push(record(c.recordType, c.group));
      if (--c.remaining <= 0) this.changes.delete(key);
    }
    this.sendV2(records);
    if (this.changes.size > 0 && this.retransTimer?.pending !== true) {
      const delay = this.random.int(1, Math.max(1, Math.floor(this.params.v2UnsolicitedReportInterval)));
      this.retransTimer = this.clock.setTimer(delay, () =>
        this.run(() => {
          this.retransTimer = undefined;
          this.sendStateChanges();
        }),
      );
    }
  }

  private sendV2(records: Mldv2Record[]): void {
    const max = this.params.maxRecordsPerReport;
    for (let i = 0; i < records.length; i += max) {
      this.stats.v2ReportsSent++;
      this.outbox.push([
        { kind: 'mldv2Report', code: 0, records: records.slice(i, i + max) },
        MLDV2_ALL_ROUTERS,
      ]);
    }
  }

  // --- the group machine ---------------------------------------------------------

  /** Runs one event through `mldListenerTransition` and performs its actions. */
  private step(g: Group, event: MldListenerEvent): MldListenerTransition {
    const snap =
      g.state === 'NON_LISTENER'
        ? MLD_NON_LISTENER
        : { state: g.state, lastReporter: g.lastReporter, timerRemaining: this.remaining(g.timer) };
    const t = mldListenerTransition(snap, event, { version: this.compatMode, reportable: g.reportable });
    if (isIgnore(t)) return t;
    g.state = t.next.state;
    g.lastReporter = t.next.lastReporter;
    for (const a of t.actions) {
      switch (a.type) {
        case 'SEND_REPORT':
          this.sendReport(g);
          break;
        case 'SEND_DONE':
          this.stats.donesSent++;
          this.outbox.push([
            { kind: 'mldDone', code: 0, maxResponseDelay: 0, multicastAddress: g.group },
            MLD_ALL_ROUTERS,
          ]);
          break;
        case 'SEND_STATE_CHANGE':
          this.stateChange(g.group, a.change);
          break;
        case 'START_TIMER': {
          const left = this.remaining(g.timer);
          if (a.earliest && left !== undefined && left <= a.delay) break;
          g.timer?.cancel();
          g.timer = this.clock.setTimer(a.delay, () => this.run(() => this.timerExpired(g)));
          break;
        }
        case 'STOP_TIMER':
          this.cancelGroupTimer(g);
          break;
        case 'IGNORE':
          break;
      }
    }
    return t;
  }

  private sendReport(g: Group): void {
    if (this.compatMode === 1) {
      // RFC 2710 3 / 4: a Report goes to the group it reports.
      this.stats.v1ReportsSent++;
      this.outbox.push([
        { kind: 'mldReport', code: 0, maxResponseDelay: 0, multicastAddress: g.group },
        g.group,
      ]);
      return;
    }
    // RFC 3810 6.3: EXCLUDE({}) state answers a group query with IS_EX({})
    // and a group-and-source query with IS_IN(queried sources).
    const sources = g.querySources;
    g.querySources = undefined;
    this.sendV2([
      sources === undefined
        ? record(MLD_MODE_IS_EXCLUDE, g.group)
        : record(MLD_MODE_IS_INCLUDE, g.group, sources),
    ]);
  }

  private timerExpired(g: Group): void {
    if (this.groups.get(g.group.toString()) !== g) return;
    g.timer = undefined;
    this.step(g, { type: 'TIMER_EXPIRED' });
  }

  private cancelGroupTimer(g: Group): void {
    g.timer?.cancel();
    g.timer = undefined;
    g.querySources = undefined;
  }

  // --- plumbing --------------------------------------------------------------------

  private draw(maxMs: number): number {
    return this.random.int(0, Math.max(0, Math.floor(maxMs)));
  }

  private remaining(t: Timer | undefined): number | undefined {
    return t?.pending === true ? Math.max(0, t.deadline - this.clock.now()) : undefined;
  }

  /** State settles before any message leaves, so a re-entering caller sees it. */
  private run<T>(fn: () => T): T {
    this.depth++;
    let result: T;
    try {
      result = fn();
    } finally {
      this.depth--;
    }
    if (this.depth === 0) {
      for (let item = this.outbox.shift(); item !== undefined; item = this.outbox.shift()) {
        this.output.send(item[0], item[1]);
      }
    }
    return result;
  }
}

function record(recordType: number, group: Ipv6Address, sources: Ipv6Address[] = []): Mldv2Record {
  return { recordType, multicastAddress: group, sources, auxData: new Uint8Array(0) };
}

function union(a: readonly Ipv6Address[], b: readonly Ipv6Address[]): Ipv6Address[] {
  const out = [...a];
  for (const x of b) if (!out.some((y) => y.equals(x))) out.push(x);
  return out;
}

function isIgnore(t: MldListenerTransition): boolean {
  return t.actions.length === 1 && t.actions[0]?.type === 'IGNORE';
}
