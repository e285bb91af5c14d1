import { lstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectUnix,
  defaultRundir,
  FrameError,
  helloFrame,
  listenUnix,
  requestFrame,
  socketPath,
  welcomeFrame,
  type FrameChannel,
  type v1,
} from '../src';

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'kame-api-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function collect(ch: FrameChannel, n: number): Promise<v1.Frame[]> {
  return new Promise((resolve) => {
    const got: v1.Frame[] = [];
    ch.onFrame((f) => {
      got.push(f);
      if (got.length === n) resolve(got);
    });
  });
}

describe('socket paths', () => {
  it('$KAME_RUNDIR, else /tmp/kame-<uid>', () => {
    expect(defaultRundir({ KAME_RUNDIR: '/run/kame' })).toBe('/run/kame');
    expect(defaultRundir({})).toBe(`/tmp/kame-${process.getuid!()}`);
    expect(socketPath('r1', '/run/kame')).toBe('/run/kame/r1.sock');
    expect(() => socketPath('../etc', '/run/kame')).toThrow(RangeError);
    expect(() => socketPath('', '/run/kame')).toThrow(RangeError);
  });
});

describe('Unix socket transport', () => {
  it('directory 0700, socket 0600; hello, welcome and 200 frames', async () => {
    const path = socketPath('r1', join(base, 'run'));
    const server = await listenUnix(path, (ch) => {
      ch.onFrame((f) => {
        if (f.body === 'hello') ch.send(welcomeFrame({ node: 'r1', capabilities: ['inet6'] }));
        else ch.send(f); // echo
      });
    });
    try {
      expect(statSync(join(base, 'run')).mode & 0o777).toBe(0o700);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const client = await connectUnix(path);
      const frames = collect(client, 201);
      client.send(helloFrame({ name: 'test', pid: process.pid }));
      for (let i = 1; i <= 200; i++)
        client.send(requestFrame(i, 'sockSendmsg', { fd: 3, data: new Uint8Array(i * 7) }));
      const got = await frames;
      expect(got[0]!.welcome!.node).toBe('r1');
      expect(got.slice(1).map((f) => f.request!.sockSendmsg!.data!.length)).toEqual(
        Array.from({ length: 200 }, (_, i) => (i + 1) * 7),
      );
      const end = new Promise((r) => client.onClose(r));
      client.close();
      await end;
    } finally {
      await server.close();
    }
  });

  it('replaces a stale socket, refuses a live one', async () => {
    const path = socketPath('r2', base);
    // A crashed kernel leaves its socket file behind: a child listens, then dies by SIGKILL.
    const script = `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
    spawnSync(process.execPath, ['-e', script]);
    expect(lstatSync(path).isSocket()).toBe(true);
    const s1 = await listenUnix(path, () => {});
    try {
      const ch = await connectUnix(path);
      ch.close();
      await expect(listenUnix(path, () => {})).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await s1.close();
    }
  });

  it('a peer sending garbage gets closed with a FrameError', async () => {
    const path = socketPath('r3', base);
    let onClosed: (e: Error | undefined) => void = () => {};
    const closed = new Promise<Error | undefined>((r) => (onClosed = r));
    const server = await listenUnix(path, (ch) => ch.onClose(onClosed));
    try {
      const raw = createConnection(path);
      await new Promise((r) => raw.once('connect', r));
      raw.on('error', () => {});
      raw.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])); // a 4 GiB length prefix
      const err = await closed;
      raw.destroy();
      expect(err).toBeInstanceOf(FrameError);
      expect((err as FrameError).kind).toBe('oversize');
    } finally {
      await server.close();
    }
  });
});
