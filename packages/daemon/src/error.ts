/**
 * A failure that ends the daemon with a chosen exit status (1 runtime or
 * KAME usage/config error, 2 usage error of the kame-only flags). main()
 * prints the message to stderr (or logs it) and exits with `exitCode`.
 */
export class DaemonError extends Error {
  override readonly name = 'DaemonError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
