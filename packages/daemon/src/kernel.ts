import { basename } from 'node:path';
import {
  connectUnix,
  defaultRundir,
  KernelClient,
  socketPath,
  type ClientClock,
  type ClientTimer,
  type FrameChannel,
} from '@kame/kernel-api';
import { DaemonError } from './error';

/** The node a program attaches to when neither --node nor KAME_NODE says (as the kame CLI). */
export const DEFAULT_NODE = 'kame';

export interface ResolvedNode {
  /** The node's name: for run file names (<node>.<prog>.pid) and messages. */
  readonly name: string;
  /** The kernel's Unix socket. */
  readonly socketPath: string;
}

/**
 * `--node NAME|PATH` (default $KAME_NODE, then "kame"): a value with a '/' is
 * a socket path (its name is the file name without ".sock"), anything else a
 * node name in the rundir (<rundir>/<name>.sock).
 */
export function resolveNode(node: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedNode {
  const given = node !== undefined && node !== '' ? node : env['KAME_NODE'] || DEFAULT_NODE;
  if (given.includes('/')) {
    const file = basename(given);
    const name = file.endsWith('.sock') ? file.slice(0, -'.sock'.length) : file;
    // "r1.ro.sock" is the read-only socket of node r1.
    const bare = name.endsWith('.ro') ? name.slice(0, -'.ro'.length) : name;
    return { name: bare === '' || bare === '.' || bare === '..' ? DEFAULT_NODE : bare, socketPath: given };
  }
  return { name: given, socketPath: socketPath(given, defaultRundir(env)) };
}

/**
 * The host's timers for the client's reconnect backoff and handshake
 * timeout. Unlike @kame/time's RealClock these keep the process alive: a
 * daemon waiting for its kernel to come back must not exit because nothing
 * else is pending.
 */
export const hostClientClock: ClientClock = {
  now: () => performance.now(),
  setTimer(delayMs: number, fn: () => void): ClientTimer {
    const h = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(h) };
  },
};

export interface AttachOptions {
  /** `--node NAME|PATH`; default $KAME_NODE, then "kame". */
  node?: string;
  /** Program name sent in Hello (also the default owner of its routes). */
  name: string;
  env?: NodeJS.ProcessEnv;
  /** In-process: a memoryPair end accepted by a KernelServer. Replaces the Unix socket. */
  channelFactory?: () => Promise<FrameChannel>;
  /** Default: the host's timers (hostClientClock). */
  clock?: ClientClock;
  /** Reconnect with backoff when the kernel goes away; default true. */
  reconnect?: boolean;
  /** Hello pid; default process.pid. */
  pid?: number;
}

/**
 * Connects a daemon to its kernel node: handshake done, mirror loaded. A
 * first connection that fails is a DaemonError (exit 1) naming the node and
 * socket; later losses are retried by the client when `reconnect` is on.
 */
export async function attachKernel(opts: AttachOptions): Promise<KernelClient> {
  const env = opts.env ?? process.env;
  let where: string;
  let channelFactory: () => Promise<FrameChannel>;
  if (opts.channelFactory) {
    where = opts.node !== undefined ? `kernel node ${opts.node}` : 'the in-process kernel';
    channelFactory = opts.channelFactory;
  } else {
    const node = resolveNode(opts.node, env);
    where = `kernel node ${node.name} (${node.socketPath})`;
    channelFactory = () => connectUnix(node.socketPath);
  }
  try {
    return await KernelClient.connect({
      channelFactory,
      name: opts.name,
      clock: opts.clock ?? hostClientClock,
      reconnect: opts.reconnect === false ? false : {},
      ...(opts.pid !== undefined ? { pid: opts.pid } : {}),
    });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why =
      code === 'ENOENT' || code === 'ECONNREFUSED'
        ? 'no kernel is running there (start kame-kernel first)'
        : e instanceof Error
          ? e.message
          : String(e);
    throw new DaemonError(`${opts.name}: cannot attach to ${where}: ${why}`, 1);
  }
}
