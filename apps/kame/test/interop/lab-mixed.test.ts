import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPcapng } from '@kame/wire';
import { run } from '../../src/cli';
import { linuxSkipReason, onPath, runCmd } from '../../src/lab/linux/net';
import { alive, forceDown, readState, type LabState } from '../../src/lab/supervisor/state';
import type { LabStatus } from '../../src/lab/types';
import { runCli, until as waitUntil } from '../support/run-cli';

/*
 * Issue 8, root only: labs/mixed-linux.yaml live. The Linux host lh1 autoconfigures from our
 * rtadvd (r1), our kame host h2 from Linux's radvd (lr1); the lab's checks pass; `kame lab down`
 * leaves no namespace, link, process or lab directory.
 */

const LABS = join(__dirname, '..', '..', '..', '..', 'labs');
const skip = linuxSkipReason() ?? (onPath('radvd') ? undefined : 'needs radvd (tools/interop/install.sh)');

let rundir: string;
let out = '';
let err = '';

const kame = (...argv: string[]) => runCli(argv, rundir);

const until = (what: string, ok: () => boolean, ms: number): Promise<void> =>
  waitUntil(what, ok, ms, () => `\nstdout:\n${out}\nstderr:\n${err}`);

async function namespaces(prefix: string): Promise<string[]> {
  const r = await runCmd('ip', ['netns', 'list']);
  return r.stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(prefix));
}

if (skip) {
  console.log(`SKIP: ${skip}`);
  describe('kame lab: mixed kame + Linux lab', () => {
    it.skip(`SKIP: ${skip}`, () => undefined);
  });
} else {
  describe('kame lab: mixed kame + Linux lab (live, root)', () => {
    beforeAll(() => {
      rundir = mkdtempSync(join(tmpdir(), 'kame-lab-mixed-'));
    });
    afterAll(async () => {
      const labdir = join(rundir, 'lab-mixed-linux');
      if (existsSync(labdir)) await forceDown(labdir, 3000);
      rmSync(rundir, { recursive: true, force: true });
    });

    it('Linux SLAACs from our rtadvd, kame from radvd; checks pass; down leaves no namespace', async () => {
      const up = run(['lab', 'up', join(LABS, 'mixed-linux.yaml'), '--rundir', rundir], {
        stdout: (s) => (out += s),
        stderr: (s) => (err += s),
        env: { ...process.env, KAME_RUNDIR: rundir },
      });
      let upCode: number | undefined;
      void up.then((c) => (upCode = c));
      await until(
        'the lab to come up',
        () => out.includes('lab mixed-linux is up') || upCode !== undefined,
        90_000,
      );
      expect(upCode).toBeUndefined();
      expect(out).toContain('checks: 3 of 3 passed');
      expect(out).toContain('daemon lr1/radvd: ready');

      const labdir = join(rundir, 'lab-mixed-linux');
      const state = readState(labdir) as LabState;
      expect(state.namespaces).toEqual(
        expect.arrayContaining(['kame-mixed-linux-lh1', 'kame-mixed-linux-lr1']),
      );

      const st = await kame('--json', 'lab', 'status');
      expect(st.code).toBe(0);
      const status = JSON.parse(st.stdout) as LabStatus;
      // lh1 (Linux) took a 2001:db8:1::/64 address from r1's rtadvd (its MAC's EUI-64).
      const lh1 = status.nodes.find((n) => n.name === 'lh1')!;
      expect(lh1.kind).toBe('linux');
      const lh1Addr = lh1.interfaces
        .find((i) => i.name === 'eth0')!
        .addresses.find((a) => a.startsWith('2001:db8:1:'));
      expect(lh1Addr).toMatch(/^2001:db8:1::ff:fe[0-9a-f]{2}:[0-9a-f]{1,4}\/64$/);
      // h2 (kame) took a 2001:db8:2::/64 address from lr1's radvd.
      const h2 = status.nodes.find((n) => n.name === 'h2')!;
      const h2Addr = h2.interfaces
        .find((i) => i.name === 'em0')!
        .addresses.find((a) => a.startsWith('2001:db8:2:'));
      expect(h2Addr).toBeDefined();
      const lr1 = status.nodes.find((n) => n.name === 'lr1')!;
      expect(lr1.daemons.map((d) => `${d.name} ${d.state}`)).toEqual(['radvd running']);

      // exec inside a linux node's namespace: Linux's ping to the kame host.
      const h2Global = h2Addr!.split('/')[0]!;
      const ping = await kame('lab', 'exec', 'lh1', '--', 'ping', '-6', '-n', '-c', '1', '-W', '2', h2Global);
      expect(ping.code).toBe(0);
      expect(ping.stdout).toContain('1 received');
      // A linux interface captured live (dumpcap in the namespace) while lh1 pings h2 again.
      if (onPath('dumpcap')) {
        const pcap = join(rundir, 'lh1.pcapng');
        const cap = kame('lab', 'capture', 'lh1:eth0', '-w', pcap, '--for', '4s');
        await new Promise((r) => setTimeout(r, 1500));
        await kame('lab', 'exec', 'lh1', '--', 'ping', '-6', '-n', '-c', '2', '-i', '0.5', h2Global);
        expect((await cap).code).toBe(0);
        const echoes = readPcapng(readFileSync(pcap)).filter((f) => f.data[20] === 58 && f.data[54] === 128);
        expect(echoes.length).toBeGreaterThanOrEqual(2);
      }
      // ...and kame's ping6 from h2 back to lh1.
      const back = await kame('lab', 'exec', 'h2', '--', 'kame', 'ping6', '-c', '1', lh1Addr!.split('/')[0]!);
      expect(back.code).toBe(0);

      const down = await kame('lab', 'down', 'mixed-linux');
      expect(down.code).toBe(0);
      await until('kame lab up to return', () => upCode !== undefined, 30_000);
      expect(upCode).toBe(0);
      expect(await namespaces('kame-mixed-linux-')).toEqual([]);
      const links = await runCmd('ip', ['-o', 'link', 'show']);
      for (const l of state.links) expect(links.stdout).not.toContain(`${l}:`);
      for (const p of state.processes) expect(`${p.name} ${alive(p.pid)}`).toBe(`${p.name} false`);
      expect(existsSync(labdir)).toBe(false);
    });
  });
}
