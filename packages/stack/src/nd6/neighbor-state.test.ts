import { MacAddress } from '@kame/addr';
import {
  NO_ENTRY,
  neighborTransition,
  type NeighborAction,
  type NeighborEvent,
  type NeighborSnapshot,
  type NeighborStateOrNone,
  type TransitionLimits,
} from './neighbor-state';

const OLD = MacAddress.parse('02:00:00:00:00:01');
const NEW = MacAddress.parse('02:00:00:00:00:02');
const LIMITS: TransitionLimits = { maxMulticastSolicit: 3, maxUnicastSolicit: 3, linkHasAddresses: true };

function entry(state: NeighborStateOrNone, extra: Partial<NeighborSnapshot> = {}): NeighborSnapshot {
  if (state === 'NONE') return { ...NO_ENTRY, ...extra };
  return {
    state,
    lladdr: state === 'INCOMPLETE' ? undefined : OLD,
    isRouter: false,
    probes: 0,
    queued: 0,
    ...extra,
  };
}

const na = (
  solicited: boolean,
  override: boolean,
  lladdr: MacAddress | undefined,
  router = false,
): NeighborEvent => ({
  type: 'NA',
  solicited,
  override,
  lladdr,
  router,
});
const msg = (kind: 'NS' | 'RS' | 'RA' | 'REDIRECT', lladdr: MacAddress | undefined): NeighborEvent => ({
  type: 'ND_MESSAGE',
  kind,
  lladdr,
});

type Row = [
  name: string,
  from: NeighborSnapshot,
  event: NeighborEvent,
  to: NeighborStateOrNone,
  actions: NeighborAction['type'][],
  lladdr?: MacAddress | undefined,
];

const RESOLVED = ['REACHABLE', 'STALE', 'DELAY', 'PROBE'] as const;

// RFC 4861 Appendix C, row by row (plus the seed corner cases).
const rows: Row[] = [
  [
    '-, packet to send -> INCOMPLETE, multicast NS',
    entry('NONE'),
    { type: 'PACKET_TO_SEND' },
    'INCOMPLETE',
    ['QUEUE_PACKET', 'SEND_MULTICAST_NS', 'START_RETRANS_TIMER'],
  ],
  [
    'INCOMPLETE, packet to send -> queue only',
    entry('INCOMPLETE', { probes: 1, queued: 1 }),
    { type: 'PACKET_TO_SEND' },
    'INCOMPLETE',
    ['QUEUE_PACKET'],
  ],
  [
    'INCOMPLETE, retransmit timeout < N -> retransmit',
    entry('INCOMPLETE', { probes: 2 }),
    { type: 'RETRANS_TIMEOUT' },
    'INCOMPLETE',
    ['SEND_MULTICAST_NS', 'START_RETRANS_TIMER'],
  ],
  [
    'INCOMPLETE, retransmit timeout >= N -> discard, ICMP error',
    entry('INCOMPLETE', { probes: 3 }),
    { type: 'RETRANS_TIMEOUT' },
    'NONE',
    ['RESOLUTION_FAILED'],
  ],
  ['INCOMPLETE, NA S=0 -> STALE', entry('INCOMPLETE'), na(false, false, NEW), 'STALE', ['STOP_TIMER'], NEW],
  [
    'INCOMPLETE, NA S=0 O=1 -> STALE (Override ignored)',
    entry('INCOMPLETE'),
    na(false, true, NEW),
    'STALE',
    ['STOP_TIMER'],
    NEW,
  ],
  [
    'INCOMPLETE, NA S=1 -> REACHABLE, send queued',
    entry('INCOMPLETE', { queued: 1 }),
    na(true, false, NEW),
    'REACHABLE',
    ['START_REACHABLE_TIMER', 'SEND_QUEUED'],
    NEW,
  ],
  [
    'INCOMPLETE, NA S=0 with queued packets -> sent, STALE first use -> DELAY',
    entry('INCOMPLETE', { queued: 1 }),
    na(false, true, NEW),
    'DELAY',
    ['STOP_TIMER', 'SEND_QUEUED', 'START_DELAY_TIMER'],
    NEW,
  ],
  [
    'INCOMPLETE, NA without TLLA -> discarded',
    entry('INCOMPLETE'),
    na(true, true, undefined),
    'INCOMPLETE',
    ['IGNORE'],
  ],
  ['-, NA -> discarded, no entry created', entry('NONE'), na(true, true, NEW), 'NONE', ['IGNORE']],
  [
    'REACHABLE, NA O=0 different lladdr -> STALE, address kept',
    entry('REACHABLE'),
    na(true, false, NEW),
    'STALE',
    ['STOP_TIMER'],
    OLD,
  ],
  ...(['STALE', 'DELAY', 'PROBE'] as const).map((s): Row => [
    `${s}, NA O=0 different lladdr -> unchanged`,
    entry(s),
    na(true, false, NEW),
    s,
    ['IGNORE'],
    OLD,
  ]),
  ...RESOLVED.map((s): Row => [
    `${s}, NA S=1 O=0 same lladdr -> REACHABLE`,
    entry(s),
    na(true, false, OLD),
    'REACHABLE',
    ['START_REACHABLE_TIMER'],
    OLD,
  ]),
  ...RESOLVED.map((s): Row => [
    `${s}, NA S=1 O=1 different lladdr -> REACHABLE, recorded`,
    entry(s),
    na(true, true, NEW),
    'REACHABLE',
    ['START_REACHABLE_TIMER'],
    NEW,
  ]),
  ...RESOLVED.map((s): Row => [
    `${s}, NA S=1 no TLLA -> REACHABLE`,
    entry(s),
    na(true, false, undefined),
    'REACHABLE',
    ['START_REACHABLE_TIMER'],
    OLD,
  ]),
  ...RESOLVED.map((s): Row => [
    `${s}, NA S=0 O=1 different lladdr -> STALE, recorded`,
    entry(s),
    na(false, true, NEW),
    'STALE',
    ['STOP_TIMER'],
    NEW,
  ]),
  ...RESOLVED.map((s): Row => [
    `${s}, NA S=0 same lladdr -> unchanged`,
    entry(s),
    na(false, true, OLD),
    s,
    [],
    OLD,
  ]),
  ...RESOLVED.map((s): Row => [
    `${s}, upper-layer confirmation -> REACHABLE`,
    entry(s),
    { type: 'UPPER_LAYER_CONFIRMATION' },
    'REACHABLE',
    ['START_REACHABLE_TIMER'],
  ]),
  [
    'INCOMPLETE, upper-layer confirmation -> ignored',
    entry('INCOMPLETE'),
    { type: 'UPPER_LAYER_CONFIRMATION' },
    'INCOMPLETE',
    ['IGNORE'],
  ],
  ['REACHABLE, timeout -> STALE', entry('REACHABLE'), { type: 'REACHABLE_TIMEOUT' }, 'STALE', ['STOP_TIMER']],
  [
    'STALE, sending packet -> DELAY',
    entry('STALE'),
    { type: 'PACKET_TO_SEND' },
    'DELAY',
    ['SEND_PACKET', 'START_DELAY_TIMER'],
  ],
  [
    'REACHABLE, sending packet -> unchanged',
    entry('REACHABLE'),
    { type: 'PACKET_TO_SEND' },
    'REACHABLE',
    ['SEND_PACKET'],
  ],
  [
    'DELAY, delay timeout -> PROBE, unicast NS',
    entry('DELAY'),
    { type: 'DELAY_TIMEOUT' },
    'PROBE',
    ['SEND_UNICAST_NS', 'START_RETRANS_TIMER'],
  ],
  [
    'PROBE, retransmit timeout < N -> retransmit',
    entry('PROBE', { probes: 1 }),
    { type: 'RETRANS_TIMEOUT' },
    'PROBE',
    ['SEND_UNICAST_NS', 'START_RETRANS_TIMER'],
  ],
  [
    'PROBE, retransmit timeout >= N -> discard entry',
    entry('PROBE', { probes: 3 }),
    { type: 'RETRANS_TIMEOUT' },
    'NONE',
    ['DELETE_ENTRY'],
  ],
  ...(['NS', 'RS', 'RA', 'REDIRECT'] as const).map((k): Row => [
    `-, ${k} with lladdr -> STALE`,
    entry('NONE'),
    msg(k, NEW),
    'STALE',
    [],
    NEW,
  ]),
  ...(['NS', 'RS', 'RA'] as const).map((k): Row => [
    `-, ${k} without lladdr -> nothing (IMPLEMENTATION 1.2 (1))`,
    entry('NONE'),
    msg(k, undefined),
    'NONE',
    ['IGNORE'],
  ]),
  [
    '-, Redirect without TLLA -> INCOMPLETE, multicast NS (IMPLEMENTATION 1.2 (1))',
    entry('NONE'),
    msg('REDIRECT', undefined),
    'INCOMPLETE',
    ['SEND_MULTICAST_NS', 'START_RETRANS_TIMER'],
  ],
  [
    'INCOMPLETE, NS with lladdr -> record, send queued, STALE -> DELAY',
    entry('INCOMPLETE', { queued: 1 }),
    msg('NS', NEW),
    'DELAY',
    ['STOP_TIMER', 'SEND_QUEUED', 'START_DELAY_TIMER'],
    NEW,
  ],
  [
    'INCOMPLETE, RA with lladdr, nothing queued -> STALE',
    entry('INCOMPLETE'),
    msg('RA', NEW),
    'STALE',
    ['ISROUTER_CHANGED', 'STOP_TIMER'],
    NEW,
  ],
  ...RESOLVED.map((s): Row => [
    `${s}, NS different lladdr -> update, STALE`,
    entry(s),
    msg('NS', NEW),
    'STALE',
    ['STOP_TIMER'],
    NEW,
  ]),
  ...RESOLVED.map((s): Row => [`${s}, NS same lladdr -> unchanged`, entry(s), msg('NS', OLD), s, [], OLD]),
  [
    'REACHABLE, Redirect without TLLA -> unchanged',
    entry('REACHABLE'),
    msg('REDIRECT', undefined),
    'REACHABLE',
    [],
    OLD,
  ],
];

describe('RFC 4861 Appendix C: neighborTransition table', () => {
  // Wrapped so jest never mistakes the optional last column for a done callback.
  it.each(rows.map((r) => [r[0], r] as const))('RFC 4861 Appendix C: %s', (_name, row) => {
    const [, from, event, to, actions, lladdr] = row;
    const t = neighborTransition(from, event, LIMITS);
    expect(t.next.state).toBe(to);
    expect(t.actions.map((a) => a.type)).toEqual(actions);
    if (lladdr !== undefined) expect(t.next.lladdr?.equals(lladdr)).toBe(true);
  });
});

describe('RFC 4861 7.2.5 / 6.2.6 / 6.3.4 / 8.3: IsRouter', () => {
  it('RFC 4861 7.2.5: NA R=0 on a router entry reports IsRouter TRUE -> FALSE', () => {
    const t = neighborTransition(entry('REACHABLE', { isRouter: true }), na(true, true, OLD, false), LIMITS);
    expect(t.next.isRouter).toBe(false);
    expect(t.actions).toContainEqual({ type: 'ISROUTER_CHANGED', wasRouter: true });
  });

  it('RFC 4861 7.2.5: an NA ignored for O=0 and a new lladdr does not touch IsRouter', () => {
    const t = neighborTransition(entry('REACHABLE', { isRouter: true }), na(true, false, NEW, false), LIMITS);
    expect(t.next.isRouter).toBe(true);
  });

  it('RFC 4861 6.3.4 / 6.2.6 / 7.2.3: RA sets, RS clears, NS keeps IsRouter', () => {
    expect(neighborTransition(entry('STALE'), msg('RA', OLD), LIMITS).next.isRouter).toBe(true);
    expect(neighborTransition(entry('STALE', { isRouter: true }), msg('RS', OLD), LIMITS).next.isRouter).toBe(
      false,
    );
    expect(neighborTransition(entry('STALE', { isRouter: true }), msg('NS', NEW), LIMITS).next.isRouter).toBe(
      true,
    );
    expect(neighborTransition(entry('NONE'), msg('NS', NEW), LIMITS).next.isRouter).toBe(false);
  });

  it('IMPLEMENTATION 1.2 (2): without link-layer addresses an RA creates an entry for IsRouter', () => {
    const t = neighborTransition(entry('NONE'), msg('RA', undefined), { ...LIMITS, linkHasAddresses: false });
    expect(t.next).toMatchObject({ state: 'STALE', isRouter: true, lladdr: undefined });
  });

  it('IMPLEMENTATION 1.2 (2): without link-layer addresses an NA without TLLA updates an entry', () => {
    const t = neighborTransition(entry('PROBE', { lladdr: undefined }), na(true, false, undefined, true), {
      ...LIMITS,
      linkHasAddresses: false,
    });
    expect(t.next).toMatchObject({ state: 'REACHABLE', isRouter: true });
  });
});
