import { chmodSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { ControlServer, type ControlReply } from '@kame/daemon';
import { prepareSocketPath } from '@kame/kernel-api';
import type { RunningLab } from '../types';
import { capturePath, controlPath } from './state';
import { formatChecks, formatStatus } from './table';

/**
 * The lab supervisor: the process that ran `kame lab up` keeps the lab and
 * serves two sockets in its directory:
 *
 * - lab.ctl (@kame/daemon ControlServer, one JSON line each way):
 *   `status` (text = the table, data = LabStatus), `checks` (runs the lab's
 *   checks), `events` (recent events), `down` (answers, then takes the lab down).
 * - capture.sock: a client writes one line "NODE:IF\n" and reads a pcapng
 *   stream (SHB, IDB, then one EPB per frame) until either side closes; an
 *   error is a single line "error: ...\n" instead of pcapng bytes.
 */

/** Bound on simultaneous captures. */
export const MAX_CAPTURES = 16;
/** The first line of a capture request is at most this long. */
const MAX_CAPTURE_REQUEST = 256;

export interface Supervisor {
  /** Resolves when `down` was requested over the control socket. */
  readonly downRequested: Promise<void>;
  close(): Promise<void>;
}

export async function supervise(rl: RunningLab, labdir: string): Promise<Supervisor> {
  let requestDown: () => void = () => undefined;
  const downRequested = new Promise<void>((r) => (requestDown = r));
  const handler = async (command: string, args: readonly string[]): Promise<ControlReply> => {
    switch (command) {
      case 'status': {
        const st = await rl.status();
        return { ok: true, text: formatStatus(st), data: st };
      }
      case 'checks': {
        const results = await rl.runChecks();
        return { ok: results.every((r) => r.ok), text: formatChecks(results), data: results };
      }
      case 'events': {
        const n = Math.min(Math.max(Number(args[0] ?? 50) || 50, 1), 1000);
        const list = rl.events.slice(-n);
        return { ok: true, text: list.join('\n') + (list.length ? '\n' : ''), data: list };
      }
      case 'down':
        setImmediate(requestDown);
        return { ok: true, text: `lab ${rl.lab.name}: going down\n` };
      default:
        return { ok: false, text: `unknown command "${command}" (status, checks, events, down)\n` };
    }
  };
  const ctl = await ControlServer.listen(controlPath(labdir), handler);
  const cap = await listenCapture(rl, capturePath(labdir));
  return {
    downRequested,
    async close() {
      await ctl.close();
      await cap.close();
    },
  };
}

async function listenCapture(rl: RunningLab, path: string): Promise<{ close(): Promise<void> }> {
  await prepareSocketPath(path);
  const stops = new Set<() => void>();
  const clients = new Set<Socket>();
  const server: Server = createServer((sock) => {
    if (clients.size >= MAX_CAPTURES) {
      sock.end('error: too many captures\n');
      return;
    }
    clients.add(sock);
    let line = '';
    let started = false;
    let stop: (() => void) | undefined;
    const finish = () => {
      clients.delete(sock);
      if (stop) {
        stops.delete(stop);
        stop();
      }
    };
    sock.on('close', finish);
    sock.on('error', () => sock.destroy());
    sock.on('data', (b: Buffer) => {
      if (started) return;
      line += b.toString('latin1');
      const nl = line.indexOf('\n');
      if (nl < 0) {
        if (line.length > MAX_CAPTURE_REQUEST) sock.end('error: request too long\n');
        return;
      }
      started = true;
      const want = line.slice(0, nl).trim();
      const m = /^([^:\s]+):(\S+)$/.exec(want);
      if (!m) {
        sock.end(`error: expected NODE:IF, got "${want}"\n`);
        return;
      }
      rl.capture(m[1]!, m[2]!, (bytes) => {
        if (!sock.destroyed) sock.write(bytes);
      }).then(
        (s) => {
          if (sock.destroyed) s();
          else {
            stop = s;
            stops.add(s);
          }
        },
        (e: unknown) => sock.end(`error: ${e instanceof Error ? e.message : String(e)}\n`),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  chmodSync(path, 0o600);
  return {
    async close() {
      for (const s of stops) s();
      stops.clear();
      for (const c of clients) c.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      try {
        unlinkSync(path);
      } catch {
        // gone
      }
    },
  };
}

/**
 * Client side of capture.sock: streams NODE:IF to `sink` until stop() or the
 * supervisor closes. Rejects with the supervisor's error line.
 */
export function captureClient(
  path: string,
  endpoint: string,
  sink: (bytes: Uint8Array) => void,
): Promise<{ stop(): void; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(path);
    let first = true;
    let closedResolve: () => void = () => undefined;
    const closed = new Promise<void>((r) => (closedResolve = r));
    sock.on('error', (e) => {
      if (first) reject(new Error(`${path}: ${e.message}`));
      closedResolve();
    });
    sock.on('close', () => closedResolve());
    sock.on('connect', () => sock.write(`${endpoint}\n`));
    sock.on('data', (b: Buffer) => {
      if (first) {
        first = false;
        if (b.subarray(0, 7).toString('latin1') === 'error: ') {
          reject(new Error(b.toString('utf8').slice('error: '.length).trim()));
          sock.destroy();
          return;
        }
        resolve({ stop: () => sock.destroy(), closed });
      }
      sink(new Uint8Array(b));
    });
    sock.on('end', () => {
      if (first) reject(new Error(`${path}: closed without a capture`));
    });
  });
}
