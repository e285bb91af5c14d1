import { spawn } from 'node:child_process';
import { processAlive } from '../src/process';

describe('processAlive', () => {
  it('is true for a running process and false for a zombie that kill(pid, 0) still finds', async () => {
    expect(processAlive(process.pid)).toBe(true);
    // sh starts `true` in the background and does not wait for it: `true` is a zombie while sh sleeps.
    const sh = spawn('sh', ['-c', 'true & echo $!; exec sleep 2'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombie = await new Promise<number>((resolve) =>
      sh.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
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
    expect(processAlive(sh.pid!)).toBe(true);
    sh.kill('SIGKILL');
    await new Promise<void>((resolve) => sh.once('exit', () => resolve()));
    expect(processAlive(sh.pid!)).toBe(false);
  });
});
