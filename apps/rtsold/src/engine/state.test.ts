import {
  initialVars,
  onceDone,
  transition,
  type IfEvent,
  type IfState,
  type IfVars,
  type MachineContext,
  type TimerChange,
} from './state';

const ctx = (mobility = false, delayUs = 123_456): MachineContext => ({
  ifname: 'em0',
  mobility,
  randomDelayUs: () => delayUs,
});

const vars = (o: Partial<IfVars> = {}): IfVars => ({
  ...initialVars(),
  active: true,
  mediareqok: true,
  ...o,
});

type TimerEvent = Extract<IfEvent, { kind: 'timer' }>;

const timer = (e: Partial<Omit<TimerEvent, 'kind'>> = {}): IfEvent => ({
  kind: 'timer',
  up: 'ready',
  active: true,
  elapsedSec: 1,
  ...e,
});

interface Row {
  name: string;
  from: IfVars;
  event: IfEvent;
  mobility?: boolean;
  state: IfState;
  actions: string[];
  timer: TimerChange;
  expect?: Partial<IfVars>;
}

const set = (ms: number): TimerChange => ({ kind: 'set', ms });

// One row per transition of reference 2.2 (K:rtsold/rtsold.c rtsol_check_timer / rtsol_timer_update).
const rows: Row[] = [
  {
    name: 'ifconfig: up with a ready link-local -> DELAY, random delay (RFC 4861 6.3.7)',
    from: initialVars(),
    event: { kind: 'start', up: 'ready', active: true, mediareqok: true },
    state: 'DELAY',
    actions: [],
    timer: set(123.456),
    expect: { probeinterval: 0, probetimer: 0, dadcount: 0 },
  },
  {
    name: 'ifconfig: link-local tentative -> TENTATIVE, 1 s check',
    from: initialVars(),
    event: { kind: 'start', up: 'tentative', active: true, mediareqok: true },
    state: 'TENTATIVE',
    actions: ['log'],
    timer: set(1000),
    expect: { dadcount: 1 },
  },
  {
    name: 'ifconfig: not IFF_UP -> set IFF_UP, stay DOWN, 1 s check',
    from: initialVars(),
    event: { kind: 'start', up: 'notUp', active: true, mediareqok: true },
    state: 'DOWN',
    actions: ['setUp', 'log'],
    timer: set(1000),
    expect: { dadcount: 1 },
  },
  {
    name: 'ifconfig: no carrier detection -> periodic probe interval 60 s',
    from: initialVars(),
    event: { kind: 'start', up: 'ready', active: true, mediareqok: false },
    state: 'DELAY',
    actions: [],
    timer: set(123.456),
    expect: { probeinterval: 60, probetimer: 60, mediareqok: false },
  },
  {
    name: 'DOWN timer: link-local duplicated -> DOWN',
    from: vars({ state: 'DOWN', dadcount: 1 }),
    event: timer({ up: 'duplicated' }),
    state: 'DOWN',
    actions: ['log'],
    timer: set(1000),
    expect: { dadcount: 2 },
  },
  {
    name: 'DOWN timer: no link-local yet -> DOWN',
    from: vars({ state: 'DOWN', dadcount: 3 }),
    event: timer({ up: 'noLinkLocal' }),
    state: 'DOWN',
    actions: ['log'],
    timer: set(1000),
    expect: { dadcount: 4 },
  },
  {
    name: 'DOWN timer: interface gone -> DOWN',
    from: vars({ state: 'DOWN' }),
    event: timer({ up: 'gone' }),
    state: 'DOWN',
    actions: ['log'],
    timer: set(1000),
  },
  {
    name: 'DOWN timer: ready -> DELAY',
    from: vars({ state: 'DOWN', dadcount: 2 }),
    event: timer({ up: 'ready' }),
    state: 'DELAY',
    actions: [],
    timer: set(123.456),
    expect: { dadcount: 2 },
  },
  {
    name: 'TENTATIVE timer: still tentative -> TENTATIVE, 1 s',
    from: vars({ state: 'TENTATIVE', dadcount: 5 }),
    event: timer({ up: 'tentative' }),
    state: 'TENTATIVE',
    actions: ['log'],
    timer: set(1000),
    expect: { dadcount: 6 },
  },
  {
    name: 'TENTATIVE timer: DADRETRY (10) checks done -> 60 s wait, dadcount reset',
    from: vars({ state: 'TENTATIVE', dadcount: 10 }),
    event: timer({ up: 'tentative' }),
    state: 'TENTATIVE',
    actions: ['log'],
    timer: set(60_000),
    expect: { dadcount: 0 },
  },
  {
    name: 'TENTATIVE timer: DAD failed -> DOWN',
    from: vars({ state: 'TENTATIVE', dadcount: 4 }),
    event: timer({ up: 'duplicated' }),
    state: 'DOWN',
    actions: ['log'],
    timer: set(1000),
  },
  {
    name: 'TENTATIVE timer: DAD done -> DELAY',
    from: vars({ state: 'TENTATIVE', dadcount: 4 }),
    event: timer({ up: 'ready' }),
    state: 'DELAY',
    actions: [],
    timer: set(123.456),
  },
  {
    name: 'RFC 4861 6.3.7: DELAY timer -> PROBE, first RS, RTR_SOLICITATION_INTERVAL',
    from: vars({ state: 'DELAY' }),
    event: timer(),
    state: 'PROBE',
    actions: ['sendRs'],
    timer: set(4000),
    expect: { probes: 1 },
  },
  {
    name: 'RFC 4861 6.3.7: PROBE timer, 1 RS sent -> second RS, 4 s',
    from: vars({ state: 'PROBE', probes: 1 }),
    event: timer(),
    state: 'PROBE',
    actions: ['sendRs'],
    timer: set(4000),
    expect: { probes: 2 },
  },
  {
    name: 'RFC 4861 6.3.7: PROBE timer, 2 RSs sent -> third RS, then MAX_RTR_SOLICITATION_DELAY',
    from: vars({ state: 'PROBE', probes: 2 }),
    event: timer(),
    state: 'PROBE',
    actions: ['sendRs'],
    timer: set(1000),
    expect: { probes: 3 },
  },
  {
    name: 'RFC 4861 6.3.7: PROBE timer, MAX_RTR_SOLICITATIONS sent -> IDLE, timer stopped',
    from: vars({ state: 'PROBE', probes: 3 }),
    event: timer(),
    state: 'IDLE',
    actions: ['log'],
    timer: { kind: 'stop' },
    expect: { probes: 0 },
  },
  {
    name: '-m: PROBE gives up -> IDLE polled every 3 s',
    from: vars({ state: 'PROBE', probes: 3 }),
    event: timer(),
    mobility: true,
    state: 'IDLE',
    actions: ['log'],
    timer: set(3000),
  },
  {
    name: 'RFC 4861 6.3.7: valid RA in PROBE -> IDLE, probes reset, timer stopped',
    from: vars({ state: 'PROBE', probes: 2 }),
    event: { kind: 'ra', other: false },
    state: 'IDLE',
    actions: [],
    timer: { kind: 'stop' },
    expect: { probes: 0, racnt: 1 },
  },
  {
    name: 'valid RA in DELAY: counted only',
    from: vars({ state: 'DELAY', racnt: 2 }),
    event: { kind: 'ra', other: false },
    state: 'DELAY',
    actions: [],
    timer: { kind: 'keep' },
    expect: { racnt: 3 },
  },
  {
    name: 'valid RA in IDLE: counted only',
    from: vars({ state: 'IDLE' }),
    event: { kind: 'ra', other: false },
    state: 'IDLE',
    actions: [],
    timer: { kind: 'keep' },
    expect: { racnt: 1 },
  },
  {
    name: 'RFC 4862 5.5.3: first RA with O -> other config on, script runs',
    from: vars({ state: 'PROBE', probes: 1 }),
    event: { kind: 'ra', other: true },
    state: 'IDLE',
    actions: ['log', 'runScript'],
    timer: { kind: 'stop' },
    expect: { otherconfig: true },
  },
  {
    name: 'RA with O while other config is on: no second script',
    from: vars({ state: 'IDLE', otherconfig: true, racnt: 1 }),
    event: { kind: 'ra', other: true },
    state: 'IDLE',
    actions: [],
    timer: { kind: 'keep' },
    expect: { otherconfig: true, racnt: 2 },
  },
  {
    name: '-m IDLE timer: link status changed -> DELAY, other config off, default routers probed',
    from: vars({ state: 'IDLE', active: false, otherconfig: true }),
    event: timer({ active: true, elapsedSec: 3 }),
    mobility: true,
    state: 'DELAY',
    actions: ['log', 'defrouterProbe'],
    timer: set(123.456),
    expect: { active: true, otherconfig: false },
  },
  {
    name: '-m IDLE timer: no change, carrier detection available -> IDLE, 3 s',
    from: vars({ state: 'IDLE', otherconfig: true }),
    event: timer({ elapsedSec: 3 }),
    mobility: true,
    state: 'IDLE',
    actions: [],
    timer: set(3000),
    expect: { otherconfig: true },
  },
  {
    name: '-m IDLE timer: no carrier detection, probe timer running -> IDLE, probe timer down by 3 s',
    from: vars({ state: 'IDLE', mediareqok: false, probeinterval: 60, probetimer: 60 }),
    event: timer({ elapsedSec: 3 }),
    mobility: true,
    state: 'IDLE',
    actions: [],
    timer: set(3000),
    expect: { probetimer: 57 },
  },
  {
    name: '-m IDLE timer: probe timer ran out -> PROBE (first RS 4 s later), probe timer rearmed',
    from: vars({ state: 'IDLE', mediareqok: false, probeinterval: 60, probetimer: 3, otherconfig: true }),
    event: timer({ elapsedSec: 3 }),
    mobility: true,
    state: 'PROBE',
    actions: ['defrouterProbe'],
    timer: set(4000),
    expect: { probetimer: 60, probes: 0, otherconfig: false },
  },
  {
    name: 'RTM_IFANNOUNCE departure -> DOWN, 1 s check',
    from: vars({ state: 'IDLE', racnt: 1 }),
    event: { kind: 'departure' },
    state: 'DOWN',
    actions: ['log'],
    timer: set(1000),
    expect: { racnt: 1, dadcount: 1 },
  },
];

describe('rtsold state machine (reference 2.2)', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const t = transition(r.from, r.event, ctx(r.mobility));
    expect(t.vars.state).toBe(r.state);
    expect(t.actions.map((a) => a.kind)).toEqual(r.actions);
    expect(t.timer).toEqual(r.timer);
    if (r.expect) expect(t.vars).toMatchObject(r.expect);
  });

  it('rtsold: PROBE gives up with "No answer after sending 3 RSs"', () => {
    const t = transition(vars({ state: 'PROBE', probes: 3 }), timer(), ctx());
    expect(t.actions).toContainEqual({
      kind: 'log',
      severity: 'info',
      message: '<rtsol_check_timer> No answer after sending 3 RSs',
    });
  });

  it('transition does not modify its input', () => {
    const from = Object.freeze(vars({ state: 'PROBE', probes: 1 }));
    transition(from, timer(), ctx());
    expect(from.probes).toBe(1);
  });

  it('reference 2.1: -1 is done when every non-DOWN interface has an RA', () => {
    const i = (state: IfState, racnt: number, timerArmed = true) => ({
      vars: vars({ state, racnt }),
      timerArmed,
    });
    expect(onceDone([i('IDLE', 1), i('DOWN', 0)])).toBe(true);
    expect(onceDone([i('IDLE', 1), i('PROBE', 0)])).toBe(false);
    expect(onceDone([i('TENTATIVE', 0)])).toBe(false);
    expect(onceDone([i('IDLE', 0, false)])).toBe(true);
    expect(onceDone([i('IDLE', 0, false), i('PROBE', 0, true)])).toBe(false);
  });
});
