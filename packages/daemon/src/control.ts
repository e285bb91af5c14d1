import { chmodSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { basename } from 'node:path';
import { prepareSocketPath } from '@kame/kernel-api';
import { DaemonError } from './error';

/**
 * The control socket of a daemon, in the manner of FreeBSD's rtadvctl(8)
 * talking to rtadvd: a Unix stream socket (0600) carrying one JSON object
 * per line each way, `{"command":"show","args":["em0"]}` answered by
 * `{"ok":true,"text":"...","data":...}`.
 */
export interface ControlReply {
  readonly ok: boolean;
  /** What a control program prints (stdout when ok, stderr otherwise). */
  readonly text: string;
  /** Structured form for --json. */
  readonly data?: unknown;
}

export type ControlHandler = (
  command: string,
  args: readonly string[],
) => Promise<ControlReply> | ControlReply;

/** A request or reply line longer than this is refused and the connection closed. */
export const MAX_CONTROL_LINE = 64 * 1024;
/** Bound on a reply a client accepts (a large `show`). */
export const MAX_CONTROL_REPLY = 16 * 1024 * 1024;
/** Bound on simultaneous control connections. */
export const MAX_CONTROL_CLIENTS = 64;
/** A connection silent for this long is dropped. */
export const CONTROL_IDLE_TIMEOUT_MS = 60_000;
/** Bound on requests queued on one connection behind the one being handled. */
const MAX_QUEUED_REQUESTS = 32;

/** A request line as parsed; a string explains what is wrong with it. */
export function parseControlRequest(line: string): { command: string; args: string[] } | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return `bad request: ${(e as Error).message}`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'bad request: not a JSON object';
  const o = v as { command?: unknown; args?: unknown };
  if (typeof o.command !== 'string' || o.command === '') return 'bad request: "command" must be a string';
  if (o.args === undefined) return { command: o.command, args: [] };
  if (!Array.isArray(o.args) || !o.args.every((a) => typeof a === 'string'))
    return 'bad request: "args" must be an array of strings';
  return { command: o.command, args: o.args as string[] };
}

function replyLine(r: ControlReply): string {
  try {
    const out: { ok: boolean; text: string; data?: unknown } = { ok: r.ok, text: r.text };
    if (r.data !== undefined) out.data = r.data;
    return JSON.stringify(out) + '\n';
  } catch (e) {
    return JSON.stringify({ ok: false, text: `reply not serializable: ${(e as Error).message}` }) + '\n';
  }
}

/** Splits a byte stream into lines with a length bound. */
class LineReader {
  private buf = '';
  constructor(private readonly max: number) {}
  /** The complete lines in `chunk`, or 'overflow' once a line exceeds the bound. */
  push(chunk: string): string[] | 'overflow' {
    this.buf += chunk;
    const lines: string[] = [];
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl < 0) break;
      if (nl > this.max) return 'overflow';
      lines.push(this.buf.slice(0, nl).replace(/\r$/, ''));
      this.buf = this.buf.slice(nl + 1);
    }
    if (this.buf.length > this.max) return 'overflow';
    return lines;
  }
  get rest(): string {
    return this.buf;
  }
}

export class ControlServer {
  private readonly clients = new Set<Socket>();
  private isClosed = false;

  private constructor(
    readonly path: string,
    private readonly server: Server,
    private readonly handler: ControlHandler,
  ) {}

  /**
   * Listens on `path` (mode 0600). A stale socket of a dead daemon is
   * replaced; one a live daemon answers on is a DaemonError (exit 1).
   */
  static async listen(path: string, handler: ControlHandler): Promise<ControlServer> {
    try {
      await prepareSocketPath(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new DaemonError(`${path}: a daemon already listens on this control socket`, 1);
      throw e;
    }
    const server = createServer({ allowHalfOpen: true });
    const cs = new ControlServer(path, server, handler);
    server.on('connection', (s) => cs.accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined); // accept errors (EMFILE...) must not kill the daemon
    chmodSync(path, 0o600);
    return cs;
  }

  /** Connections open now. */
  get clientCount(): number {
    return this.clients.size;
  }

  /** Stops listening, drops the connections and removes the socket file. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of this.clients) c.destroy();
    this.clients.clear();
    await done;
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }

  private accept(sock: Socket): void {
    if (this.isClosed || this.clients.size >= MAX_CONTROL_CLIENTS) {
      sock.end(replyLine({ ok: false, text: 'too many control connections' }), () => sock.destroy());
      return;
    }
    this.clients.add(sock);
    sock.setEncoding('utf8');
    const reader = new LineReader(MAX_CONTROL_LINE);
    const queue: string[] = [];
    let busy = false;
    let ending = false;
    const finish = (): void => {
      if (!busy && queue.length === 0 && ending && !refused && sock.writable) sock.end();
    };
    const run = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      while (queue.length > 0 && !sock.destroyed) {
        const line = queue.shift()!;
        const reply = await this.handle(line);
        if (!refused && sock.writable) sock.write(replyLine(reply));
      }
      busy = false;
      finish();
    };
    let refused = false;
    const refuse = (text: string): void => {
      // Answer, then drop the connection once the answer is flushed; what else it sent is ignored.
      refused = true;
      queue.length = 0;
      sock.end(replyLine({ ok: false, text }), () => sock.destroy());
    };
    sock.on('data', (chunk: string) => {
      if (refused) return;
      const lines = reader.push(chunk);
      if (lines === 'overflow') {
        refuse(`bad request: line longer than ${MAX_CONTROL_LINE} bytes`);
        return;
      }
      for (const l of lines) {
        if (l.trim() === '') continue;
        if (queue.length >= MAX_QUEUED_REQUESTS) {
          refuse('too many requests queued');
          return;
        }
        queue.push(l);
      }
      void run();
    });
    sock.on('end', () => {
      if (refused) return;
      // A last request without its newline still counts.
      if (reader.rest.trim() !== '') queue.push(reader.rest);
      ending = true;
      void run();
    });
    sock.on('error', () => sock.destroy());
    // An idle connection gives its slot back.
    sock.setTimeout(CONTROL_IDLE_TIMEOUT_MS, () => sock.destroy());
    sock.on('close', () => this.clients.delete(sock));
  }

  private async handle(line: string): Promise<ControlReply> {
    const req = parseControlRequest(line);
    if (typeof req === 'string') return { ok: false, text: req };
    try {
      const r = await this.handler(req.command, req.args);
      if (typeof r !== 'object' || r === null || typeof r.ok !== 'boolean' || typeof r.text !== 'string')
        return { ok: false, text: `${req.command}: internal error: bad reply from the daemon` };
      return r;
    } catch (e) {
      return { ok: false, text: `${req.command}: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
}

/** "rtadvd" from ".../r1.rtadvd.ctl" (daemonPaths' naming); otherwise "the daemon". */
function progOf(path: string): string {
  const m = /^.+\.([^.]+)\.ctl$/.exec(basename(path));
  return m?.[1] ?? 'the daemon';
}

function controlError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * One request on a daemon's control socket; resolves with its reply. A
 * daemon not running is an Error "rtadvd is not running (no <path>)"
 * (code ENOENT / ECONNREFUSED); no reply within `timeoutMs` is ETIMEDOUT.
 */
export function controlRequest(
  path: string,
  command: string,
  args: readonly string[] = [],
  timeoutMs = 10_000,
): Promise<ControlReply> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const sock = createConnection(path);
    const done = (err: Error | undefined, reply?: ControlReply): void => {
      if (settled) return;
      settled = true;
      sock.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };
    sock.setEncoding('utf8');
    sock.setTimeout(timeoutMs, () =>
      done(controlError(`${path}: no reply from ${progOf(path)} within ${timeoutMs} ms`, 'ETIMEDOUT')),
    );
    sock.on('error', (e: NodeJS.ErrnoException) => {
      const prog = progOf(path);
      if (e.code === 'ENOENT') done(controlError(`${prog} is not running (no ${path})`, 'ENOENT'));
      else if (e.code === 'ECONNREFUSED')
        done(controlError(`${prog} is not running (nothing listens on ${path})`, 'ECONNREFUSED'));
      else done(controlError(`${path}: ${e.message}`, e.code ?? 'EIO'));
    });
    sock.on('connect', () => {
      sock.write(JSON.stringify({ command, args: [...args] }) + '\n');
    });
    let buf = '';
    sock.on('data', (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0) {
        if (buf.length > MAX_CONTROL_REPLY)
          done(controlError(`${path}: reply longer than ${MAX_CONTROL_REPLY} bytes`, 'EMSGSIZE'));
        return;
      }
      const parsed = parseReply(buf.slice(0, nl));
      if (typeof parsed === 'string') done(controlError(`${path}: ${parsed}`, 'EPROTO'));
      else done(undefined, parsed);
    });
    sock.on('end', () =>
      done(controlError(`${path}: ${progOf(path)} closed the connection without a reply`, 'EPROTO')),
    );
  });
}

function parseReply(line: string): ControlReply | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return `bad reply: ${(e as Error).message}`;
  }
  if (typeof v !== 'object' || v === null) return 'bad reply: not a JSON object';
  const o = v as { ok?: unknown; text?: unknown; data?: unknown };
  if (typeof o.ok !== 'boolean' || typeof o.text !== 'string') return 'bad reply: missing "ok" or "text"';
  return o.data === undefined ? { ok: o.ok, text: o.text } : { ok: o.ok, text: o.text, data: o.data };
}
