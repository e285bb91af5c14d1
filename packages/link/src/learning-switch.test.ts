import { VirtualClock } from '@kame/time';
import { BROADCAST, frame, MAC_A, MAC_B, MAC_C, MAC_D, record } from '../test/frames';
import { LearningSwitch } from './learning-switch';

function setup(opts: { agingMs?: number; maxEntries?: number } = {}) {
  const clock = new VirtualClock();
  const sw = new LearningSwitch('sw0', { clock, ...opts });
  const [a, b, c] = ['a', 'b', 'c'].map((n) => sw.attach(n)) as [
    ReturnType<typeof sw.attach>,
    ReturnType<typeof sw.attach>,
    ReturnType<typeof sw.attach>,
  ];
  const now = () => clock.now();
  return { clock, sw, a, b, c, ra: record(a, now), rb: record(b, now), rc: record(c, now) };
}

describe('LearningSwitch', () => {
  it('floods unknown unicast, then forwards only to the learned port once the reply taught it', () => {
    const { clock, sw, a, b, ra, rb, rc } = setup();
    a.send(frame(MAC_B, MAC_A, 1)); // B unknown: flood
    clock.advance(0);
    expect([rb.length, rc.length]).toEqual([1, 1]);
    b.send(frame(MAC_A, MAC_B, 2)); // A learned on port a: forward
    clock.advance(0);
    expect([ra.length, rc.length]).toEqual([1, 1]);
    a.send(frame(MAC_B, MAC_A, 3)); // B now learned on port b
    clock.advance(0);
    expect([rb.length, rc.length]).toEqual([2, 1]);
    expect(sw.stats).toMatchObject({ learned: 2, flooded: 1, unknownUnicast: 1, forwarded: 2 });
    expect(sw.table.size).toBe(2);
  });

  it('floods broadcast, IPv6 (33:33:...) and IPv4 (01:00:5e:...) multicast to all other ports', () => {
    const { clock, sw, a, b, c, ra, rb, rc } = setup();
    // everyone is learned first
    for (const [p, mac] of [
      [a, MAC_A],
      [b, MAC_B],
      [c, MAC_C],
    ] as const)
      p.send(frame(MAC_D, mac));
    clock.advance(0);
    const before = [ra.length, rb.length, rc.length];
    for (const dst of [BROADCAST, '33:33:00:00:00:01', '01:00:5e:00:00:fb']) a.send(frame(dst, MAC_A));
    clock.advance(0);
    expect([ra.length, rb.length, rc.length]).toEqual([before[0], before[1]! + 3, before[2]! + 3]);
    expect(sw.stats.flooded).toBe(6);
  });

  it('filters a frame whose destination was learned on the port it came from', () => {
    const { clock, sw, a, rb, rc } = setup();
    a.send(frame(MAC_D, MAC_A));
    a.send(frame(MAC_D, MAC_C)); // C also lives behind port a (e.g. a hub there)
    clock.advance(0);
    const seen = rb.length + rc.length;
    a.send(frame(MAC_C, MAC_A));
    clock.advance(0);
    expect(rb.length + rc.length).toBe(seen);
    expect(sw.stats.filtered).toBe(1);
  });

  it('ages an entry out after 300 s of silence (default) and floods again; traffic refreshes it', () => {
    const { clock, sw, a, b, rc } = setup();
    b.send(frame(MAC_A, MAC_B)); // learn B
    clock.advance(200_000);
    b.send(frame(MAC_A, MAC_B)); // refresh at 200 s
    clock.advance(299_000); // t = 499 s: still known
    a.send(frame(MAC_B, MAC_A));
    clock.advance(0);
    const cBefore = rc.length;
    expect(sw.stats.forwarded).toBe(1);
    clock.advance(1_000); // t = 500 s: B aged out by the timer
    expect(sw.stats.agedOut).toBe(1);
    expect(sw.table.entries().map((e) => e.mac)).toEqual([MAC_A]);
    a.send(frame(MAC_B, MAC_A));
    clock.advance(0);
    expect(rc.length).toBe(cBefore + 1); // flooded
    expect(sw.stats.unknownUnicast).toBe(3); // two to A before it spoke, one to aged-out B
  });

  it('bounds the table: when full, new addresses are not learned (counted) and their traffic floods', () => {
    const { clock, sw, a, b, c, rc } = setup({ maxEntries: 2, agingMs: 10_000 });
    a.send(frame(BROADCAST, MAC_A));
    b.send(frame(BROADCAST, MAC_B));
    a.send(frame(BROADCAST, MAC_D)); // table full: D not learned
    clock.advance(0);
    expect(sw.table.size).toBe(2);
    expect(sw.stats.tableFull).toBe(1);
    const cBefore = rc.length;
    b.send(frame(MAC_D, MAC_B)); // D unknown: flooded to a and c
    clock.advance(0);
    expect(rc.length).toBe(cBefore + 1);
    // once entries age out there is room again
    clock.advance(10_000);
    expect(sw.table.size).toBe(0);
    c.send(frame(BROADCAST, MAC_C));
    clock.advance(0);
    expect(sw.stats.learned).toBe(3);
  });

  it('follows a station that moves to another port', () => {
    const { clock, sw, a, b, c, ra, rc } = setup();
    a.send(frame(BROADCAST, MAC_D));
    clock.advance(0);
    c.send(frame(BROADCAST, MAC_D)); // D moved from port a to port c
    clock.advance(0);
    const aBefore = ra.length;
    const cBefore = rc.length;
    b.send(frame(MAC_D, MAC_B));
    clock.advance(0);
    expect(ra.length).toBe(aBefore);
    expect(rc.length).toBe(cBefore + 1);
    expect(sw.stats.moved).toBe(1);
  });

  it('forgets addresses learned on a port that closes', () => {
    const { clock, sw, b } = setup();
    b.send(frame(BROADCAST, MAC_B));
    clock.advance(0);
    expect(sw.table.size).toBe(1);
    b.close();
    expect(sw.table.size).toBe(0);
  });

  it('never learns a group (multicast) source address', () => {
    const { clock, sw, a } = setup();
    a.send(frame(BROADCAST, '33:33:00:00:00:01'));
    clock.advance(0);
    expect(sw.table.size).toBe(0);
    expect(sw.stats.learned).toBe(0);
  });

  it('rejects a nonsensical aging time or table size with a teaching error', () => {
    const clock = new VirtualClock();
    expect(() => new LearningSwitch('x', { clock, agingMs: 0 })).toThrow(/aging time 0 ms must be > 0/);
    expect(() => new LearningSwitch('x', { clock, maxEntries: 0 })).toThrow(/table size 0/);
  });
});
