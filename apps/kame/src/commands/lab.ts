import type { CliIo } from '../cli';

/**
 * `kame lab up|status|exec|down|capture|graph ...` (issue 8). Runs without a
 * kernel connection of its own; resolves with the exit code.
 */
export async function labCommand(args: readonly string[], io: CliIo, json: boolean): Promise<number> {
  void json;
  io.stderr(`kame lab: not available yet (${args.join(' ')})\n`);
  return 2;
}
