import { MAX_TIMEOUT_MS, RealClock } from './real-clock';

describe('RealClock', () => {
  it('runs zero-delay timers on the next turn, in order, without the 1 ms setTimeout floor', async () => {
    const c = new RealClock();
    const order: number[] = [];
    const t0 = c.now();
    let n = 0;
    await new Promise<void>((done) => {
      const tick = () => {
        order.push(n);
        if (++n < 200) c.setTimer(0, tick);
        else done();
      };
      c.setTimer(0, tick);
    });
    expect(order).toHaveLength(200);
    // 200 chained 1 ms timeouts would take >= 200 ms.
    expect(c.now() - t0).toBeLessThan(150);
  });

  it('a cancelled timer does not fire (both kinds)', async () => {
    const c = new RealClock();
    let fired = 0;
    const a = c.setTimer(0, () => fired++);
    const b = c.setTimer(5, () => fired++);
    a.cancel();
    b.cancel();
    expect(a.pending).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toBe(0);
  });

  it('a delayed timer fires after about its delay', async () => {
    const c = new RealClock();
    const t0 = c.now();
    await new Promise<void>((r) => c.setTimer(30, () => r()));
    expect(c.now() - t0).toBeGreaterThanOrEqual(29);
  });
});

describe('RealClock long timers', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('a 30-day timer (RFC 4861 AdvValidLifetime) waits 30 days, not 1 ms (setTimeout caps at 2^31-1 ms)', () => {
    jest.useFakeTimers();
    const clock = new RealClock();
    const days30 = 2_592_000_000;
    let fired = 0;
    const t = clock.setTimer(days30, () => fired++);
    jest.advanceTimersByTime(1000);
    expect(fired).toBe(0);
    jest.advanceTimersByTime(MAX_TIMEOUT_MS);
    expect(fired).toBe(0);
    expect(t.pending).toBe(true);
    jest.advanceTimersByTime(days30 - MAX_TIMEOUT_MS - 1000);
    expect(fired).toBe(1);
    expect(t.pending).toBe(false);
  });

  it('cancel works across the steps of a long timer', () => {
    jest.useFakeTimers();
    const clock = new RealClock();
    let fired = 0;
    const t = clock.setTimer(MAX_TIMEOUT_MS * 2, () => fired++);
    jest.advanceTimersByTime(MAX_TIMEOUT_MS + 5);
    t.cancel();
    jest.advanceTimersByTime(MAX_TIMEOUT_MS * 2);
    expect(fired).toBe(0);
  });
});
