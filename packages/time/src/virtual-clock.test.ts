import { VirtualClock } from './virtual-clock';

describe('VirtualClock', () => {
  it('fires timers in deadline order, ties in the order they were set', () => {
    const c = new VirtualClock();
    const log: string[] = [];
    c.setTimer(30, () => log.push('c30'));
    c.setTimer(10, () => log.push('a10'));
    c.setTimer(10, () => log.push('b10'));
    c.setTimer(0, () => log.push('z0'));
    c.advance(29);
    expect(log).toEqual(['z0', 'a10', 'b10']);
    expect(c.now()).toBe(29);
    c.advance(1);
    expect(log).toEqual(['z0', 'a10', 'b10', 'c30']);
  });

  it('now() inside a callback is the timer deadline, not the advance target', () => {
    const c = new VirtualClock(1000);
    const seen: number[] = [];
    c.setTimer(250, () => seen.push(c.now()));
    c.setTimer(750, () => seen.push(c.now()));
    c.advance(10_000);
    expect(seen).toEqual([1250, 1750]);
    expect(c.now()).toBe(11_000);
  });

  it('cancelled timers never fire and are not counted as pending', () => {
    const c = new VirtualClock();
    let fired = 0;
    const t = c.setTimer(5, () => fired++);
    c.setTimer(6, () => fired++);
    expect(c.pendingTimers).toBe(2);
    t.cancel();
    t.cancel();
    expect(t.pending).toBe(false);
    expect(c.pendingTimers).toBe(1);
    c.advance(10);
    expect(fired).toBe(1);
    expect(c.pendingTimers).toBe(0);
  });

  it('timers armed by callbacks within the window fire in the same advance', () => {
    const c = new VirtualClock();
    const at: number[] = [];
    const tick = () => {
      at.push(c.now());
      if (at.length < 5) c.setTimer(1000, tick);
    };
    c.setTimer(1000, tick);
    c.advance(30 * 60 * 1000);
    expect(at).toEqual([1000, 2000, 3000, 4000, 5000]);
  });

  it('runs 30 simulated minutes of a 1 s periodic timer (1800 firings) deterministically', () => {
    const c = new VirtualClock();
    let n = 0;
    const tick = () => {
      n++;
      c.setTimer(1000, tick);
    };
    c.setTimer(1000, tick);
    c.advance(30 * 60 * 1000);
    expect(n).toBe(1800);
  });

  it('bounds a runaway zero-delay loop with an error instead of hanging', () => {
    const c = new VirtualClock();
    const again = () => c.setTimer(0, again);
    c.setTimer(0, again);
    expect(() => c.runUntil(0, 1000)).toThrow(/more than 1000 events/);
  });

  it('runUntilTrue stops at the first moment the predicate holds', () => {
    const c = new VirtualClock();
    let done = false;
    c.setTimer(300, () => (done = true));
    c.setTimer(900, () => undefined);
    expect(c.runUntilTrue(() => done, 10_000)).toBe(true);
    expect(c.now()).toBe(300);
    expect(c.runUntilTrue(() => false, 100)).toBe(false);
    expect(c.now()).toBe(400);
  });

  it('runAll drains every pending timer', () => {
    const c = new VirtualClock();
    c.setTimer(5, () => c.setTimer(7, () => undefined));
    expect(c.runAll()).toBe(2);
    expect(c.now()).toBe(12);
    expect(c.nextDeadline()).toBeUndefined();
  });

  it('compacts many cancelled timers without losing live ones', () => {
    const c = new VirtualClock();
    let fired = 0;
    const timers = Array.from({ length: 5000 }, (_, i) => c.setTimer(i + 1, () => fired++));
    timers.forEach((t, i) => i % 10 !== 0 && t.cancel());
    c.advance(10_000);
    expect(fired).toBe(500);
  });

  it('rejects negative or non-finite delays', () => {
    const c = new VirtualClock();
    expect(() => c.setTimer(-1, () => undefined)).toThrow(RangeError);
    expect(() => c.setTimer(NaN, () => undefined)).toThrow(RangeError);
    expect(() => c.advance(-5)).toThrow(RangeError);
  });
});
