/**
 * @kame/link VXLAN transport benchmark: frames/s and Mbit/s through a
 * VxlanTransport pair on 127.0.0.1, beside raw node:dgram doing the same.
 *
 *   node dist/link.js [--json] [--ms 1000] [--window 128]
 *
 * Cases, each run for both links with the same loop shape:
 *  - throughput with 64-byte and 1,400-byte frames: the sender keeps at most
 *    `window` frames in flight, acknowledged by the receiver's delivered count
 *    (both ends live in this process), so the figure is delivered frames, not
 *    frames the kernel dropped;
 *  - ping-pong: one 64-byte frame bounced between the two ends, round trips/s.
 * The raw baseline sends datagrams of the same size plus the 8 header bytes from
 * one preallocated buffer with node:dgram and counts 'message' events: the cost
 * of the kernel and libuv alone. Mbit/s counts the Ethernet frame bytes (the
 * 8-byte VXLAN header and the UDP/IP headers are not counted) for both links.
 */
import dgram from 'node:dgram';
import { VxlanTransport } from '@kame/link';
import { RealClock } from '@kame/time';
import { sleep, windowedStream, type StreamRate } from './windowed-stream';

const args = process.argv.slice(2);
const json = args.includes('--json');
const numArg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name}: want a positive number`);
  return v;
};
const ms = numArg('--ms', 1000);
const window = numArg('--window', 128);
const HOST = '127.0.0.1';
const VNI = 4242;

/** One end of a link: send one frame; be told of each delivered frame. */
interface Side {
  send(): void;
  onFrame(cb: () => void): void;
}
interface Link {
  a: Side;
  b: Side;
  lost(): number;
  close(): Promise<void>;
}

function ethernetFrame(size: number, src: number): Uint8Array {
  const f = new Uint8Array(size);
  f.set([0x02, 0, 0, 0, 0, 3 - src, 0x02, 0, 0, 0, 0, src, 0x86, 0xdd]);
  return f;
}

async function vxlanLink(size: number): Promise<Link> {
  const clock = new RealClock();
  const ta = await VxlanTransport.open({ bind: { address: HOST, port: 0 }, clock });
  const tb = await VxlanTransport.open({ bind: { address: HOST, port: 0 }, clock });
  const ea = ta.segment(VNI, { remotes: [{ address: HOST, port: tb.port }] });
  const eb = tb.segment(VNI, { remotes: [{ address: HOST, port: ta.port }] });
  const fa = ethernetFrame(size, 1);
  const fb = ethernetFrame(size, 2);
  return {
    a: { send: () => ea.send(fa), onFrame: (cb) => void ea.onReceive(cb) },
    b: { send: () => eb.send(fb), onFrame: (cb) => void eb.onReceive(cb) },
    lost: () => ta.counters.sendErrors + tb.counters.sendErrors + ea.stats.dropped + eb.stats.dropped,
    close: async () => {
      await ta.close();
      await tb.close();
    },
  };
}

async function rawLink(size: number): Promise<Link> {
  const bind = async () => {
    const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 1 << 20 });
    await new Promise<void>((r) => s.bind(0, HOST, r));
    return s;
  };
  const sa = await bind();
  const sb = await bind();
  const pa = sa.address().port;
  const pb = sb.address().port;
  const da = new Uint8Array(size + 8);
  da.set([0x08, 0, 0, 0, 0, 0x10, 0x92, 0]);
  da.set(ethernetFrame(size, 1), 8);
  const db = da.slice();
  db.set(ethernetFrame(size, 2), 8);
  let errors = 0;
  const onErr = (e: Error | null) => void (e && errors++);
  return {
    a: { send: () => sa.send(da, pb, HOST, onErr), onFrame: (cb) => void sa.on('message', cb) },
    b: { send: () => sb.send(db, pa, HOST, onErr), onFrame: (cb) => void sb.on('message', cb) },
    lost: () => errors,
    close: async () => {
      await new Promise<void>((r) => sa.close(() => r()));
      await new Promise<void>((r) => sb.close(() => r()));
    },
  };
}

/**
 * a -> b with at most `window` frames in flight. Returns delivered frames/s
 * over the measured interval (after a warm-up of ms/4).
 */
function throughput(link: Link): Promise<StreamRate> {
  return windowedStream(
    { send: () => link.a.send(), onDeliver: (cb) => link.b.onFrame(cb) },
    window,
    ms,
    500,
  );
}

/** One frame bouncing a -> b -> a; round trips/s. */
async function pingPong(link: Link): Promise<{ perSec: number; stalls: number }> {
  let trips = 0;
  let running = true;
  link.b.onFrame(() => link.b.send());
  link.a.onFrame(() => {
    trips++;
    if (running) link.a.send();
  });
  link.a.send();
  let stalls = 0;
  let last = -1;
  const watchdog = setInterval(() => {
    if (running && trips === last) {
      stalls++;
      link.a.send();
    }
    last = trips;
  }, 100);
  await sleep(ms / 4);
  const n0 = trips;
  const t0 = performance.now();
  await sleep(ms);
  const n1 = trips;
  const t1 = performance.now();
  running = false;
  clearInterval(watchdog);
  await sleep(20);
  return { perSec: ((n1 - n0) * 1000) / (t1 - t0), stalls };
}

interface Row {
  case: string;
  frameBytes: number;
  vxlanPerSec: number;
  vxlanMbitPerSec: number;
  rawPerSec: number;
  rawMbitPerSec: number;
  ratio: number;
  vxlanStalls: number;
  rawStalls: number;
  vxlanDropped: number;
  rawErrors: number;
}

async function measure(
  name: string,
  size: number,
  run: (l: Link) => Promise<{ perSec: number; stalls: number }>,
): Promise<Row> {
  // Alternate raw and VXLAN twice and keep the best of each, to damp noise.
  let best = { raw: { perSec: 0, stalls: 0 }, vx: { perSec: 0, stalls: 0 } };
  let vxlanDropped = 0;
  let rawErrors = 0;
  for (let i = 0; i < 2; i++) {
    const rl = await rawLink(size);
    const r = await run(rl);
    rawErrors += rl.lost();
    await rl.close();
    const vl = await vxlanLink(size);
    const v = await run(vl);
    vxlanDropped += vl.lost();
    await vl.close();
    best = {
      raw: r.perSec > best.raw.perSec ? r : best.raw,
      vx: v.perSec > best.vx.perSec ? v : best.vx,
    };
  }
  const mbit = (perSec: number) => (perSec * size * 8) / 1e6;
  return {
    case: name,
    frameBytes: size,
    vxlanPerSec: Math.round(best.vx.perSec),
    vxlanMbitPerSec: Math.round(mbit(best.vx.perSec) * 10) / 10,
    rawPerSec: Math.round(best.raw.perSec),
    rawMbitPerSec: Math.round(mbit(best.raw.perSec) * 10) / 10,
    ratio: Math.round((best.vx.perSec / best.raw.perSec) * 1000) / 1000,
    vxlanStalls: best.vx.stalls,
    rawStalls: best.raw.stalls,
    vxlanDropped,
    rawErrors,
  };
}

async function main(): Promise<void> {
  const rows = [
    await measure('throughput 64 B', 64, throughput),
    await measure('throughput 1400 B', 1400, throughput),
    await measure('ping-pong 64 B', 64, pingPong),
  ];
  if (json) {
    console.log(JSON.stringify({ node: process.version, ms, window, rows }, null, 2));
    return;
  }
  console.log(
    `@kame/link VXLAN transport bench (${HOST}, ${ms} ms per run, best of 2, window ${window}, node ${process.version})`,
  );
  const fmt = (n: number) => n.toLocaleString('en-US');
  const table = [
    ['case', 'vxlan /s', 'vxlan Mbit/s', 'raw dgram /s', 'raw Mbit/s', 'ratio', 'stalls v/r'],
    ...rows.map((r) => [
      r.case,
      fmt(r.vxlanPerSec),
      fmt(r.vxlanMbitPerSec),
      fmt(r.rawPerSec),
      fmt(r.rawMbitPerSec),
      r.ratio.toFixed(3),
      `${r.vxlanStalls}/${r.rawStalls}`,
    ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table) console.log(row.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
  console.log('(ping-pong: round trips/s; Mbit/s counts frame bytes one way; goal: ratio >= 0.8)');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
