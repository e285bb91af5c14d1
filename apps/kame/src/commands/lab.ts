import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { controlRequest } from '@kame/daemon';
import { defaultRundir } from '@kame/kernel-api';
import {
  LabErrors,
  loadLab,
  parseDuration,
  renderDot,
  renderSvg,
  resolveLab,
  type Lab,
  type LabSpec,
} from '@kame/lab';
import { run, type CliIo } from '../cli';
import { startInProcessLab, type InProcessLab } from '../lab/inprocess/index';
import { startLiveLab } from '../lab/live/index';
import { captureClient, supervise } from '../lab/supervisor/index';
import {
  alive,
  capturePath,
  controlPath,
  forceDown,
  labDir,
  listLabs,
  readState,
  writeState,
} from '../lab/supervisor/state';
import { formatChecks, formatStatus } from '../lab/supervisor/table';
import type { CheckResult, LabMode, LabStatus, RunningLab } from '../lab/types';

/**
 * `kame lab up|status|exec|down|capture|graph ...` (issue 8). Runs without a
 * kernel connection of its own; resolves with the exit code: 0 ok, 1 runtime
 * or check failure, 2 usage or lab-file errors.
 */

const USAGE = `usage: kame lab up FILE [--mode live|in-process|virtual] [--for DURATION] [--seed N] [--rundir DIR] [--detach] [--no-checks]
       kame lab status [--json] [--lab NAME|FILE] [--rundir DIR]
       kame lab exec [--lab NAME|FILE] NODE -- COMMAND [ARG...]
       kame lab down [NAME|FILE] [--rundir DIR]
       kame lab capture [--lab NAME|FILE] NODE:IF [-w FILE|-] [--for DURATION]
       kame lab graph FILE -o topo.svg|topo.dot|-
`;

class Usage extends Error {}

/** Virtual mode's default budget when the lab has no checks to wait for (and the cap when it has). */
const VIRTUAL_DEFAULT_MS = 300_000;

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
  /** Words after `--`. */
  readonly rest: string[] | undefined;
}

/** --flag VALUE / --flag=VALUE / boolean flags; stops at `--`. */
function parseArgs(args: readonly string[], valued: readonly string[], booleans: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  let rest: string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rest = args.slice(i + 1);
      break;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('-') && eq > 0 ? a.slice(0, eq) : a;
    if (valued.includes(name)) {
      const v = eq > 0 && a.startsWith('-') ? a.slice(eq + 1) : args[++i];
      if (v === undefined) throw new Usage(`${name} needs a value`);
      flags.set(name, v);
    } else if (booleans.includes(a)) flags.set(a, true);
    else if (a.startsWith('-') && a !== '-') throw new Usage(`unknown option ${a}`);
    else positional.push(a);
  }
  return { positional, flags, rest };
}

function str(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

function durationMs(text: string, what: string): number {
  const d = parseDuration(text);
  if (!d.ok) throw new Usage(`${what}: ${d.reason}`);
  return d.value;
}

export async function labCommand(args: readonly string[], io: CliIo, json: boolean): Promise<number> {
  const env = io.env ?? process.env;
  const [verb, ...rest] = args;
  try {
    switch (verb) {
      case 'up':
        return await labUp(rest, io, env);
      case 'status':
        return await labStatus(rest, io, env, json);
      case 'down':
        return await labDown(rest, io, env);
      case 'exec':
        return await labExec(rest, io, env);
      case 'capture':
        return await labCapture(rest, io, env);
      case 'graph':
        return labGraph(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stderr(USAGE);
        return verb === undefined ? 2 : 0;
      default:
        throw new Usage(`unknown command "${verb}"`);
    }
  } catch (e) {
    if (e instanceof Usage) {
      io.stderr(`kame lab: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof LabErrors) {
      for (const x of [...e.errors, ...e.warnings]) io.stderr(`${x.message}\n`);
      return 2;
    }
    io.stderr(`kame lab: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/** loadLab + resolveLab; warnings to stderr. */
function readLab(file: string, io: CliIo): Lab {
  const spec: LabSpec = loadLab(file);
  const lab = resolveLab(spec);
  for (const w of lab.warnings) io.stderr(`${w.message}\n`);
  return lab;
}

function rundirOf(p: Parsed, env: NodeJS.ProcessEnv): string {
  return str(p, '--rundir') ?? defaultRundir(env);
}

async function labUp(args: readonly string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const p = parseArgs(args, ['--mode', '--for', '--seed', '--rundir'], ['--detach', '--no-checks']);
  if (p.positional.length !== 1) throw new Usage('up: one lab file expected');
  const mode = (str(p, '--mode') ?? 'live') as LabMode;
  if (!['live', 'in-process', 'virtual'].includes(mode)) throw new Usage(`up: bad --mode ${mode}`);
  const forText = str(p, '--for');
  const forMs = forText !== undefined ? durationMs(forText, 'up: --for') : undefined;
  const seedText = str(p, '--seed') ?? '1';
  const seed = Number(seedText);
  if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(seed)) throw new Usage(`up: bad --seed ${seedText}`);
  const rundir = rundirOf(p, env);
  const detach = p.flags.has('--detach');
  if (detach && mode === 'virtual') throw new Usage('up: --detach has no meaning in virtual mode');
  const lab = readLab(p.positional[0]!, io);

  if (detach && env['KAME_LAB_DETACHED'] !== '1') return detachUp(args, lab, rundir, io, env);

  // A detached supervisor writes to the terminal until it is ready, then to its log.
  let out = io.stdout;
  const t0 = Date.now();
  const progress = (line: string) => out(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);
  progress(
    `lab ${lab.name}: ${lab.nodes.length} nodes, ${lab.links.length} links, mode ${mode}, seed ${seed}`,
  );
  mkdirSync(rundir, { recursive: true, mode: 0o700 });
  const labdir = labDir(rundir, lab.name);
  const prior = readState(labdir);
  if (prior && prior.supervisorPid !== process.pid && alive(prior.supervisorPid))
    throw new Error(`lab ${lab.name} is already up (pid ${prior.supervisorPid}); kame lab down ${lab.name}`);
  const options = { mode, seed, rundir, progress, serveSockets: mode === 'in-process' };

  if (mode === 'virtual') {
    const vl = (await startInProcessLab(lab, options)) as InProcessLab;
    let results: CheckResult[] = [];
    try {
      // Until every check passed (each within its own deadline); with --for, exactly that much simulated time.
      const budget = forMs ?? VIRTUAL_DEFAULT_MS;
      if (lab.checks.length) results = await vl.runUntilChecks(budget);
      if (forMs !== undefined && vl.now() < forMs) await vl.runFor(forMs - vl.now());
      else if (!lab.checks.length) await vl.runFor(budget);
      out(formatChecks(results));
      out(formatStatus(await vl.status()));
    } finally {
      await vl.down();
    }
    return results.every((r) => r.ok) ? 0 : 1;
  }

  // live / in-process: Ctrl-C, SIGTERM or SIGHUP from here on take the lab down (after a start
  // under way has finished: the runtimes cannot stop half-way).
  const stopSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let onSig: () => void = () => undefined;
  let gotSignal = false;
  const signalled = new Promise<void>((r) => (onSig = r)).then(() => {
    gotSignal = true;
  });
  for (const s of stopSignals) process.on(s, onSig);
  let sup: Awaited<ReturnType<typeof supervise>> | undefined;
  let rl: RunningLab | undefined;
  let checksOk = true;
  let timer: NodeJS.Timeout | undefined;
  try {
    rl = mode === 'live' ? await startLiveLab(lab, options) : await startInProcessLab(lab, options);
    if (mode !== 'live') {
      mkdirSync(labdir, { recursive: true, mode: 0o700 });
      writeState({
        version: 1,
        name: lab.name,
        file: lab.file,
        mode,
        labdir,
        supervisorPid: process.pid,
        startedAt: new Date(t0).toISOString(),
        nodes: lab.nodes.map((n) => ({
          name: n.name,
          kind: n.kind,
          endpoint: join(labdir, `${n.name}.sock`),
        })),
        processes: [],
        namespaces: [],
        links: [],
      });
    }
    sup = await supervise(rl, labdir);
    if (lab.checks.length && !p.flags.has('--no-checks') && !gotSignal) {
      const longest = Math.max(...lab.checks.map((c) => c.withinMs));
      progress(`checks: ${lab.checks.length} (each within its deadline, at most ${longest / 1000} s)`);
      const results = await Promise.race([rl.runChecks(), signalled.then(() => undefined)]);
      if (results) {
        checksOk = results.every((r) => r.ok);
        out(formatChecks(results));
      }
    }
    if (!gotSignal) {
      out(formatStatus(await rl.status()));
      out(
        forMs !== undefined
          ? `lab ${lab.name} is up for ${forText!}; kame lab down ${lab.name} stops it sooner\n`
          : env['KAME_LAB_DETACHED'] === '1'
            ? `lab ${lab.name} is up; kame lab down stops it\n`
            : `lab ${lab.name} is up; Ctrl-C here or kame lab down stops it\n`,
      );
      if (env['KAME_LAB_DETACHED'] === '1') {
        out(checksOk ? 'kame-lab-ready\n' : 'kame-lab-ready checks-failed\n');
        const logFd = openSync(join(labdir, 'supervisor.log'), 'a');
        out = (s) => {
          try {
            writeSync(logFd, s);
          } catch {
            // the log is gone with the lab dir
          }
        };
      }
      const timedOut = new Promise<void>((r) => {
        if (forMs !== undefined) timer = setTimeout(r, forMs);
      });
      await Promise.race([signalled, sup.downRequested, timedOut]);
    }
  } finally {
    if (timer) clearTimeout(timer);
    for (const s of stopSignals) process.off(s, onSig);
    if (rl) progress(`lab ${lab.name}: going down`);
    await sup?.close();
    await rl?.down();
    if (rl && existsSync(labdir)) await forceDown(labdir, 1000);
  }
  return checksOk ? 0 : 1;
}

/** --detach: the same command as a background supervisor; return once it printed the table. */
async function detachUp(
  args: readonly string[],
  lab: Lab,
  rundir: string,
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const bin = join(__dirname, '..', '..', 'bin', 'kame.js');
  mkdirSync(rundir, { recursive: true, mode: 0o700 });
  const child = spawn(process.execPath, [bin, 'lab', 'up', ...args.filter((a) => a !== '--detach')], {
    env: { ...env, KAME_LAB_DETACHED: '1', KAME_RUNDIR: rundir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return new Promise<number>((resolve) => {
    let buf = '';
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      child.stdout.removeAllListeners('data');
      child.stderr.removeAllListeners('data');
      child.stdout.destroy();
      child.stderr.destroy();
      child.unref();
      resolve(code);
    };
    child.stdout.on('data', (b: Buffer) => {
      buf += b.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('kame-lab-ready')) {
          io.stdout(`supervisor pid ${child.pid ?? '?'}; logs in ${labDir(rundir, lab.name)}\n`);
          // The lab stays up for a look, but a failed check is still exit 1.
          finish(line.includes('checks-failed') ? 1 : 0);
          return;
        }
        io.stdout(line + '\n');
      }
    });
    child.stderr.on('data', (b: Buffer) => io.stderr(b.toString()));
    child.on('exit', (code) => finish(code ?? 1));
  });
}

/** The lab directory named by --lab NAME|FILE (or the positional), else the only lab up. */
function findLab(which: string | undefined, rundir: string): string {
  if (which !== undefined) {
    let name = which;
    if (which.includes('/') || /\.ya?ml$/.test(which)) {
      if (existsSync(which) && statSync(which).isFile()) name = loadLab(which).name;
      else throw new Error(`${which}: no such lab file`);
    }
    const dir = labDir(rundir, name);
    if (!existsSync(dir)) throw new Error(`lab ${name} is not up (no ${dir})`);
    return dir;
  }
  const labs = listLabs(rundir);
  if (labs.length === 0) throw new Error(`no lab is up (nothing in ${rundir})`);
  if (labs.length > 1)
    throw new Error(`${labs.length} labs are up (${labs.join(', ')}): name one with --lab`);
  return labDir(rundir, labs[0]!);
}

async function labStatus(
  args: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
  json: boolean,
): Promise<number> {
  const p = parseArgs(args, ['--lab', '--rundir'], ['--json']);
  if (p.positional.length > 1) throw new Usage('status: unexpected arguments');
  const labdir = findLab(str(p, '--lab') ?? p.positional[0], rundirOf(p, env));
  const reply = await controlRequest(controlPath(labdir), 'status', [], 30_000).catch((e: Error) => {
    throw new Error(`${e.message} (the lab's supervisor is gone? kame lab down cleans up)`);
  });
  if (!reply.ok) {
    io.stderr(reply.text);
    return 1;
  }
  if (json || p.flags.has('--json')) io.stdout(JSON.stringify(reply.data as LabStatus, null, 2) + '\n');
  else io.stdout(reply.text);
  return 0;
}

async function labDown(args: readonly string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const p = parseArgs(args, ['--lab', '--rundir'], []);
  if (p.positional.length > 1) throw new Usage('down: at most one lab');
  const labdir = findLab(str(p, '--lab') ?? p.positional[0], rundirOf(p, env));
  const st = readState(labdir);
  const name = st?.name ?? labdir;
  let asked = false;
  if (st && alive(st.supervisorPid)) {
    try {
      await controlRequest(controlPath(labdir), 'down', [], 10_000);
      asked = true;
    } catch {
      // not answering: clean up from the state file
    }
  }
  if (asked) {
    // The supervisor stops daemons (rtadvd's final RAs take ~9 s), the kernel, namespaces, the dir.
    const deadline = Date.now() + 40_000;
    while (existsSync(labdir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (st && alive(st.supervisorPid)) {
      const until = Date.now() + 5000;
      while (alive(st.supervisorPid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (existsSync(labdir)) {
    const problems = await forceDown(labdir);
    for (const pr of problems) io.stderr(`kame lab down: ${pr}\n`);
    if (problems.length) return 1;
  }
  io.stdout(`lab ${name}: down\n`);
  return 0;
}

async function labExec(args: readonly string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  // Options up to NODE; everything after NODE (past an optional `--`) is the command, untouched.
  // (commander may already have eaten the `--` of `kame lab exec h1 -- kame ping6 -c 1 ...`.)
  let k = 0;
  while (k < args.length && args[k]!.startsWith('-') && args[k] !== '--') k += args[k]!.includes('=') ? 1 : 2;
  const p = parseArgs(args.slice(0, k), ['--lab', '--rundir'], []);
  const after = args.slice(k);
  if (after[0] === '--') after.shift();
  const nodeName = after.shift();
  if (after[0] === '--') after.shift();
  if (nodeName === undefined || after.length === 0)
    throw new Usage('exec: expected NODE -- COMMAND [ARG...]');
  const labdir = findLab(str(p, '--lab'), rundirOf(p, env));
  const st = readState(labdir);
  const node = st?.nodes.find((n) => n.name === nodeName);
  if (!st || !node) throw new Error(`no node ${nodeName} in lab ${st?.name ?? labdir}`);
  const cmd = after;
  if (node.kind === 'kame') {
    const childEnv = { ...env, KAME_NODE: node.endpoint, KAME_RUNDIR: labdir };
    if (cmd[0] === 'kame') {
      return run(['--node', node.endpoint, ...cmd.slice(1)], { ...io, env: childEnv });
    }
    return spawnWait(cmd[0]!, cmd.slice(1), childEnv, io);
  }
  return spawnWait('ip', ['netns', 'exec', node.endpoint, ...cmd], env, io);
}

function spawnWait(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args], { env, stdio: ['inherit', 'pipe', 'pipe'] });
    child.stdout.on('data', (b: Buffer) => io.stdout(b.toString()));
    child.stderr.on('data', (b: Buffer) => io.stderr(b.toString()));
    child.on('error', (e) => {
      io.stderr(`kame lab exec: ${cmd}: ${e.message}\n`);
      resolve(127);
    });
    child.on('close', (code, sig) => resolve(code ?? (sig ? 128 : 1)));
  });
}

async function labCapture(args: readonly string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const p = parseArgs(args, ['--lab', '--rundir', '-w', '--for'], []);
  if (p.positional.length !== 1 || !/^[^:]+:.+$/.test(p.positional[0]!))
    throw new Usage('capture: expected NODE:IF');
  const out = str(p, '-w') ?? '-';
  const forText = str(p, '--for');
  const forMs = forText !== undefined ? durationMs(forText, 'capture: --for') : undefined;
  if (out === '-' && process.stdout.isTTY)
    throw new Usage('capture: refusing to write pcapng to a terminal; use -w FILE or a pipe');
  const labdir = findLab(str(p, '--lab'), rundirOf(p, env));
  let fd: number | undefined;
  if (out !== '-') {
    writeFileSync(out, new Uint8Array(0));
    fd = openSync(out, 'a');
  }
  const sink =
    fd !== undefined
      ? (b: Uint8Array) => writeSync(fd, b)
      : (b: Uint8Array) => {
          process.stdout.write(b);
        };
  try {
    const c = await captureClient(capturePath(labdir), p.positional[0]!, sink);
    io.stderr(`kame lab capture: ${p.positional[0]!}${out === '-' ? '' : ` -> ${out}`} (Ctrl-C stops)\n`);
    let onSig: () => void = () => undefined;
    const sig = new Promise<void>((r) => (onSig = r));
    process.once('SIGINT', onSig);
    process.once('SIGTERM', onSig);
    let timer: NodeJS.Timeout | undefined;
    const timed = new Promise<void>((r) => {
      if (forMs !== undefined) timer = setTimeout(r, forMs);
    });
    await Promise.race([sig, timed, c.closed]);
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
    c.stop();
    return 0;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function labGraph(args: readonly string[], io: CliIo): number {
  const p = parseArgs(args, ['-o', '--format'], []);
  if (p.positional.length !== 1) throw new Usage('graph: one lab file expected');
  const out = str(p, '-o') ?? '-';
  const lab = readLab(p.positional[0]!, io);
  const format = str(p, '--format') ?? (out.endsWith('.dot') || out.endsWith('.gv') ? 'dot' : 'svg');
  if (format !== 'svg' && format !== 'dot') throw new Usage(`graph: bad --format ${format} (svg or dot)`);
  const text = format === 'dot' ? renderDot(lab) : renderSvg(lab);
  if (out === '-') io.stdout(text);
  else {
    writeFileSync(out, text);
    io.stderr(`kame lab graph: ${lab.name} -> ${out}\n`);
  }
  return 0;
}
