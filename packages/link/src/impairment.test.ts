import { SeededRandom, VirtualClock } from '@kame/time';
import { frame, MAC_A, MAC_B, record, seqOf } from '../test/frames';
import { Hub } from './hub';
import type { Impairment } from './impairment';

/** Two ports on a hub, seeded, in virtual time: a sends, b records arrivals. */
function link(seed = 1) {
  const clock = new VirtualClock();
  const hub = new Hub('seg', { clock, random: new SeededRandom(seed) });
  const a = hub.attach('a');
  const b = hub.attach('b');
  return { clock, hub, a, b, rb: record(b, () => clock.now()) };
}

function sendMany(send: (f: Uint8Array) => void, n: number, payloadLen = 46): void {
  for (let i = 0; i < n; i++) send(frame(MAC_B, MAC_A, i, payloadLen));
}

describe('impairments', () => {
  it('delay: egress 25 ms arrives at exactly 25 ms; egress 25 + ingress 10 at exactly 35 ms', () => {
    const { clock, a, b, rb } = link();
    a.impair({ egress: { delayMs: 25 } });
    a.send(frame(MAC_B, MAC_A, 1));
    clock.advance(24.999);
    expect(rb).toHaveLength(0);
    clock.advance(1);
    expect(rb.map((r) => r.at)).toEqual([25]);
    b.impair({ ingress: { delayMs: 10 } });
    a.send(frame(MAC_B, MAC_A, 2));
    clock.advance(100);
    expect(rb[1]!.at).toBe(25.999 + 35);
  });

  it('jitter: every delay stays within delay ± jitter and the spread uses most of the range', () => {
    const { clock, a, rb } = link();
    a.impair({ egress: { delayMs: 50, jitterMs: 10 } });
    sendMany((f) => a.send(f), 1000);
    clock.advance(100);
    const at = rb.map((r) => r.at);
    expect(at).toHaveLength(1000);
    expect(Math.min(...at)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...at)).toBeLessThanOrEqual(60);
    expect(Math.max(...at) - Math.min(...at)).toBeGreaterThan(18);
  });

  it('jitter never makes a delay negative: delay 0 ± 5 stays >= 0', () => {
    const { clock, a, rb } = link();
    a.impair({ egress: { jitterMs: 5 } });
    sendMany((f) => a.send(f), 200);
    clock.advance(10);
    expect(rb).toHaveLength(200);
    expect(Math.min(...rb.map((r) => r.at))).toBe(0);
  });

  it('loss 10% over 10,000 frames: within 4 sigma of 1,000 lost, counted in stats.dropped', () => {
    const { clock, a, rb } = link(42);
    a.impair({ egress: { loss: 0.1 } });
    sendMany((f) => a.send(f), 10_000);
    clock.advance(1);
    const lost = 10_000 - rb.length;
    const sigma = Math.sqrt(10_000 * 0.1 * 0.9); // 30
    expect(Math.abs(lost - 1000)).toBeLessThan(4 * sigma);
    expect(a.stats.dropped).toBe(lost);
    expect(a.stats.framesOut).toBe(10_000);
  });

  it('loss 1 drops everything; loss 0 drops nothing', () => {
    const { clock, a, rb } = link();
    a.impair({ egress: { loss: 1 } });
    sendMany((f) => a.send(f), 100);
    clock.advance(1);
    expect(rb).toHaveLength(0);
    a.impair({ egress: { loss: 0 } });
    sendMany((f) => a.send(f), 100);
    clock.advance(1);
    expect(rb).toHaveLength(100);
  });

  it('duplication: received = sent + duplicated, about half duplicated at p = 0.5, copies identical', () => {
    const { clock, a, rb } = link(7);
    a.impair({ egress: { duplicate: 0.5 } });
    sendMany((f) => a.send(f), 2000);
    clock.advance(1);
    expect(rb.length).toBe(2000 + a.stats.duplicated);
    expect(Math.abs(a.stats.duplicated - 1000)).toBeLessThan(4 * Math.sqrt(2000 * 0.25));
    const counts = new Map<number, number>();
    for (const r of rb) counts.set(seqOf(r.frame), (counts.get(seqOf(r.frame)) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 1 || n === 2)).toBe(true);
    expect(counts.size).toBe(2000);
  });

  it('reordering: held-back frames arrive reorderDelayMs late and later frames overtake them', () => {
    const { clock, a, rb } = link(3);
    a.impair({ egress: { delayMs: 5, reorder: 0.25, reorderDelayMs: 3 } });
    for (let i = 0; i < 400; i++) {
      a.send(frame(MAC_B, MAC_A, i));
      clock.advance(1);
    }
    clock.advance(20);
    const seqs = rb.map((r) => seqOf(r.frame));
    expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    const inversions = seqs.filter((s, i) => i > 0 && s < seqs[i - 1]!).length;
    expect(inversions).toBeGreaterThan(50);
    // each frame arrived at 5 ms (on time) or 8 ms (held back) after it was sent at t = seq
    for (const r of rb) expect([5, 8]).toContain(r.at - seqOf(r.frame));
  });

  it('rate limit: 1 Mbit/s serializes 1250-byte frames 10 ms apart, after the propagation delay', () => {
    const { clock, a, rb } = link();
    a.impair({ egress: { rateBitsPerSecond: 1_000_000, delayMs: 2 } });
    sendMany((f) => a.send(f), 3, 1250 - 14);
    clock.advance(100);
    expect(rb.map((r) => r.at)).toEqual([12, 22, 32]);
  });

  it('rate limit: a full queue drops (1 on the wire + queueFrames waiting get through)', () => {
    const { clock, a, rb } = link();
    a.impair({ egress: { rateBitsPerSecond: 8_000_000, queueFrames: 2 } });
    sendMany((f) => a.send(f), 10, 986); // 1000 bytes = 1 ms each
    clock.advance(1.5); // first frame done at 1 ms, the queue has room for one more
    a.send(frame(MAC_B, MAC_A, 99, 986));
    clock.advance(50);
    expect(rb.map((r) => seqOf(r.frame))).toEqual([0, 1, 2, 99]);
    expect(rb.map((r) => r.at)).toEqual([1, 2, 3, 4]);
    expect(a.stats.dropped).toBe(7);
  });

  it('MTU: an impairment MTU of 1280 passes a 1294-byte frame and drops a 1295-byte one', () => {
    const { clock, a, rb } = link();
    a.impair({ egress: { mtu: 1280 } });
    a.send(frame(MAC_B, MAC_A, 1, 1280));
    a.send(frame(MAC_B, MAC_A, 2, 1281));
    clock.advance(1);
    expect(rb.map((r) => seqOf(r.frame))).toEqual([1]);
    expect(a.stats.dropped).toBe(1);
  });

  it('an ingress impairment touches only its own endpoint; egress loss hits every receiver', () => {
    const { clock, hub, a, b, rb } = link();
    const c = hub.attach('c');
    const rc = record(c, () => clock.now());
    c.impair({ ingress: { loss: 1 } });
    a.send(frame(MAC_B, MAC_A));
    clock.advance(1);
    expect([rb.length, rc.length]).toEqual([1, 0]);
    expect([b.stats.dropped, c.stats.dropped]).toEqual([0, 1]);
    c.impair({ ingress: {} });
    a.impair({ egress: { loss: 1 } });
    a.send(frame(MAC_B, MAC_A));
    clock.advance(1);
    expect([rb.length, rc.length]).toEqual([1, 0]);
  });

  it('carrier down on one port: its sends and arrivals are dropped, only it hears onCarrier, restore brings traffic back', () => {
    const { clock, hub, a, b, rb } = link();
    const c = hub.attach('c');
    const events: string[] = [];
    for (const p of [a, b, c]) p.onCarrier((up) => events.push(`${p.name}:${up}`));
    b.setCarrier(false);
    expect(b.carrier).toBe(false);
    a.send(frame(MAC_B, MAC_A));
    b.send(frame(MAC_A, MAC_B));
    clock.advance(1);
    expect(rb).toHaveLength(0);
    expect(b.stats.dropped).toBe(2); // one arrival, one send
    expect(c.stats.framesIn).toBe(1);
    b.setCarrier(false); // no change, no event
    b.setCarrier(true);
    a.send(frame(MAC_B, MAC_A));
    clock.advance(1);
    expect(rb).toHaveLength(1);
    expect(events).toEqual(['b:false', 'b:true']);
  });

  it('cutting the cable drops frames already in flight', () => {
    const { clock, a, b, rb } = link();
    b.impair({ ingress: { delayMs: 100 } });
    a.impair({ egress: { delayMs: 100 } });
    a.send(frame(MAC_B, MAC_A, 1)); // in a's egress until 100
    clock.advance(150); // now in b's ingress until 200
    a.send(frame(MAC_B, MAC_A, 2)); // in a's egress until 250
    b.setCarrier(false);
    a.setCarrier(false);
    b.setCarrier(true);
    a.setCarrier(true);
    clock.advance(500);
    expect(rb).toHaveLength(0);
    expect(a.stats.dropped + b.stats.dropped).toBe(2);
  });

  it('a segment-wide carrier loss notifies every endpoint, and recovery does too', () => {
    const { hub, a, b } = link();
    const events: string[] = [];
    a.onCarrier((up) => events.push(`a:${up}`));
    b.onCarrier((up) => events.push(`b:${up}`));
    hub.setCarrier(false);
    expect([a.carrier, b.carrier]).toEqual([false, false]);
    b.setCarrier(false); // b's own cable: still down, no new event
    hub.setCarrier(true);
    expect(events).toEqual(['a:false', 'b:false', 'a:true']);
    expect(b.carrier).toBe(false);
  });

  it('rejects an impossible impairment with a RangeError naming the field and changes nothing', () => {
    const { a } = link();
    a.impair({ egress: { delayMs: 5 } });
    const bad: Impairment[] = [
      { loss: 1.5 },
      { delayMs: -1 },
      { jitterMs: Infinity },
      { rateBitsPerSecond: 0 },
      { queueFrames: 1.5 },
      { mtu: -3 },
    ];
    for (const egress of bad) expect(() => a.impair({ ingress: {}, egress })).toThrow(RangeError);
    expect(() => a.impair({ egress: { duplicate: 2 } })).toThrow(/duplicate: 2 must be a probability/);
    expect(a.impairments).toEqual({ egress: { delayMs: 5 } });
  });

  it('impair() replaces the directions it names and keeps the others; {} clears one', () => {
    const { a } = link();
    a.impair({ egress: { delayMs: 5 }, ingress: { loss: 0.5 } });
    a.impair({ egress: { jitterMs: 1 } });
    expect(a.impairments).toEqual({ egress: { jitterMs: 1 }, ingress: { loss: 0.5 } });
    a.impair({ ingress: {} });
    expect(a.impairments).toEqual({ egress: { jitterMs: 1 } });
  });

  it('is deterministic: the same seed gives the same arrivals; another seed different ones', () => {
    const run = (seed: number) => {
      const { clock, a, rb } = link(seed);
      a.impair({ egress: { delayMs: 10, jitterMs: 4, loss: 0.1, duplicate: 0.1, reorder: 0.1 } });
      for (let i = 0; i < 300; i++) {
        a.send(frame(MAC_B, MAC_A, i));
        clock.advance(0.5);
      }
      clock.advance(100);
      return rb.map((r) => `${seqOf(r.frame)}@${r.at.toFixed(6)}`);
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });
});
