import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KERNEL, kameProcess, pingUntilAnswered, stopKernels, waitFor } from './support/live';

const kame = kameProcess;

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
    if (kernel) await stopKernels([kernel]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('ping6 from node a reaches node b and exits 0', async () => {
    // DAD on b's link-local takes up to ~2 s: retry until a reply comes back.
    const last = await pingUntilAnswered(join(dir, 'a.sock'), 'fe80::ff:fe00:b%em0');
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
