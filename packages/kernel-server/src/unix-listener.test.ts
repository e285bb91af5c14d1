import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectUnix, errnoNumber, FrameDecoder, v1 } from '@kame/kernel-api';
import { newNode, newServer, TestClient, until } from '../test/harness';
import { listenUnix, roSocketPath } from './unix-listener';

describe('listenUnix', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kame-ks-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves over a real Unix socket: 0700 directory, 0600 socket, 0666 for .ro', async () => {
    const { node } = newNode();
    const rundir = join(dir, 'run');
    const rw = await listenUnix(newServer(node), join(rundir, 'r1.sock'));
    const ro = await listenUnix(newServer(node, { privileged: false }), roSocketPath('r1', rundir));
    try {
      expect(statSync(rundir).mode & 0o777).toBe(0o700);
      expect(statSync(rw.path).mode & 0o777).toBe(0o600);
      expect(statSync(ro.path).mode & 0o777).toBe(0o666);
      const c = new TestClient(await connectUnix(rw.path));
      await c.hello({ name: 'live' });
      expect(c.welcome?.node).toBe('r1');
      expect((await c.call('ifList', {})).interfaces?.map((i) => i.name)).toEqual(['lo0', 'em0']);
      const r = new TestClient(await connectUnix(ro.path));
      await r.hello();
      expect(await r.errno('sysctlSet', { name: 'net.inet6.ip6.forwarding', numberValue: 1 })).toBe('EPERM');
      c.close();
      r.close();
    } finally {
      await rw.close();
      await ro.close();
    }
  });

  it('answers garbage on the socket with an ErrorFrame before closing', async () => {
    const { node } = newNode();
    const l = await listenUnix(newServer(node), join(dir, 'r1.sock'));
    try {
      const sock = createConnection(l.path);
      const frames: v1.Frame[] = [];
      const dec = new FrameDecoder();
      let closed = false;
      sock.on('data', (b: Buffer) => frames.push(...dec.push(b)));
      sock.on('close', () => (closed = true));
      sock.on('error', () => undefined);
      await new Promise<void>((r) => sock.once('connect', () => r()));
      sock.write(Buffer.from([0x05, 0xff, 0xff, 0xff, 0xff, 0xff]));
      await until(() => closed, 100_000);
      expect(frames[0]?.error?.errno).toBe(errnoNumber('EPROTO'));
    } finally {
      await l.close();
    }
  });
});
