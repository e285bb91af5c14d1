import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '@kame/time';
import { readPcapng } from '@kame/wire';
import { BROADCAST, frame, MAC_A, MAC_B } from '../test/frames';
import { Hub } from './hub';
import { openPcapngFileTap } from './pcapng-file-tap';

function which(cmd: string): boolean {
  try {
    execFileSync('which', [cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const hasTshark = which('tshark');
if (!hasTshark) console.log('pcapng-file-tap: tshark not installed; skipping the tshark check (CI has it)');

describe('openPcapngFileTap', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kame-tap-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function capture(path: string) {
    const clock = new VirtualClock();
    const hub = new Hub('seg', { clock });
    const a = hub.attach('r1:em0');
    const b = hub.attach('r2:em0');
    const tap = openPcapngFileTap(path, [a, b], clock, { epochOffsetMs: Date.parse('2024-06-01T12:00:00Z') });
    for (let i = 0; i < 5; i++) {
      a.send(frame(i % 2 ? MAC_B : BROADCAST, MAC_A, i, 46 + i * 100));
      clock.advance(1);
      b.send(frame(MAC_A, MAC_B, 100 + i));
      clock.advance(1);
    }
    tap.close();
    return tap;
  }

  it('writes a file that readPcapng reads back: every frame once per side', () => {
    const path = join(dir, 'seg.pcapng');
    capture(path);
    const pkts = readPcapng(new Uint8Array(readFileSync(path)));
    expect(pkts).toHaveLength(20); // 10 frames, each seen sent by one tap and received by the other
    const ts = pkts.map((p) => p.timestamp);
    expect([...ts].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(ts);
  });

  (hasTshark || process.env.CI ? it : it.skip)(
    'tshark reads every frame of a tap file with 0 malformed',
    () => {
      const path = join(dir, 'seg.pcapng');
      capture(path);
      const out = execFileSync(
        'tshark',
        [
          '-r',
          path,
          '-T',
          'fields',
          '-e',
          'frame.number',
          '-e',
          'frame.interface_name',
          '-e',
          '_ws.malformed',
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const lines = out.trim().split('\n');
      expect(lines).toHaveLength(20);
      expect(lines.filter((l) => (l.split('\t')[2] ?? '') !== '')).toEqual([]);
      expect(new Set(lines.map((l) => l.split('\t')[1]))).toEqual(
        new Set(['r1:em0/out', 'r1:em0/in', 'r2:em0/out', 'r2:em0/in']),
      );
    },
  );
});
