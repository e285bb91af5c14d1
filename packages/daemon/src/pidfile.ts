import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { DaemonError } from './error';

/** A pid from a pid file's text ("123\n"); undefined when it is not one. */
export function parsePid(text: string): number | undefined {
  const t = text.trim();
  if (!/^[0-9]{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  return n > 0 && n <= 0x7fffffff ? n : undefined;
}

/** kill(pid, 0): true when the process exists (EPERM means it exists but is not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid a pid file names, if it is readable and well formed. */
export function readPidFile(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return parsePid(text.slice(0, 64));
}

/**
 * Writes "<pid>\n" to `path` (mode 0644), created exclusively (O_EXCL, as
 * pidfile_open(3)): a file naming a live process other than us is a
 * DaemonError "already running"; a stale one (dead pid, garbage) is replaced.
 */
export function writePidFile(path: string, pid: number = process.pid): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new DaemonError(`${path}: cannot create pid file: ${(e as Error).message}`, 1);
      }
      const holder = readPidFile(path);
      if (holder !== undefined && holder !== pid && processAlive(holder)) {
        throw new DaemonError(`${path}: already running as pid ${holder}`, 1);
      }
      try {
        unlinkSync(path); // stale (or ours from an earlier life): replace it
      } catch (u) {
        if ((u as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new DaemonError(`${path}: cannot remove stale pid file: ${(u as Error).message}`, 1);
        }
      }
      continue; // another starter may race us to the O_EXCL create
    }
    try {
      writeSync(fd, `${pid}\n`);
    } finally {
      closeSync(fd);
    }
    return;
  }
  throw new DaemonError(`${path}: pid file keeps reappearing (another instance starting?)`, 1);
}

/**
 * Removes the pid file at exit. A file that now names another process (a
 * second instance took over a stale file) is left alone; `pid` says whose to remove.
 */
export function removePidFile(path: string, pid: number = process.pid): void {
  const holder = readPidFile(path);
  if (holder !== undefined && holder !== pid) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
