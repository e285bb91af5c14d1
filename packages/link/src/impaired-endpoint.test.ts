import { SeededRandom, VirtualClock } from '@kame/time';
import { frame, MAC_A, MAC_B, record } from '../test/frames';
import { Hub } from './hub';
import { ImpairedEndpoint } from './impaired-endpoint';

function setup() {
  const clock = new VirtualClock();
  const hub = new Hub('seg', { clock });
  const inner = hub.attach('a');
  const b = hub.attach('b');
  const a = new ImpairedEndpoint(inner, clock, new SeededRandom(5));
  return { clock, hub, inner, a, b, ra: record(a, () => clock.now()), rb: record(b, () => clock.now()) };
}

describe('ImpairedEndpoint', () => {
  it('applies egress delay before the inner endpoint sends, copying the held frame', () => {
    const { clock, a, inner, rb } = setup();
    a.impair({ egress: { delayMs: 40 } });
    const buf = frame(MAC_B, MAC_A, 1);
    a.send(buf);
    buf.fill(0);
    clock.advance(39);
    expect(inner.stats.framesOut).toBe(0);
    clock.advance(1);
    expect(rb.map((r) => [r.at, r.frame[14 + 3]])).toEqual([[40, 1]]);
    expect(a.name).toBe('a');
  });

  it('applies ingress loss between the inner endpoint and its own listeners', () => {
    const { clock, a, b, ra } = setup();
    a.impair({ ingress: { loss: 1 } });
    b.send(frame(MAC_A, MAC_B));
    clock.advance(1);
    expect(ra).toHaveLength(0);
    expect(a.stats.dropped).toBe(1);
    a.impair({ ingress: undefined });
    b.send(frame(MAC_A, MAC_B));
    clock.advance(1);
    expect(ra).toHaveLength(1);
    expect(a.stats.framesIn).toBe(1);
  });

  it("carrier is its own cable AND the inner endpoint's carrier, with events for both", () => {
    const { a, inner, hub } = setup();
    const events: boolean[] = [];
    a.onCarrier((up) => events.push(up));
    a.setCarrier(false);
    a.setCarrier(true);
    hub.setCarrier(false);
    expect(a.carrier).toBe(false);
    hub.setCarrier(true);
    expect(events).toEqual([false, true, false, true]);
    a.close();
    expect(inner.isClosed).toBe(true);
    expect(events.at(-1)).toBe(false);
  });
});
