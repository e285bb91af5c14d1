/**
 * A bad value for one key, before we know where it came from (file line or
 * command-line flag). `message` says what was wrong and what was expected.
 */
export class FieldError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldError';
  }
}

/** A node-file error: "FILE:LINE: KEY: what was wrong, what was expected" (exit 2). */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${key}: ${reason}`);
    this.name = 'ConfigError';
  }
}
