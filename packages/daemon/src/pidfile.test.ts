import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DaemonError } from './error';
import { parsePid, processAlive, readPidFile, removePidFile, writePidFile } from './pidfile';

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('pid files', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kame-daemon-pid-'));
    path = join(dir, 'r1.rtadvd.pid');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes "<pid>\\n" with mode 0644', () => {
    writePidFile(path, 4242);
    expect(readFileSync(path, 'utf8')).toBe('4242\n');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(readPidFile(path)).toBe(4242);
  });

  it('defaults to our own pid', () => {
    writePidFile(path);
    expect(readPidFile(path)).toBe(process.pid);
  });

  it('a live holder: DaemonError "<path>: already running as pid N", exit 1, file untouched', () => {
    writeFileSync(path, `${process.pid}\n`);
    let err: unknown;
    try {
      writePidFile(path, 1_000_000);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DaemonError);
    expect((err as DaemonError).message).toBe(`${path}: already running as pid ${process.pid}`);
    expect((err as DaemonError).exitCode).toBe(1);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('a stale file (dead pid) is replaced', () => {
    const dead = deadPid();
    expect(processAlive(dead)).toBe(false);
    writeFileSync(path, `${dead}\n`);
    writePidFile(path, 777);
    expect(readFileSync(path, 'utf8')).toBe('777\n');
  });

  it('a garbage or empty file is stale too', () => {
    writeFileSync(path, 'not a pid');
    writePidFile(path, 778);
    expect(readPidFile(path)).toBe(778);
    writeFileSync(path, '');
    writePidFile(path, 779);
    expect(readPidFile(path)).toBe(779);
  });

  it('our own pid in the file (a restart after exec) is not "already running"', () => {
    writeFileSync(path, `${process.pid}\n`);
    expect(() => writePidFile(path, process.pid)).not.toThrow();
  });

  it('a missing directory is a DaemonError naming the path', () => {
    expect(() => writePidFile(join(dir, 'nope', 'x.pid'), 1)).toThrow(/nope\/x\.pid: cannot create pid file/);
  });

  it('removePidFile removes our file, leaves another process’s, ignores a missing one', () => {
    writePidFile(path, 500);
    removePidFile(path, 501);
    expect(existsSync(path)).toBe(true);
    removePidFile(path, 500);
    expect(existsSync(path)).toBe(false);
    expect(() => removePidFile(path, 500)).not.toThrow();
  });

  it('parsePid accepts decimal pids only', () => {
    expect(parsePid(' 12\n')).toBe(12);
    expect(parsePid('0')).toBeUndefined();
    expect(parsePid('-3')).toBeUndefined();
    expect(parsePid('1e3')).toBeUndefined();
    expect(parsePid('99999999999')).toBeUndefined();
  });
});
