import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { defaultRundir, prepareSocketPath, socketPath } from '@kame/kernel-api';
import { ByteStreamChannel, type ByteChannelOptions } from './byte-channel';
import type { KernelServer } from './kernel-server';

/**
 * The live transport of a KernelServer: a Unix stream socket. The directory
 * is created 0700; the socket is 0600, or 0666 for a `.ro.sock` (the
 * non-privileged server), as kernel-api's unix.ts lays them out. The server
 * keeps the raw socket (rather than kernel-api's listenUnix) so that it can
 * answer a bad frame with an ErrorFrame and measure a slow reader's backlog.
 */

export interface UnixListener {
  readonly path: string;
  /** Stops accepting, drops live connections and removes the socket file. */
  close(): Promise<void>;
}

export interface ListenUnixOptions extends ByteChannelOptions {
  /** Socket file mode; default 0666 for `*.ro.sock`, else 0600. */
  readonly mode?: number;
}

/** `<rundir>/<node>.ro.sock`: the non-privileged socket beside `<node>.sock`. */
export function roSocketPath(node: string, rundir = defaultRundir()): string {
  return join(dirname(socketPath(node, rundir)), `${node}.ro.sock`);
}

function serveSocket(server: KernelServer, socket: Socket, options: ByteChannelOptions): void {
  const channel = new ByteStreamChannel(
    {
      write: (b) => void socket.write(b),
      end: () => void socket.end(),
      destroy: () => void socket.destroy(),
      pending: () => socket.writableLength,
    },
    options,
  );
  socket.on('data', (chunk: Buffer) => channel.receive(chunk));
  socket.on('end', () => channel.receiveEnd());
  socket.on('error', (err) => channel.receiveEnd(err));
  socket.on('close', () => channel.receiveEnd());
  server.accept(channel, { outgoingBytes: () => socket.writableLength });
}

/** Listens on `path` for `server`. A stale socket file is replaced; a live one is EADDRINUSE. */
export async function listenUnix(
  server: KernelServer,
  path: string,
  options: ListenUnixOptions = {},
): Promise<UnixListener> {
  await prepareSocketPath(path);
  const sockets = new Set<Socket>();
  const net: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveSocket(server, socket, options);
  });
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen(path, () => {
      net.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, options.mode ?? (path.endsWith('.ro.sock') ? 0o666 : 0o600));
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        net.close(() => resolve());
      }),
  };
}
