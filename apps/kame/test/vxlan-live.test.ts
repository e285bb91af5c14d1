import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KERNEL, kameProcess, pingUntilAnswered, stopKernels, waitFor } from './support/live';

/**
 * Two kame-kernel processes, one node each, whose em0 are linked by
 * Ethernet-in-UDP (VXLAN, RFC 7348) on loopback ports chosen for this run:
 * `kame ping6` from node a reaches node b's link-local address.
 */

const kame = kameProcess;

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
    await stopKernels(kernels);
    rmSync(dir, { recursive: true, force: true });
  });

  it('RFC 7348 link, RFC 4443 4.2: ping6 from a reaches fe80::ff:fe00:b%em0 on the other process', async () => {
    // DAD (up to ~2 s) on b's link-local: retry, bounded.
    const last = await pingUntilAnswered(join(dir, 'a.sock'), 'fe80::ff:fe00:b%em0');
    expect(last.stderr).toBe('');
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(/bytes from fe80::ff:fe00:b%em0, icmp_seq=\d+ hlim=64/);
    // b's kernel saw a's requests: a is now in b's neighbor cache, through b's own socket.
    const nd = await kame(['--node', join(dir, 'b.sock'), 'ndp', '-a']);
    expect(nd.stdout).toMatch(/fe80::ff:fe00:a%em0 +02:00:00:00:00:0a +em0 /);
  }, 30_000);
});
