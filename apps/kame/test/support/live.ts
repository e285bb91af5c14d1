import { execFile, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The built programs the live tests run. */
export const KERNEL = join(__dirname, '..', '..', '..', 'kernel', 'dist', 'main.js');
export const KAME = join(__dirname, '..', '..', 'dist', 'main.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `kame` CLI. */
export function kameProcess(args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [KAME, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Polls `pred` every 50 ms for at most `ms`. */
export async function waitFor(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM each kernel still running and wait for it to exit. */
export async function stopKernels(kernels: readonly ChildProcess[]): Promise<void> {
  for (const k of kernels) {
    if (k.exitCode !== null || k.signalCode !== null) continue;
    const exited = new Promise((r) => k.once('exit', r));
    k.kill('SIGTERM');
    await exited;
  }
}

/**
 * `kame --node SOCK ping6 -c 2 -i 0.2 TARGET`, retried for up to 15 s while
 * DAD (up to ~2 s) finishes on the far side; the last result.
 */
export async function pingUntilAnswered(sock: string, target: string): Promise<RunResult> {
  let last: RunResult = { code: 1, stdout: '', stderr: '' };
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    last = await kameProcess(['--node', sock, 'ping6', '-c', '2', '-i', '0.2', target]);
    if (last.code === 0) break;
  }
  return last;
}
