import type { MacAddress } from '@kame/addr';

/** RFC 4861 7.3.2: the reachability states of a Neighbor Cache entry. */
export type NeighborState = 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE';

/** 'NONE' stands for "no entry" (Appendix C's "-"), before creation or after deletion. */
export type NeighborStateOrNone = NeighborState | 'NONE';

/** The ND messages other than NA that carry a link-layer address of their sender/target. */
export type NdMessageKind = 'NS' | 'RS' | 'RA' | 'REDIRECT';

export type NeighborEvent =
  /** A packet is handed to the output path for this neighbor. */
  | { readonly type: 'PACKET_TO_SEND' }
  /** The RetransTimer of an INCOMPLETE or PROBE entry expired. */
  | { readonly type: 'RETRANS_TIMEOUT' }
  /** ReachableTime passed since the last confirmation. */
  | { readonly type: 'REACHABLE_TIMEOUT' }
  /** DELAY_FIRST_PROBE_TIME passed in DELAY. */
  | { readonly type: 'DELAY_TIMEOUT' }
  /** Upper-layer hint of forward progress (RFC 4861 7.3.1), e.g. a new TCP ack. */
  | { readonly type: 'UPPER_LAYER_CONFIRMATION' }
  /** A valid NA for this target (RFC 4861 7.2.5). */
  | {
      readonly type: 'NA';
      readonly lladdr: MacAddress | undefined;
      readonly router: boolean;
      readonly solicited: boolean;
      readonly override: boolean;
    }
  /**
   * NS/RS/RA (source link-layer address) or Redirect (target link-layer
   * address), RFC 4861 7.2.3, 6.2.6, 6.3.4, 8.3. `isRouter` undefined leaves
   * the flag as the message kind dictates.
   */
  | {
      readonly type: 'ND_MESSAGE';
      readonly kind: NdMessageKind;
      readonly lladdr: MacAddress | undefined;
      readonly isRouter?: boolean;
    };

export type NeighborAction =
  | { readonly type: 'QUEUE_PACKET' }
  | { readonly type: 'SEND_PACKET' }
  | { readonly type: 'SEND_QUEUED' }
  | { readonly type: 'SEND_MULTICAST_NS' }
  | { readonly type: 'SEND_UNICAST_NS' }
  | { readonly type: 'START_RETRANS_TIMER' }
  | { readonly type: 'START_DELAY_TIMER' }
  | { readonly type: 'START_REACHABLE_TIMER' }
  | { readonly type: 'STOP_TIMER' }
  /** INCOMPLETE gave up: discard entry, report queued packets (RFC 4861 7.2.2). */
  | { readonly type: 'RESOLUTION_FAILED' }
  /** PROBE gave up (RFC 4861 7.3.3): the entry SHOULD be deleted. */
  | { readonly type: 'DELETE_ENTRY' }
  | { readonly type: 'ISROUTER_CHANGED'; readonly wasRouter: boolean }
  /** The message is discarded and the entry unchanged. */
  | { readonly type: 'IGNORE' };

/** What the transition function knows about an entry (or its absence). */
export interface NeighborSnapshot {
  readonly state: NeighborStateOrNone;
  readonly lladdr: MacAddress | undefined;
  readonly isRouter: boolean;
  /** Solicitations sent in the current INCOMPLETE or PROBE episode. */
  readonly probes: number;
  /** Packets waiting for resolution. */
  readonly queued: number;
}

export interface TransitionLimits {
  readonly maxMulticastSolicit: number;
  readonly maxUnicastSolicit: number;
  readonly linkHasAddresses: boolean;
}

export interface Transition {
  readonly next: NeighborSnapshot;
  readonly actions: readonly NeighborAction[];
}

export const NO_ENTRY: NeighborSnapshot = {
  state: 'NONE',
  lladdr: undefined,
  isRouter: false,
  probes: 0,
  queued: 0,
};

function sameLladdr(a: MacAddress | undefined, b: MacAddress | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.equals(b);
}

function routerFlag(
  s: NeighborSnapshot,
  isRouter: boolean,
  actions: NeighborAction[],
): { readonly isRouter: boolean } {
  // RFC 4861 7.2.5: a TRUE -> FALSE change removes the default router; the
  // caller learns of every change and decides.
  if (s.state !== 'NONE' && s.isRouter !== isRouter)
    actions.push({ type: 'ISROUTER_CHANGED', wasRouter: s.isRouter });
  return { isRouter };
}

/**
 * Sending the queued packets of a freshly resolved entry is "sending a
 * packet": in STALE that starts NUD (RFC 4861 7.3.3), so the entry goes to
 * DELAY. With nothing queued it stays STALE, as Appendix C lists it.
 */
function flushInto(state: NeighborState, s: NeighborSnapshot, actions: NeighborAction[]): NeighborState {
  if (s.queued === 0) return state;
  actions.push({ type: 'SEND_QUEUED' });
  if (state === 'STALE') {
    actions.push({ type: 'START_DELAY_TIMER' });
    return 'DELAY';
  }
  return state;
}

/**
 * The Neighbor Cache state machine of RFC 4861 7.2-7.3 and Appendix C as one
 * pure function. The caller owns timers, queues and I/O and performs the
 * returned actions in order; `next.state === 'NONE'` means the entry is gone.
 */
export function neighborTransition(
  s: NeighborSnapshot,
  e: NeighborEvent,
  limits: TransitionLimits,
): Transition {
  const actions: NeighborAction[] = [];
  const done = (next: Partial<NeighborSnapshot>): Transition => ({ next: { ...s, ...next }, actions });
  const ignore = (): Transition => ({ next: s, actions: [{ type: 'IGNORE' }] });

  switch (e.type) {
    case 'PACKET_TO_SEND':
      switch (s.state) {
        case 'NONE':
          if (!limits.linkHasAddresses) {
            // IMPLEMENTATION 1.2 (2): nothing to resolve; the entry exists for
            // NUD and IsRouter, and this first use starts NUD at once.
            actions.push({ type: 'SEND_PACKET' }, { type: 'START_DELAY_TIMER' });
            return done({ state: 'DELAY', probes: 0, queued: 0 });
          }
          // RFC 4861 7.2.2: create INCOMPLETE, queue, multicast NS, start timer.
          actions.push(
            { type: 'QUEUE_PACKET' },
            { type: 'SEND_MULTICAST_NS' },
            { type: 'START_RETRANS_TIMER' },
          );
          return done({ state: 'INCOMPLETE', probes: 1, queued: 1 });
        case 'INCOMPLETE':
          // RFC 4861 7.2.2: at most one NS per RetransTimer; just queue.
          actions.push({ type: 'QUEUE_PACKET' });
          return done({ queued: s.queued + 1 });
        case 'STALE':
          // RFC 4861 7.3.3: first use of a STALE entry.
          actions.push({ type: 'SEND_PACKET' }, { type: 'START_DELAY_TIMER' });
          return done({ state: 'DELAY' });
        case 'REACHABLE':
        case 'DELAY':
        case 'PROBE':
          actions.push({ type: 'SEND_PACKET' });
          return done({});
      }
      break;

    case 'RETRANS_TIMEOUT':
      if (s.state === 'INCOMPLETE') {
        if (s.probes < limits.maxMulticastSolicit) {
          actions.push({ type: 'SEND_MULTICAST_NS' }, { type: 'START_RETRANS_TIMER' });
          return done({ probes: s.probes + 1 });
        }
        actions.push({ type: 'RESOLUTION_FAILED' });
        return done({ ...NO_ENTRY });
      }
      if (s.state === 'PROBE') {
        if (s.probes < limits.maxUnicastSolicit) {
          actions.push({ type: 'SEND_UNICAST_NS' }, { type: 'START_RETRANS_TIMER' });
          return done({ probes: s.probes + 1 });
        }
        actions.push({ type: 'DELETE_ENTRY' });
        return done({ ...NO_ENTRY });
      }
      return ignore();

    case 'REACHABLE_TIMEOUT':
      if (s.state !== 'REACHABLE') return ignore();
      // RFC 4861 7.3.3: REACHABLE -> STALE after ReachableTime.
      actions.push({ type: 'STOP_TIMER' });
      return done({ state: 'STALE' });

    case 'DELAY_TIMEOUT':
      if (s.state !== 'DELAY') return ignore();
      // RFC 4861 7.3.3: DELAY -> PROBE, first unicast probe.
      actions.push({ type: 'SEND_UNICAST_NS' }, { type: 'START_RETRANS_TIMER' });
      return done({ state: 'PROBE', probes: 1 });

    case 'UPPER_LAYER_CONFIRMATION':
      // RFC 4861 7.3.1; Appendix C "!INCOMPLETE, upper-layer confirmation".
      if (s.state === 'NONE' || s.state === 'INCOMPLETE') return ignore();
      actions.push({ type: 'START_REACHABLE_TIMER' });
      return done({ state: 'REACHABLE', probes: 0 });

    case 'NA':
      return naTransition(s, e, limits, actions, done, ignore);

    case 'ND_MESSAGE':
      return ndMessageTransition(s, e, limits, actions, done, ignore);
  }
  return ignore();
}

type Done = (next: Partial<NeighborSnapshot>) => Transition;

function naTransition(
  s: NeighborSnapshot,
  e: Extract<NeighborEvent, { type: 'NA' }>,
  limits: TransitionLimits,
  actions: NeighborAction[],
  done: Done,
  ignore: () => Transition,
): Transition {
  // RFC 4861 7.2.5: no entry -> silently discard, no need to create one.
  if (s.state === 'NONE') return ignore();

  if (s.state === 'INCOMPLETE') {
    // RFC 4861 7.2.5: without a TLLA on a link with addresses, discard.
    if (e.lladdr === undefined && limits.linkHasAddresses) return ignore();
    // Override is ignored here; Solicited picks REACHABLE or STALE.
    const flags = routerFlag(s, e.router, actions);
    let state: NeighborState;
    if (e.solicited) {
      actions.push({ type: 'START_REACHABLE_TIMER' });
      state = 'REACHABLE';
    } else {
      actions.push({ type: 'STOP_TIMER' });
      state = 'STALE';
    }
    state = flushInto(state, s, actions);
    return done({ state, lladdr: e.lladdr, probes: 0, queued: 0, ...flags });
  }

  const differs = e.lladdr !== undefined && !sameLladdr(e.lladdr, s.lladdr);
  if (!e.override && differs) {
    // RFC 4861 7.2.5 (a)/(b): REACHABLE -> STALE and nothing else; otherwise ignore.
    if (s.state !== 'REACHABLE') return ignore();
    actions.push({ type: 'STOP_TIMER' });
    return done({ state: 'STALE' });
  }

  // Override set, or same address, or no TLLA: the NA updates the entry.
  const flags = routerFlag(s, e.router, actions);
  const lladdr = differs ? e.lladdr : s.lladdr;
  if (e.solicited) {
    actions.push({ type: 'START_REACHABLE_TIMER' });
    return done({ state: 'REACHABLE', lladdr, probes: 0, ...flags });
  }
  if (differs) {
    actions.push({ type: 'STOP_TIMER' });
    return done({ state: 'STALE', lladdr, probes: 0, ...flags });
  }
  return done({ ...flags });
}

function newEntryRouterFlag(e: Extract<NeighborEvent, { type: 'ND_MESSAGE' }>, current: boolean): boolean {
  if (e.isRouter !== undefined) return e.isRouter;
  switch (e.kind) {
    case 'RA':
      return true; // RFC 4861 6.3.4: the sender is a router
    case 'RS':
      return false; // RFC 4861 6.2.6: IsRouter MUST be set to FALSE
    case 'NS':
    case 'REDIRECT':
      return current; // RFC 4861 7.2.3 / 8.3: new entry FALSE, existing unchanged
  }
}

function ndMessageTransition(
  s: NeighborSnapshot,
  e: Extract<NeighborEvent, { type: 'ND_MESSAGE' }>,
  limits: TransitionLimits,
  actions: NeighborAction[],
  done: Done,
  ignore: () => Transition,
): Transition {
  const isRouter = newEntryRouterFlag(e, s.state === 'NONE' ? false : s.isRouter);

  if (s.state === 'NONE') {
    if (e.lladdr !== undefined || !limits.linkHasAddresses) {
      // RFC 4861 7.2.3 / 6.3.4 / 8.3: a created entry is STALE. Without
      // link-layer addresses the entry still carries IsRouter (IMPLEMENTATION 1.2 (2)).
      return done({ state: 'STALE', lladdr: e.lladdr, isRouter, probes: 0, queued: 0 });
    }
    if (e.kind === 'REDIRECT') {
      // IMPLEMENTATION 1.2 (1): a Redirect without TLLA names a next hop we
      // are about to use and may carry IsRouter, so create the entry and
      // resolve it now; it is bounded by the normal resolution failure.
      actions.push({ type: 'SEND_MULTICAST_NS' }, { type: 'START_RETRANS_TIMER' });
      return done({ state: 'INCOMPLETE', lladdr: undefined, isRouter, probes: 1, queued: 0 });
    }
    // IMPLEMENTATION 1.2 (1): unsolicited NS/RS/RA without a link-layer
    // address and no entry: there is nothing to record, create nothing.
    return ignore();
  }

  const flags = routerFlag(s, isRouter, actions);
  if (e.lladdr === undefined || sameLladdr(e.lladdr, s.lladdr)) {
    // No address or the same one: only IsRouter may change (Appendix C "unchanged").
    return done({ ...flags });
  }
  if (s.state === 'INCOMPLETE') {
    // Appendix C: record link-layer address, send queued packets, STALE.
    actions.push({ type: 'STOP_TIMER' });
    const state = flushInto('STALE', s, actions);
    return done({ state, lladdr: e.lladdr, probes: 0, queued: 0, ...flags });
  }
  // Appendix C: different link-layer address than cached -> update, STALE.
  actions.push({ type: 'STOP_TIMER' });
  return done({ state: 'STALE', lladdr: e.lladdr, probes: 0, ...flags });
}
