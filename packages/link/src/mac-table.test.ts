import { VirtualClock } from '@kame/time';
import { macTableKey, MacTable } from './mac-table';

describe('MacTable', () => {
  it('keys a MAC address as its exact 48-bit value', () => {
    expect(macTableKey(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe(2 ** 48 - 1);
    expect(macTableKey(Uint8Array.of(9, 9, 0, 0, 0, 0, 0, 1), 2)).toBe(1);
  });

  it('reports learned / refreshed / moved / full and lists entries with time left', () => {
    const clock = new VirtualClock();
    const t = new MacTable<string>(clock, { maxEntries: 2, agingMs: 1000 });
    expect(t.learn(1, 'p1')).toBe('learned');
    clock.advance(100);
    expect(t.learn(2, 'p1')).toBe('learned');
    expect(t.learn(1, 'p1')).toBe('refreshed');
    expect(t.learn(1, 'p2')).toBe('moved');
    expect(t.learn(3, 'p1')).toBe('full');
    expect(t.entries()).toEqual([
      { mac: '00:00:00:00:00:02', port: 'p1', expiresInMs: 1000 },
      { mac: '00:00:00:00:00:01', port: 'p2', expiresInMs: 1000 },
    ]);
  });

  it('one timer ages entries out in refresh order and stops when the table is empty', () => {
    const clock = new VirtualClock();
    let aged = 0;
    const t = new MacTable<string>(clock, { agingMs: 1000 }, (n) => (aged += n));
    t.learn(1, 'p');
    clock.advance(500);
    t.learn(2, 'p');
    clock.advance(500);
    expect([t.lookup(1), t.lookup(2), aged]).toEqual([undefined, 'p', 1]);
    clock.advance(500);
    expect([t.size, aged, clock.pendingTimers]).toEqual([0, 2, 0]);
  });
});
