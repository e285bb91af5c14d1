import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenUnix, type UnixListener } from '@kame/kernel-server';
import { twoNodes, until } from '../test/lan';
import { DaemonError } from './error';
import { attachKernel, DEFAULT_NODE, resolveNode } from './kernel';

/** Real-time polling with a bound, for the live (Unix socket) cases. */
async function poll(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('resolveNode (--node NAME|PATH, env KAME_NODE)', () => {
  it('a name is <rundir>/<name>.sock', () => {
    expect(resolveNode('r1', { KAME_RUNDIR: '/run/k' })).toEqual({
      name: 'r1',
      socketPath: '/run/k/r1.sock',
    });
  });
  it('a value with a slash is a socket path; its name is the file name without .sock / .ro.sock', () => {
    expect(resolveNode('/x/y/r2.sock', {})).toEqual({ name: 'r2', socketPath: '/x/y/r2.sock' });
    expect(resolveNode('./h1.ro.sock', {})).toEqual({ name: 'h1', socketPath: './h1.ro.sock' });
  });
  it('defaults to $KAME_NODE, then "kame"', () => {
    expect(resolveNode(undefined, { KAME_RUNDIR: '/r', KAME_NODE: 'envnode' }).name).toBe('envnode');
    expect(resolveNode(undefined, { KAME_RUNDIR: '/r' })).toEqual({
      name: DEFAULT_NODE,
      socketPath: '/r/kame.sock',
    });
    expect(resolveNode('', { KAME_RUNDIR: '/r', KAME_NODE: 'e' }).name).toBe('e');
  });
  it('refuses "." and ".." as node names', () => {
    expect(() => resolveNode('..', { KAME_RUNDIR: '/r' })).toThrow(RangeError);
  });
});

describe('attachKernel', () => {
  it('in-process: a memoryPair end accepted by a KernelServer; welcome and mirror loaded', async () => {
    const { clock, a } = twoNodes();
    const c = await attachKernel({ name: 'rtadvd', channelFactory: a.channelFactory, clock });
    expect(c.state).toBe('connected');
    expect(c.welcome.node).toBe('a');
    expect(c.interfaces().map((i) => i.name)).toEqual(['lo0', 'em0']);
    expect(a.server.connectionCount).toBe(1);
    c.close();
  });

  it('reconnects by default when the kernel side goes away', async () => {
    const { clock, a } = twoNodes();
    const c = await attachKernel({ name: 'rtsold', channelFactory: a.channelFactory, clock });
    let reconnected = 0;
    c.on('reconnected', () => reconnected++);
    a.dropConnections();
    await until(() => reconnected === 1, clock);
    expect(c.state).toBe('connected');
    c.close();
  });

  it('reconnect: false closes the client when the kernel goes away', async () => {
    const { clock, a } = twoNodes();
    const c = await attachKernel({ name: 'x', channelFactory: a.channelFactory, clock, reconnect: false });
    a.dropConnections();
    await until(() => c.state === 'closed', clock);
  });

  it('a kernel that refuses the first connection is a DaemonError, exit 1', async () => {
    const { clock, a } = twoNodes();
    a.accepting = false;
    const p = attachKernel({ name: 'rtadvd', node: 'a', channelFactory: a.channelFactory, clock });
    await expect(p).rejects.toBeInstanceOf(DaemonError);
    await expect(p).rejects.toMatchObject({ exitCode: 1 });
    await expect(p).rejects.toThrow(/rtadvd: cannot attach to kernel node a: no kernel is running/);
  });

  describe('live, over the node Unix socket', () => {
    let dir: string;
    let listener: UnixListener | undefined;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'kame-daemon-kernel-'));
    });
    afterEach(async () => {
      await listener?.close();
      listener = undefined;
      rmSync(dir, { recursive: true, force: true });
    });

    it('no socket: DaemonError naming the node and the path', async () => {
      const p = attachKernel({ name: 'route6d', node: 'nosuch', env: { KAME_RUNDIR: dir } });
      await expect(p).rejects.toMatchObject({ exitCode: 1 });
      await expect(p).rejects.toThrow(`kernel node nosuch (${join(dir, 'nosuch.sock')})`);
    });

    it('--node NAME finds <rundir>/<name>.sock; KAME_NODE gives the default; reconnects after a kernel restart', async () => {
      const { a } = twoNodes();
      const path = join(dir, 'a.sock');
      listener = await listenUnix(a.server, path);
      const c = await attachKernel({ name: 'rtadvd', env: { KAME_RUNDIR: dir, KAME_NODE: 'a' } });
      try {
        expect(c.welcome.node).toBe('a');
        let reconnected = 0;
        c.on('reconnected', () => reconnected++);
        await listener.close();
        listener = undefined;
        await poll(() => c.state === 'reconnecting');
        listener = await listenUnix(a.server, path);
        await poll(() => reconnected === 1);
        expect(c.state).toBe('connected');
        expect(c.interfaces().map((i) => i.name)).toContain('em0');
      } finally {
        c.close();
      }
    });

    it('--node PATH connects to that socket', async () => {
      const { b } = twoNodes();
      const path = join(dir, 'elsewhere.sock');
      listener = await listenUnix(b.server, path);
      const c = await attachKernel({ name: 'x', node: path, env: { KAME_RUNDIR: '/nonexistent' } });
      expect(c.welcome.node).toBe('b');
      c.close();
    });
  });
});
