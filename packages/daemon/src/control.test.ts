import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  controlRequest,
  ControlServer,
  MAX_CONTROL_CLIENTS,
  MAX_CONTROL_LINE,
  parseControlRequest,
  type ControlHandler,
} from './control';
import { DaemonError } from './error';

/** Writes raw bytes on a fresh connection; resolves with everything received until the server closes. */
function rawExchange(path: string, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (c: string) => (got += c));
    s.on('error', () => undefined); // EPIPE when the server hangs up first: keep what it said
    s.on('close', () => resolve(got));
    s.on('connect', () => s.end(bytes));
  });
}

async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A socket file left behind by a process killed while listening. */
function staleSocket(path: string): void {
  const script = `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  spawnSync(process.execPath, ['-e', script]);
}

const echo: ControlHandler = (command, args) => {
  if (command === 'show') return { ok: true, text: `show ${args.join(' ')}\n`, data: { ifs: args } };
  if (command === 'slow') return new Promise((r) => setImmediate(() => r({ ok: true, text: 'late' })));
  if (command === 'boom') throw new Error('kaboom');
  return { ok: false, text: `unknown command ${command}` };
};

describe('control socket (rtadvctl-style)', () => {
  let dir: string;
  let path: string;
  let server: ControlServer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kame-daemon-ctl-'));
    path = join(dir, 'r1.rtadvd.ctl');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('one JSON request line, one JSON reply line; socket mode 0600', async () => {
    server = await ControlServer.listen(path, echo);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await controlRequest(path, 'show', ['em0', 'em1'])).toEqual({
      ok: true,
      text: 'show em0 em1\n',
      data: { ifs: ['em0', 'em1'] },
    });
    expect(await controlRequest(path, 'reload')).toEqual({ ok: false, text: 'unknown command reload' });
    expect(await rawExchange(path, '{"command":"show","args":["em0"]}\n')).toBe(
      '{"ok":true,"text":"show em0\\n","data":{"ifs":["em0"]}}\n',
    );
  });

  it('several requests on one connection are answered in order, async handlers included', async () => {
    server = await ControlServer.listen(path, echo);
    const out = await rawExchange(path, '{"command":"slow"}\n{"command":"show","args":["a"]}\n');
    expect(
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).text),
    ).toEqual(['late', 'show a\n']);
  });

  it('bad JSON and bad shapes get {"ok":false,"text":"bad request: ..."}; the connection goes on', async () => {
    server = await ControlServer.listen(path, echo);
    const out = await rawExchange(
      path,
      '{nope\n[1]\n{"command":3}\n{"command":"show","args":[1]}\n{"command":"show"}\n',
    );
    const replies = out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { ok: boolean; text: string });
    expect(replies.map((r) => r.ok)).toEqual([false, false, false, false, true]);
    expect(replies.slice(0, 4).every((r) => r.text.startsWith('bad request: '))).toBe(true);
    expect(replies[2]!.text).toMatch(/command/);
    expect(replies[3]!.text).toMatch(/args/);
  });

  it('a handler that throws answers ok:false with its message; the server lives on', async () => {
    server = await ControlServer.listen(path, echo);
    expect(await controlRequest(path, 'boom')).toEqual({ ok: false, text: 'boom: kaboom' });
    expect((await controlRequest(path, 'show')).ok).toBe(true);
  });

  it(`a line over ${MAX_CONTROL_LINE} bytes is an error and the connection is closed`, async () => {
    server = await ControlServer.listen(path, echo);
    const long = `{"command":"show","args":["${'x'.repeat(MAX_CONTROL_LINE)}"]}\n{"command":"show"}\n`;
    const out = await rawExchange(path, long);
    const lines = out.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      ok: false,
      text: `bad request: line longer than ${MAX_CONTROL_LINE} bytes`,
    });
    expect((await controlRequest(path, 'show', ['ok'])).text).toBe('show ok\n');
  });

  it('many clients at once', async () => {
    server = await ControlServer.listen(path, echo);
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) => controlRequest(path, 'show', [`if${i}`])),
    );
    expect(replies.map((r) => r.text)).toEqual(Array.from({ length: 40 }, (_, i) => `show if${i}\n`));
  });

  it(`at most ${MAX_CONTROL_CLIENTS} connections: one more is told so and closed`, async () => {
    server = await ControlServer.listen(path, echo);
    const idle = await Promise.all(
      Array.from(
        { length: MAX_CONTROL_CLIENTS },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const s = createConnection(path, () => resolve(s));
            s.on('error', reject);
          }),
      ),
    );
    try {
      await until(() => server!.clientCount === MAX_CONTROL_CLIENTS);
      expect(await controlRequest(path, 'show')).toEqual({ ok: false, text: 'too many control connections' });
      idle[0]!.destroy();
      await until(() => server!.clientCount === MAX_CONTROL_CLIENTS - 1);
      expect((await controlRequest(path, 'show', ['x'])).text).toBe('show x\n');
    } finally {
      for (const s of idle) s.destroy();
    }
  });

  it('replaces a stale socket; a live one is a DaemonError', async () => {
    staleSocket(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    server = await ControlServer.listen(path, echo);
    expect((await controlRequest(path, 'show')).ok).toBe(true);
    const second = ControlServer.listen(path, echo);
    await expect(second).rejects.toBeInstanceOf(DaemonError);
    await expect(second).rejects.toThrow(/already listens/);
  });

  it('close() removes the socket file', async () => {
    server = await ControlServer.listen(path, echo);
    await server.close();
    server = undefined;
    expect(existsSync(path)).toBe(false);
  });

  it('no socket: "rtadvd is not running (no <path>)", code ENOENT', async () => {
    await expect(controlRequest(path, 'show')).rejects.toThrow(`rtadvd is not running (no ${path})`);
    await expect(controlRequest(path, 'show')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a stale socket with nobody listening: not running, code ECONNREFUSED', async () => {
    staleSocket(path);
    await expect(controlRequest(path, 'show')).rejects.toThrow(/rtadvd is not running .*r1\.rtadvd\.ctl/);
    await expect(controlRequest(path, 'show')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('no reply within the timeout: ETIMEDOUT', async () => {
    const mute = createServer((s) => s.resume()); // reads (so it sees EOF), never answers
    await new Promise<void>((r) => mute.listen(path, r));
    try {
      await expect(controlRequest(path, 'show', [], 50)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    } finally {
      await new Promise<void>((r) => mute.close(() => r()));
    }
  });

  it('a garbage reply is EPROTO', async () => {
    const bad = createServer((s) => s.resume().end('hello\n'));
    await new Promise<void>((r) => bad.listen(path, r));
    try {
      await expect(controlRequest(path, 'show')).rejects.toMatchObject({ code: 'EPROTO' });
    } finally {
      await new Promise<void>((r) => bad.close(() => r()));
    }
  });

  it('parseControlRequest: args default to []', () => {
    expect(parseControlRequest('{"command":"reload"}')).toEqual({ command: 'reload', args: [] });
    expect(parseControlRequest('{"command":""}')).toMatch(/^bad request/);
  });
});
