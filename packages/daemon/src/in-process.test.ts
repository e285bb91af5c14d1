import { SeededRandom, VirtualClock } from '@kame/time';
import type { KernelClient } from '@kame/kernel-api';
import { exitedDaemon, inProcessLogger, signalExitStatus, type InProcessContext } from './in-process';

describe('in-process daemon helpers', () => {
  it('signalExitStatus is 128 + the FreeBSD signal number', () => {
    expect(signalExitStatus('SIGTERM')).toBe(143);
    expect(signalExitStatus('SIGQUIT')).toBe(131);
    expect(signalExitStatus('SIGUSR1')).toBe(158);
  });

  it('exitedDaemon is already over: exited and stop() resolve with its code', async () => {
    const d = exitedDaemon(0, 'usage shown');
    expect(await d.exited).toBe(0);
    expect(await d.stop()).toBe(0);
    expect(d.status()).toBe('usage shown');
  });

  it('inProcessLogger sends filtered records to ctx.log with the lab wall time', () => {
    const lines: string[] = [];
    const clock = new VirtualClock();
    const ctx: InProcessContext = {
      client: {} as KernelClient,
      node: 'r1',
      clock,
      random: new SeededRandom(1),
      log: (r, line) => lines.push(`${r.severity} ${line}`),
      readFile: () => '',
      writeFile: () => undefined,
      wallTime: () => Date.UTC(2026, 10, 26, 12, 0, 5),
    };
    const log = inProcessLogger(ctx, 'route6d', 'notice');
    log.info('hidden');
    log.notice('shown');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^notice Nov 26 \d\d:00:05 route6d(\[\d+\])?: shown\n$/);
  });
});
