import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlRequest } from '@kame/daemon';
import { readPcapng } from '@kame/wire';
import { run } from '../src/cli';
import { onPath } from '../src/lab/linux/net';
import { alive, forceDown, readState, type LabState } from '../src/lab/supervisor/state';
import type { LabStatus } from '../src/lab/types';
import { runCli, until as waitUntil } from './support/run-cli';

/*
 * Issue 8: the quick start in live mode as real processes: one kame-kernel and
 * one process per daemon (the apps' built dist), supervised by `kame lab up`
 * run here; status, exec, capture and down through the CLI.
 */

const LABS = join(__dirname, '..', '..', '..', 'labs');
jest.setTimeout(120_000);

let rundir: string;
let out = '';
let err = '';
const io = () => ({
  stdout: (s: string) => (out += s),
  stderr: (s: string) => (err += s),
  env: { ...process.env, KAME_RUNDIR: rundir },
});

const kame = (...argv: string[]) => runCli(argv, rundir);

const until = (what: string, ok: () => boolean, ms: number): Promise<void> =>
  waitUntil(what, ok, ms, () => `\nstdout:\n${out}\nstderr:\n${err}`);

beforeAll(() => {
  rundir = mkdtempSync(join(tmpdir(), 'kame-lab-live-'));
});
afterAll(async () => {
  // A failed run must not leave its processes behind.
  if (existsSync(join(rundir, 'lab-quickstart'))) await forceDown(join(rundir, 'lab-quickstart'), 3000);
  rmSync(rundir, { recursive: true, force: true });
});

describe('kame lab up --mode live: the quick start as real processes', () => {
  it('converges (checks pass), status/exec/capture work, and down leaves nothing behind', async () => {
    const up = run(['lab', 'up', join(LABS, 'quickstart.yaml'), '--rundir', rundir], io());
    let upCode: number | undefined;
    void up.then((c) => (upCode = c));
    // RIPng and SLAAC in real time; the checks allow 90 s, the quick start takes about 10.
    await until(
      'the lab to come up',
      () => out.includes('lab quickstart is up') || upCode !== undefined,
      95_000,
    );
    expect(upCode).toBeUndefined();
    expect(out).toContain('checks: 2 of 2 passed');
    expect(out).toMatch(/PASS\s+h1-reaches-h2/);
    expect(out).toMatch(/^NODE\s+ROLE\s+KIND\s+INTERFACE\s+ADDRESSES\s+ROUTES\s+DAEMONS$/m);
    for (const step of ['kame-kernel: started', 'node r2: up', 'link lan1: up', 'daemon r1/rtadvd: ready'])
      expect(out).toContain(step);

    const labdir = join(rundir, 'lab-quickstart');
    const state = readState(labdir) as LabState;
    expect(state.processes.map((p) => p.name).sort()).toEqual(
      [
        'kame-kernel',
        'h1/rtsold',
        'h2/rtsold',
        'r1/route6d',
        'r1/rtadvd',
        'r2/route6d',
        'r3/route6d',
        'r3/rtadvd',
      ].sort(),
    );
    // Separate processes, none of them this one.
    for (const p of state.processes) {
      expect(p.pid).not.toBe(process.pid);
      expect(alive(p.pid)).toBe(true);
    }

    // status --json: every node, every daemon running.
    const st = await kame('--json', 'lab', 'status');
    expect(st.code).toBe(0);
    const status = JSON.parse(st.stdout) as LabStatus;
    expect(status.mode).toBe('live');
    expect(status.nodes.map((n) => n.name)).toEqual(['h1', 'r1', 'r2', 'r3', 'h2']);
    for (const n of status.nodes) {
      expect(n.daemons.length).toBeGreaterThan(0);
      for (const d of n.daemons) expect(`${n.name}/${d.name} ${d.state}`).toBe(`${n.name}/${d.name} running`);
    }
    const r2 = status.nodes.find((n) => n.name === 'r2')!;
    // RIPng: r2 learned both edge LANs.
    expect(r2.routes).toBeGreaterThanOrEqual(6);
    const h2 = status.nodes.find((n) => n.name === 'h2')!;
    const h2global = h2.interfaces[0]!.addresses.find((a) => a.startsWith('2001:db8:3:'))!.split('/')[0]!;
    expect(h2global).toMatch(/^2001:db8:3::/);
    const text = await kame('lab', 'status', '--lab', 'quickstart');
    expect(text.stdout).toMatch(/^lab quickstart \(live\), up \d+s: 5 nodes, 7 daemons$/m);

    // The control socket's recent events: the steps, time-stamped on the lab clock.
    const ev = await controlRequest(join(labdir, 'lab.ctl'), 'events', ['500']);
    expect(ev.ok).toBe(true);
    expect(ev.text).toMatch(/^\[\s*\d+\.\ds\] daemon r1\/rtadvd: ready$/m);

    // Capture r1:em1 (lan1) while h1 pings h2 across the three routers.
    const pcap = join(rundir, 'lan1.pcapng');
    const cap = kame('lab', 'capture', 'r1:em1', '-w', pcap, '--for', '4s');
    await until('the capture file', () => existsSync(pcap) && statSync(pcap).size > 0, 5000);
    const ping = await kame('lab', 'exec', 'h1', '--', 'kame', 'ping6', '-c', '2', '-i', '0.5', h2global);
    expect(ping.stderr).toBe('');
    expect(ping.code).toBe(0);
    expect(ping.stdout).toMatch(/2 packets transmitted, 2 packets received/);
    expect((await cap).code).toBe(0);
    const frames = readPcapng(readFileSync(pcap));
    // Echo requests toward h2 leave h1 through r1:em1 and replies come back: at least 4 frames.
    const echoes = frames.filter((f) => f.data[12] === 0x86 && f.data[13] === 0xdd && f.data[20] === 58);
    expect(echoes.length).toBeGreaterThanOrEqual(4);
    if (onPath('tshark')) {
      const lines = execFileSync('tshark', ['-n', '-r', pcap, '-Y', 'icmpv6.type == 128'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      expect(lines).toContain(h2global);
    }

    // A program that is not kame gets the node in KAME_NODE.
    const env = await kame('lab', 'exec', 'r2', '--', 'sh', '-c', 'echo "$KAME_NODE"; exit 3');
    expect(env.code).toBe(3);
    expect(env.stdout.trim()).toBe(join(labdir, 'r2.sock'));

    // down: the supervisor stops daemons (final RAs), kame-kernel; nothing is left.
    const down = await kame('lab', 'down');
    expect(down.code).toBe(0);
    await until('kame lab up to return', () => upCode !== undefined, 20_000);
    expect(upCode).toBe(0);
    for (const p of state.processes) expect(`${p.name} ${alive(p.pid)}`).toBe(`${p.name} false`);
    expect(existsSync(labdir)).toBe(false);
    expect(readdirSync(rundir).filter((f) => f !== 'lan1.pcapng')).toEqual([]);
    expect(out).toContain('lab quickstart: down');
  });
});
