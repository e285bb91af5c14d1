import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/cli';
import type { LabStatus } from '../src/lab/types';

/*
 * Issue 8: `kame lab up FILE --mode virtual` runs simulated time until the checks pass, exits 0 or 1;
 * `--mode in-process` stays up in real time with the node sockets served, so status, exec and down
 * work from other `kame` invocations.
 */

const LABS = join(__dirname, '..', '..', '..', 'labs');
jest.setTimeout(60_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kame-lab-virtual-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function kame(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('kame lab up --mode virtual', () => {
  it('the quick start converges in simulated time: checks pass, exit 0, nothing left in the rundir', async () => {
    const r = await kame(
      'lab',
      'up',
      join(LABS, 'quickstart.yaml'),
      '--mode',
      'virtual',
      '--seed',
      '1',
      '--rundir',
      dir,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('checks: 2 of 2 passed');
    expect(r.stdout).toMatch(/^NODE\s+ROLE\s+KIND\s+INTERFACE\s+ADDRESSES\s+ROUTES\s+DAEMONS$/m);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a check that cannot pass is exit 1 after its deadline', async () => {
    const file = join(dir, 'unreachable.yaml');
    writeFileSync(
      file,
      [
        'name: unreachable',
        'nodes:',
        '  a: { interfaces: { em0: { addresses: [2001:db8:1::1/64] } } }',
        '  b: { interfaces: { em0: { addresses: [2001:db8:1::2/64] } } }',
        'links:',
        '  - [a:em0, b:em0]',
        'checks:',
        '  - { name: a-reaches-b, from: a, ping: b, within: 20s }',
        '  - { name: nowhere, from: a, ping: 2001:db8:99::1, within: 5s }',
        '',
      ].join('\n'),
    );
    const r = await kame('lab', 'up', file, '--mode', 'virtual', '--rundir', join(dir, 'run'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('checks: 1 of 2 passed');
    expect(r.stdout).toMatch(/PASS\s+a-reaches-b/);
    expect(r.stdout).toMatch(/FAIL\s+nowhere/);
  });
});

describe('kame lab up --mode in-process', () => {
  it('converges in real time; status --json, exec ... kame ping6 and down work through the sockets', async () => {
    let out = '';
    let err = '';
    const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s) };
    const up = run(['lab', 'up', join(LABS, 'quickstart.yaml'), '--mode', 'in-process', '--rundir', dir], io);
    let upCode: number | undefined;
    void up.then((c) => (upCode = c));
    const end = Date.now() + 50_000;
    while (!out.includes('lab quickstart is up') && upCode === undefined) {
      if (Date.now() > end) throw new Error(`not up:\n${out}\n${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toContain('checks: 2 of 2 passed');
    const st = await kame('--json', 'lab', 'status', '--rundir', dir);
    expect(st.code).toBe(0);
    const status = JSON.parse(st.stdout) as LabStatus;
    expect(status.mode).toBe('in-process');
    const h2 = status.nodes.find((n) => n.name === 'h2')!;
    const global = h2.interfaces
      .flatMap((i) => i.addresses)
      .find((a) => a.startsWith('2001:db8:3:'))!
      .split(/[/ ]/)[0]!;
    const ping = await kame('lab', 'exec', '--rundir', dir, 'h1', '--', 'kame', 'ping6', '-c', '1', global);
    expect(ping.code).toBe(0);
    expect(ping.stdout).toContain('1 packets received');
    const down = await kame('lab', 'down', '--rundir', dir);
    expect(down.code).toBe(0);
    const until = Date.now() + 40_000;
    while (upCode === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(upCode).toBe(0);
    expect(existsSync(join(dir, 'lab-quickstart'))).toBe(false);
  });
});
