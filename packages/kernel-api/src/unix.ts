import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { StreamFrameChannel, type ChannelOptions, type FrameChannel } from './transport';

/**
 * The live transport: a Unix stream socket per kernel node,
 * $KAME_RUNDIR/<node>.sock, else /tmp/kame-<uid>/<node>.sock. The directory
 * is 0700 and the socket 0600, so only the owner reaches the kernel.
 */
export function defaultRundir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env['KAME_RUNDIR'];
  if (dir !== undefined && dir !== '') return dir;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return `/tmp/kame-${uid}`;
}

/** A node name is a file name: no slashes, not "." or "..", not empty. */
export function socketPath(node: string, rundir = defaultRundir()): string {
  if (node === '' || node === '.' || node === '..' || node.includes('/') || node.includes('\0')) {
    throw new RangeError(`bad kernel node name ${JSON.stringify(node)}`);
  }
  return join(rundir, `${node}.sock`);
}

class SocketChannel extends StreamFrameChannel {
  constructor(
    private readonly socket: Socket,
    options: ChannelOptions,
  ) {
    super(options);
    socket.on('data', (chunk: Buffer) => this.receiveBytes(chunk));
    socket.on('error', (err) => {
      this.close(err);
      this.receiveEnd(err);
    });
    socket.on('close', () => this.receiveEnd());
  }

  protected writeBytes(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  protected shutdown(error: Error | undefined): void {
    if (error) this.socket.destroy();
    else this.socket.end();
  }
}

/** Wraps a connected stream socket (either side) as a FrameChannel. */
export function socketChannel(socket: Socket, options: ChannelOptions = {}): FrameChannel {
  return new SocketChannel(socket, options);
}

export interface UnixFrameServer {
  readonly path: string;
  close(): Promise<void>;
}

function isSocketFile(path: string): boolean {
  try {
    return lstatSync(path).isSocket();
  } catch {
    return false;
  }
}

function isLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Makes `path` ready to listen on: its directory exists (0700 when we create
 * it; an existing directory given by the user, e.g. --rundir, keeps its
 * permissions), a stale socket left by a dead kernel is removed, and a live
 * one is EADDRINUSE.
 */
export async function prepareSocketPath(path: string): Promise<void> {
  const dir = dirname(path);
  // umask may have narrowed the mode of a directory we just created.
  if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dir, 0o700);
  if (isSocketFile(path)) {
    if (await isLive(path)) {
      throw Object.assign(new Error(`EADDRINUSE: a kernel already listens on ${path}`), {
        code: 'EADDRINUSE',
      });
    }
    unlinkSync(path);
  }
}

/**
 * Listens on `path`, creating its directory 0700. A stale socket left by a
 * dead kernel is replaced; a live one is EADDRINUSE.
 */
export async function listenUnix(
  path: string,
  onChannel: (channel: FrameChannel) => void,
  options: ChannelOptions = {},
): Promise<UnixFrameServer> {
  await prepareSocketPath(path);
  const server: Server = createServer((socket) => onChannel(new SocketChannel(socket, options)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

/** Connects to a kernel's socket. */
export function connectUnix(path: string, options: ChannelOptions = {}): Promise<FrameChannel> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(new SocketChannel(socket, options));
    });
  });
}
