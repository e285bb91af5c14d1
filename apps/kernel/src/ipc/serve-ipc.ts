import { lstatSync, unlinkSync } from 'node:fs';
import { socketPath } from '@kame/kernel-api';
import { KernelServer, listenUnix, roSocketPath, type UnixListener } from '@kame/kernel-server';
import type { KernelEngine } from '../engine/engine';
import type { Logger } from '../engine/logger';

/** A failure to serve the kernel API (a live kernel already on the socket): exit 1. */
export class IpcError extends Error {
  override readonly name = 'IpcError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** One served socket: its listener, its KernelServer and the inode it created. */
interface Served {
  readonly server: KernelServer;
  readonly listener: UnixListener;
  readonly ino: number | undefined;
}

/** The kernel API of every node of an engine, on `<rundir>/<node>.sock` and `<rundir>/<node>.ro.sock`. */
export interface IpcService {
  readonly rundir: string;
  /** Socket paths per node: privileged (0600) and read-only (0666). */
  readonly sockets: ReadonlyMap<string, { readonly privileged: string; readonly readOnly: string }>;
  /** Closes every connection and listener and removes the socket files. Idempotent. */
  close(): Promise<void>;
}

export interface ServeIpcOptions {
  readonly rundir: string;
  readonly logger: Logger;
}

function inodeOf(path: string): number | undefined {
  try {
    return lstatSync(path).ino;
  } catch {
    return undefined;
  }
}

/** Removes the socket file if it is still the one this process created. */
function removeOwn(path: string, ino: number | undefined): void {
  if (ino === undefined || inodeOf(path) !== ino) return;
  try {
    unlinkSync(path);
  } catch {
    // Gone already (net.Server.close unlinks it).
  }
}

async function closeServed(all: readonly Served[]): Promise<void> {
  for (const s of all) s.server.close();
  await Promise.all(
    all.map(async (s) => {
      try {
        await s.listener.close();
      } finally {
        removeOwn(s.listener.path, s.ino);
      }
    }),
  );
}

/**
 * Serves every node of `engine`: a privileged KernelServer on
 * `<rundir>/<node>.sock` and an unprivileged one on `<rundir>/<node>.ro.sock`.
 * A stale socket file is replaced; a socket a live kernel serves fails the
 * whole call with IpcError (code EADDRINUSE) after closing what was opened.
 */
export async function serveIpc(engine: KernelEngine, o: ServeIpcOptions): Promise<IpcService> {
  const served: Served[] = [];
  const sockets = new Map<string, { privileged: string; readOnly: string }>();
  try {
    for (const [name, { node }] of engine.nodes) {
      const paths = { privileged: socketPath(name, o.rundir), readOnly: roSocketPath(name, o.rundir) };
      for (const privileged of [true, false]) {
        const path = privileged ? paths.privileged : paths.readOnly;
        const server = new KernelServer(node, {
          name,
          privileged,
          log: (level, message) => o.logger.log(level, `${name}: ipc: ${message}`),
        });
        let listener: UnixListener;
        try {
          listener = await listenUnix(server, path);
        } catch (e) {
          server.close();
          const code = (e as NodeJS.ErrnoException).code;
          const why =
            code === 'EADDRINUSE'
              ? `EADDRINUSE: another kame-kernel is serving node ${name} there`
              : e instanceof Error
                ? e.message
                : String(e);
          throw new IpcError(`${name}: cannot listen on ${path}: ${why}`, code);
        }
        served.push({ server, listener, ino: inodeOf(path) });
      }
      sockets.set(name, paths);
      o.logger.log(
        'notice',
        `${name}: ipc: listening on ${paths.privileged} (privileged) and ${paths.readOnly} (read-only)`,
      );
    }
  } catch (e) {
    await closeServed(served);
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    rundir: o.rundir,
    sockets,
    close: () => (closing ??= closeServed(served.splice(0))),
  };
}
