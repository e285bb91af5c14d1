import { solicitedNodeMulticast, type Ipv6Address } from '@kame/addr';
import type { Clock, Random, Timer } from '@kame/time';
import type { Sysctl } from '../sysctl/index';
import { RETRANS_TIMER } from '../nd6/index';
import { dadTransition, type DadEvent, type DadSnapshot, type DadState } from './dad-state';

/** RFC 4861 10: MAX_RTR_SOLICITATION_DELAY, 1 s; the bound of the 5.4.2 initial delay. */
export const MAX_RTR_SOLICITATION_DELAY = 1_000;
/** RFC 7527 4.2: a nonce of at least 6 random bytes (one 8-octet option). */
export const DAD_NONCE_LENGTH = 6;
/** net.inet6.ip6.dad_count: DupAddrDetectTransmits (RFC 4862 5.1). */
export const SYSCTL_DAD_COUNT = 'net.inet6.ip6.dad_count';

/** syslog(3) priorities the engine uses. */
export type DadLogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'err';

/** KAME's counters for the failure message: "NS in/out=..., NA in=...". */
export interface DadCounters {
  /** DAD NS (unspecified source, not ours) received for the target. */
  readonly nsIn: number;
  /** DAD NS sent for the target. */
  readonly nsOut: number;
  /** NA received for the target. */
  readonly naIn: number;
}

/** Everything the DAD engine asks of the rest of the stack. */
export interface DadPort {
  /**
   * Send NS(target) from the unspecified address to `destination` (the
   * target's solicited-node group) with an RFC 7527 Nonce option, no source
   * link-layer address option (RFC 4862 5.4.2).
   */
  sendSolicitation(target: Ipv6Address, destination: Ipv6Address, nonce: Uint8Array): void;
  /** No duplicate: clear the tentative flag, join groups, etc. */
  dadSucceeded(address: Ipv6Address): void;
  /** Duplicate: mark the address duplicated (IMPLEMENTATION 1.2); the log line was already emitted. */
  dadFailed(address: Ipv6Address, counters: DadCounters): void;
  log(level: DadLogLevel, message: string): void;
}

export interface DadEngineOptions {
  readonly clock: Clock;
  readonly random: Random;
  /** Interface name for the log text ("ne0: DAD detected ..."). */
  readonly ifname: string;
  readonly port: DadPort;
  /** Source of net.inet6.ip6.dad_count when `dadTransmits` is not given. */
  readonly sysctl?: Sysctl;
  /** Fixed DupAddrDetectTransmits; overrides the sysctl. */
  readonly dadTransmits?: number;
  /** The interface's RetransTimer in ms (RFC 4861 6.3.2), or a getter (e.g. NeighborCache.retransTimer). */
  readonly retransTimer?: number | (() => number);
  /**
   * True (default) when the interface is coming up, so the first start()
   * waits a random delay (RFC 4862 5.4.2). `interfaceUp()` re-arms it.
   */
  readonly interfaceComingUp?: boolean;
}

export interface DadStartOptions {
  /** Force (true) or skip (false) the random initial delay; default: first address after interfaceUp(). */
  readonly delayed?: boolean;
}

/** What an NS for a tentative target meant (the caller must not answer any of them). */
export type DadNsResult =
  /** The target is not under DAD here: ordinary NS processing applies. */
  | 'not-tentative'
  /** Unicast source: address resolution for a tentative address, silently ignored (RFC 4862 5.4.3). */
  | 'ignored'
  /** Our own probe looped back, recognised by its nonce (RFC 7527). */
  | 'looped-back'
  /** Another node probes the same address: duplicate. */
  | 'duplicate';

export interface DadStats {
  started: number;
  succeeded: number;
  failed: number;
  stopped: number;
  /** NS sent. */
  solicitations: number;
  /** DAD NS received from another node for a tentative address. */
  nsIn: number;
  /** NA received for a tentative address. */
  naIn: number;
  /** NS ignored because they carried one of our nonces (RFC 7527). */
  loopedBack: number;
  /** NS from a unicast source for a tentative target (address resolution), ignored. */
  resolutionIgnored: number;
}

/** One row of the in-progress list. */
export interface DadEntryInfo extends DadCounters {
  readonly address: Ipv6Address;
  readonly state: DadState;
  readonly transmits: number;
  /** Absolute Clock time of the next step. */
  readonly expire: number | undefined;
}

interface Entry {
  readonly address: Ipv6Address;
  snap: DadSnapshot;
  readonly transmits: number;
  timer: Timer | undefined;
  nonces: Uint8Array[];
  nsIn: number;
  naIn: number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Duplicate Address Detection on one interface (RFC 4862 5.4, RFC 7527
 * nonces), sans-I/O. Probes leave through `port`, time comes from `clock`.
 */
export class DadEngine {
  readonly ifname: string;
  readonly stats: DadStats = {
    started: 0,
    succeeded: 0,
    failed: 0,
    stopped: 0,
    solicitations: 0,
    nsIn: 0,
    naIn: 0,
    loopedBack: 0,
    resolutionIgnored: 0,
  };

  private readonly clock: Clock;
  private readonly random: Random;
  private readonly port: DadPort;
  private readonly opts: DadEngineOptions;
  private readonly table = new Map<string, Entry>();
  private comingUp: boolean;

  constructor(opts: DadEngineOptions) {
    this.opts = opts;
    this.clock = opts.clock;
    this.random = opts.random;
    this.port = opts.port;
    this.ifname = opts.ifname;
    this.comingUp = opts.interfaceComingUp ?? true;
  }

  /** DupAddrDetectTransmits now: the option, else sysctl dad_count, else 1. */
  get dadTransmits(): number {
    const n = this.opts.dadTransmits ?? this.opts.sysctl?.get(SYSCTL_DAD_COUNT) ?? 1;
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`nd6-dad: DupAddrDetectTransmits: bad value ${n}`);
    return n;
  }

  get retransTimer(): number {
    const r = this.opts.retransTimer;
    const ms = typeof r === 'function' ? r() : (r ?? RETRANS_TIMER);
    return ms > 0 ? ms : RETRANS_TIMER;
  }

  /** The interface (re)came up: the next start() waits the random 5.4.2 delay. */
  interfaceUp(): void {
    this.comingUp = true;
  }

  /** Begins DAD for a tentative address. A run already in progress is left alone. */
  start(address: Ipv6Address, opts: DadStartOptions = {}): void {
    if (this.table.has(address.toString())) return;
    const delayed = opts.delayed ?? this.comingUp;
    this.comingUp = false;
    const e: Entry = {
      address,
      snap: { state: 'NONE', sent: 0 },
      transmits: this.dadTransmits,
      timer: undefined,
      nonces: [],
      nsIn: 0,
      naIn: 0,
    };
    this.table.set(address.toString(), e);
    this.stats.started++;
    this.step(e, { type: 'START', delayed });
  }

  /** Abandons DAD for the address (removed, interface down); no callback. True if one was running. */
  stop(address: Ipv6Address): boolean {
    const e = this.table.get(address.toString());
    if (e === undefined) return false;
    this.step(e, { type: 'STOP' });
    this.stats.stopped++;
    return true;
  }

  /** Stops every run (interface down). */
  stopAll(): void {
    for (const e of [...this.table.values()]) this.stop(e.address);
  }

  isTentative(address: Ipv6Address): boolean {
    return this.table.has(address.toString());
  }

  entries(): DadEntryInfo[] {
    return [...this.table.values()]
      .sort((a, b) => a.address.compare(b.address))
      .map((e) => ({
        address: e.address,
        state: e.snap.state as DadState,
        transmits: e.transmits,
        expire: e.timer?.pending === true ? e.timer.deadline : undefined,
        ...this.counters(e),
      }));
  }

  /**
   * RFC 4862 5.4.3: a valid NS whose target may be tentative. `nonce` is the
   * RFC 7527 Nonce option's content, if the NS carried one.
   */
  onNeighborSolicitation(target: Ipv6Address, sourceIsUnspecified: boolean, nonce?: Uint8Array): DadNsResult {
    const e = this.table.get(target.toString());
    if (e === undefined) return 'not-tentative';
    if (!sourceIsUnspecified) {
      this.stats.resolutionIgnored++;
      return 'ignored';
    }
    if (nonce !== undefined && e.nonces.some((n) => sameBytes(n, nonce))) {
      this.stats.loopedBack++;
      return 'looped-back';
    }
    e.nsIn++;
    this.stats.nsIn++;
    this.step(e, { type: 'DUPLICATE' });
    return 'duplicate';
  }

  /** RFC 4862 5.4.4: any valid NA for a tentative target means a duplicate. True if it was one. */
  onNeighborAdvertisement(target: Ipv6Address): boolean {
    const e = this.table.get(target.toString());
    if (e === undefined) return false;
    e.naIn++;
    this.stats.naIn++;
    this.step(e, { type: 'DUPLICATE' });
    return true;
  }

  private counters(e: Entry): DadCounters {
    return { nsIn: e.nsIn, nsOut: e.snap.sent, naIn: e.naIn };
  }

  private step(e: Entry, event: DadEvent): void {
    const t = dadTransition(e.snap, event, e.transmits);
    e.snap = t.next;
    const effects: Array<() => void> = [];
    for (const a of t.actions) {
      switch (a.type) {
        case 'SEND_NS': {
          const nonce = this.random.bytes(new Uint8Array(DAD_NONCE_LENGTH));
          e.nonces.push(nonce);
          this.stats.solicitations++;
          const dst = solicitedNodeMulticast(e.address);
          effects.push(() => this.port.sendSolicitation(e.address, dst, nonce));
          break;
        }
        case 'START_TIMER': {
          e.timer?.cancel();
          const delay =
            a.timer === 'DELAY' ? this.random.int(0, MAX_RTR_SOLICITATION_DELAY) : this.retransTimer;
          e.timer = this.clock.setTimer(delay, () => this.fire(e));
          break;
        }
        case 'STOP_TIMER':
          e.timer?.cancel();
          e.timer = undefined;
          break;
        case 'SUCCEED':
          this.finish(e);
          this.stats.succeeded++;
          effects.push(() => {
            this.port.log(
              'debug',
              `${this.ifname}: DAD complete for ${e.address.toString()} - no duplicates found`,
            );
            this.port.dadSucceeded(e.address);
          });
          break;
        case 'FAIL': {
          this.finish(e);
          this.stats.failed++;
          const c = this.counters(e);
          effects.push(() => {
            this.port.log(
              'err',
              `${this.ifname}: DAD detected duplicate IPv6 address ${e.address.toString()}: ` +
                `NS in/out=${c.nsIn}/${c.nsOut}, NA in=${c.naIn}`,
            );
            this.port.dadFailed(e.address, c);
          });
          break;
        }
        case 'IGNORE':
          break;
      }
    }
    if (t.next.state === 'NONE') this.finish(e);
    for (const f of effects) f();
  }

  private finish(e: Entry): void {
    e.timer?.cancel();
    e.timer = undefined;
    const key = e.address.toString();
    if (this.table.get(key) === e) this.table.delete(key);
  }

  private fire(e: Entry): void {
    if (this.table.get(e.address.toString()) !== e) return;
    e.timer = undefined;
    this.step(e, { type: 'TIMEOUT' });
  }
}
