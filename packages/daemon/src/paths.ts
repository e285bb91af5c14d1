import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRundir } from '@kame/kernel-api';

export interface DaemonPaths {
  /** <rundir>/<node>.<prog>.pid (KAME's /var/run/<prog>.pid) */
  readonly pidFile: string;
  /** <rundir>/<node>.<prog>.dump (written on SIGUSR1) */
  readonly dumpFile: string;
  /** <rundir>/<node>.<prog>.ctl (rtadvctl-style control socket) */
  readonly controlSocket: string;
  /** <rundir>/<node>.<prog>.log (where a detached daemon logs) */
  readonly logFile: string;
}

function checkName(what: string, s: string): void {
  if (s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\0')) {
    throw new RangeError(`bad ${what} ${JSON.stringify(s)} for a run file name`);
  }
}

/**
 * A daemon's files for one kernel node. Several nodes share a rundir (one per
 * user, the kernel's), so the node name is part of every file name where KAME
 * had a single /var/run/<prog>.*. `node` is a node name, not a socket path
 * (see nodeNameOf for `--node PATH`). The rundir is created 0700 if missing.
 */
export function daemonPaths(prog: string, node: string, env: NodeJS.ProcessEnv = process.env): DaemonPaths {
  checkName('program name', prog);
  checkName('node name', node);
  const rundir = defaultRundir(env);
  ensureRundir(rundir);
  const base = join(rundir, `${node}.${prog}`);
  return {
    pidFile: `${base}.pid`,
    dumpFile: `${base}.dump`,
    controlSocket: `${base}.ctl`,
    logFile: `${base}.log`,
  };
}

/** mkdir -m 0700 when missing; an existing directory keeps its mode (as the kernel's listener does). */
export function ensureRundir(dir: string): void {
  // umask may narrow the mode of a directory we just created, so chmod it.
  if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dir, 0o700);
}
