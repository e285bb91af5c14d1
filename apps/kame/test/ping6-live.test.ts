import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KERNEL = join(__dirname, '..', '..', 'kernel', 'dist', 'main.js');
const KAME = join(__dirname, '..', 'dist', 'main.js');

function kame(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [KAME, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function waitFor(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('kame ping6 against a live kame-kernel over its Unix socket', () => {
  let dir = '';
  let kernel: ChildProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kame-cli-'));
    // Two nodes on one in-process hub: a pings b across it.
    kernel = spawn(
      process.execPath,
      [KERNEL, '--node-file', join(__dirname, 'fixtures', 'two-hosts.node'), '--rundir', dir],
      { stdio: 'ignore' },
    );
    await waitFor(
      () => existsSync(join(dir, 'a.sock')) && existsSync(join(dir, 'b.sock')),
      10_000,
      'sockets',
    );
  });

  afterAll(async () => {
    if (kernel && kernel.exitCode === null) {
      const exited = new Promise((r) => kernel!.once('exit', r));
      kernel.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('ping6 from node a reaches node b and exits 0', async () => {
    // DAD on b's link-local takes up to ~2 s: retry until a reply comes back.
    let last = { code: 1, stdout: '', stderr: '' };
    const end = Date.now() + 15_000;
    while (Date.now() < end) {
      last = await kame([
        '--node',
        join(dir, 'a.sock'),
        'ping6',
        '-c',
        '2',
        '-i',
        '0.2',
        'fe80::ff:fe00:b%em0',
      ]);
      if (last.code === 0) break;
    }
    expect(last.stderr).toBe('');
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(/bytes from fe80::ff:fe00:b%em0, icmp_seq=\d+ hlim=64/);
    expect(last.stdout).toMatch(/2 packets transmitted, [12] packets received/);
  }, 30_000);

  it('a global destination from a node with no global address fails with exit 1 and one errno on stderr', async () => {
    const r = await kame(['--node', join(dir, 'a.sock'), 'ping6', '-c', '1', '2001:db8:dead::1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('kame: EADDRNOTAVAIL: no source address for 2001:db8:dead::1\n');
  }, 30_000);
});
