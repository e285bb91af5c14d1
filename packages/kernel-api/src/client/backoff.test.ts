import { Backoff } from './backoff';

describe('Backoff', () => {
  it('starts at initialMs, multiplies by factor, caps at maxMs, resets', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(b.attempts).toBe(6);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('refuses nonsense options', () => {
    expect(() => new Backoff({ initialMs: 100, maxMs: 50, factor: 2 })).toThrow(RangeError);
    expect(() => new Backoff({ initialMs: 100, maxMs: 500, factor: 0.5 })).toThrow(RangeError);
  });
});
