import type { MldVersion } from './params';

/**
 * RFC 2710 4: the states of one multicast address on one interface.
 * Non-Listener: not listening (no entry); Delaying Listener: listening with
 * a report timer running; Idle Listener: listening, no timer.
 */
export type MldListenerState = 'NON_LISTENER' | 'DELAYING_LISTENER' | 'IDLE_LISTENER';

export type MldListenerEvent =
  /**
   * The first join of the group on the interface (RFC 2710 4 "start
   * listening"). `delay`: the caller's random draw in [0, Unsolicited Report
   * Interval] for the repeated MLDv1 Report.
   */
  | { readonly type: 'START_LISTENING'; readonly delay: number }
  /** The last leave (RFC 2710 4 "stop listening"). */
  | { readonly type: 'STOP_LISTENING' }
  /**
   * A General Query, or a Multicast-Address-Specific Query for this group
   * (RFC 2710 4 "query received"); MLDv2 general queries are answered per
   * interface (RFC 3810 6.2) and never reach the group machine.
   */
  | {
      readonly type: 'QUERY';
      readonly maxResponseDelay: number;
      /** The caller's random draw in [0, maxResponseDelay] (RFC 2710 4, RFC 3810 6.2). */
      readonly delay: number;
    }
  /** Another node's MLDv1 Report for this group (RFC 2710 4 "report received"). */
  | { readonly type: 'REPORT_RECEIVED' }
  /** The group's delay timer fired (RFC 2710 4 "timer expired"). */
  | { readonly type: 'TIMER_EXPIRED' }
  /** RFC 3810 8.2.1: the Host Compatibility Mode changed; pending responses are cancelled. */
  | { readonly type: 'COMPAT_MODE_CHANGED' };

export type MldListenerAction =
  /** MLDv1 mode: a Report to the group; MLDv2: a Current State Record (RFC 3810 6.3). */
  | { readonly type: 'SEND_REPORT' }
  /** MLDv1 Done to ff02::2 (RFC 2710 4). */
  | { readonly type: 'SEND_DONE' }
  /** MLDv2 State Change Report, TO_EX({}) on join, TO_IN({}) on leave (RFC 3810 6.1). */
  | { readonly type: 'SEND_STATE_CHANGE'; readonly change: 'join' | 'leave' }
  /**
   * Start the delay timer, `delay` ms from now. `earliest`: keep a running
   * timer that fires sooner (RFC 3810 6.2 rule 3); without it the timer is
   * (re)started unconditionally (RFC 2710 4).
   */
  | { readonly type: 'START_TIMER'; readonly delay: number; readonly earliest: boolean }
  | { readonly type: 'STOP_TIMER' }
  /** Nothing to do; the snapshot is unchanged. */
  | { readonly type: 'IGNORE' };

/** What the transition function knows about a group. */
export interface MldListenerSnapshot {
  readonly state: MldListenerState;
  /** RFC 2710 4: "flag that we were the last host to send a report". */
  readonly lastReporter: boolean;
  /** Milliseconds left on the delay timer, undefined when none runs. */
  readonly timerRemaining: number | undefined;
}

export interface MldListenerContext {
  /** The interface's Host Compatibility Mode (RFC 3810 8.2.1). */
  readonly version: MldVersion;
  /**
   * False for ff02::1 and groups of scope 0 or 1 (RFC 2710 5, RFC 3810 6):
   * listened to, never reported, held in Idle Listener.
   */
  readonly reportable: boolean;
}

export interface MldListenerTransition {
  readonly next: MldListenerSnapshot;
  readonly actions: readonly MldListenerAction[];
}

export const MLD_NON_LISTENER: MldListenerSnapshot = {
  state: 'NON_LISTENER',
  lastReporter: false,
  timerRemaining: undefined,
};

/**
 * The per-group host state machine of RFC 2710 4 (extended for MLDv2 mode,
 * RFC 3810 6 and 8.2.1) as one pure function. The caller owns timers and I/O
 * and performs the actions in order.
 */
export function mldListenerTransition(
  s: MldListenerSnapshot,
  e: MldListenerEvent,
  ctx: MldListenerContext,
): MldListenerTransition {
  const ignore = (): MldListenerTransition => ({ next: s, actions: [{ type: 'IGNORE' }] });
  const go = (
    state: MldListenerState,
    actions: MldListenerAction[],
    lastReporter = s.lastReporter,
  ): MldListenerTransition => {
    let timerRemaining = state === 'DELAYING_LISTENER' ? s.timerRemaining : undefined;
    for (const a of actions) {
      if (a.type === 'START_TIMER') {
        timerRemaining =
          a.earliest && timerRemaining !== undefined ? Math.min(timerRemaining, a.delay) : a.delay;
      }
    }
    return { next: { state, lastReporter, timerRemaining }, actions };
  };
  const listening = s.state !== 'NON_LISTENER';
  const delaying = s.state === 'DELAYING_LISTENER';

  switch (e.type) {
    case 'START_LISTENING':
      if (listening) return ignore();
      // RFC 2710 5: ff02::1 "starts in Idle Listener state ... and never sends a Report".
      if (!ctx.reportable) return go('IDLE_LISTENER', [], false);
      if (ctx.version === 2) {
        // RFC 3810 6.1: a State Change Report at once; retransmissions are per interface.
        return go('IDLE_LISTENER', [{ type: 'SEND_STATE_CHANGE', change: 'join' }], false);
      }
      // RFC 2710 4: send report, set flag, start timer (the repeat of the
      // unsolicited Report, [Unsolicited Report Interval]).
      return go(
        'DELAYING_LISTENER',
        [{ type: 'SEND_REPORT' }, { type: 'START_TIMER', delay: e.delay, earliest: false }],
        true,
      );

    case 'STOP_LISTENING': {
      if (!listening) return ignore();
      if (!ctx.reportable) return go('NON_LISTENER', [], false);
      const actions: MldListenerAction[] = delaying ? [{ type: 'STOP_TIMER' }] : [];
      if (ctx.version === 2) actions.push({ type: 'SEND_STATE_CHANGE', change: 'leave' });
      // RFC 2710 4: "send done if flag set".
      else if (s.lastReporter) actions.push({ type: 'SEND_DONE' });
      return go('NON_LISTENER', actions, false);
    }

    case 'QUERY':
      if (!listening || !ctx.reportable) return ignore();
      if (ctx.version === 2) {
        // RFC 3810 6.2 rule 3: schedule, or keep the earlier of the two.
        return go('DELAYING_LISTENER', [{ type: 'START_TIMER', delay: e.delay, earliest: true }]);
      }
      // RFC 2710 4: Idle -> start timer; Delaying -> "reset timer if Max
      // Response Delay < current timer value".
      if (delaying && s.timerRemaining !== undefined && e.maxResponseDelay >= s.timerRemaining)
        return ignore();
      return go('DELAYING_LISTENER', [{ type: 'START_TIMER', delay: e.delay, earliest: false }]);

    case 'REPORT_RECEIVED':
      // RFC 2710 4: Delaying -> stop timer, clear flag -> Idle. MLDv2 hosts
      // do not suppress (RFC 3810 6).
      if (!delaying || !ctx.reportable || ctx.version === 2) return ignore();
      return go('IDLE_LISTENER', [{ type: 'STOP_TIMER' }], false);

    case 'TIMER_EXPIRED':
      // RFC 2710 4: send report, set flag -> Idle.
      if (!delaying) return ignore();
      return go('IDLE_LISTENER', [{ type: 'SEND_REPORT' }], ctx.version === 1 ? true : s.lastReporter);

    case 'COMPAT_MODE_CHANGED':
      // RFC 3810 8.2.1: cancel all pending response and retransmission timers.
      if (!delaying) return ignore();
      return go('IDLE_LISTENER', [{ type: 'STOP_TIMER' }]);
  }
  return ignore();
}
