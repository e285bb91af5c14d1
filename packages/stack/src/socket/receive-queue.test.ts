import { ReceiveQueue } from './receive-queue';

describe('ReceiveQueue', () => {
  it('holds whole datagrams up to the byte limit and counts drops', () => {
    const q = new ReceiveQueue<string>(10);
    expect(q.push('a', 6)).toBe(true);
    expect(q.push('b', 5)).toBe(false);
    expect(q.push('c', 4)).toBe(true);
    expect([q.bytes, q.length, q.drops]).toEqual([10, 2, 1]);
    expect(q.shift()).toBe('a');
    expect(q.bytes).toBe(4);
    q.clear();
    expect(q.shift()).toBeUndefined();
  });
});
