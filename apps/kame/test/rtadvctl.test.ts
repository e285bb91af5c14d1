import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlServer, daemonPaths } from '@kame/daemon';
import { runCli } from './support/run-cli';

describe('kame rtadvctl (FreeBSD rtadvctl over the node rtadvd control socket)', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kame-rtadvctl-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const kame = (...argv: string[]) => runCli(argv, dir);

  it('sends the command to <node>.rtadvd.ctl and prints the reply; exit 1 when rtadvd is not running', async () => {
    const env = { KAME_RUNDIR: dir };
    const seen: string[] = [];
    const server = await ControlServer.listen(
      daemonPaths('rtadvd', 'r1', env).controlSocket,
      (command, args) => {
        seen.push([command, ...args].join(' '));
        return { ok: true, text: `em0:\n  Status: UP\n` };
      },
    );
    try {
      const r = await kame('--node', 'r1', 'rtadvctl', 'show', 'em0');
      expect(r).toEqual({ code: 0, stdout: 'em0:\n  Status: UP\n', stderr: '' });
      expect(seen).toEqual(['show em0']);
    } finally {
      await server.close();
    }
    const down = await kame('--node', 'r1', 'rtadvctl', 'show');
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('rtadvd is not running');
  });
});
