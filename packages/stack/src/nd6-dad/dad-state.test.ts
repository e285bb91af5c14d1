import { DAD_NONE, dadTransition, type DadEvent, type DadSnapshot } from './dad-state';

const S = (state: DadSnapshot['state'], sent = 0): DadSnapshot => ({ state, sent });
const types = (t: ReturnType<typeof dadTransition>) => t.actions.map((a) => a.type);

describe('RFC 4862 5.4: DAD transition table', () => {
  const cases: Array<[string, DadSnapshot, DadEvent, number, string, number, string[]]> = [
    [
      'start, no delay',
      DAD_NONE,
      { type: 'START', delayed: false },
      1,
      'PROBING',
      1,
      ['SEND_NS', 'START_TIMER'],
    ],
    ['start, delayed', DAD_NONE, { type: 'START', delayed: true }, 1, 'DELAY', 0, ['START_TIMER']],
    ['start with transmits 0', DAD_NONE, { type: 'START', delayed: true }, 0, 'SUCCEEDED', 0, ['SUCCEED']],
    ['delay expires', S('DELAY'), { type: 'TIMEOUT' }, 1, 'PROBING', 1, ['SEND_NS', 'START_TIMER']],
    [
      'more probes to send',
      S('PROBING', 1),
      { type: 'TIMEOUT' },
      3,
      'PROBING',
      2,
      ['SEND_NS', 'START_TIMER'],
    ],
    ['wait after last probe ends', S('PROBING', 3), { type: 'TIMEOUT' }, 3, 'SUCCEEDED', 3, ['SUCCEED']],
    [
      'duplicate while probing',
      S('PROBING', 1),
      { type: 'DUPLICATE' },
      1,
      'DUPLICATE',
      1,
      ['STOP_TIMER', 'FAIL'],
    ],
    ['duplicate during delay', S('DELAY'), { type: 'DUPLICATE' }, 1, 'DUPLICATE', 0, ['STOP_TIMER', 'FAIL']],
    ['stop', S('PROBING', 1), { type: 'STOP' }, 1, 'NONE', 0, ['STOP_TIMER']],
    [
      'duplicate after success is ignored',
      S('SUCCEEDED', 1),
      { type: 'DUPLICATE' },
      1,
      'SUCCEEDED',
      1,
      ['IGNORE'],
    ],
    [
      'start while running is ignored',
      S('PROBING', 1),
      { type: 'START', delayed: false },
      1,
      'PROBING',
      1,
      ['IGNORE'],
    ],
    ['timeout with no run is ignored', DAD_NONE, { type: 'TIMEOUT' }, 1, 'NONE', 0, ['IGNORE']],
  ];
  it.each(cases)('RFC 4862 5.4: %s', (_name, s, e, n, state, sent, actions) => {
    const t = dadTransition(s, e, n);
    expect(t.next).toEqual({ state, sent });
    expect(types(t)).toEqual(actions);
  });
});
