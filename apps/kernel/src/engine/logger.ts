/** syslog(3) priorities, most severe first (the stack logs with the same names). */
export const LOG_LEVELS = ['err', 'warning', 'notice', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  log(level: LogLevel, message: string): void;
}

/**
 * A syslog-like line logger: "kame-kernel[PID]: LEVEL: message", written
 * when `level` is at least as severe as `minLevel`.
 */
export function lineLogger(minLevel: LogLevel, write: (line: string) => void, tag = 'kame-kernel'): Logger {
  const max = LOG_LEVELS.indexOf(minLevel);
  return {
    log(level, message) {
      if (LOG_LEVELS.indexOf(level) <= max) write(`${tag}: ${level}: ${message}\n`);
    },
  };
}
