import { spawn } from 'node:child_process';
import { processAlive } from '../src/process';

describe('processAlive', () => {
  it('is true for a running process and false for a zombie that kill(pid, 0) still finds', async () => {
    expect(processAlive(process.pid)).toBe(true);
    // perl (Debian's perl-base is always there) forks a child that exits at once and never waits for it.
    const parent = spawn('perl', ['-e', '$| = 1; my $p = fork(); exit 0 unless $p; print "$p\\n"; sleep 2'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const zombie = await new Promise<number>((resolve) =>
      parent.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
    await new Promise((r) => setTimeout(r, 300));
    let killZero = true;
    try {
      process.kill(zombie, 0);
    } catch {
      killZero = false;
    }
    expect(killZero).toBe(true);
    expect(processAlive(zombie)).toBe(false);
    expect(processAlive(parent.pid!)).toBe(true);
    parent.kill('SIGKILL');
    await new Promise<void>((resolve) => parent.once('exit', () => resolve()));
    expect(processAlive(parent.pid!)).toBe(false);
  });
});
