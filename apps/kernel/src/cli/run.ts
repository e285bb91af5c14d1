import { randomBytes } from 'node:crypto';
import { RealClock, type Clock } from '@kame/time';
import { EngineError, KernelEngine } from '../engine/engine';
import { lineLogger, type Logger } from '../engine/logger';
import { runPing6 } from '../engine/ping6';
import { IpcError, serveIpc, type IpcService } from '../ipc/serve-ipc';
import { PROGRAM, parseCommandLine, type CliIo, type Invocation } from './flags';

/** A started kame-kernel: the engine plus what main.ts needs to finish. */
export interface Started {
  engine: KernelEngine;
  invocation: Invocation;
  logger: Logger;
  clock: Clock;
  /** The kernel API servers; undefined with --no-ipc. */
  ipc: IpcService | undefined;
}

/**
 * Parses argv, starts the engine on the real clock and serves the kernel
 * API of every node (unless --no-ipc). Returns the exit code when there is
 * nothing to run (help 0, usage/config error 2, start failure 1, including
 * EADDRINUSE on a node socket), with the message already written to stderr.
 */
export async function start(
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Started | number> {
  const r = parseCommandLine(argv, io, env);
  if (r.kind === 'exit') return r.code;
  const inv = r.invocation;
  const clock = new RealClock();
  const logger = lineLogger(inv.logLevel, io.err, `${PROGRAM}[${process.pid}]`);
  const seed = inv.seed ?? randomBytes(4).readUInt32BE(0);
  let engine: KernelEngine;
  try {
    engine = await KernelEngine.start({
      config: inv.config,
      clock,
      seed,
      logger,
      ...(inv.pcapDir !== undefined ? { pcapDir: inv.pcapDir } : {}),
      epochOffsetMs: Date.now() - clock.now(),
    });
  } catch (e) {
    if (e instanceof EngineError) {
      io.err(`${PROGRAM}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  let ipc: IpcService | undefined;
  if (inv.ipc) {
    try {
      ipc = await serveIpc(engine, { rundir: inv.rundir, logger });
    } catch (e) {
      await engine.stop();
      if (e instanceof IpcError) {
        io.err(`${PROGRAM}: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  }
  return { engine, invocation: inv, logger, clock, ipc };
}

/** Closes the kernel API (removing its socket files), then stops the engine. */
export async function stop(s: Started): Promise<void> {
  try {
    await s.ipc?.close();
  } finally {
    await s.engine.stop();
  }
}

/** --ping: the one-shot; resolves with 0 when any reply came back, else 1. */
export async function pingOnce(s: Started, io: CliIo, aborted: () => boolean): Promise<number> {
  const p = s.invocation.ping!;
  const res = await runPing6(
    s.engine.node(p.node).node,
    s.clock,
    { target: p.target, count: p.count, intervalMs: p.intervalMs, waitMs: p.waitMs, aborted },
    (line) => io.out(`${line}\n`),
  );
  return res.received > 0 ? 0 : 1;
}
