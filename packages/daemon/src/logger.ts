/**
 * syslog(3)-style logging for the daemons: the eight RFC 5424 severities, a
 * setlogmask(LOG_UPTO(x)) filter, and BSD syslogd's line format
 * ("Nov 26 12:15:03 rtadvd[123]: message"). Where a line goes (stderr with
 * -f, the node's log file otherwise, memory in tests) is the sink's business.
 */
export type Severity = 'emerg' | 'alert' | 'crit' | 'err' | 'warning' | 'notice' | 'info' | 'debug';

/** LOG_EMERG (0) .. LOG_DEBUG (7), <sys/syslog.h> order. */
export const SEVERITIES: readonly Severity[] = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
];

/** The syslog priority number of a severity (LOG_ERR = 3). */
export function severityLevel(s: Severity): number {
  const n = SEVERITIES.indexOf(s);
  if (n < 0) throw new RangeError(`unknown syslog severity ${JSON.stringify(s)}`);
  return n;
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

export interface Logger {
  log(severity: Severity, message: string): void;
  err(m: string): void;
  warning(m: string): void;
  notice(m: string): void;
  info(m: string): void;
  debug(m: string): void;
  /** setlogmask(LOG_UPTO(severity)): messages less severe are dropped. */
  setUpto(severity: Severity): void;
}

export interface LogRecord {
  readonly severity: Severity;
  readonly message: string;
  /** clock.now() when logged (ms). */
  readonly time: number;
}

export interface LoggerOptions {
  /** openlog(3) ident: the program name ("rtadvd"). */
  ident: string;
  /** LOG_PID; omitted: no "[pid]" in the line. */
  pid?: number;
  /** Initial mask; default 'debug' (no mask, as syslog before any setlogmask). */
  upto?: Severity;
  /** Epoch milliseconds; the line shows local time. */
  clock: { now(): number };
  sink: (record: LogRecord, line: string) => void;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number): string => String(n).padStart(2, '0');

/** BSD syslog's timestamp, "Mmm dd hh:mm:ss" in local time (day space-padded, as ctime(3)). */
export function syslogTimestamp(epochMs: number): string {
  const d = new Date(epochMs);
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(
    d.getMinutes(),
  )}:${two(d.getSeconds())}`;
}

/** One log line, newline-terminated; embedded newlines are flattened so a line stays a line. */
export function formatLogLine(
  ident: string,
  pid: number | undefined,
  epochMs: number,
  message: string,
): string {
  const tag = pid === undefined ? ident : `${ident}[${pid}]`;
  return `${syslogTimestamp(epochMs)} ${tag}: ${message.replace(/\r?\n/g, ' ')}\n`;
}

export function createLogger(opts: LoggerOptions): Logger {
  let upto = severityLevel(opts.upto ?? 'debug');
  const log = (severity: Severity, message: string): void => {
    if (severityLevel(severity) > upto) return;
    const time = opts.clock.now();
    opts.sink({ severity, message, time }, formatLogLine(opts.ident, opts.pid, time, message));
  };
  return {
    log,
    err: (m) => log('err', m),
    warning: (m) => log('warning', m),
    notice: (m) => log('notice', m),
    info: (m) => log('info', m),
    debug: (m) => log('debug', m),
    setUpto(severity) {
      upto = severityLevel(severity);
    },
  };
}

/** A sink that keeps records (and lines) for tests. */
export class MemoryLog {
  readonly records: LogRecord[] = [];
  readonly lines: string[] = [];
  /** Bound on kept records; the oldest go first. */
  constructor(private readonly limit = 10_000) {}

  readonly sink = (r: LogRecord, line: string): void => {
    this.records.push(r);
    this.lines.push(line);
    if (this.records.length > this.limit) {
      this.records.shift();
      this.lines.shift();
    }
  };

  /** Messages at `atLeast` or more severe (default: all). */
  messages(atLeast: Severity = 'debug'): string[] {
    const n = severityLevel(atLeast);
    return this.records.filter((r) => severityLevel(r.severity) <= n).map((r) => r.message);
  }

  clear(): void {
    this.records.length = 0;
    this.lines.length = 0;
  }
}

/** A sink writing each line to a text stream (stderr for -f, a log file's append stream). */
export function streamSink(write: (s: string) => void): (record: LogRecord, line: string) => void {
  return (_r, line) => write(line);
}
