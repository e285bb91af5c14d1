import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive, forceDown, readState, type LabState } from '../src/lab/supervisor/state';
import { runCli } from './support/run-cli';

/*
 * Issue 8: `kame lab down` leaves nothing behind even when the supervisor died
 * (SIGKILL: no exit hook ran): it cleans up from state.json. A second `up` of a
 * lab that is up is refused.
 */

jest.setTimeout(60_000);
const BIN = join(__dirname, '..', 'bin', 'kame.js');

let dir: string;
let sup: ChildProcessWithoutNullStreams | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kame-lab-down-'));
  writeFileSync(
    join(dir, 'pair.yaml'),
    [
      'name: pair',
      'nodes:',
      '  r1:',
      '    role: router',
      '    interfaces: { em0: { addresses: [2001:db8:1::1/64] } }',
      '  h1: { daemons: ["rtsold em0"] }',
      'links:',
      '  - [r1:em0, h1:em0]',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  if (sup && sup.exitCode === null) sup.kill('SIGKILL');
  for (const r of ['run', 'run2'])
    if (existsSync(join(dir, r, 'lab-pair'))) await forceDown(join(dir, r, 'lab-pair'), 2000);
  rmSync(dir, { recursive: true, force: true });
});

const kame = (...argv: string[]) => runCli(argv);

it('kame lab down after the supervisor was killed: no process, socket or lab directory left', async () => {
  const file = join(dir, 'pair.yaml');
  const run1 = join(dir, 'run');
  sup = spawn(process.execPath, [BIN, 'lab', 'up', file, '--rundir', run1]);
  let out = '';
  sup.stdout.on('data', (b: Buffer) => (out += b.toString()));
  sup.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const end = Date.now() + 30_000;
  while (!out.includes('lab pair is up')) {
    if (Date.now() > end || sup.exitCode !== null) throw new Error(`lab did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const labdir = join(run1, 'lab-pair');
  const state = readState(labdir) as LabState;
  expect(state.supervisorPid).toBe(sup.pid);
  expect(state.processes.map((p) => p.name)).toEqual(['kame-kernel', 'h1/rtsold']);

  const again = await kame('lab', 'up', file, '--rundir', run1);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('lab pair is already up');

  sup.kill('SIGKILL');
  await new Promise((r) => sup!.once('exit', r));
  // Its children live on in their own process groups until down.
  for (const p of state.processes) expect(alive(p.pid)).toBe(true);
  expect(existsSync(join(labdir, 'r1.sock'))).toBe(true);

  const down = await kame('lab', 'down', '--rundir', run1);
  expect(down.stderr).toBe('');
  expect(down.code).toBe(0);
  expect(down.stdout).toBe('lab pair: down\n');
  for (const p of state.processes) expect(`${p.name} ${alive(p.pid)}`).toBe(`${p.name} false`);
  expect(existsSync(labdir)).toBe(false);
  expect(readdirSync(run1)).toEqual([]);
});

it('Ctrl-C (SIGINT) on kame lab up takes the lab down: exit 0, nothing left', async () => {
  const file = join(dir, 'pair.yaml');
  const run2 = join(dir, 'run2');
  const p = spawn(process.execPath, [BIN, 'lab', 'up', file, '--rundir', run2]);
  sup = p;
  let out = '';
  p.stdout.on('data', (b: Buffer) => (out += b.toString()));
  p.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
  const end = Date.now() + 30_000;
  while (!out.includes('lab pair is up')) {
    if (Date.now() > end || p.exitCode !== null) throw new Error(`lab did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const state = readState(join(run2, 'lab-pair')) as LabState;
  p.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(out).toContain('lab pair: down');
  for (const q of state.processes) expect(`${q.name} ${alive(q.pid)}`).toBe(`${q.name} false`);
  expect(readdirSync(run2)).toEqual([]);
});
