import { Ipv6Address } from '@kame/addr';
import type { Timer } from '@kame/time';
import {
  ND_ROUTER_ADVERT,
  ND_ROUTER_SOLICIT,
  ND_OPT_MTU,
  ND_OPT_PREFIX_INFORMATION,
  parseNdMessage,
  type NdOption,
  type RouterAdvertRepr,
} from '@kame/wire';
import type { InterfaceConfig, PrefixOrigin } from '../config/types';
import {
  ALLNODES_HOPLIMIT,
  MAX_FINAL_RTR_ADVERTISEMENTS,
  MAX_INITIAL_RTR_ADVERT_INTERVAL,
  MAX_INITIAL_RTR_ADVERTISEMENTS,
  MAX_RA_DELAY_TIME_MS,
  MAXPREFIX,
  MIN_DELAY_BETWEEN_RAS,
  ND_RA_MINLEN,
  ND_RS_MINLEN,
  DEF_ADVPREFERREDLIFETIME,
  DEF_ADVVALIDLIFETIME,
  PREFIX_INVALIDATION_TIMEOUT,
} from './constants';
import { formatDump } from './dump';
import type { HostInterface, RtadvdHost } from './host';
import { makePacket, type PacketInput, type PacketPrefix } from './packet';

/** A fatal start-up or reload problem (KAME: syslog LOG_ERR + exit(1)). */
export class RtadvdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RtadvdError';
  }
}

/** One advertised prefix (struct prefix). */
export interface PrefixState {
  readonly prefix: Ipv6Address;
  readonly prefixLength: number;
  readonly onLink: boolean;
  readonly autonomous: boolean;
  readonly routerAddress: boolean;
  readonly validLifetime: number;
  readonly preferredLifetime: number;
  /** Engine seconds at which a decrementing lifetime reaches 0 (vltimeexpire), else undefined. */
  readonly vltimeExpire: number | undefined;
  readonly pltimeExpire: number | undefined;
  readonly origin: PrefixOrigin;
  /** Pending while the prefix is being invalidated (advertised with zero lifetimes). */
  invalidation: Timer | undefined;
}

/** Per-interface counters (struct rainfo + drop reasons). */
export interface InterfaceStats {
  raOutput: number;
  raInput: number;
  raInconsistent: number;
  rsInput: number;
}

/** Dropped or ignored input, by reason (never thrown out of the input path). */
export interface InputCounters {
  rsBadHopLimit: number;
  rsBadCode: number;
  rsTooShort: number;
  rsBadOptions: number;
  rsUnspecifiedWithSlla: number;
  rsNotAdvertising: number;
  raBadHopLimit: number;
  raBadCode: number;
  raTooShort: number;
  raBadOptions: number;
  raNotAdvertising: number;
  unknownType: number;
  prefixTableFull: number;
  sendErrors: number;
}

/** One advertising interface (struct rainfo). */
export interface RaInterface {
  readonly ifname: string;
  config: InterfaceConfig;
  /** rtadvctl enable/disable. */
  enabled: boolean;
  timer: Timer | undefined;
  initcounter: number;
  waiting: number;
  /** Clock ms of the last multicast RA. */
  lastSent: number | undefined;
  readonly stats: InterfaceStats;
  /** Advertisement order (KAME inserts at the head of its list). */
  prefixes: PrefixState[];
  /** IFF_UP as last seen through interface events (KAME iflist flags). */
  up: boolean;
}

/** A received ICMPv6 message with its ancillary data. */
export interface Icmp6Input {
  readonly ifname: string;
  readonly src: Ipv6Address;
  /** IPV6_HOPLIMIT; undefined when the kernel did not give it. */
  readonly hoplimit: number | undefined;
  readonly data: Uint8Array;
}

export interface EngineOptions {
  /** -m: Mobile IPv6 mode (H flag, Home Agent Information option). */
  readonly mip6?: boolean;
}

export interface ReloadResult {
  readonly changed: readonly string[];
  readonly unchanged: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

function newCounters(): InputCounters {
  return {
    rsBadHopLimit: 0,
    rsBadCode: 0,
    rsTooShort: 0,
    rsBadOptions: 0,
    rsUnspecifiedWithSlla: 0,
    rsNotAdvertising: 0,
    raBadHopLimit: 0,
    raBadCode: 0,
    raTooShort: 0,
    raBadOptions: 0,
    raNotAdvertising: 0,
    unknownType: 0,
    prefixTableFull: 0,
    sendErrors: 0,
  };
}

function configKey(c: InterfaceConfig): string {
  return JSON.stringify(c, (_k, v: unknown) => (v instanceof Ipv6Address ? v.toString() : v));
}

/**
 * rtadvd's protocol engine (KAME rtadvd.c/config.c), sans-I/O: timers come
 * from host.clock, randomness from host.random, packets leave through
 * host.send and arrive through input(). RFC 4861 6.2.
 */
export class RtadvdEngine {
  readonly counters: InputCounters = newCounters();
  private readonly ifs = new Map<string, RaInterface>();
  private readonly mip6: boolean;
  private started = false;
  private shutdownPromise: Promise<void> | undefined;
  private readonly shutdownTimers: Timer[] = [];

  constructor(
    private readonly host: RtadvdHost,
    configs: readonly InterfaceConfig[],
    options: EngineOptions = {},
  ) {
    this.mip6 = options.mip6 ?? false;
    this.validate(configs);
    for (const c of configs) this.ifs.set(c.ifname, this.newInterface(c));
  }

  // ---- life cycle ------------------------------------------------------------

  /** Arms the first RA timer of every interface (initial fast RAs, RFC 4861 6.2.4). */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const ri of this.ifs.values()) if (ri.enabled) this.startTimer(ri);
  }

  /** Cancels every timer without sending anything (tests, a failed start). */
  stop(): void {
    for (const ri of this.ifs.values()) {
      ri.timer?.cancel();
      ri.timer = undefined;
      for (const p of ri.prefixes) p.invalidation?.cancel();
    }
    for (const t of this.shutdownTimers) t.cancel();
    this.started = false;
  }

  get shuttingDown(): boolean {
    return this.shutdownPromise !== undefined;
  }

  /**
   * SIGTERM, KAME die() / RFC 4861 6.2.5: router lifetime 0 on every interface,
   * MAX_FINAL_RTR_ADVERTISEMENTS RAs each MIN_DELAY_BETWEEN_RAS apart; resolves
   * after the last pause (about nine seconds, rtadvctl(8) "shutdown").
   */
  shutdown(): Promise<void> {
    if (this.shutdownPromise) return this.shutdownPromise;
    for (const ri of this.ifs.values()) {
      ri.timer?.cancel();
      ri.timer = undefined;
    }
    this.host.logger.info('<die> cease to be an advertising router');
    this.shutdownPromise = new Promise<void>((resolve) => {
      const round = (i: number): void => {
        if (i >= MAX_FINAL_RTR_ADVERTISEMENTS) {
          this.stop();
          resolve();
          return;
        }
        for (const ri of this.ifs.values()) if (ri.enabled) this.raOutput(ri, { routerLifetime: 0 });
        this.shutdownTimers.push(this.host.clock.setTimer(MIN_DELAY_BETWEEN_RAS * 1000, () => round(i + 1)));
      };
      round(0);
    });
    return this.shutdownPromise;
  }

  /**
   * SIGHUP / rtadvctl reload, FreeBSD style: the caller parsed the file (a bad
   * file never gets here, so the old config stays). A changed interface first
   * sends one RA of its old config with router lifetime 0, then restarts with
   * the new one and initial fast RAs; an unchanged one is left alone.
   */
  reload(configs: readonly InterfaceConfig[]): ReloadResult {
    if (this.shuttingDown) throw new RtadvdError('<reload> shutting down');
    this.validate(configs);
    const next = new Map(configs.map((c) => [c.ifname, c]));
    const changed: string[] = [];
    const unchanged: string[] = [];
    const added: string[] = [];
    const removed: string[] = [];
    for (const ri of [...this.ifs.values()]) {
      if (next.has(ri.ifname)) continue;
      if (this.started && ri.enabled) this.raOutput(ri, { routerLifetime: 0 });
      this.dropInterface(ri);
      this.ifs.delete(ri.ifname);
      removed.push(ri.ifname);
      this.host.logger.info(`<reload> ${ri.ifname} is no longer an advertising interface`);
    }
    for (const c of configs) {
      const ri = this.ifs.get(c.ifname);
      if (!ri) {
        const fresh = this.newInterface(c);
        this.ifs.set(c.ifname, fresh);
        if (this.started && fresh.enabled) this.startTimer(fresh);
        added.push(c.ifname);
        continue;
      }
      if (configKey(ri.config) === configKey(c)) {
        unchanged.push(c.ifname);
        continue;
      }
      if (this.started && ri.enabled) this.raOutput(ri, { routerLifetime: 0 });
      const dynamic = ri.prefixes.filter((p) => p.origin === 'DYNAMIC');
      for (const p of ri.prefixes) if (p.origin !== 'DYNAMIC') p.invalidation?.cancel();
      ri.config = c;
      ri.prefixes = this.initialPrefixes(c);
      for (const p of dynamic) {
        if (!this.findPrefix(ri, p.prefix, p.prefixLength)) ri.prefixes.unshift(p);
        else p.invalidation?.cancel();
      }
      changed.push(c.ifname);
      this.host.logger.info(`<reload> configuration of ${c.ifname} changed`);
      if (this.started && ri.enabled) this.startTimer(ri);
    }
    return { changed, unchanged, added, removed };
  }

  /** rtadvctl enable IF. */
  enable(ifname: string): void {
    const ri = this.mustInterface(ifname);
    if (ri.enabled) return;
    ri.enabled = true;
    this.host.logger.info(`<enable> ${ifname} enabled`);
    if (this.started && !this.shuttingDown) this.startTimer(ri);
  }

  /** rtadvctl disable IF: one RA with router lifetime 0, then silence. */
  disable(ifname: string): void {
    const ri = this.mustInterface(ifname);
    if (!ri.enabled) return;
    if (this.started && !this.shuttingDown) this.raOutput(ri, { routerLifetime: 0 });
    ri.enabled = false;
    ri.timer?.cancel();
    ri.timer = undefined;
    ri.waiting = 0;
    this.host.logger.info(`<disable> ${ifname} disabled`);
  }

  // ---- queries ---------------------------------------------------------------

  interfaceNames(): string[] {
    return [...this.ifs.keys()];
  }

  interface(ifname: string): RaInterface | undefined {
    return this.ifs.get(ifname);
  }

  /** The dump file text (KAME dump.c, reference 1.7), for all or the named interfaces. */
  dump(ifnames?: readonly string[]): string {
    const list = ifnames ? ifnames.map((n) => this.mustInterface(n)) : [...this.ifs.values()];
    const wall = this.host.wallClock ? this.host.wallClock() : this.host.clock.now();
    return formatDump(list, {
      nowMs: this.host.clock.now(),
      wallMs: wall,
      nowSec: this.nowSec(),
      iface: (n) => this.host.iface(n),
    });
  }

  /** The RA this interface would send now (rebuilt per send, so decrementing lifetimes are current). */
  packetInput(ifname: string, routerLifetime?: number): PacketInput {
    const ri = this.mustInterface(ifname);
    return this.buildPacketInput(ri, this.host.iface(ifname), routerLifetime);
  }

  // ---- input -----------------------------------------------------------------

  /** A datagram from the raw ICMPv6 socket (filter: RS and RA). */
  input(m: Icmp6Input): void {
    if (m.data.length < 1) {
      this.counters.unknownType++;
      return;
    }
    try {
      const type = m.data[0];
      if (type === ND_ROUTER_SOLICIT) this.rsInput(m);
      else if (type === ND_ROUTER_ADVERT) this.raInput(m);
      else this.counters.unknownType++;
    } catch (e) {
      // Hostile input is normal input: nothing escapes the input path.
      this.host.logger.err(`<rtadvd_input> internal error on input from ${m.src}: ${String(e)}`);
    }
  }

  /** RFC 4861 6.1.1 validation, then 6.2.6: a multicast RA after a short random delay. */
  private rsInput(m: Icmp6Input): void {
    const from = m.src.toString();
    if (m.hoplimit !== ALLNODES_HOPLIMIT) {
      this.counters.rsBadHopLimit++;
      this.host.logger.notice(
        `<rtadvd_input> RS with invalid hop limit(${m.hoplimit ?? 'none'}) received from ${from} on ${m.ifname}`,
      );
      return;
    }
    if (m.data[1] !== 0) {
      this.counters.rsBadCode++;
      this.host.logger.notice(
        `<rtadvd_input> RS with invalid ICMP6 code(${m.data[1]}) received from ${from} on ${m.ifname}`,
      );
      return;
    }
    if (m.data.length < ND_RS_MINLEN) {
      this.counters.rsTooShort++;
      this.host.logger.notice(
        `<rtadvd_input> RS from ${from} on ${m.ifname} does not have enough length (len = ${m.data.length})`,
      );
      return;
    }
    const options = this.ndOptions(m.data);
    if (!options) {
      this.counters.rsBadOptions++;
      this.host.logger.info(`<rs_input> invalid ND option, ignored`);
      return;
    }
    // RFC 4861 6.1.1: an unspecified source must not carry a link-layer address.
    if (m.src.isUnspecified() && options.some((o) => o.kind === 'sourceLinkAddr')) {
      this.counters.rsUnspecifiedWithSlla++;
      this.host.logger.info(
        `<rs_input> RS from unspecified src on ${m.ifname} has a link-layer address option`,
      );
      return;
    }
    const ri = this.ifs.get(m.ifname);
    if (!ri || !ri.enabled || this.shuttingDown) {
      this.counters.rsNotAdvertising++;
      this.host.logger.info(`<rs_input> RS received on non advertising interface(${m.ifname})`);
      return;
    }
    ri.stats.rsInput++;
    this.host.logger.debug(`<rs_input> RS received from ${from} on ${m.ifname}`);
    // Unicast replies are for ISATAP only (KAME); everyone else gets the
    // multicast RA. Solicitations arriving while one is scheduled coalesce.
    if (ri.waiting++ > 0) return;
    this.setShortDelay(ri);
  }

  /** RFC 4861 6.1.2 validation, then 6.2.7 consistency checks, logged and counted. */
  private raInput(m: Icmp6Input): void {
    const from = m.src.toString();
    if (m.hoplimit !== ALLNODES_HOPLIMIT) {
      this.counters.raBadHopLimit++;
      this.host.logger.notice(
        `<rtadvd_input> RA with invalid hop limit(${m.hoplimit ?? 'none'}) received from ${from} on ${m.ifname}`,
      );
      return;
    }
    if (m.data[1] !== 0) {
      this.counters.raBadCode++;
      this.host.logger.notice(
        `<rtadvd_input> RA with invalid ICMP6 code(${m.data[1]}) received from ${from} on ${m.ifname}`,
      );
      return;
    }
    if (m.data.length < ND_RA_MINLEN) {
      this.counters.raTooShort++;
      this.host.logger.notice(
        `<rtadvd_input> RA from ${from} on ${m.ifname} does not have enough length (len = ${m.data.length})`,
      );
      return;
    }
    let ra: RouterAdvertRepr;
    try {
      const parsed = parseNdMessage(m.data);
      if (parsed.kind !== 'routerAdvert') throw new Error('not an RA');
      ra = parsed;
    } catch {
      this.counters.raBadOptions++;
      this.host.logger.info(`<ra_input> invalid ND option, ignored`);
      return;
    }
    if (!this.optionsSane(ra.options)) {
      this.counters.raBadOptions++;
      this.host.logger.info(`<ra_input> invalid ND option, ignored`);
      return;
    }
    const ri = this.ifs.get(m.ifname);
    if (!ri) {
      this.counters.raNotAdvertising++;
      this.host.logger.info(`<ra_input> received RA from ${from} on non-advertising interface(${m.ifname})`);
      return;
    }
    ri.stats.raInput++;
    const c = ri.config;
    const on = m.ifname;
    const log = (s: string): void => this.host.logger.info(`<ra_input> ${s}`);
    const onOff = (b: boolean): string => (b ? 'ON' : 'OFF');
    let inconsistent = false;
    if (ra.curHopLimit !== 0 && c.curHopLimit !== 0 && ra.curHopLimit !== c.curHopLimit) {
      log(`CurHopLimit inconsistent on ${on}: ${ra.curHopLimit} from ${from}, ${c.curHopLimit} from us`);
      inconsistent = true;
    }
    if (ra.managed !== c.managed) {
      log(`M flag inconsistent on ${on}: ${onOff(ra.managed)} from ${from}, ${onOff(c.managed)} from us`);
      inconsistent = true;
    }
    if (ra.other !== c.other) {
      log(`O flag inconsistent on ${on}: ${onOff(ra.other)} from ${from}, ${onOff(c.other)} from us`);
      inconsistent = true;
    }
    if (ra.reachableTime !== 0 && c.reachableTimeMs !== 0 && ra.reachableTime !== c.reachableTimeMs) {
      log(
        `ReachableTime inconsistent on ${on}: ${ra.reachableTime} from ${from}, ${c.reachableTimeMs} from us`,
      );
      inconsistent = true;
    }
    if (ra.retransTimer !== 0 && c.retransTimerMs !== 0 && ra.retransTimer !== c.retransTimerMs) {
      // "RetranceTimer" (sic): KAME's text, kept so logs compare.
      log(
        `RetranceTimer inconsistent on ${on}: ${ra.retransTimer} from ${from}, ${c.retransTimerMs} from us`,
      );
      inconsistent = true;
    }
    const ourMtu = this.linkMtu(ri, this.host.iface(ri.ifname));
    for (const o of ra.options) {
      if (o.kind === 'mtu') {
        if (o.mtu !== 0 && ourMtu !== 0 && o.mtu !== ourMtu) {
          log(`MTU option value inconsistent on ${on}: ${o.mtu} from ${from}, ${ourMtu} from us`);
          inconsistent = true;
        }
      } else if (o.kind === 'prefixInfo') {
        if (this.prefixCheck(ri, o, from)) inconsistent = true;
      }
    }
    if (inconsistent) ri.stats.raInconsistent++;
  }

  /** KAME prefix_check(): true when a lifetime is inconsistent. */
  private prefixCheck(
    ri: RaInterface,
    o: { prefix: Ipv6Address; prefixLength: number; validLifetime: number; preferredLifetime: number },
    from: string,
  ): boolean {
    const log = (s: string): void => this.host.logger.info(`<prefix_check> ${s}`);
    const name = `${o.prefix}/${o.prefixLength}`;
    if (o.prefix.isLinkLocal()) {
      log(`link-local prefix ${name} is advertised from ${from} on ${ri.ifname}`);
      return false;
    }
    const p = this.findPrefix(ri, o.prefix, o.prefixLength);
    if (!p) {
      log(`prefix ${name} from ${from} on ${ri.ifname} is not in our list`);
      return false;
    }
    // A prefix being invalidated is advertised with zero lifetimes: nothing to compare.
    if (p.invalidation?.pending) return false;
    const now = this.nowSec();
    const skew = ri.config.clockSkew;
    let bad = false;
    if (p.pltimeExpire !== undefined) {
      // RFC 4861 6.2.7: decrementing lifetimes compare as expiry times, within clockskew.
      if (skew !== 0 && Math.abs(o.preferredLifetime + now - p.pltimeExpire) > skew) {
        log(
          `preferred lifetime for ${name} (decr.) inconsistent on ${ri.ifname}: ` +
            `${o.preferredLifetime} from ${from}, ${p.pltimeExpire - now} from us`,
        );
        bad = true;
      }
    } else if (o.preferredLifetime !== p.preferredLifetime) {
      log(
        `preferred lifetime for ${name} inconsistent on ${ri.ifname}: ` +
          `${o.preferredLifetime} from ${from}, ${p.preferredLifetime} from us`,
      );
      // KAME logs this one without counting it (a missing inconsistent++);
      // counted here on purpose: it is an inconsistency like the others.
      bad = true;
    }
    if (p.vltimeExpire !== undefined) {
      if (skew !== 0 && Math.abs(o.validLifetime + now - p.vltimeExpire) > skew) {
        log(
          `valid lifetime for ${name} (decr.) inconsistent on ${ri.ifname}: ` +
            `${o.validLifetime} from ${from}, ${p.vltimeExpire - now} from us`,
        );
        bad = true;
      }
    } else if (o.validLifetime !== p.validLifetime) {
      log(
        `valid lifetime for ${name} inconsistent on ${ri.ifname}: ` +
          `${o.validLifetime} from ${from}, ${p.validLifetime} from us`,
      );
      bad = true;
    }
    return bad;
  }

  /** The options of an RS, or undefined when the chain or a KAME-known option is malformed. */
  private ndOptions(data: Uint8Array): NdOption[] | undefined {
    try {
      const msg = parseNdMessage(data);
      return this.optionsSane(msg.options) ? msg.options : undefined;
    } catch {
      return undefined;
    }
  }

  /** KAME nd6_options(): PI must be 32 bytes, MTU 8; unknown types beyond MTU are ignored. */
  private optionsSane(options: readonly NdOption[]): boolean {
    return !options.some(
      (o) => o.kind === 'malformed' && (o.type === ND_OPT_PREFIX_INFORMATION || o.type === ND_OPT_MTU),
    );
  }

  // ---- routing socket (rtmsg_input) --------------------------------------------

  /** RTM_ADD of an interface direct route on `ifname`. */
  onRouteAdd(ifname: string, prefix: Ipv6Address, prefixLength: number): void {
    const ri = this.ifs.get(ifname);
    if (!ri || this.shuttingDown) return;
    if (!this.dynamicPrefixOk(ifname, prefix, prefixLength)) return;
    const masked = prefix.mask(prefixLength);
    const p = this.findPrefix(ri, masked, prefixLength);
    if (p) {
      if (p.invalidation?.pending) {
        p.invalidation.cancel();
        p.invalidation = undefined;
        this.host.logger.info(`<update_prefix> prefix ${masked}/${prefixLength} was re-enabled on ${ifname}`);
        this.prefixChanged(ri);
      } else {
        this.host.logger.debug(
          `<rtmsg_input> new prefix(${masked}/${prefixLength}) added on ${ifname}, but it was already in list`,
        );
      }
      return;
    }
    if (!this.addPrefix(ri, this.learnedPrefix(masked, prefixLength, 'DYNAMIC'))) return;
    this.host.logger.info(`<make_prefix> new prefix ${masked}/${prefixLength} was added on ${ifname}`);
    this.prefixChanged(ri);
  }

  /** RTM_DELETE of an interface direct route: advertise zero lifetimes for two hours, then forget. */
  onRouteDelete(ifname: string, prefix: Ipv6Address, prefixLength: number): void {
    const ri = this.ifs.get(ifname);
    if (!ri || this.shuttingDown) return;
    if (!this.dynamicPrefixOk(ifname, prefix, prefixLength)) return;
    const masked = prefix.mask(prefixLength);
    const p = this.findPrefix(ri, masked, prefixLength);
    if (!p) {
      this.host.logger.debug(
        `<rtmsg_input> prefix(${masked}/${prefixLength}) was deleted on ${ifname}, but it was not in list`,
      );
      return;
    }
    if (p.invalidation?.pending) return;
    this.host.logger.info(
      `<invalidate_prefix> prefix ${masked}/${prefixLength} was invalidated on ${ifname}, ` +
        `will expire in ${PREFIX_INVALIDATION_TIMEOUT} seconds`,
    );
    p.invalidation = this.host.clock.setTimer(PREFIX_INVALIDATION_TIMEOUT * 1000, () => {
      p.invalidation = undefined;
      const i = ri.prefixes.indexOf(p);
      if (i >= 0) ri.prefixes.splice(i, 1);
      this.host.logger.info(`<delete_prefix> prefix ${masked}/${prefixLength} was deleted on ${ifname}`);
    });
    this.prefixChanged(ri);
  }

  /** RTM_IFINFO: compares the host's IFF_UP with what was last seen (rtmsg_input). */
  onInterfaceChange(ifname: string): void {
    if (this.host.iface(ifname)?.up ?? false) this.onIfUp(ifname);
    else this.onIfDown(ifname);
  }

  /** Interface DOWN -> UP: initcounter and waiting reset, timer restarted (initial fast RAs again). */
  onIfUp(ifname: string): void {
    const ri = this.ifs.get(ifname);
    if (!ri || this.shuttingDown || ri.up) return;
    ri.up = true;
    if (!ri.enabled || !this.started) return;
    this.host.logger.info(`<rtmsg_input> interface ${ifname} becomes up. restart timer.`);
    this.startTimer(ri);
  }

  /** Interface UP -> DOWN: the RA timer stops. */
  onIfDown(ifname: string): void {
    const ri = this.ifs.get(ifname);
    if (!ri || this.shuttingDown || !ri.up) return;
    ri.up = false;
    if (!ri.enabled || !this.started) return;
    this.host.logger.info(`<rtmsg_input> interface ${ifname} becomes down. stop timer.`);
    ri.timer?.cancel();
    ri.timer = undefined;
  }

  private dynamicPrefixOk(ifname: string, prefix: Ipv6Address, plen: number): boolean {
    if (plen < 4 || plen > 127) {
      this.host.logger.info(`<rtmsg_input> prefix length ${plen} on ${ifname} is invalid (must be 4..127)`);
      return false;
    }
    // RFC 4861 6.2.3: the link-local prefix is not advertised.
    return !prefix.isLinkLocal() && !prefix.isMulticast();
  }

  /** A routing-socket prefix change while up: initial fast RAs again and a short delay. */
  private prefixChanged(ri: RaInterface): void {
    if (!ri.enabled || !this.started) return;
    if (!(this.host.iface(ri.ifname)?.up ?? false)) return;
    ri.initcounter = 0;
    this.setShortDelay(ri);
  }

  // ---- timers and output -----------------------------------------------------

  /** (Re)starts the periodic timer from scratch: initial fast RAs (RFC 4861 6.2.4). */
  private startTimer(ri: RaInterface): void {
    ri.initcounter = 0;
    ri.waiting = 0;
    this.armTimer(ri, this.nextInterval(ri) * 1000);
  }

  private armTimer(ri: RaInterface, delayMs: number): void {
    ri.timer?.cancel();
    ri.timer = this.host.clock.setTimer(Math.max(0, delayMs), () => this.raTimeout(ri));
  }

  /**
   * ra_timer_update(): a whole number of seconds in [MinRtrAdvInterval,
   * MaxRtrAdvInterval) (KAME's random() % (max - min), no sub-second jitter),
   * at most MAX_INITIAL_RTR_ADVERT_INTERVAL for the first RAs.
   */
  private nextInterval(ri: RaInterface): number {
    const { minInterval, maxInterval } = ri.config;
    const span = maxInterval - minInterval;
    let interval = minInterval + (span > 0 ? this.host.random.uint32() % span : 0);
    if (ri.initcounter < MAX_INITIAL_RTR_ADVERTISEMENTS && interval > MAX_INITIAL_RTR_ADVERT_INTERVAL) {
      interval = MAX_INITIAL_RTR_ADVERT_INTERVAL;
    }
    return interval;
  }

  /**
   * set_short_delay(), RFC 4861 6.2.6: a random delay below MAX_RA_DELAY_TIME,
   * no later than the RA already scheduled, and at least MIN_DELAY_BETWEEN_RAS
   * after the last multicast RA.
   */
  private setShortDelay(ri: RaInterface): void {
    if (!ri.timer?.pending) return; // timer stopped (interface down): nothing to advance
    const now = this.host.clock.now();
    let delay = (this.host.random.uint32() % (MAX_RA_DELAY_TIME_MS * 1000)) / 1000;
    const rest = ri.timer.deadline - now;
    if (rest < delay) {
      this.host.logger.debug('<set_short_delay> random delay is larger than the rest of the current timer');
      delay = rest;
    }
    if (ri.lastSent !== undefined) {
      const elapsed = now - ri.lastSent;
      if (elapsed < MIN_DELAY_BETWEEN_RAS * 1000) delay += MIN_DELAY_BETWEEN_RAS * 1000 - elapsed;
    }
    this.host.logger.debug(
      `<set_short_delay> set RA timer on ${ri.ifname} to ${(delay / 1000).toFixed(3)} s`,
    );
    this.armTimer(ri, delay);
  }

  private raTimeout(ri: RaInterface): void {
    ri.timer = undefined;
    this.raOutput(ri);
    if (ri.enabled && !this.shuttingDown) this.armTimer(ri, this.nextInterval(ri) * 1000);
  }

  /** ra_output(): builds the RA now and sends it to ff02::1, unless the interface is down. */
  private raOutput(ri: RaInterface, o: { routerLifetime?: number } = {}): boolean {
    const ifp = this.host.iface(ri.ifname);
    if (!ifp || !ifp.up) {
      this.host.logger.debug(`<ra_output> ${ri.ifname} is not up, skip sending RA`);
      return false;
    }
    let bytes: Uint8Array;
    try {
      bytes = makePacket(this.buildPacketInput(ri, ifp, o.routerLifetime));
    } catch (e) {
      this.counters.sendErrors++;
      this.host.logger.err(`<ra_output> cannot build the RA for ${ri.ifname}: ${String(e)}`);
      return false;
    }
    const fail = (e: unknown): void => {
      this.counters.sendErrors++;
      this.host.logger.err(
        `<ra_output> sendmsg on ${ri.ifname}: ${e instanceof Error ? e.message : String(e)}`,
      );
    };
    try {
      const r = this.host.send(ri.ifname, bytes);
      if (r) r.catch(fail);
    } catch (e) {
      fail(e);
    }
    if (ri.initcounter < MAX_INITIAL_RTR_ADVERTISEMENTS) ri.initcounter++;
    ri.stats.raOutput++;
    ri.lastSent = this.host.clock.now();
    ri.waiting = 0;
    return true;
  }

  private buildPacketInput(
    ri: RaInterface,
    ifp: HostInterface | undefined,
    routerLifetime?: number,
  ): PacketInput {
    const c = ri.config;
    const now = this.nowSec();
    const prefixes: PacketPrefix[] = ri.prefixes.map((p) => {
      if (p.invalidation?.pending) {
        return { ...p, validLifetime: 0, preferredLifetime: 0 };
      }
      const vl = p.vltimeExpire !== undefined ? Math.max(0, p.vltimeExpire - now) : p.validLifetime;
      let pl = p.pltimeExpire !== undefined ? Math.max(0, p.pltimeExpire - now) : p.preferredLifetime;
      // KAME make_packet: a preferred lifetime never exceeds the valid one when decrementing.
      if ((p.vltimeExpire !== undefined || p.pltimeExpire !== undefined) && vl < pl) pl = vl;
      return { ...p, validLifetime: vl, preferredLifetime: pl };
    });
    const input: {
      -readonly [K in keyof PacketInput]: PacketInput[K];
    } = {
      curHopLimit: c.curHopLimit,
      managed: c.managed,
      other: c.other,
      homeAgent: this.mip6 && c.homeAgent,
      preference: c.preference,
      routerLifetime: routerLifetime ?? c.routerLifetime,
      reachableTimeMs: c.reachableTimeMs,
      retransTimerMs: c.retransTimerMs,
      lladdr: c.advertiseLinkAddress && ifp?.isEthernet ? ifp.lladdr : undefined,
      linkMtu: this.linkMtu(ri, ifp),
      prefixes,
      routes: c.routes,
      rdnss: c.rdnss,
      dnssl: c.dnssl,
    };
    if (this.mip6 && c.homeAgent && c.homeAgentLifetime !== 0) {
      input.homeAgentInfo = { preference: c.homeAgentPreference, lifetime: c.homeAgentLifetime };
    }
    return input;
  }

  private linkMtu(ri: RaInterface, ifp: HostInterface | undefined): number {
    const m = ri.config.linkMtu;
    return m === 'auto' ? (ifp?.mtu ?? 0) : m;
  }

  // ---- prefixes ----------------------------------------------------------------

  private newInterface(c: InterfaceConfig): RaInterface {
    return {
      ifname: c.ifname,
      config: c,
      enabled: true,
      timer: undefined,
      initcounter: 0,
      waiting: 0,
      lastSent: undefined,
      stats: { raOutput: 0, raInput: 0, raInconsistent: 0, rsInput: 0 },
      prefixes: this.initialPrefixes(c),
      up: this.host.iface(c.ifname)?.up ?? false,
    };
  }

  /** Configured prefixes, or (no addr*) the interface's own (KAME get_prefix), in KAME's list order. */
  private initialPrefixes(c: InterfaceConfig): PrefixState[] {
    const now = this.nowSec();
    const out: PrefixState[] = [];
    const push = (p: PrefixState): void => {
      if (out.some((q) => q.prefixLength === p.prefixLength && q.prefix.equals(p.prefix))) return;
      if (out.length >= MAXPREFIX) {
        this.counters.prefixTableFull++;
        return;
      }
      out.unshift(p); // insque at the head: advertised in reverse order
    };
    if (!c.learnPrefixes) {
      for (const p of c.prefixes) {
        push({
          prefix: p.prefix.mask(p.prefixLength),
          prefixLength: p.prefixLength,
          onLink: p.onLink,
          autonomous: p.autonomous,
          routerAddress: p.routerAddress,
          validLifetime: p.validLifetime,
          preferredLifetime: p.preferredLifetime,
          vltimeExpire: p.validLifetimeDecrements ? now + p.validLifetime : undefined,
          pltimeExpire: p.preferredLifetimeDecrements ? now + p.preferredLifetime : undefined,
          origin: p.origin,
          invalidation: undefined,
        });
      }
      return out;
    }
    const ifp = this.host.iface(c.ifname);
    for (const a of ifp?.addresses ?? []) {
      if (a.address.isLinkLocal() || a.address.isMulticast()) continue;
      if (a.prefixLength >= 128 || a.prefixLength <= 0) continue;
      push(this.learnedPrefix(a.address.mask(a.prefixLength), a.prefixLength, 'KERNEL'));
    }
    return out;
  }

  /** A prefix from the kernel: default lifetimes, L and A set (KAME make_prefix/get_prefix). */
  private learnedPrefix(prefix: Ipv6Address, prefixLength: number, origin: PrefixOrigin): PrefixState {
    return {
      prefix,
      prefixLength,
      onLink: true,
      autonomous: true,
      routerAddress: false,
      validLifetime: DEF_ADVVALIDLIFETIME,
      preferredLifetime: DEF_ADVPREFERREDLIFETIME,
      vltimeExpire: undefined,
      pltimeExpire: undefined,
      origin,
      invalidation: undefined,
    };
  }

  private addPrefix(ri: RaInterface, p: PrefixState): boolean {
    if (ri.prefixes.length >= MAXPREFIX) {
      this.counters.prefixTableFull++;
      this.host.logger.warning(
        `<make_prefix> too many prefixes on ${ri.ifname} (max ${MAXPREFIX}), ${p.prefix}/${p.prefixLength} ignored`,
      );
      return false;
    }
    ri.prefixes.unshift(p);
    return true;
  }

  private findPrefix(ri: RaInterface, prefix: Ipv6Address, plen: number): PrefixState | undefined {
    const m = prefix.mask(plen);
    return ri.prefixes.find((p) => p.prefixLength === plen && p.prefix.equals(m));
  }

  private dropInterface(ri: RaInterface): void {
    ri.timer?.cancel();
    ri.timer = undefined;
    for (const p of ri.prefixes) p.invalidation?.cancel();
  }

  private mustInterface(ifname: string): RaInterface {
    const ri = this.ifs.get(ifname);
    if (!ri) throw new RtadvdError(`${ifname} is not an advertising interface`);
    return ri;
  }

  private nowSec(): number {
    return Math.floor(this.host.clock.now() / 1000);
  }

  /** getconfig()'s checks that need the kernel: interface exists, link MTU range, forwarding. */
  private validate(configs: readonly InterfaceConfig[]): void {
    for (const c of configs) {
      const ifp = this.host.iface(c.ifname);
      if (!ifp) throw new RtadvdError(`<getconfig> can't get information of ${c.ifname}`);
      if (typeof c.linkMtu === 'number' && c.linkMtu !== 0 && (c.linkMtu < 1280 || c.linkMtu > ifp.mtu)) {
        throw new RtadvdError(
          `<getconfig> advertised link mtu (${c.linkMtu}) on ${c.ifname} is invalid ` +
            `(must be between least MTU (1280) and physical link MTU (${ifp.mtu}))`,
        );
      }
      // RFC 4861 6.2.3 (RFC 2461): hosts MUST NOT send Router Advertisements.
      if (c.routerLifetime !== 0 && !this.host.forwarding()) {
        throw new RtadvdError(
          `<getconfig> non zero router lifetime is specified for ${c.ifname}, which must not be allowed ` +
            `for hosts.  you must change router lifetime or enable IPv6 forwarding.`,
        );
      }
    }
  }
}
