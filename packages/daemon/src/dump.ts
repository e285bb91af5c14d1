import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync, chmodSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let sequence = 0;

/**
 * Writes a dump (SIGUSR1, KAME's fopen "w" of /var/run/<prog>.dump)
 * atomically: a temp file in the same directory, then rename, so a reader
 * never sees half a dump. Mode 0644.
 */
export function writeDumpFile(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${sequence++}.tmp`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, 0o644); // the umask may have narrowed it
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing left to clean
    }
    throw e;
  }
}
