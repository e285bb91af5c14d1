import type { Timer } from '@kame/time';
import {
  MAX_INTERFACES,
  MAX_RTR_SOLICITATION_DELAY,
  SYSCTL_ACCEPT_RTADV,
  SYSCTL_FORWARDING,
} from './constants';
import { formatDump, type DumpEntry } from './dump';
import type { RtsoldHost, RtsoldIcmp6Input, RtsoldIfView, Severity } from './host';
import { checkRa, type RaDropReason } from './ra-input';
import { routerSolicitation } from './rs';
import {
  initialVars,
  onceDone,
  transition,
  type IfAction,
  type IfEvent,
  type IfVars,
  type MachineContext,
  type TimerChange,
  type UpCheck,
} from './state';

/** rtsold's flags as the engine needs them (reference 2.1). */
export interface RtsoldOptions {
  /** Interfaces named on the command line (empty with -a). */
  readonly interfaces: readonly string[];
  /** -a: probe every interface that is up, not loopback or point-to-point, multicast, with IPv6. */
  readonly autoprobe?: boolean;
  /** -m: mobility mode. */
  readonly mobility?: boolean;
  /** -1: finish once every interface got an RA (or no timer is left). */
  readonly once?: boolean;
  /** -O: the other-config script (absolute path; the CLI checks). */
  readonly otherconfScript?: string;
  /** -F: set accept_rtadv=1 and forwarding=0 instead of only warning. */
  readonly setSysctls?: boolean;
  /** -d = 1, -D = 2 (timer traces; ENETDOWN reported). */
  readonly debug?: number;
}

/** A usage or start-up failure (the program exits 1 with this message). */
export class RtsoldError extends Error {
  override readonly name = 'RtsoldError';
}

export interface RtsoldStats {
  /** Valid RAs counted (all interfaces). */
  raValid: number;
  /** Received messages dropped, by reason (reference 2.3 checks). */
  readonly raDropped: Record<RaDropReason, number>;
  /** RSs handed to the kernel, and those the kernel refused. */
  rsSent: number;
  rsErrors: number;
  /** Other-config script runs started / failed. */
  scripts: number;
  scriptErrors: number;
}

/** How an rtsold run ended: once mode completed, or stop() was called. */
export type RtsoldEnd = 'once' | 'stopped';

interface IfInfo {
  readonly name: string;
  vars: IfVars;
  timer: Timer | undefined;
  timerIntervalMs: number | undefined;
}

const DROP_REASONS: readonly RaDropReason[] = [
  'noPktinfo',
  'noHoplimit',
  'tooShort',
  'notRa',
  'badCode',
  'badHoplimit',
  'notLinkLocal',
  'unknownInterface',
];

/** interface_up()'s verdict from the host's view of the interface. */
export function upCheckOf(view: RtsoldIfView | undefined): UpCheck {
  if (!view) return 'gone';
  if (!view.up) return 'notUp';
  switch (view.linkLocal) {
    case 'ready':
      return 'ready';
    case 'tentative':
      return 'tentative';
    case 'duplicated':
      return 'duplicated';
    case 'none':
      return 'noLinkLocal';
  }
}

/** The -a rule (K:rtsold/rtsold.c autoifprobe). */
export function autoprobeEligible(v: RtsoldIfView): boolean {
  return v.up && !v.pointToPoint && !v.loopback && v.multicast && v.hasInet6;
}

function errnoOf(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'errno' in e) {
    const n = (e as { errno: unknown }).errno;
    if (typeof n === 'string') return n;
  }
  return undefined;
}

/**
 * The rtsold engine: one state machine per interface, driven by the
 * injected clock and by received RAs. Sans-I/O: everything goes through
 * the RtsoldHost port.
 */
export class Rtsold {
  readonly stats: RtsoldStats = {
    raValid: 0,
    raDropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<RaDropReason, number>,
    rsSent: 0,
    rsErrors: 0,
    scripts: 0,
    scriptErrors: 0,
  };
  /** Resolves when the run ends: once mode complete (after running scripts finished), or stop(). */
  readonly finished: Promise<RtsoldEnd>;

  private readonly ifs: IfInfo[] = [];
  private readonly scriptsRunning = new Set<Promise<void>>();
  private resolveFinished!: (end: RtsoldEnd) => void;
  private started = false;
  private ended = false;
  private onceReached = false;

  constructor(
    private readonly host: RtsoldHost,
    private readonly options: RtsoldOptions,
  ) {
    this.finished = new Promise<RtsoldEnd>((resolve) => {
      this.resolveFinished = resolve;
    });
  }

  /** Watched interfaces, in order. */
  get interfaceNames(): string[] {
    return this.ifs.map((i) => i.name);
  }

  /** The state variables of a watched interface. */
  vars(ifname: string): IfVars | undefined {
    return this.ifs.find((i) => i.name === ifname)?.vars;
  }

  /** True while the interface's timer is armed. */
  timerArmed(ifname: string): boolean {
    const i = this.ifs.find((x) => x.name === ifname);
    return !!i?.timer?.pending;
  }

  /**
   * Checks the sysctls (-F sets them), picks the interfaces and takes the
   * first look at each (KAME ifconfig()). Throws RtsoldError on a bad
   * interface list.
   */
  async start(): Promise<void> {
    if (this.started) throw new RtsoldError('rtsold already started');
    this.started = true;
    const o = this.options;
    if (o.autoprobe && o.interfaces.length > 0) throw new RtsoldError('-a and interface names are exclusive');
    if (!o.autoprobe && o.interfaces.length === 0) throw new RtsoldError('no interface given');
    await this.checkSysctls();
    const names = o.autoprobe ? this.autoprobe() : this.named(o.interfaces);
    for (const name of names) {
      const info: IfInfo = { name, vars: initialVars(), timer: undefined, timerIntervalMs: undefined };
      this.ifs.push(info);
      const view = this.host.interface(name);
      this.step(info, {
        kind: 'start',
        up: upCheckOf(view),
        active: view?.carrier !== 'down',
        mediareqok: view !== undefined && view.carrier !== 'unknown',
      });
    }
    this.checkOnce();
  }

  /** Feeds one received ICMPv6 message (the endpoint passes RAs only); never throws. */
  receive(m: RtsoldIcmp6Input): void {
    if (this.ended) return;
    const v = checkRa(m);
    if (!v.ok) {
      this.stats.raDropped[v.reason]++;
      this.log('info', `<rtsol_input> ${v.detail}`);
      return;
    }
    const info = this.ifs.find((i) => this.host.interface(i.name)?.index === m.ifindex);
    if (!info) {
      this.stats.raDropped.unknownInterface++;
      this.log(
        'info',
        `<rtsol_input> received RA from ${m.src.toString()} on an unexpected IF(${m.ifindex})`,
      );
      return;
    }
    this.stats.raValid++;
    this.log('debug', `<rtsol_input> received RA from ${m.src.toString()} on an interface ${info.name}`);
    this.step(info, { kind: 'ra', other: v.other });
    this.checkOnce();
  }

  /** The routing socket announced that an interface left (RTM_IFANNOUNCE departure). */
  interfaceDeparted(ifname: string): void {
    if (this.ended) return;
    const info = this.ifs.find((i) => i.name === ifname);
    if (!info) return;
    this.step(info, { kind: 'departure' });
    this.checkOnce();
  }

  /** The SIGUSR1 dump (reference 2.4). */
  dump(): string {
    const entries: DumpEntry[] = this.ifs.map((i) => ({
      ifname: i.name,
      vars: i.vars,
      timerIntervalMs: i.timer?.pending ? i.timerIntervalMs : undefined,
      timerExpire: i.timer?.pending ? i.timer.deadline : undefined,
    }));
    return formatDump(entries, this.host.clock.now());
  }

  /** Cancels every timer; received messages are ignored from now on. */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    for (const i of this.ifs) {
      i.timer?.cancel();
      i.timer = undefined;
    }
    this.resolveFinished('stopped');
  }

  // ---- internals -------------------------------------------------------------

  private log(severity: Severity, message: string): void {
    this.host.logger.log(severity, message);
  }

  private async checkSysctls(): Promise<void> {
    try {
      if (this.options.setSysctls) {
        await this.host.sysctlSet(SYSCTL_ACCEPT_RTADV, 1);
        await this.host.sysctlSet(SYSCTL_FORWARDING, 0);
        return;
      }
      if ((await this.host.sysctlGet(SYSCTL_ACCEPT_RTADV)) === 0) {
        this.log('warning', 'kernel is configured not to accept RAs');
      }
      if ((await this.host.sysctlGet(SYSCTL_FORWARDING)) !== 0) {
        this.log('warning', 'kernel is configured as a router, not a host');
      }
    } catch (e) {
      this.log('warning', `<main> sysctl: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private autoprobe(): string[] {
    const found = this.host.interfaces().filter(autoprobeEligible);
    if (found.length === 0) throw new RtsoldError('probing failed: no interface qualifies for -a');
    if (found.length > MAX_INTERFACES) {
      throw new RtsoldError(`-a found ${found.length} interfaces, more than ${MAX_INTERFACES}`);
    }
    // KAME's man page says several candidates are an error; its code probes them all.
    if (found.length > 1 && (this.options.debug ?? 0) > 1) {
      this.log('warning', `<autoifprobe> multiple interfaces found: ${found.map((v) => v.name).join(' ')}`);
    }
    for (const v of found) this.log('debug', `<autoifprobe> probing ${v.name}`);
    return found.map((v) => v.name);
  }

  private named(list: readonly string[]): string[] {
    const out: string[] = [];
    for (const name of list) {
      if (out.includes(name)) {
        this.log('warning', `<ifconfig> interface ${name} already configured`);
        continue;
      }
      if (!this.host.interface(name)) throw new RtsoldError(`failed to initialize ${name}`);
      out.push(name);
    }
    if (out.length > MAX_INTERFACES) {
      throw new RtsoldError(`${out.length} interfaces given, more than ${MAX_INTERFACES}`);
    }
    return out;
  }

  private context(name: string): MachineContext {
    return {
      ifname: name,
      mobility: this.options.mobility ?? false,
      randomDelayUs: () => this.host.random.int(0, MAX_RTR_SOLICITATION_DELAY * 1000 - 1),
    };
  }

  /** Runs one transition and carries out what it asks for. */
  private step(info: IfInfo, event: IfEvent): void {
    const t = transition(info.vars, event, this.context(info.name));
    info.vars = t.vars;
    for (const a of t.actions) this.act(info, a);
    this.setTimer(info, t.timer);
  }

  private setTimer(info: IfInfo, change: TimerChange): void {
    if (change.kind === 'keep') return;
    info.timer?.cancel();
    info.timer = undefined;
    info.timerIntervalMs = undefined;
    if (change.kind === 'stop') return;
    info.timerIntervalMs = change.ms;
    if ((this.options.debug ?? 0) > 1) {
      const us = Math.round(change.ms * 1000);
      this.log(
        'debug',
        `<rtsol_timer_update> state = ${info.vars.state}, set timer for ${info.name} to ${Math.floor(us / 1e6)}:${us % 1e6}`,
      );
    }
    info.timer = this.host.clock.setTimer(change.ms, () => this.expire(info, change.ms));
  }

  private expire(info: IfInfo, intervalMs: number): void {
    if (this.ended) return;
    info.timer = undefined;
    info.timerIntervalMs = undefined;
    const view = this.host.interface(info.name);
    this.step(info, {
      kind: 'timer',
      up: upCheckOf(view),
      active: view !== undefined && view.carrier !== 'down',
      elapsedSec: Math.floor(intervalMs / 1000),
    });
    this.checkOnce();
  }

  private act(info: IfInfo, a: IfAction): void {
    switch (a.kind) {
      case 'log':
        this.log(a.severity, a.message);
        return;
      case 'setUp':
        this.host.setUp(info.name).catch((e: unknown) => {
          this.log('err', `<interface_up> SIOCSIFFLAGS on ${info.name}: ${String(e)}`);
        });
        return;
      case 'sendRs':
        this.sendRs(info);
        return;
      case 'runScript':
        this.runScript(info);
        return;
      case 'defrouterProbe':
        if (!this.host.defrouterProbe) {
          this.log('debug', `<defrouter_probe> not supported on this host (${info.name})`);
          return;
        }
        this.host.defrouterProbe(info.name).catch((e: unknown) => {
          this.log('debug', `<defrouter_probe> ${info.name}: ${String(e)}`);
        });
        return;
    }
  }

  private sendRs(info: IfInfo): void {
    const view = this.host.interface(info.name);
    const rs = routerSolicitation(view?.isEthernet ? view.lladdr : undefined);
    this.stats.rsSent++;
    this.log('debug', `<sendpacket> send RS on ${info.name}, whose state is ${info.vars.state}`);
    this.host.sendRs(info.name, rs).catch((e: unknown) => {
      this.stats.rsErrors++;
      // KAME: a down interface is normal while waiting for it; report it only when debugging.
      if (errnoOf(e) === 'ENETDOWN' && (this.options.debug ?? 0) === 0) return;
      this.log('err', `<sendpacket> sendmsg on ${info.name}: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  private runScript(info: IfInfo): void {
    const script = this.options.otherconfScript;
    if (script === undefined) return;
    this.stats.scripts++;
    this.log('debug', `<call_script> executes ${script} ${info.name}`);
    const p = this.host
      .runScript(script, info.name)
      .catch((e: unknown) => {
        this.stats.scriptErrors++;
        this.log('err', `<call_script> ${script}: ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => {
        this.scriptsRunning.delete(p);
        this.checkOnce();
      });
    this.scriptsRunning.add(p);
  }

  private checkOnce(): void {
    if (!this.options.once || this.ended) return;
    if (!this.onceReached) {
      const done = onceDone(this.ifs.map((i) => ({ vars: i.vars, timerArmed: !!i.timer?.pending })));
      if (!done) return;
      this.onceReached = true;
    }
    // KAME runs the script synchronously: the run ends only after it.
    if (this.scriptsRunning.size > 0) return;
    this.ended = true;
    for (const i of this.ifs) {
      i.timer?.cancel();
      i.timer = undefined;
    }
    this.resolveFinished('once');
  }
}
