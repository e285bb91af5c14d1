import { VirtualClock } from '@kame/time';
import { frame, MAC_A, MAC_B, record, seqOf } from '../test/frames';
import { Hub } from './hub';

function setup(opts: { mtu?: number } = {}) {
  const clock = new VirtualClock();
  const hub = new Hub('seg0', { clock, ...opts });
  const a = hub.attach('a');
  const b = hub.attach('b');
  const c = hub.attach('c');
  const now = () => clock.now();
  return { clock, hub, a, b, c, ra: record(a, now), rb: record(b, now), rc: record(c, now) };
}

describe('Hub', () => {
  it('delivers a frame to every other endpoint and never back to the sender', () => {
    const { clock, a, ra, rb, rc } = setup();
    a.send(frame(MAC_B, MAC_A, 7));
    clock.advance(1);
    expect(ra).toHaveLength(0);
    expect(rb.map((r) => seqOf(r.frame))).toEqual([7]);
    expect(rc.map((r) => seqOf(r.frame))).toEqual([7]);
  });

  it('delivers asynchronously: nothing during send(), everything one zero-delay tick later', () => {
    const { clock, a, rb } = setup();
    const pendingBefore = clock.pendingTimers;
    a.send(frame(MAC_B, MAC_A));
    expect(rb).toHaveLength(0);
    expect(clock.pendingTimers).toBe(pendingBefore + 1);
    clock.advance(0);
    expect(rb).toHaveLength(1);
    expect(rb[0]!.at).toBe(0);
  });

  it('copies the frame once at send, so the sender may reuse its buffer', () => {
    const { clock, a, rb, rc } = setup();
    const buf = frame(MAC_B, MAC_A, 1);
    a.send(buf);
    buf.fill(0);
    clock.advance(0);
    expect(seqOf(rb[0]!.frame)).toBe(1);
    expect(rb[0]!.frame).not.toBe(buf);
    // one copy shared by all receivers
    expect(rc[0]!.frame).toBe(rb[0]!.frame);
  });

  it('drops and counts runts (< 14 bytes) and giants (> MTU + 14, + 4 when 802.1Q-tagged)', () => {
    const { clock, hub, a, rb } = setup();
    a.send(new Uint8Array(13));
    a.send(frame(MAC_B, MAC_A, 1, 1501)); // 1515 bytes untagged: too long
    a.send(frame(MAC_B, MAC_A, 2, 1500)); // 1514: fine
    const tagged = frame(MAC_B, MAC_A, 3, 1504); // 1518 bytes with a tag
    tagged[12] = 0x81;
    tagged[13] = 0x00;
    a.send(tagged);
    a.send(new Uint8Array(14)); // header only: shortest legal
    clock.advance(0);
    expect(rb.map((r) => r.frame.length)).toEqual([1514, 1518, 14]);
    expect(hub.stats).toMatchObject({ runts: 1, giants: 1, frames: 3 });
    expect(a.stats.dropped).toBe(2);
  });

  it('honours a configured segment MTU (jumbo 9000)', () => {
    const { clock, a, rb } = setup({ mtu: 9000 });
    a.send(frame(MAC_B, MAC_A, 1, 9000));
    a.send(frame(MAC_B, MAC_A, 2, 9001));
    clock.advance(0);
    expect(rb.map((r) => seqOf(r.frame))).toEqual([1]);
  });

  it('counts frames and bytes out at the sender and in at each receiver', () => {
    const { clock, hub, a, b, c } = setup();
    a.send(frame(MAC_B, MAC_A, 1, 46));
    a.send(frame(MAC_B, MAC_A, 2, 86));
    clock.advance(0);
    expect(a.stats).toMatchObject({ framesOut: 2, bytesOut: 160, framesIn: 0 });
    expect(b.stats).toMatchObject({ framesIn: 2, bytesIn: 160, framesOut: 0 });
    expect(c.stats.framesIn).toBe(2);
    expect(hub.stats.delivered).toBe(4);
  });

  it('a closed endpoint leaves the segment: its sends are dropped and counted, it receives nothing', () => {
    const { clock, hub, a, b, ra, rb } = setup();
    b.close();
    expect(hub.endpoints.map((e) => e.name)).toEqual(['a', 'c']);
    b.send(frame(MAC_A, MAC_B));
    a.send(frame(MAC_B, MAC_A));
    clock.advance(0);
    expect(b.stats.dropped).toBe(1);
    expect(ra).toHaveLength(0);
    expect(rb).toHaveLength(0);
    expect(b.carrier).toBe(false);
  });

  it('closing the hub takes every carrier down (with events) and refuses new ports', () => {
    const { hub, a, b } = setup();
    const events: string[] = [];
    a.onCarrier((up) => events.push(`a:${up}`));
    b.onCarrier((up) => events.push(`b:${up}`));
    hub.close();
    expect(events).toEqual(['a:false', 'b:false']);
    expect(hub.endpoints).toHaveLength(0);
    expect(() => hub.attach('late')).toThrow(/closed/);
  });

  it('an unsubscribed listener hears nothing more', () => {
    const { clock, a, b } = setup();
    const got: Uint8Array[] = [];
    const off = b.onReceive((f) => got.push(f));
    a.send(frame(MAC_B, MAC_A));
    clock.advance(0);
    off();
    a.send(frame(MAC_B, MAC_A));
    clock.advance(0);
    expect(got).toHaveLength(1);
    expect(b.stats.framesIn).toBe(2);
  });
});
