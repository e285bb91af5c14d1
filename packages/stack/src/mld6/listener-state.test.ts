import {
  MLD_NON_LISTENER,
  mldListenerTransition,
  type MldListenerAction,
  type MldListenerEvent,
  type MldListenerSnapshot,
  type MldListenerState,
} from './listener-state';
import type { MldVersion } from './params';

const snap = (state: MldListenerState, lastReporter = false, timerRemaining?: number): MldListenerSnapshot =>
  state === 'NON_LISTENER' ? MLD_NON_LISTENER : { state, lastReporter, timerRemaining };
const NON = MLD_NON_LISTENER;
const DELAYING = (flag = true, left = 5000): MldListenerSnapshot => snap('DELAYING_LISTENER', flag, left);
const IDLE = (flag = true): MldListenerSnapshot => snap('IDLE_LISTENER', flag);

const START: MldListenerEvent = { type: 'START_LISTENING', delay: 1234 };
const STOP: MldListenerEvent = { type: 'STOP_LISTENING' };
const query = (maxResponseDelay: number, delay: number): MldListenerEvent => ({
  type: 'QUERY',
  maxResponseDelay,
  delay,
});
const REPORT: MldListenerEvent = { type: 'REPORT_RECEIVED' };
const EXPIRED: MldListenerEvent = { type: 'TIMER_EXPIRED' };
const COMPAT: MldListenerEvent = { type: 'COMPAT_MODE_CHANGED' };

type Row = [
  name: string,
  from: MldListenerSnapshot,
  event: MldListenerEvent,
  version: MldVersion,
  to: MldListenerState,
  actions: MldListenerAction['type'][],
  lastReporter: boolean,
  reportable?: boolean,
];

// RFC 2710 4's state transition diagram, edge by edge, then the MLDv2 host
// (RFC 3810 6.1-6.2, 8.2.1) and the never-reported groups (RFC 2710 5).
const rows: Row[] = [
  [
    'RFC 2710 4: Non-Listener, start listening -> send report, set flag, start timer',
    NON,
    START,
    1,
    'DELAYING_LISTENER',
    ['SEND_REPORT', 'START_TIMER'],
    true,
  ],
  [
    'RFC 2710 4: Delaying, stop listening, flag set -> stop timer, send done',
    DELAYING(true),
    STOP,
    1,
    'NON_LISTENER',
    ['STOP_TIMER', 'SEND_DONE'],
    false,
  ],
  [
    'RFC 2710 4: Delaying, stop listening, flag clear -> stop timer only',
    DELAYING(false),
    STOP,
    1,
    'NON_LISTENER',
    ['STOP_TIMER'],
    false,
  ],
  [
    'RFC 2710 4: Idle, stop listening, flag set -> send done',
    IDLE(true),
    STOP,
    1,
    'NON_LISTENER',
    ['SEND_DONE'],
    false,
  ],
  [
    'RFC 2710 4: Idle, stop listening, flag clear -> nothing sent',
    IDLE(false),
    STOP,
    1,
    'NON_LISTENER',
    [],
    false,
  ],
  [
    'RFC 2710 4: Idle, query received -> start timer',
    IDLE(false),
    query(10000, 700),
    1,
    'DELAYING_LISTENER',
    ['START_TIMER'],
    false,
  ],
  [
    'RFC 2710 4: Delaying, query with MRD < timer -> reset timer',
    DELAYING(true, 5000),
    query(1000, 300),
    1,
    'DELAYING_LISTENER',
    ['START_TIMER'],
    true,
  ],
  [
    'RFC 2710 4: Delaying, query with MRD >= timer -> unchanged',
    DELAYING(true, 5000),
    query(10000, 300),
    1,
    'DELAYING_LISTENER',
    ['IGNORE'],
    true,
  ],
  [
    'RFC 2710 4: Delaying, report received -> stop timer, clear flag',
    DELAYING(true),
    REPORT,
    1,
    'IDLE_LISTENER',
    ['STOP_TIMER'],
    false,
  ],
  [
    'RFC 2710 4: Idle, report received -> no transition',
    IDLE(true),
    REPORT,
    1,
    'IDLE_LISTENER',
    ['IGNORE'],
    true,
  ],
  [
    'RFC 2710 4: Delaying, timer expired -> send report, set flag',
    DELAYING(false),
    EXPIRED,
    1,
    'IDLE_LISTENER',
    ['SEND_REPORT'],
    true,
  ],
  ['RFC 2710 4: Non-Listener ignores queries', NON, query(10000, 5), 1, 'NON_LISTENER', ['IGNORE'], false],
  ['RFC 2710 4: Non-Listener ignores reports', NON, REPORT, 1, 'NON_LISTENER', ['IGNORE'], false],
  ['RFC 2710 5: ff02::1 starts Idle and sends nothing', NON, START, 1, 'IDLE_LISTENER', [], false, false],
  [
    'RFC 2710 5: ff02::1 ignores queries',
    IDLE(false),
    query(10000, 5),
    1,
    'IDLE_LISTENER',
    ['IGNORE'],
    false,
    false,
  ],
  ['RFC 2710 5: ff02::1 leaves without Done', IDLE(false), STOP, 1, 'NON_LISTENER', [], false, false],
  [
    'RFC 3810 6.1: join in MLDv2 mode -> State Change Report',
    NON,
    START,
    2,
    'IDLE_LISTENER',
    ['SEND_STATE_CHANGE'],
    false,
  ],
  [
    'RFC 3810 6.1: leave in MLDv2 mode -> State Change Report',
    IDLE(false),
    STOP,
    2,
    'NON_LISTENER',
    ['SEND_STATE_CHANGE'],
    false,
  ],
  [
    'RFC 3810 6.1: leave while delaying in MLDv2 mode',
    DELAYING(false),
    STOP,
    2,
    'NON_LISTENER',
    ['STOP_TIMER', 'SEND_STATE_CHANGE'],
    false,
  ],
  [
    'RFC 3810 6.2: group query in MLDv2 mode -> timer (earliest)',
    IDLE(false),
    query(10000, 40),
    2,
    'DELAYING_LISTENER',
    ['START_TIMER'],
    false,
  ],
  [
    'RFC 3810 6.2: second group query while delaying -> earliest kept by caller',
    DELAYING(false, 20),
    query(10000, 40),
    2,
    'DELAYING_LISTENER',
    ['START_TIMER'],
    false,
  ],
  [
    'RFC 3810 6: MLDv2 hosts do not suppress on reports',
    DELAYING(false),
    REPORT,
    2,
    'DELAYING_LISTENER',
    ['IGNORE'],
    false,
  ],
  [
    'RFC 3810 6.3: timer expired in MLDv2 mode -> current state record',
    DELAYING(false),
    EXPIRED,
    2,
    'IDLE_LISTENER',
    ['SEND_REPORT'],
    false,
  ],
  [
    'RFC 3810 8.2.1: mode change cancels a pending response',
    DELAYING(true),
    COMPAT,
    2,
    'IDLE_LISTENER',
    ['STOP_TIMER'],
    true,
  ],
  [
    'RFC 3810 8.2.1: mode change leaves an Idle group alone',
    IDLE(true),
    COMPAT,
    1,
    'IDLE_LISTENER',
    ['IGNORE'],
    true,
  ],
  [
    'RFC 2710 4: start listening twice is the caller refcount, ignored here',
    IDLE(true),
    START,
    1,
    'IDLE_LISTENER',
    ['IGNORE'],
    true,
  ],
  [
    'RFC 2710 4: stop listening without listening is ignored',
    NON,
    STOP,
    1,
    'NON_LISTENER',
    ['IGNORE'],
    false,
  ],
];

describe('mldListenerTransition (RFC 2710 4 state diagram, RFC 3810 6 / 8.2.1)', () => {
  it.each(rows)('%s', (_name, from, event, version, to, actions, lastReporter, reportable = true) => {
    const t = mldListenerTransition(from, event, { version, reportable });
    expect(t.next.state).toBe(to);
    expect(t.actions.map((a) => a.type)).toEqual(actions);
    expect(t.next.lastReporter).toBe(lastReporter);
  });

  it('RFC 2710 4: the join timer is the caller-drawn repeat delay', () => {
    const t = mldListenerTransition(NON, START, { version: 1, reportable: true });
    expect(t.actions).toContainEqual({ type: 'START_TIMER', delay: 1234, earliest: false });
    expect(t.next.timerRemaining).toBe(1234);
  });

  it('RFC 3810 6.2 rule 3: the snapshot keeps the earlier of the two deadlines', () => {
    const t = mldListenerTransition(DELAYING(false, 20), query(10000, 40), { version: 2, reportable: true });
    expect(t.next.timerRemaining).toBe(20);
  });

  it('every state leaves Delaying only with its timer stopped or fired', () => {
    for (const version of [1, 2] as const) {
      for (const e of [STOP, REPORT, COMPAT]) {
        const t = mldListenerTransition(DELAYING(), e, { version, reportable: true });
        if (t.next.state !== 'DELAYING_LISTENER') {
          expect(t.actions.map((a) => a.type)).toContain('STOP_TIMER');
          expect(t.next.timerRemaining).toBeUndefined();
        }
      }
    }
  });
});
