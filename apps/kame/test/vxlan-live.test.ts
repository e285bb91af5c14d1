import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Two kame-kernel processes, one node each, whose em0 are linked by
 * Ethernet-in-UDP (VXLAN, RFC 7348) on loopback ports chosen for this run:
 * `kame ping6` from node a reaches node b's link-local address.
 */

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

/** A UDP port free right now on 127.0.0.1 (bound to 0, read, released). */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
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

describe('kame ping6 between two kame-kernel processes over VXLAN', () => {
  let dir = '';
  const kernels: ChildProcess[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kame-vxlan-'));
    const pa = await freeUdpPort();
    let pb = await freeUdpPort();
    while (pb === pa) pb = await freeUdpPort();
    const start = (node: string, mac: string, bind: number, remote: number, seed: number) => {
      const child = spawn(
        process.execPath,
        [
          KERNEL,
          '--node',
          node,
          '--if',
          `em0,vni=4242,bind=127.0.0.1:${bind},remote=127.0.0.1:${remote},mac=${mac}`,
          '--rundir',
          dir,
          '--seed',
          String(seed),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr?.on('data', (b: Buffer) => logs.push(`${node}: ${b.toString()}`));
      kernels.push(child);
    };
    start('a', '02:00:00:00:00:0a', pa, pb, 1);
    start('b', '02:00:00:00:00:0b', pb, pa, 2);
    await waitFor(
      () => existsSync(join(dir, 'a.sock')) && existsSync(join(dir, 'b.sock')),
      10_000,
      `both kernel sockets (${logs.join('')})`,
    );
  });

  afterAll(async () => {
    for (const k of kernels) {
      if (k.exitCode !== null || k.signalCode !== null) continue;
      const exited = new Promise((r) => k.once('exit', r));
      k.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('RFC 7348 link, RFC 4443 4.2: ping6 from a reaches fe80::ff:fe00:b%em0 on the other process', async () => {
    // DAD (up to ~2 s) on b's link-local: retry, bounded.
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
    // b's kernel saw a's requests: a is now in b's neighbor cache, through b's own socket.
    const nd = await kame(['--node', join(dir, 'b.sock'), 'ndp', '-a']);
    expect(nd.stdout).toMatch(/fe80::ff:fe00:a%em0 +02:00:00:00:00:0a +em0 /);
  }, 30_000);
});
