import {
  createLogger,
  formatLogLine,
  MemoryLog,
  severityLevel,
  syslogTimestamp,
  type LogRecord,
} from './logger';

// Local-time constructor: the expected text does not depend on the test machine's TZ.
const NOV_26_12_15_03 = new Date(2026, 10, 26, 12, 15, 3, 250).getTime();
const MAR_5_09_07_00 = new Date(2026, 2, 5, 9, 7, 0).getTime();

describe('logger', () => {
  it('BSD syslog line: "Mmm dd hh:mm:ss ident[pid]: message"', () => {
    const lines: string[] = [];
    const log = createLogger({
      ident: 'rtadvd',
      pid: 123,
      clock: { now: () => NOV_26_12_15_03 },
      sink: (_r, line) => lines.push(line),
    });
    log.notice('<main> starting');
    expect(lines).toEqual(['Nov 26 12:15:03 rtadvd[123]: <main> starting\n']);
  });

  it('day of month is space-padded as in ctime(3); no pid without LOG_PID', () => {
    expect(syslogTimestamp(MAR_5_09_07_00)).toBe('Mar  5 09:07:00');
    expect(formatLogLine('rtsold', undefined, MAR_5_09_07_00, 'x')).toBe('Mar  5 09:07:00 rtsold: x\n');
  });

  it('a message with newlines stays one line', () => {
    expect(formatLogLine('route6d', 9, MAR_5_09_07_00, 'a\nb\r\nc')).toBe(
      'Mar  5 09:07:00 route6d[9]: a b c\n',
    );
  });

  it('records carry severity, message and clock time', () => {
    const mem = new MemoryLog();
    let t = 1000;
    const log = createLogger({ ident: 'x', clock: { now: () => t }, sink: mem.sink });
    log.err('e');
    t = 2000;
    log.debug('d');
    expect(mem.records).toEqual<LogRecord[]>([
      { severity: 'err', message: 'e', time: 1000 },
      { severity: 'debug', message: 'd', time: 2000 },
    ]);
  });

  it('setlogmask(LOG_UPTO(LOG_ERR)): the KAME default passes err and above only', () => {
    const mem = new MemoryLog();
    const log = createLogger({ ident: 'rtadvd', upto: 'err', clock: { now: () => 0 }, sink: mem.sink });
    log.log('crit', 'c');
    log.err('e');
    log.warning('w');
    log.notice('n');
    log.info('i');
    log.debug('d');
    expect(mem.messages()).toEqual(['c', 'e']);
  });

  it('-d = LOG_UPTO(LOG_INFO), -D = LOG_UPTO(LOG_DEBUG): setUpto changes the mask at run time', () => {
    const mem = new MemoryLog();
    const log = createLogger({ ident: 'rtadvd', upto: 'err', clock: { now: () => 0 }, sink: mem.sink });
    log.setUpto('info');
    log.info('i1');
    log.debug('d1');
    log.setUpto('debug');
    log.debug('d2');
    log.setUpto('notice');
    log.info('i2');
    log.notice('n');
    expect(mem.messages()).toEqual(['i1', 'd2', 'n']);
  });

  it('without a mask everything passes (syslog before setlogmask)', () => {
    const mem = new MemoryLog();
    const log = createLogger({ ident: 'x', clock: { now: () => 0 }, sink: mem.sink });
    log.debug('d');
    log.log('emerg', 'm');
    expect(mem.messages()).toEqual(['d', 'm']);
  });

  it('MemoryLog.messages(atLeast) filters by severity; the log is bounded', () => {
    const mem = new MemoryLog(3);
    const log = createLogger({ ident: 'x', clock: { now: () => 0 }, sink: mem.sink });
    log.info('a');
    log.err('b');
    log.warning('c');
    log.debug('d');
    expect(mem.records).toHaveLength(3);
    expect(mem.messages()).toEqual(['b', 'c', 'd']);
    expect(mem.messages('warning')).toEqual(['b', 'c']);
    expect(mem.lines[0]).toMatch(/ x: b\n$/);
  });

  it('severity numbers follow <sys/syslog.h>', () => {
    expect(severityLevel('emerg')).toBe(0);
    expect(severityLevel('err')).toBe(3);
    expect(severityLevel('debug')).toBe(7);
    expect(() => severityLevel('loud' as never)).toThrow(RangeError);
  });
});
