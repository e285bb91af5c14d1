import {
  DADRETRY,
  MAX_RTR_SOLICITATION_DELAY,
  MAX_RTR_SOLICITATIONS,
  MOBILITY_IDLE_POLL,
  PROBE_INTERVAL_SEC,
  RTR_SOLICITATION_INTERVAL,
} from './constants';
import type { Severity } from './host';

/**
 * rtsold's per-interface state machine as data (reference 2.2; CONVENTIONS
 * "State machines are data"): one transition function over an explicit
 * state union, plus the timer rule that follows every transition
 * (rtsol_timer_update in KAME).
 */

/** IFS_IDLE 0, IFS_DELAY 1, IFS_PROBE 2, IFS_DOWN 3, IFS_TENTATIVE 4; the strings are the dump's. */
export type IfState = 'IDLE' | 'DELAY' | 'PROBE' | 'DOWN' | 'TENTATIVE';

/** What rtsold holds per interface (struct ifinfo, the fields the machine reads and writes). */
export interface IfVars {
  readonly state: IfState;
  /** RSs sent in the current probe run. */
  readonly probes: number;
  /** DOWN/TENTATIVE checks since the last long wait. */
  readonly dadcount: number;
  /** Valid RAs received. */
  readonly racnt: number;
  /** The O flag was seen and the other-config script ran (reset by every new probe run). */
  readonly otherconfig: boolean;
  /** Link status (interface_status): carrier up, or unknowable. */
  readonly active: boolean;
  /** Carrier detection available (KAME: SIOCGIFMEDIA works). */
  readonly mediareqok: boolean;
  /** Seconds between periodic probes from IDLE (-m, no carrier detection); 0 = infinity. */
  readonly probeinterval: number;
  /** Seconds left until the next periodic probe. */
  readonly probetimer: number;
}

/** What interface_up() finds when it looks at the interface (reference 2.2, DOWN/TENTATIVE row). */
export type UpCheck =
  /** IFF_UP is clear: rtsold sets it and stays DOWN. */
  | 'notUp'
  /** The link-local address is still tentative (DAD running). */
  | 'tentative'
  /** DAD failed on the link-local address. */
  | 'duplicated'
  /** Up with a usable link-local address. */
  | 'ready'
  /** Up but no link-local address yet (our choice: wait in DOWN, like a not-ready one). */
  | 'noLinkLocal'
  /** The interface does not exist (any more). */
  | 'gone';

export type IfEvent =
  /** ifconfig(): the first look at the interface when rtsold starts watching it. */
  | { readonly kind: 'start'; readonly up: UpCheck; readonly active: boolean; readonly mediareqok: boolean }
  /**
   * The interface's timer expired. `up` is interface_up()'s verdict (read by DOWN/TENTATIVE),
   * `active` the current link status (read by IDLE), `elapsedSec` the interval that just ran out.
   */
  | { readonly kind: 'timer'; readonly up: UpCheck; readonly active: boolean; readonly elapsedSec: number }
  /** A valid RA (reference 2.3) arrived on the interface; `other` is its O flag. */
  | { readonly kind: 'ra'; readonly other: boolean }
  /** The routing socket announced the interface's departure (RTM_IFANNOUNCE). */
  | { readonly kind: 'departure' };

export type IfAction =
  | { readonly kind: 'setUp' }
  | { readonly kind: 'sendRs' }
  /** Run the other-config script (-O) for this interface (RFC 4862 5.5.3 via the O flag). */
  | { readonly kind: 'runScript' }
  /** -m: probe the interface's existing default routers (defrouter_probe). */
  | { readonly kind: 'defrouterProbe' }
  | { readonly kind: 'log'; readonly severity: Severity; readonly message: string };

/** The timer after a transition: armed for `ms`, stopped (KAME tm_max), or left as it was. */
export type TimerChange =
  { readonly kind: 'set'; readonly ms: number } | { readonly kind: 'stop' } | { readonly kind: 'keep' };

export interface Transition {
  readonly vars: IfVars;
  readonly actions: readonly IfAction[];
  readonly timer: TimerChange;
}

export interface MachineContext {
  readonly ifname: string;
  /** -m */
  readonly mobility: boolean;
  /** A uniform integer in [0, MAX_RTR_SOLICITATION_DELAY µs): the DELAY timer (RFC 4861 6.3.7). */
  readonly randomDelayUs: () => number;
}

/** The variables of an interface rtsold has not looked at yet. */
export function initialVars(): IfVars {
  return {
    state: 'DOWN',
    probes: 0,
    dadcount: 0,
    racnt: 0,
    otherconfig: false,
    active: false,
    mediareqok: false,
    probeinterval: 0,
    probetimer: 0,
  };
}

const log = (severity: Severity, message: string): IfAction => ({ kind: 'log', severity, message });

/** interface_up()'s verdict as a state, with what rtsold does about it. */
function applyUpCheck(vars: IfVars, up: UpCheck, ctx: MachineContext, actions: IfAction[]): IfVars {
  switch (up) {
    case 'ready':
      return { ...vars, state: 'DELAY' };
    case 'tentative':
      actions.push(log('debug', `<interface_up> ${ctx.ifname}: link-local address is still tentative`));
      return { ...vars, state: 'TENTATIVE' };
    case 'notUp':
      actions.push({ kind: 'setUp' });
      actions.push(log('info', `<interface_up> ${ctx.ifname} is down: setting IFF_UP`));
      return { ...vars, state: 'DOWN' };
    case 'duplicated':
      actions.push(log('warning', `<interface_up> ${ctx.ifname}: link-local address is duplicated`));
      return { ...vars, state: 'DOWN' };
    case 'noLinkLocal':
      actions.push(log('debug', `<interface_up> ${ctx.ifname}: no link-local address yet`));
      return { ...vars, state: 'DOWN' };
    case 'gone':
      actions.push(log('debug', `<interface_up> ${ctx.ifname}: no such interface`));
      return { ...vars, state: 'DOWN' };
  }
}

/**
 * rtsol_timer_update: the timer every state sets on entry or after its
 * expiry (reference 2.2, "timer value set" column).
 */
export function timerUpdate(vars: IfVars, ctx: MachineContext): { vars: IfVars; timer: TimerChange } {
  switch (vars.state) {
    case 'DOWN':
    case 'TENTATIVE': {
      const dadcount = vars.dadcount + 1;
      if (dadcount > DADRETRY) {
        return { vars: { ...vars, dadcount: 0 }, timer: { kind: 'set', ms: PROBE_INTERVAL_SEC * 1000 } };
      }
      return { vars: { ...vars, dadcount }, timer: { kind: 'set', ms: 1000 } };
    }
    case 'IDLE':
      return {
        vars,
        timer: ctx.mobility ? { kind: 'set', ms: MOBILITY_IDLE_POLL } : { kind: 'stop' },
      };
    case 'DELAY': {
      // RFC 4861 6.3.7: a random delay in [0, MAX_RTR_SOLICITATION_DELAY), microsecond resolution.
      const us = ctx.randomDelayUs();
      return { vars, timer: { kind: 'set', ms: us / 1000 } };
    }
    case 'PROBE':
      // RFC 4861 6.3.7: RTR_SOLICITATION_INTERVAL between RSs; after the last one only
      // MAX_RTR_SOLICITATION_DELAY is left to wait for an answer.
      return {
        vars,
        timer: {
          kind: 'set',
          ms: vars.probes < MAX_RTR_SOLICITATIONS ? RTR_SOLICITATION_INTERVAL : MAX_RTR_SOLICITATION_DELAY,
        },
      };
  }
}

function withTimer(vars: IfVars, actions: IfAction[], ctx: MachineContext): Transition {
  const t = timerUpdate(vars, ctx);
  return { vars: t.vars, actions, timer: t.timer };
}

/** The one transition function (rtsol_check_timer, rtsol_input and ifconfig of KAME, as data). */
export function transition(vars: IfVars, event: IfEvent, ctx: MachineContext): Transition {
  const actions: IfAction[] = [];
  switch (event.kind) {
    case 'start': {
      const probeinterval = event.mediareqok ? 0 : PROBE_INTERVAL_SEC;
      const base: IfVars = {
        ...vars,
        active: event.active,
        mediareqok: event.mediareqok,
        probeinterval,
        probetimer: probeinterval,
      };
      return withTimer(applyUpCheck(base, event.up, ctx, actions), actions, ctx);
    }
    case 'departure':
      actions.push(log('info', `<rtsock_input_ifannounce> interface ${ctx.ifname} removed`));
      return withTimer({ ...vars, state: 'DOWN' }, actions, ctx);
    case 'ra': {
      let next: IfVars = { ...vars, racnt: vars.racnt + 1 };
      if (event.other && !vars.otherconfig) {
        actions.push(log('debug', `<rtsol_input> OtherConfigFlag on ${ctx.ifname} is turned on`));
        next = { ...next, otherconfig: true };
        actions.push({ kind: 'runScript' });
      }
      if (vars.state !== 'PROBE') return { vars: next, actions, timer: { kind: 'keep' } };
      // RFC 4861 6.3.7: an RA answers the solicitation; stop probing.
      return withTimer({ ...next, state: 'IDLE', probes: 0 }, actions, ctx);
    }
    case 'timer':
      return onTimer(vars, event, ctx, actions);
  }
}

function onTimer(
  vars: IfVars,
  event: Extract<IfEvent, { kind: 'timer' }>,
  ctx: MachineContext,
  actions: IfAction[],
): Transition {
  switch (vars.state) {
    case 'DOWN':
    case 'TENTATIVE':
      return withTimer(applyUpCheck(vars, event.up, ctx, actions), actions, ctx);
    case 'DELAY':
      actions.push({ kind: 'sendRs' });
      return withTimer({ ...vars, state: 'PROBE', probes: vars.probes + 1 }, actions, ctx);
    case 'PROBE':
      if (vars.probes < MAX_RTR_SOLICITATIONS) {
        actions.push({ kind: 'sendRs' });
        return withTimer({ ...vars, probes: vars.probes + 1 }, actions, ctx);
      }
      actions.push(log('info', `<rtsol_check_timer> No answer after sending ${vars.probes} RSs`));
      return withTimer({ ...vars, state: 'IDLE', probes: 0 }, actions, ctx);
    case 'IDLE': {
      // Only armed with -m: look at the link status, then the periodic probe timer.
      let next: IfVars = { ...vars, active: event.active };
      let probe = false;
      if (event.active !== vars.active) {
        actions.push(
          log(
            'debug',
            `<rtsol_check_timer> ${ctx.ifname} status is changed from ${vars.active ? 1 : 0} to ${event.active ? 1 : 0}`,
          ),
        );
        next = { ...next, state: 'DELAY' };
        probe = true;
      } else if (vars.probeinterval > 0) {
        const probetimer = vars.probetimer - event.elapsedSec;
        if (probetimer <= 0) {
          next = { ...next, state: 'PROBE', probetimer: vars.probeinterval };
          probe = true;
        } else {
          next = { ...next, probetimer };
        }
      }
      if (probe) {
        next = { ...next, otherconfig: false };
        if (ctx.mobility) actions.push({ kind: 'defrouterProbe' });
      }
      return withTimer(next, actions, ctx);
    }
  }
}

/**
 * -1 (rtsol): done when every interface not DOWN has seen a valid RA, or
 * when no interface has a timer left (reference 2.1).
 */
export function onceDone(ifs: readonly { vars: IfVars; timerArmed: boolean }[]): boolean {
  if (ifs.every((i) => !i.timerArmed)) return true;
  return ifs.every((i) => i.vars.state === 'DOWN' || i.vars.racnt > 0);
}
