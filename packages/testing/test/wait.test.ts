import { RealClock, VirtualClock } from '@kame/time';
import { runUntil, sleep, waitUntil } from '../src/index';

describe('runUntil', () => {
  it('on a VirtualClock fires timers until the predicate holds, without real waiting', async () => {
    const clock = new VirtualClock();
    let fired = false;
    clock.setTimer(3000, () => (fired = true));
    expect(await runUntil(clock, () => fired, 10_000)).toBe(true);
    expect(clock.now()).toBe(3000);
  });

  it('on a VirtualClock stops at the deadline and returns false', async () => {
    const clock = new VirtualClock();
    expect(await runUntil(clock, () => false, 2500)).toBe(false);
    expect(clock.now()).toBe(2500);
  });

  it('on a RealClock polls an async predicate until it holds', async () => {
    const clock = new RealClock();
    const t0 = clock.now();
    let ready = false;
    void sleep(50).then(() => (ready = true));
    expect(await runUntil(clock, async () => ready, 2000, { intervalMs: 5 })).toBe(true);
    expect(clock.now() - t0).toBeLessThan(1000);
  });

  it('waitUntil rejects with what was awaited and the detail', async () => {
    const clock = new RealClock();
    await expect(
      waitUntil(clock, 'the moon', () => false, 30, { detail: () => 'still dark' }),
    ).rejects.toThrow(/timed out after 30 ms waiting for the moon\nstill dark/);
  });
});
