import { VirtualClock } from '@kame/time';
import { formatMacKey, macTableKey, MacTable, type MacTableOptions } from './mac-table';

describe('MacTable', () => {
  it('keys a MAC address as its exact 48-bit value', () => {
    expect(macTableKey(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe(2 ** 48 - 1);
    expect(macTableKey(Uint8Array.of(9, 9, 0, 0, 0, 0, 0, 1), 2)).toBe(1);
  });

  it('packs 6 bytes at an offset into an exact number and formats it back', () => {
    const b = new Uint8Array([0, 0, 0xff, 0xfe, 0x80, 0x01, 0x02, 0x03]);
    expect(macTableKey(b, 2)).toBe(0xfffe80010203);
    expect(formatMacKey(macTableKey(b, 2))).toBe('ff:fe:80:01:02:03');
    expect(formatMacKey(2)).toBe('00:00:00:00:00:02');
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

/** The VXLAN segment's configuration: lazy aging (no timers), the least recently seen entry goes when full. */
const FDB: MacTableOptions = { whenFull: 'evict-oldest', agingTimer: false };

describe('MacTable as a VXLAN fdb (evict-oldest, lazy aging)', () => {
  it('learns, refreshes and reports moves', () => {
    const t = new MacTable<string>(new VirtualClock(), FDB);
    expect(t.learn(1, 'a')).toBe('learned');
    expect(t.learn(1, 'a')).toBe('refreshed');
    expect(t.learn(1, 'b')).toBe('moved');
    expect(t.lookup(1)).toBe('b');
    expect(t.lookup(2)).toBeUndefined();
  });

  it('ages entries on the injected clock', () => {
    const clock = new VirtualClock();
    const t = new MacTable<string>(clock, { ...FDB, agingMs: 1000 });
    t.learn(1, 'a');
    clock.advance(600);
    t.learn(2, 'b');
    clock.advance(600);
    expect(t.lookup(1)).toBeUndefined();
    expect(t.lookup(2)).toBe('b');
    // age 600 ms of 1000: 400 ms left
    expect(t.entries()).toEqual([{ mac: '00:00:00:00:00:02', port: 'b', expiresInMs: 400 }]);
    clock.advance(401);
    expect(t.size).toBe(1);
    expect(t.entries()).toEqual([]);
    expect(t.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('relearns an aged-out entry that was not yet removed as new', () => {
    const clock = new VirtualClock();
    const t = new MacTable<string>(clock, { ...FDB, agingMs: 1000 });
    t.learn(1, 'a');
    clock.advance(1000);
    expect(t.learn(1, 'a')).toBe('learned');
    expect([t.size, t.agedOut]).toEqual([1, 1]);
  });

  it('is bounded: the least recently seen entry goes first', () => {
    const clock = new VirtualClock();
    const t = new MacTable<string>(clock, { ...FDB, maxEntries: 3 });
    t.learn(1, 'a');
    clock.advance(1);
    t.learn(2, 'b');
    clock.advance(1);
    t.learn(3, 'c');
    clock.advance(1);
    t.learn(1, 'a'); // refresh 1: now 2 is the oldest
    expect(t.learn(4, 'd')).toBe('learned');
    expect(t.size).toBe(3);
    expect(t.evicted).toBe(1);
    expect(t.lookup(2)).toBeUndefined();
    expect([1, 3, 4].map((m) => t.lookup(m))).toEqual(['a', 'c', 'd']);
  });

  it('removes by remote and rejects bad bounds', () => {
    const t = new MacTable<string>(new VirtualClock(), FDB);
    t.learn(1, 'a');
    t.learn(2, 'b');
    t.learn(3, 'a');
    expect(t.removePort('a')).toBe(2);
    expect(t.size).toBe(1);
    expect(() => new MacTable(new VirtualClock(), { ...FDB, maxEntries: 0 })).toThrow(RangeError);
    expect(() => new MacTable(new VirtualClock(), { ...FDB, agingMs: 0 })).toThrow(RangeError);
  });
});
