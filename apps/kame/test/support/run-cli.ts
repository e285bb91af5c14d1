import { run } from '../../src/cli';

/** `kame ARGV` in this process, output captured; `rundir` (when given) becomes KAME_RUNDIR. */
export async function runCli(
  argv: readonly string[],
  rundir?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    ...(rundir !== undefined ? { env: { ...process.env, KAME_RUNDIR: rundir } } : {}),
  });
  return { code, stdout, stderr };
}

/** Polls `ok` every 100 ms for at most `ms`; the error carries `detail()`. */
export async function until(what: string, ok: () => boolean, ms: number, detail = () => ''): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
