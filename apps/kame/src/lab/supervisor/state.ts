import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeLinuxObjects } from '../linux/net';
import type { LabMode } from '../types';

/**
 * <rundir>/lab-<name>/state.json: what a lab made, written as it is made, so
 * `kame lab down` can clean up even when the supervisor died: every pid
 * (supervisor, kame-kernel, daemons), namespaces and root-namespace links,
 * and each node's endpoint (kame: its kernel API socket; linux: namespace).
 */

export interface StateNode {
  readonly name: string;
  readonly kind: 'kame' | 'linux';
  /** Socket path (kame) or namespace (linux). */
  readonly endpoint: string;
}

export interface StateProcess {
  /** "kame-kernel", or "<node>/<daemon>". */
  readonly name: string;
  readonly pid: number;
  /** Spawned in its own process group (signal -pid). */
  readonly group: boolean;
}

export interface LabState {
  readonly version: 1;
  readonly name: string;
  readonly file: string;
  readonly mode: LabMode;
  readonly labdir: string;
  readonly supervisorPid: number;
  readonly startedAt: string;
  nodes: StateNode[];
  processes: StateProcess[];
  namespaces: string[];
  links: string[];
}

export function labDir(rundir: string, name: string): string {
  return join(rundir, `lab-${name}`);
}

export function statePath(labdir: string): string {
  return join(labdir, 'state.json');
}

export function controlPath(labdir: string): string {
  return join(labdir, 'lab.ctl');
}

export function capturePath(labdir: string): string {
  return join(labdir, 'capture.sock');
}

/** Atomic write (temp file + rename). */
export function writeState(s: LabState): void {
  const p = statePath(s.labdir);
  writeFileSync(`${p}.tmp`, JSON.stringify(s, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${p}.tmp`, p);
}

export function readState(labdir: string): LabState | undefined {
  try {
    const v = JSON.parse(readFileSync(statePath(labdir), 'utf8')) as Partial<LabState>;
    if (v.version !== 1 || typeof v.name !== 'string' || typeof v.labdir !== 'string') return undefined;
    return {
      ...(v as LabState),
      nodes: Array.isArray(v.nodes) ? v.nodes : [],
      processes: Array.isArray(v.processes) ? v.processes : [],
      namespaces: Array.isArray(v.namespaces) ? v.namespaces : [],
      links: Array.isArray(v.links) ? v.links : [],
    };
  } catch {
    return undefined;
  }
}

/** Names of the labs with a state file under `rundir`. */
export function listLabs(rundir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(rundir);
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.startsWith('lab-') && existsSync(statePath(join(rundir, e))))
    .map((e) => e.slice('lab-'.length))
    .sort();
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(p: Pick<StateProcess, 'pid' | 'group'>, sig: NodeJS.Signals): void {
  try {
    process.kill(p.group ? -p.pid : p.pid, sig);
  } catch {
    try {
      process.kill(p.pid, sig);
    } catch {
      // gone
    }
  }
}

/** SIGTERM, wait up to `graceMs` for every one to exit, then SIGKILL what is left. */
export async function terminate(
  procs: readonly Pick<StateProcess, 'pid' | 'group'>[],
  graceMs: number,
): Promise<void> {
  const live = procs.filter((p) => alive(p.pid));
  for (const p of live) signal(p, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (live.some((p) => alive(p.pid)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  for (const p of live) if (alive(p.pid)) signal(p, 'SIGKILL');
}

/**
 * Cleans up a lab from its state file alone (its supervisor is gone or not
 * answering): the supervisor, daemons, then kame-kernel, namespaces, links,
 * and the lab directory. Returns problems (empty when all went).
 */
export async function forceDown(labdir: string, graceMs = 10_000): Promise<string[]> {
  const s = readState(labdir);
  const problems: string[] = [];
  if (s) {
    if (s.supervisorPid !== process.pid && alive(s.supervisorPid))
      await terminate([{ pid: s.supervisorPid, group: false }], 2000);
    const daemons = s.processes.filter((p) => p.name !== 'kame-kernel');
    await terminate(daemons, graceMs);
    await terminate(
      s.processes.filter((p) => p.name === 'kame-kernel'),
      5000,
    );
    problems.push(...(await removeLinuxObjects(s.namespaces, s.links)));
  }
  rmSync(labdir, { recursive: true, force: true });
  return problems;
}
