import { spawn } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { isAbsolute } from 'node:path';

/**
 * The -O other-configuration script (reference 2.3, call_script/safefile):
 * only an absolute path to a regular file owned by the user running rtsold,
 * not setuid, is run, as `script ifname`, with stdio on /dev/null; rtsold
 * waits for it to exit.
 */

/** S_ISUID */
const S_ISUID = 0o4000;

/** Why a script is refused, or undefined when it may run (KAME safefile). */
export function unsafeScriptReason(
  path: string,
  uid: number | undefined = process.getuid?.(),
): string | undefined {
  if (!isAbsolute(path)) return `${path}: not an absolute path`;
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    return `${path}: ${(e as NodeJS.ErrnoException).code ?? 'lstat failed'}`;
  }
  if (!st.isFile()) return `${path}: not a regular file`;
  if (uid !== undefined && st.uid !== uid) return `${path}: owned by uid ${st.uid}, not ${uid}`;
  if ((st.mode & S_ISUID) !== 0) return `${path}: setuid`;
  return undefined;
}

/** Runs `script ifname` and resolves when it exits 0; rejects on a refused file, exec failure or non-zero exit. */
export function runScript(script: string, ifname: string): Promise<void> {
  const unsafe = unsafeScriptReason(script);
  if (unsafe) return Promise.reject(new Error(`refused to run ${unsafe}`));
  return new Promise<void>((resolve, reject) => {
    let child;
    try {
      child = spawn(script, [ifname], { stdio: 'ignore' });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    child.once('error', (e) => reject(new Error(`cannot execute ${script}: ${e.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else if (signal) reject(new Error(`${script} killed by ${signal}`));
      else reject(new Error(`${script} exited with status ${code}`));
    });
  });
}
