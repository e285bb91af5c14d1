import { VirtualClock } from '@kame/time';
import { PcapngWriter, readPcapng } from '@kame/wire';
import type { FrameListener, LinkEndpoint } from './endpoint';
import { newEndpointStats } from './endpoint';
import { frame, MAC_A, MAC_B, seqOf } from '../test/frames';
import { Hub } from './hub';
import { PcapngTap } from './pcapng-tap';

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function setup(epochOffsetMs?: number) {
  const clock = new VirtualClock();
  const hub = new Hub('seg', { clock });
  const a = hub.attach('r1:em0');
  const b = hub.attach('r2:em0');
  const chunks: Uint8Array[] = [];
  const tap = new PcapngTap(
    a,
    clock,
    (c) => chunks.push(c),
    epochOffsetMs === undefined ? {} : { epochOffsetMs },
  );
  return { clock, a, b, chunks, tap };
}

describe('PcapngTap', () => {
  it('records sent and received frames; readPcapng gets the same bytes, directions and increasing timestamps', () => {
    const { clock, a, b, chunks, tap } = setup();
    const sent = frame(MAC_B, MAC_A, 1);
    a.send(sent);
    clock.advance(3);
    b.send(frame(MAC_A, MAC_B, 2));
    clock.advance(2.5);
    a.send(frame(MAC_B, MAC_A, 3, 200));
    clock.advance(1);
    const pkts = readPcapng(concat(chunks));
    expect(pkts.map((p) => [p.interfaceId, seqOf(p.data)])).toEqual([
      [tap.interfaces.sent, 1],
      [tap.interfaces.received, 2],
      [tap.interfaces.sent, 3],
    ]);
    expect(pkts[0]!.data).toEqual(sent);
    expect(pkts[2]!.data.length).toBe(214);
    expect(pkts.map((p) => p.timestamp)).toEqual([0n, 3_000_000n, 5_500_000n]);
    expect(tap.frames).toBe(3);
  });

  it('adds the epoch offset so virtual time 0 becomes a real date (ns in the file)', () => {
    const epoch = Date.parse('2024-01-01T00:00:00Z');
    const { clock, a, chunks } = setup(epoch);
    clock.advance(1.25);
    a.send(frame(MAC_B, MAC_A));
    const [p] = readPcapng(concat(chunks));
    expect(p!.timestamp).toBe(BigInt(epoch) * 1_000_000n + 1_250_000n);
  });

  it('streams: the section and interface headers come first, then one whole block per frame as it happens', () => {
    const { a, chunks } = setup();
    expect(chunks).toHaveLength(3); // SHB + two IDBs
    const text = new TextDecoder().decode(concat(chunks));
    expect(text).toContain('r1:em0/out');
    expect(text).toContain('kame link endpoint r1:em0: frames received');
    a.send(frame(MAC_B, MAC_A));
    expect(chunks).toHaveLength(4);
    expect(readPcapng(concat(chunks))).toHaveLength(1);
  });

  it('stops recording after close()', () => {
    const { clock, a, b, chunks, tap } = setup();
    tap.close();
    a.send(frame(MAC_B, MAC_A));
    b.send(frame(MAC_A, MAC_B));
    clock.advance(1);
    expect(readPcapng(concat(chunks))).toHaveLength(0);
  });

  it('taps an endpoint without onSend by wrapping its send, and restores it on close', () => {
    const clock = new VirtualClock();
    const delivered: Uint8Array[] = [];
    const plain: LinkEndpoint = {
      name: 'plain0',
      send: (f) => delivered.push(f),
      onReceive: (_l: FrameListener) => () => undefined,
      carrier: true,
      onCarrier: () => () => undefined,
      stats: newEndpointStats(),
      close: () => undefined,
    };
    const original = plain.send;
    const chunks: Uint8Array[] = [];
    const tap = new PcapngTap(plain, clock, (c) => chunks.push(c));
    plain.send(frame(MAC_B, MAC_A, 4));
    expect(delivered).toHaveLength(1);
    expect(readPcapng(concat(chunks)).map((p) => seqOf(p.data))).toEqual([4]);
    tap.close();
    expect(plain.send).toBe(original);
  });

  it('several taps can share one writer (one capture of a whole segment)', () => {
    const clock = new VirtualClock();
    const hub = new Hub('seg', { clock });
    const a = hub.attach('a');
    const b = hub.attach('b');
    const chunks: Uint8Array[] = [];
    const w = new PcapngWriter((c) => chunks.push(c));
    const ta = new PcapngTap(a, clock, w);
    const tb = new PcapngTap(b, clock, w);
    a.send(frame(MAC_B, MAC_A));
    clock.advance(1);
    expect(readPcapng(concat(chunks)).map((p) => p.interfaceId)).toEqual([
      ta.interfaces.sent,
      tb.interfaces.received,
    ]);
    expect(tb.interfaces).toEqual({ sent: 2, received: 3 });
  });
});
