import { controlRequest, daemonPaths, resolveNode } from '@kame/daemon';

/** FreeBSD rtadvctl(8) usage, with kame's --node and --json. */
export const RTADVCTL_USAGE =
  'usage: rtadvctl [-v] [--node NAME|PATH] [--json] reload | shutdown | enable IF | disable IF | show [IF ...]';

const COMMANDS = new Set(['show', 'reload', 'enable', 'disable', 'shutdown']);

export interface RtadvctlIo {
  stdout(s: string): void;
  stderr(s: string): void;
  readonly env?: NodeJS.ProcessEnv;
  /** Reply timeout (default 15 s: shutdown waits for nothing, but a busy daemon may be slow). */
  readonly timeoutMs?: number;
}

/**
 * `kame rtadvctl ...`: one request on the node's rtadvd control socket
 * (<rundir>/<node>.rtadvd.ctl). Resolves with the exit status: 0 ok, 1 the
 * daemon refused or is not running, 1 usage (as FreeBSD's rtadvctl).
 */
export async function rtadvctl(args: readonly string[], io: RtadvctlIo): Promise<number> {
  const env = io.env ?? process.env;
  let node: string | undefined;
  let json = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--node') {
      node = args[++i];
      if (node === undefined) return usage(io, '--node needs a value');
    } else if (a.startsWith('--node=')) node = a.slice('--node='.length);
    else if (a === '--json') json = true;
    else if (a === '-v')
      continue; // verbose: the replies are already complete
    else if (a === '--help' || a === '-h') {
      io.stdout(`${RTADVCTL_USAGE}\n`);
      return 0;
    } else rest.push(a);
  }
  const [command, ...cargs] = rest;
  if (command === undefined) return usage(io, 'no command');
  if (!COMMANDS.has(command)) return usage(io, `unknown command ${command}`);
  if ((command === 'enable' || command === 'disable') && cargs.length === 0)
    return usage(io, `${command} needs an interface`);
  if ((command === 'reload' || command === 'shutdown') && cargs.length > 0)
    return usage(io, `${command} takes no arguments`);
  const resolved = resolveNode(node, env);
  const path = daemonPaths('rtadvd', resolved.name, env).controlSocket;
  try {
    const reply = await controlRequest(path, command, cargs, io.timeoutMs ?? 15_000);
    if (json) io.stdout(`${JSON.stringify({ ok: reply.ok, text: reply.text, data: reply.data ?? null })}\n`);
    else if (reply.ok)
      io.stdout(reply.text.endsWith('\n') || reply.text === '' ? reply.text : `${reply.text}\n`);
    else io.stderr(`rtadvctl: ${reply.text}\n`);
    return reply.ok ? 0 : 1;
  } catch (e) {
    io.stderr(`rtadvctl: ${(e as Error).message}\n`);
    return 1;
  }
}

function usage(io: RtadvctlIo, why: string): number {
  io.stderr(`rtadvctl: ${why}\n${RTADVCTL_USAGE}\n`);
  return 1;
}
