/**
 * Duplicate Address Detection for one tentative address as data (RFC 4862
 * 5.4): a snapshot, the events that reach it and a pure transition function.
 * `DadEngine` owns timers and I/O and runs every change through `dadTransition`.
 */

/** RFC 4862 5.4: in progress ('DELAY' before the first probe, 'PROBING' after), or finished. */
export type DadState = 'DELAY' | 'PROBING' | 'SUCCEEDED' | 'DUPLICATE';

/** 'NONE' stands for "no DAD running for the address" (before start, after stop). */
export type DadStateOrNone = DadState | 'NONE';

export interface DadSnapshot {
  readonly state: DadStateOrNone;
  /** Neighbor Solicitations sent so far for this run. */
  readonly sent: number;
}

export type DadEvent =
  /** The address became tentative; `delayed` when it is the first one of an interface coming up (5.4.2). */
  | { readonly type: 'START'; readonly delayed: boolean }
  /** The pending timer (initial delay, or RetransTimer after a probe) expired. */
  | { readonly type: 'TIMEOUT' }
  /** A DAD NS from another node, or any NA, for the tentative target (5.4.3, 5.4.4). */
  | { readonly type: 'DUPLICATE' }
  /** The address was removed or the interface went down. */
  | { readonly type: 'STOP' };

export type DadAction =
  | { readonly type: 'SEND_NS' }
  | { readonly type: 'START_TIMER'; readonly timer: 'DELAY' | 'RETRANS' }
  | { readonly type: 'STOP_TIMER' }
  /** No duplicate found: the address may leave the tentative state. */
  | { readonly type: 'SUCCEED' }
  /** Duplicate: the address must not be used (marked duplicated, logged). */
  | { readonly type: 'FAIL' }
  | { readonly type: 'IGNORE' };

export interface DadTransition {
  readonly next: DadSnapshot;
  readonly actions: readonly DadAction[];
}

export const DAD_NONE: DadSnapshot = { state: 'NONE', sent: 0 };

const ignore = (s: DadSnapshot): DadTransition => ({ next: s, actions: [{ type: 'IGNORE' }] });

function probe(sent: number): DadTransition {
  return {
    next: { state: 'PROBING', sent: sent + 1 },
    actions: [{ type: 'SEND_NS' }, { type: 'START_TIMER', timer: 'RETRANS' }],
  };
}

/**
 * RFC 4862 5.4: `transmits` is DupAddrDetectTransmits, fixed when the run
 * starts; 0 disables DAD, so START succeeds at once (5.4 "a value of zero
 * indicates that Duplicate Address Detection is not performed").
 */
export function dadTransition(s: DadSnapshot, e: DadEvent, transmits: number): DadTransition {
  const running = s.state === 'DELAY' || s.state === 'PROBING';
  switch (e.type) {
    case 'START':
      if (running) return ignore(s);
      if (transmits <= 0) return { next: { state: 'SUCCEEDED', sent: 0 }, actions: [{ type: 'SUCCEED' }] };
      if (e.delayed) {
        return { next: { state: 'DELAY', sent: 0 }, actions: [{ type: 'START_TIMER', timer: 'DELAY' }] };
      }
      return probe(0);
    case 'TIMEOUT':
      if (s.state === 'DELAY') return probe(0);
      if (s.state !== 'PROBING') return ignore(s);
      // 5.4.2: after the last NS, wait RetransTimer more before deciding.
      if (s.sent < transmits) return probe(s.sent);
      return { next: { state: 'SUCCEEDED', sent: s.sent }, actions: [{ type: 'SUCCEED' }] };
    case 'DUPLICATE':
      if (!running) return ignore(s);
      return {
        next: { state: 'DUPLICATE', sent: s.sent },
        actions: [{ type: 'STOP_TIMER' }, { type: 'FAIL' }],
      };
    case 'STOP':
      if (!running) return ignore(s);
      return { next: DAD_NONE, actions: [{ type: 'STOP_TIMER' }] };
  }
}
