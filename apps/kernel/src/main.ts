// kame-kernel: thin main over the engine. Parses argv (cli/flags), starts the
// engine on the real clock and its kernel API sockets, maps SIGTERM/SIGINT to
// a clean stop (sockets closed and removed, exit 0).
import { pingOnce, start, stop } from './cli/run';

const io = {
  out: (s: string) => void process.stdout.write(s),
  err: (s: string) => void process.stderr.write(s),
};

async function main(): Promise<void> {
  const s = await start(process.argv.slice(2), io);
  if (typeof s === 'number') {
    process.exitCode = s;
    return;
  }
  // Protocol timers are unref'd; this keeps a hub-only process alive until a signal.
  const keepalive = setInterval(() => undefined, 1 << 30);
  let stopping = false;
  const finish = async (code: number) => {
    await stop(s);
    clearInterval(keepalive);
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
    process.exitCode = code;
    // Everything is closed, so the process ends on its own; this is only a backstop.
    setTimeout(() => process.exit(code), 2000).unref();
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    s.logger.log('notice', `${sig}: stopping`);
    void finish(0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const ping = s.invocation.ping;
  if (ping) {
    const code = await pingOnce(s, io, () => stopping);
    if (!ping.thenRun && !stopping) {
      stopping = true;
      await finish(code);
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`kame-kernel: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
