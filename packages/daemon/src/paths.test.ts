import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonPaths } from './paths';

describe('daemonPaths', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kame-daemon-paths-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names every file <rundir>/<node>.<prog>.*', () => {
    const p = daemonPaths('rtadvd', 'r1', { KAME_RUNDIR: dir });
    expect(p).toEqual({
      pidFile: join(dir, 'r1.rtadvd.pid'),
      dumpFile: join(dir, 'r1.rtadvd.dump'),
      controlSocket: join(dir, 'r1.rtadvd.ctl'),
      logFile: join(dir, 'r1.rtadvd.log'),
    });
  });

  it('defaults to /tmp/kame-<uid> like the kernel (kernel-api defaultRundir)', () => {
    const uid = process.getuid?.() ?? 0;
    expect(daemonPaths('rtsold', 'h1', {}).pidFile).toBe(`/tmp/kame-${uid}/h1.rtsold.pid`);
  });

  it('creates a missing rundir with mode 0700', () => {
    const rundir = join(dir, 'run', 'deep');
    daemonPaths('route6d', 'r2', { KAME_RUNDIR: rundir });
    const st = statSync(rundir);
    expect(st.isDirectory()).toBe(true);
    expect(st.mode & 0o777).toBe(0o700);
  });

  it('refuses names that are not file names', () => {
    expect(() => daemonPaths('rtadvd', '../etc', { KAME_RUNDIR: dir })).toThrow(RangeError);
    expect(() => daemonPaths('rtadvd', '', { KAME_RUNDIR: dir })).toThrow(RangeError);
    expect(() => daemonPaths('a/b', 'r1', { KAME_RUNDIR: dir })).toThrow(RangeError);
  });
});
