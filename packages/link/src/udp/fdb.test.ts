import { VirtualClock } from '@kame/time';
import { LearningTable, formatMacKey, macKey } from './fdb';

describe('macKey', () => {
  it('packs 6 bytes at an offset into an exact number', () => {
    const b = new Uint8Array([0, 0, 0xff, 0xfe, 0x80, 0x01, 0x02, 0x03]);
    expect(macKey(b, 2)).toBe(0xfffe80010203);
    expect(formatMacKey(macKey(b, 2))).toBe('ff:fe:80:01:02:03');
    expect(formatMacKey(2)).toBe('00:00:00:00:00:02');
  });
});

describe('LearningTable', () => {
  it('learns, refreshes and reports moves', () => {
    const t = new LearningTable<string>(new VirtualClock());
    expect(t.learn(1, 'a')).toBe(true);
    expect(t.learn(1, 'a')).toBe(false);
    expect(t.learn(1, 'b')).toBe(true);
    expect(t.lookup(1)).toBe('b');
    expect(t.lookup(2)).toBeUndefined();
  });

  it('ages entries on the injected clock', () => {
    const clock = new VirtualClock();
    const t = new LearningTable<string>(clock, { agingMs: 1000 });
    t.learn(1, 'a');
    clock.advance(600);
    t.learn(2, 'b');
    clock.advance(600);
    expect(t.lookup(1)).toBeUndefined();
    expect(t.lookup(2)).toBe('b');
    expect(t.entries()).toEqual([{ mac: '00:00:00:00:00:02', remote: 'b', ageMs: 600 }]);
    clock.advance(401);
    expect(t.size).toBe(1);
    expect(t.entries()).toEqual([]);
    expect(t.size).toBe(0);
  });

  it('is bounded: the least recently seen entry goes first', () => {
    const clock = new VirtualClock();
    const t = new LearningTable<string>(clock, { maxEntries: 3 });
    t.learn(1, 'a');
    clock.advance(1);
    t.learn(2, 'b');
    clock.advance(1);
    t.learn(3, 'c');
    clock.advance(1);
    t.learn(1, 'a'); // refresh 1: now 2 is the oldest
    t.learn(4, 'd');
    expect(t.size).toBe(3);
    expect(t.lookup(2)).toBeUndefined();
    expect([1, 3, 4].map((m) => t.lookup(m))).toEqual(['a', 'c', 'd']);
  });

  it('purges by remote and rejects bad bounds', () => {
    const t = new LearningTable<string>(new VirtualClock());
    t.learn(1, 'a');
    t.learn(2, 'b');
    t.learn(3, 'a');
    expect(t.purge((r) => r === 'a')).toBe(2);
    expect(t.size).toBe(1);
    expect(() => new LearningTable(new VirtualClock(), { maxEntries: 0 })).toThrow(RangeError);
    expect(() => new LearningTable(new VirtualClock(), { agingMs: 0 })).toThrow(RangeError);
  });
});
