import dgram from 'node:dgram';
import { RealClock, VirtualClock, type Clock } from '@kame/time';
import { VxlanTransport } from './transport';
import type { VxlanSegment } from './segment';
import type { UdpRemote } from './remote';

// Real UDP over loopback. Every wait polls the observable state against a
// deadline; "nothing arrived" is shown by a later sentinel datagram that did.

async function waitFor(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const BCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const mac = (n: number) => [0x02, 0, 0, 0, 0, n];

/** Ethernet frame dst/src/0x86dd with a 32-bit sequence number and `len` bytes total. */
function frame(dst: number[], src: number[], seq = 0, len = 64): Uint8Array {
  const f = new Uint8Array(len);
  f.set(dst, 0);
  f.set(src, 6);
  f[12] = 0x86;
  f[13] = 0xdd;
  new DataView(f.buffer).setUint32(14, seq);
  return f;
}
const seqOf = (f: Uint8Array) => new DataView(f.buffer, f.byteOffset, f.length).getUint32(14);

function collect(ep: VxlanSegment): Uint8Array[] {
  const got: Uint8Array[] = [];
  ep.onReceive((f) => got.push(f.slice()));
  return got;
}

const open: VxlanTransport[] = [];
async function transport(address: string, clock: Clock = new RealClock(), maxDatagram?: number) {
  const t = await VxlanTransport.open({ bind: { address, port: 0 }, clock, maxDatagram });
  open.push(t);
  return t;
}
const at = (t: VxlanTransport): UdpRemote => ({ address: t.address.address, port: t.port });

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

describe.each(['127.0.0.1', '::1'])('VxlanTransport over %s', (host) => {
  it('exchanges frames both ways on one VNI', async () => {
    const a = await transport(host);
    const b = await transport(host);
    expect(a.family).toBe(host === '::1' ? 'udp6' : 'udp4');
    const ea = a.segment(4242, { remotes: [at(b)] });
    const eb = b.segment(4242, { remotes: [at(a)] });
    expect(ea.carrier).toBe(true);
    expect(ea.name).toBe('vxlan:4242');
    const gotA = collect(ea);
    const gotB = collect(eb);
    const f1 = frame(mac(2), mac(1), 1, 62);
    ea.send(f1);
    await waitFor(() => gotB.length === 1, 'a -> b');
    expect(gotB[0]).toEqual(f1);
    const f2 = frame(mac(1), mac(2), 2, 1514);
    eb.send(f2);
    await waitFor(() => gotA.length === 1, 'b -> a');
    expect(gotA[0]).toEqual(f2);
    expect(ea.stats).toMatchObject({ framesOut: 1, bytesOut: 62, framesIn: 1, bytesIn: 1514, dropped: 0 });
    expect(eb.stats).toMatchObject({ framesOut: 1, bytesOut: 1514, framesIn: 1, bytesIn: 62, dropped: 0 });
    expect(a.counters).toMatchObject({ datagramsIn: 1, datagramsOut: 1, sendErrors: 0 });
  });

  it('delivers a burst of 1,000 frames complete (no receive-path loss)', async () => {
    const a = await transport(host);
    const b = await transport(host);
    const ea = a.segment(7, { remotes: [at(b)] });
    const eb = b.segment(7, { remotes: [at(a)] });
    // Bursts of 100 back-to-back sends (all queued before the event loop reads
    // any) fit a stock 208 KiB SO_RCVBUF; what this proves is that our receive
    // path loses nothing between bursts and within them.
    const seen = new Set<number>();
    eb.onReceive((f) => seen.add(seqOf(f)));
    for (let burst = 0; burst < 10; burst++) {
      for (let i = burst * 100; i < (burst + 1) * 100; i++) ea.send(frame(mac(2), mac(1), i, 64));
      await waitFor(() => seen.size === (burst + 1) * 100, `burst ${burst + 1} of 100 frames`);
    }
    await waitFor(() => seen.size === 1000, '1,000 frames');
    expect(eb.stats.framesIn).toBe(1000);
    expect(b.counters.datagramsIn).toBe(1000);
  });

  it('keeps two VNIs on one socket apart', async () => {
    const a = await transport(host);
    const b = await transport(host);
    const a1 = a.segment(1, { remotes: [at(b)] });
    const a2 = a.segment(2, { remotes: [at(b)] });
    const got1 = collect(b.segment(1, { remotes: [at(a)] }));
    const got2 = collect(b.segment(2, { remotes: [at(a)] }));
    expect(b.vnis).toEqual([1, 2]);
    a1.send(frame(BCAST, mac(1), 101));
    a2.send(frame(BCAST, mac(1), 201));
    a2.send(frame(BCAST, mac(1), 202));
    await waitFor(() => got1.length + got2.length === 3, 'three frames');
    expect(got1.map(seqOf)).toEqual([101]);
    expect(got2.map(seqOf)).toEqual([201, 202]);
    expect(() => a.segment(1)).toThrow(/already open/);
  });
});

describe('VxlanTransport forwarding', () => {
  it('head-end replicates broadcast, multicast and unknown unicast to every remote', async () => {
    const a = await transport('127.0.0.1');
    const b = await transport('127.0.0.1');
    const c = await transport('127.0.0.1');
    const ea = a.segment(10, { remotes: [at(b), at(c)] });
    const gotB = collect(b.segment(10));
    const gotC = collect(c.segment(10));
    ea.send(frame(BCAST, mac(1), 1));
    ea.send(frame([0x33, 0x33, 0, 0, 0, 1], mac(1), 2));
    ea.send(frame(mac(9), mac(1), 3));
    await waitFor(() => gotB.length === 3 && gotC.length === 3, 'three frames at b and c');
    expect(gotB.map(seqOf)).toEqual([1, 2, 3]);
    expect(gotC.map(seqOf)).toEqual([1, 2, 3]);
    expect(ea.counters).toMatchObject({ flooded: 3, unicast: 0 });
    expect(ea.stats.framesOut).toBe(3);
    expect(a.counters.datagramsOut).toBe(6);
  });

  it('learns the source MAC from a reply and then sends unicast; entries age on the clock', async () => {
    const clock = new VirtualClock(1000);
    const a = await transport('127.0.0.1', clock);
    const b = await transport('127.0.0.1');
    const c = await transport('127.0.0.1');
    const ea = a.segment(20, { remotes: [at(b), at(c)], fdb: { agingMs: 60_000 } });
    const gotA = collect(ea);
    const eb = b.segment(20, { remotes: [at(a)] });
    const gotB = collect(eb);
    const gotC = collect(c.segment(20, { remotes: [at(a)] }));
    // Unknown unicast floods to b and c; b replies from mac(2).
    ea.send(frame(mac(2), mac(1), 1));
    await waitFor(() => gotB.length === 1 && gotC.length === 1, 'flood');
    eb.send(frame(mac(1), mac(2), 2));
    await waitFor(() => gotA.length === 1, 'reply');
    expect(ea.learned()).toEqual([{ mac: '02:00:00:00:00:02', remote: at(b), ageMs: 0 }]);
    expect(ea.counters.learned).toBe(1);
    // Now mac(2) goes to b alone; the broadcast after it is the sentinel for c.
    ea.send(frame(mac(2), mac(1), 3));
    ea.send(frame(BCAST, mac(1), 4));
    await waitFor(() => gotB.length === 3 && gotC.length === 2, 'unicast + sentinel');
    expect(gotB.map(seqOf)).toEqual([1, 3, 4]);
    expect(gotC.map(seqOf)).toEqual([1, 4]);
    expect(ea.counters).toMatchObject({ unicast: 1, flooded: 2 });
    // Past the aging time mac(2) is unknown again and floods.
    clock.advance(60_001);
    ea.send(frame(mac(2), mac(1), 5));
    await waitFor(() => gotB.length === 4 && gotC.length === 3, 'flood after aging');
    expect(ea.learned()).toEqual([]);
    // Learning off: always flood, nothing learned.
    const d = await transport('127.0.0.1');
    const ed = d.segment(20, { remotes: [at(b)], learn: false });
    eb.addRemote(at(d));
    eb.send(frame(mac(4), mac(2), 6));
    await waitFor(() => ed.stats.framesIn === 1, 'frame at d');
    expect(ed.learned()).toEqual([]);
  });

  it('adds and removes remotes at run time; removal forgets what was learned behind them', async () => {
    const a = await transport('127.0.0.1');
    const b = await transport('127.0.0.1');
    const ea = a.segment(30);
    const eb = b.segment(30, { remotes: [at(a)] });
    const gotB = collect(eb);
    ea.send(frame(BCAST, mac(1)));
    expect(ea.counters.noRemote).toBe(1);
    expect(ea.stats.dropped).toBe(1);
    expect(ea.addRemote(at(b))).toEqual(at(b));
    ea.addRemote(at(b)); // duplicate: ignored
    expect(ea.remotes).toEqual([at(b)]);
    eb.send(frame(mac(1), mac(2)));
    await waitFor(() => ea.stats.framesIn === 1, 'frame at a');
    expect(ea.learned()).toHaveLength(1);
    ea.send(frame(mac(2), mac(1), 1));
    await waitFor(() => gotB.length === 1, 'frame at b');
    expect(ea.removeRemote(at(b))).toBe(true);
    expect(ea.removeRemote(at(b))).toBe(false);
    expect(ea.learned()).toEqual([]);
    ea.send(frame(mac(2), mac(1), 2));
    expect(ea.counters.noRemote).toBe(2);
    expect(() => ea.addRemote({ address: '::1', port: 1 })).toThrow(TypeError);
  });

  it('learns a remote by address when the peer sends from another source port (Linux srcport range)', async () => {
    const a = await transport('127.0.0.1');
    const raw = dgram.createSocket('udp4');
    await new Promise<void>((r) => raw.bind(0, '127.0.0.1', r));
    try {
      const listenPort = raw.address().port === 65535 ? 65534 : raw.address().port + 1;
      const ea = a.segment(40, { remotes: [{ address: '127.0.0.1', port: listenPort }] });
      const dgramOf = (f: Uint8Array) => Buffer.concat([Buffer.from([8, 0, 0, 0, 0, 0, 40, 0]), f]);
      raw.send(dgramOf(frame(mac(1), mac(7))), a.port, '127.0.0.1');
      await waitFor(() => ea.stats.framesIn === 1, 'frame at a');
      expect(ea.learned()).toEqual([
        {
          mac: '02:00:00:00:00:07',
          remote: { address: '127.0.0.1', port: listenPort },
          ageMs: expect.any(Number),
        },
      ]);
    } finally {
      raw.close();
    }
  });
});

describe('VxlanTransport receive path', () => {
  it('drops and counts every malformed kind; nothing throws out of it', async () => {
    const a = await transport('127.0.0.1', new RealClock(), 200);
    const ea = a.segment(0x123456, { remotes: [{ address: '127.0.0.2', port: 9 }] });
    const got = collect(ea);
    ea.onReceive(() => {
      throw new Error('listener bug');
    });
    const raw = dgram.createSocket('udp4');
    const send = (b: number[] | Uint8Array) =>
      new Promise<void>((r) => raw.send(Uint8Array.from(b), a.port, '127.0.0.1', () => r()));
    const hdr = (flags: number, vni: number, last = 0) => [
      flags,
      0,
      0,
      0,
      vni >> 16,
      (vni >> 8) & 255,
      vni & 255,
      last,
    ];
    const inner = [...frame(BCAST, mac(5), 0, 20)];
    try {
      await send([8, 0, 0]); // tooShort
      await send([...hdr(0x0c, 0x123456), ...inner]); // badFlags: reserved bit set
      await send([...hdr(0x00, 0x123456), ...inner]); // badFlags: I clear
      await send([...hdr(0x08, 0x654321), ...inner]); // unknownVni
      await send([...hdr(0x08, 0x123456), ...new Uint8Array(201 - 8)]); // oversized (maxDatagram 200)
      await send([...hdr(0x08, 0x123456), ...inner.slice(0, 13)]); // runt
      await send([...hdr(0x08, 0x123456), ...inner]); // valid, from a source that is no remote
      await waitFor(() => got.length === 1, 'the valid datagram');
      expect(a.counters).toEqual({
        datagramsIn: 7,
        datagramsOut: 0,
        tooShort: 1,
        badFlags: 2,
        unknownVni: 1,
        oversized: 1,
        runt: 1,
        sendErrors: 0,
        socketErrors: 0,
        listenerErrors: 1,
      });
      expect(got[0]).toEqual(Uint8Array.from(inner));
      expect(ea.counters.unknownSource).toBe(1);
      expect(ea.learned()).toEqual([]);
      // Too big to send under maxDatagram: dropped and counted, not thrown.
      ea.send(frame(BCAST, mac(1), 0, 193));
      expect(ea.counters.tooBig).toBe(1);
      ea.send(new Uint8Array(13));
      expect(ea.stats.dropped).toBe(2);
    } finally {
      raw.close();
    }
  });

  it('closing an endpoint detaches its VNI; closing the transport stops delivery and drops carrier', async () => {
    const a = await transport('127.0.0.1');
    const b = await transport('127.0.0.1');
    const c = await transport('127.0.0.1');
    const ea = a.segment(50, { remotes: [at(b)] });
    const ea2 = a.segment(51, { remotes: [at(c)] });
    const eb = b.segment(50, { remotes: [at(a)] });
    const gotB = collect(eb);
    const gotC = collect(c.segment(51));
    ea.send(frame(BCAST, mac(1), 1));
    await waitFor(() => gotB.length === 1, 'first frame');

    // Endpoint close: later sends are dropped; datagrams for the VNI become unknownVni.
    const carrierA: boolean[] = [];
    ea.onCarrier((up) => carrierA.push(up));
    ea.close();
    expect(ea.carrier).toBe(false);
    expect(carrierA).toEqual([false]);
    ea.send(frame(BCAST, mac(1), 2));
    expect(ea.stats.dropped).toBe(1);
    eb.send(frame(BCAST, mac(2), 3));
    await waitFor(() => a.counters.unknownVni === 1, 'unknownVni at a');
    const again = a.segment(50, { remotes: [at(b)] }); // the VNI can be opened again
    expect(again.carrier).toBe(true);

    // Transport close: b stops receiving; a sentinel to c sent afterwards does arrive.
    const carrierB: boolean[] = [];
    eb.onCarrier((up) => carrierB.push(up));
    await b.close();
    await b.close(); // idempotent
    expect(b.isOpen).toBe(false);
    expect(carrierB).toEqual([false]);
    expect(eb.carrier).toBe(false);
    again.send(frame(BCAST, mac(1), 4));
    ea2.send(frame(BCAST, mac(1), 5));
    await waitFor(() => gotC.length === 1, 'sentinel at c');
    expect(gotB.map(seqOf)).toEqual([1]);
    eb.send(frame(BCAST, mac(2), 6));
    expect(eb.stats.dropped).toBe(1);
    expect(() => b.segment(60)).toThrow(/closed/);
  });
});
