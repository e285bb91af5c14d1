/**
 * Kernel API (IPC) benchmark: a KernelServer serving a KernelNode (RealClock,
 * as the live kernel runs it), driven by a KernelClient, each figure beside a
 * raw baseline measured in the same run with the same loop shape.
 *
 *   node dist/ipc.js [--json] [--ms 1000] [--window 32] [--size 64] [--reps 2] [--immediate-timers]
 *
 * (a) Request round trips/s (sysctlGet net.inet6.ip6.forwarding) with 1 and
 *     `window` requests in flight, over the in-memory transport (memoryPair)
 *     and over a Unix stream socket (listenUnix / connectUnix). Two API
 *     clients: the KernelClient SDK, and a bare FrameChannel sending
 *     requestFrame and reading the Response with unwrapResponse (no SDK).
 *     Baselines: for memory, two ends passing pre-encoded frames of the same
 *     sizes through an outbox flushed by setImmediate (what memoryPair does),
 *     without protobuf or a server; for Unix, a node:net echo server/client
 *     exchanging varint-length-prefixed frames of the same sizes (request size
 *     up, response size down), one write per frame, reassembled on both sides.
 * (b) Datagrams/s through kernel UDP sockets via IPC: the client opens two
 *     sockets on the node, binds one to [::1]:port, sendmsg()s `size`-byte
 *     payloads from the other to it, and counts 'datagram' events on the
 *     bound one, with 1 and `window` datagrams in flight (sent - received).
 *     Baseline: node:dgram udp6 on ::1, same payload size and window,
 *     counting 'message' events.
 * Each measurement: warm-up of ms/4, then `ms` of wall time; the API and its
 * baseline alternate `reps` times and the best of each is kept.
 *
 * The node's lo0 loops a packet back on a zero-delay clock timer; with the
 * RealClock that is setTimeout(0), at least 1 ms, which caps (b) at one
 * window per millisecond. --immediate-timers runs zero-delay node timers on
 * setImmediate instead (a diagnostic: it separates that floor from the IPC).
 */
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ipv6Address, MacAddress } from '@kame/addr';
import {
  connectUnix,
  encodeFrame,
  helloFrame,
  KernelClient,
  memoryPair,
  requestFrame,
  unwrapResponse,
  type FrameChannel,
  type KernelSocket,
} from '@kame/kernel-api';
import { KernelServer, listenUnix, type UnixListener } from '@kame/kernel-server';
import { KernelNode } from '@kame/stack';
import { RealClock, SeededRandom, type Clock, type Timer } from '@kame/time';
import { sleep, windowedStream, type StreamRate } from './windowed-stream';

const args = process.argv.slice(2);
const json = args.includes('--json');
const numArg = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name}: want a positive number, got ${args[i + 1]}`);
  return v;
};
const ms = numArg('--ms', 1000);
const window = Math.floor(numArg('--window', 32));
const size = Math.floor(numArg('--size', 64));
const reps = Math.floor(numArg('--reps', 2));
/** Diagnostic: the node's zero-delay timers (lo0 loopback) run on setImmediate instead of setTimeout. */
const immediateTimers = args.includes('--immediate-timers');

const SYSCTL = 'net.inet6.ip6.forwarding';
const LOOPBACK = Ipv6Address.parse('::1');
const RX_PORT = 7777;

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

// ---- the kernel --------------------------------------------------------------

const clock = new RealClock();

/**
 * A RealClock whose zero-delay timers run on setImmediate: Node's setTimeout
 * waits at least 1 ms, which bounds lo0's "next tick" loopback. Only with
 * --immediate-timers, to tell that floor apart from the IPC cost.
 */
class ImmediateClock implements Clock {
  now(): number {
    return clock.now();
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    if (delayMs > 0) return clock.setTimer(delayMs, fn);
    const deadline = clock.now();
    let pending = true;
    const h = setImmediate(() => {
      pending = false;
      fn();
    });
    return {
      get pending() {
        return pending;
      },
      deadline,
      cancel() {
        if (pending) {
          pending = false;
          clearImmediate(h);
        }
      },
    };
  }
}

function newKernel(): { node: KernelNode; server: KernelServer } {
  const nodeClock = immediateTimers ? new ImmediateClock() : clock;
  const node = new KernelNode({ name: 'bench', clock: nodeClock, random: new SeededRandom(1) });
  node.attachEthernet('em0', MacAddress.parse('02:00:00:00:00:0a'), { output: () => undefined });
  node.ifUp('em0');
  return { node, server: new KernelServer(node, { name: 'bench', privileged: true }) };
}

type Transport = 'memory' | 'unix';

interface Kernel {
  server: KernelServer;
  unixPath: string;
  listener: UnixListener;
}

function channelFactory(k: Kernel, t: Transport): () => Promise<FrameChannel> {
  if (t === 'unix') return () => connectUnix(k.unixPath);
  return () => {
    const [serverEnd, clientEnd] = memoryPair();
    k.server.accept(serverEnd);
    return Promise.resolve(clientEnd);
  };
}

function connectClient(k: Kernel, t: Transport): Promise<KernelClient> {
  return KernelClient.connect({
    channelFactory: channelFactory(k, t),
    name: 'bench-ipc',
    clock,
    reconnect: false,
  });
}

/** A bare FrameChannel after Hello/Welcome: requestFrame out, unwrapResponse in. */
async function connectFrames(k: Kernel, t: Transport): Promise<FrameChannel> {
  const ch = await channelFactory(k, t)();
  await new Promise<void>((resolve, reject) => {
    const off = ch.onFrame((f) => {
      off();
      if (f.welcome) resolve();
      else reject(new Error(`expected Welcome, got ${f.body ?? 'nothing'}`));
    });
    ch.send(helloFrame({ name: 'bench-ipc-frames', pid: process.pid }));
  });
  return ch;
}

// ---- closed-loop drivers -----------------------------------------------------

/** Starts one operation; calls `done` when it completes. */
type Issue = (done: () => void) => void;

type Measured = StreamRate;

/** Warm-up of ms/4, then completions/s over `ms`, keeping `w` operations in flight. */
async function closedLoop(issue: Issue, w: number): Promise<Measured> {
  let completed = 0;
  let inflight = 0;
  let running = true;
  const complete = (): void => {
    completed++;
    inflight--;
    if (running) {
      inflight++;
      issue(complete);
    }
  };
  for (let i = 0; i < w; i++) {
    inflight++;
    issue(complete);
  }
  await sleep(ms / 4);
  const c0 = completed;
  const t0 = performance.now();
  await sleep(ms);
  const c1 = completed;
  const t1 = performance.now();
  running = false;
  const deadline = performance.now() + 2000;
  while (inflight > 0 && performance.now() < deadline) await sleep(2);
  if (inflight > 0) throw new Error(`${inflight} operations never completed`);
  return { perSec: ((c1 - c0) * 1000) / (t1 - t0), stalls: 0 };
}

// ---- (a) request round trips ---------------------------------------------------

async function clientRequests(k: Kernel, t: Transport, w: number): Promise<Measured> {
  const client = await connectClient(k, t);
  let failure: unknown;
  const fail = (e: unknown): void => void (failure ??= e);
  try {
    const r = await closedLoop((done) => void client.sysctlGet(SYSCTL).then(done, fail), w);
    if (failure) throw failure;
    return r;
  } finally {
    client.close();
  }
}

async function frameRequests(k: Kernel, t: Transport, w: number): Promise<Measured> {
  const ch = await connectFrames(k, t);
  const waiting = new Map<number, () => void>();
  let nextId = 1;
  let failure: unknown;
  ch.onFrame((f) => {
    const res = f.response;
    if (!res) return;
    const id = res.id ?? 0;
    const done = waiting.get(id);
    waiting.delete(id);
    try {
      unwrapResponse('sysctlGet', res);
    } catch (e) {
      failure ??= e;
    }
    done?.();
  });
  try {
    const r = await closedLoop((done) => {
      const id = nextId++;
      waiting.set(id, done);
      ch.send(requestFrame(id, 'sysctlGet', { name: SYSCTL }));
    }, w);
    if (failure) throw failure;
    return r;
  } finally {
    ch.close();
  }
}

/** Sizes on the wire (prefix included) of a sysctlGet request and of its response. */
async function frameSizes(k: Kernel): Promise<{ req: number; res: number }> {
  const ch = await connectFrames(k, 'memory');
  const id = 1000; // a typical id: two varint bytes
  const res = await new Promise<number>((resolve) => {
    ch.onFrame((f) => {
      if (f.response) resolve(encodeFrame(f).length);
    });
    ch.send(requestFrame(id, 'sysctlGet', { name: SYSCTL }));
  });
  ch.close();
  return { req: encodeFrame(requestFrame(id, 'sysctlGet', { name: SYSCTL })).length, res };
}

/** A frame of `n` bytes on the wire: varint length prefix, then n - prefix body bytes. */
function rawFrame(n: number): Uint8Array {
  const f = new Uint8Array(n);
  let body = n - 1;
  if (body >= 0x80) body = n - 2;
  if (body >= 0x4000) throw new Error('frame too large for the baseline');
  if (body >= 0x80) f.set([(body & 0x7f) | 0x80, body >> 7]);
  else f[0] = body;
  return f;
}

/** Counts whole varint-prefixed frames in a byte stream (chunks may split or join frames). */
class FrameCounter {
  private buf = new Uint8Array(4096);
  private len = 0;

  push(chunk: Uint8Array, onFrame: () => void): void {
    if (this.len + chunk.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + chunk.length));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
    let p = 0;
    for (;;) {
      if (p >= this.len) break;
      const b0 = this.buf[p]!;
      let body = b0 & 0x7f;
      let pre = 1;
      if (b0 & 0x80) {
        if (p + 1 >= this.len) break;
        body |= this.buf[p + 1]! << 7;
        pre = 2;
      }
      if (p + pre + body > this.len) break;
      p += pre + body;
      onFrame();
    }
    this.buf.copyWithin(0, p, this.len);
    this.len -= p;
  }
}

/**
 * The memory baseline: memoryPair's delivery shape (outbox, one setImmediate
 * flush per turn, chunks handed to the peer) carrying pre-encoded frames; the
 * "server" answers each request frame with a response-sized frame.
 */
class RawMemoryEnd {
  peer: RawMemoryEnd | undefined;
  onBytes: (b: Uint8Array) => void = () => undefined;
  private outbox: Uint8Array[] = [];
  private scheduled = false;

  write(bytes: Uint8Array): void {
    this.outbox.push(bytes);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const chunks = this.outbox;
    this.outbox = [];
    for (const c of chunks) this.peer?.onBytes(c);
  }
}

async function rawMemoryRequests(sizes: { req: number; res: number }, w: number): Promise<Measured> {
  const req = rawFrame(sizes.req);
  const res = rawFrame(sizes.res);
  const client = new RawMemoryEnd();
  const server = new RawMemoryEnd();
  client.peer = server;
  server.peer = client;
  const serverIn = new FrameCounter();
  const clientIn = new FrameCounter();
  const waiting: (() => void)[] = [];
  server.onBytes = (b) => serverIn.push(b, () => server.write(res));
  client.onBytes = (b) => clientIn.push(b, () => waiting.shift()?.());
  return closedLoop((done) => {
    waiting.push(done);
    client.write(req);
  }, w);
}

/** The Unix baseline: node:net echo server answering each request frame with a response-sized frame. */
async function rawUnixRequests(
  dir: string,
  sizes: { req: number; res: number },
  w: number,
): Promise<Measured> {
  const path = join(dir, 'raw.sock');
  const req = rawFrame(sizes.req);
  const res = rawFrame(sizes.res);
  const conns = new Set<Socket>();
  const server: Server = createServer((s) => {
    conns.add(s);
    const counter = new FrameCounter();
    s.on('data', (chunk: Buffer) => counter.push(chunk, () => void s.write(res)));
    s.on('error', () => undefined);
    s.on('close', () => conns.delete(s));
  });
  await new Promise<void>((r) => server.listen(path, r));
  const sock = createConnection(path);
  await new Promise<void>((r, j) => {
    sock.once('connect', r);
    sock.once('error', j);
  });
  const counter = new FrameCounter();
  const waiting: (() => void)[] = [];
  sock.on('data', (chunk: Buffer) => counter.push(chunk, () => waiting.shift()?.()));
  try {
    return await closedLoop((done) => {
      waiting.push(done);
      sock.write(req);
    }, w);
  } finally {
    sock.destroy();
    for (const c of conns) c.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

// ---- (b) datagrams -------------------------------------------------------------

async function kernelDatagrams(k: Kernel, t: Transport, w: number): Promise<Measured> {
  const client = await connectClient(k, t);
  let rx: KernelSocket | undefined;
  let tx: KernelSocket | undefined;
  let failure: unknown;
  const fail = (e: unknown): void => void (failure ??= e);
  try {
    rx = await client.socket('dgram');
    await rx.bind({ address: LOOPBACK, port: RX_PORT });
    tx = await client.socket('dgram');
    await tx.bind({ address: LOOPBACK });
    const payload = new Uint8Array(size).fill(0xa5);
    const to = { address: LOOPBACK, port: RX_PORT };
    const sender = tx;
    const receiver = rx;
    const r = await windowedStream(
      {
        send: () => void sender.sendmsg(payload, { to }).catch(fail),
        onDeliver: (cb) => void receiver.on('datagram', (d) => d.data.length === size && cb()),
      },
      w,
      ms,
      1000,
    );
    if (failure) throw failure;
    return r;
  } finally {
    await tx?.close().catch(() => undefined);
    await rx?.close().catch(() => undefined);
    client.close();
  }
}

async function rawDatagrams(w: number): Promise<Measured> {
  const bind = async (): Promise<dgram.Socket> => {
    const s = dgram.createSocket({ type: 'udp6', recvBufferSize: 4 << 20, sendBufferSize: 1 << 20 });
    await new Promise<void>((r) => s.bind(0, '::1', r));
    return s;
  };
  const rx = await bind();
  const tx = await bind();
  const port = rx.address().port;
  const payload = new Uint8Array(size).fill(0xa5);
  let errors = 0;
  const onErr = (e: Error | null): void => void (e && errors++);
  try {
    const r = await windowedStream(
      {
        send: () => tx.send(payload, port, '::1', onErr),
        onDeliver: (cb) => void rx.on('message', (m) => m.length === size && cb()),
      },
      w,
      ms,
      1000,
    );
    if (errors > 0) throw new Error(`${errors} dgram send errors`);
    return r;
  } finally {
    await new Promise<void>((r) => tx.close(() => r()));
    await new Promise<void>((r) => rx.close(() => r()));
  }
}

// ---- table ---------------------------------------------------------------------

interface Row {
  case: string;
  transport: Transport;
  window: number;
  /** Bytes: request/response frames for (a), UDP payload for (b). */
  bytes: string;
  /** KernelClient (SDK) figure, per second. */
  apiPerSec: number;
  /** Bare FrameChannel figure (requests only). */
  framesPerSec?: number;
  rawPerSec: number;
  /** apiPerSec / rawPerSec. */
  ratio: number;
  framesRatio?: number;
  baseline: string;
  stalls: string;
}

/** Alternates the API runs and the baseline `reps` times; keeps the best of each. */
async function best(runs: Record<string, () => Promise<Measured>>): Promise<Record<string, Measured>> {
  const out: Record<string, Measured> = {};
  for (let i = 0; i < reps; i++) {
    for (const [name, run] of Object.entries(runs)) {
      const m = await run();
      await turn();
      if (!out[name] || m.perSec > out[name].perSec) out[name] = m;
    }
  }
  return out;
}

const round = (n: number, d = 3): number => Math.round(n * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const { server } = newKernel();
  const dir = mkdtempSync(join(tmpdir(), 'kame-bench-ipc-'));
  const unixPath = join(dir, 'bench.sock');
  const listener = await listenUnix(server, unixPath);
  const k: Kernel = { server, unixPath, listener };
  const rows: Row[] = [];
  try {
    const sizes = await frameSizes(k);
    for (const t of ['memory', 'unix'] as const) {
      for (const w of [1, window]) {
        const m = await best({
          raw: () => (t === 'memory' ? rawMemoryRequests(sizes, w) : rawUnixRequests(dir, sizes, w)),
          api: () => clientRequests(k, t, w),
          frames: () => frameRequests(k, t, w),
        });
        rows.push({
          case: `sysctlGet round trips`,
          transport: t,
          window: w,
          bytes: `${sizes.req}/${sizes.res}`,
          apiPerSec: Math.round(m['api']!.perSec),
          framesPerSec: Math.round(m['frames']!.perSec),
          rawPerSec: Math.round(m['raw']!.perSec),
          ratio: round(m['api']!.perSec / m['raw']!.perSec),
          framesRatio: round(m['frames']!.perSec / m['raw']!.perSec),
          baseline: t === 'memory' ? 'setImmediate outbox ping-pong' : 'node:net unix echo',
          stalls: '-',
        });
      }
    }
    for (const t of ['memory', 'unix'] as const) {
      for (const w of [1, window]) {
        const m = await best({ raw: () => rawDatagrams(w), api: () => kernelDatagrams(k, t, w) });
        rows.push({
          case: `UDP sendmsg -> datagram`,
          transport: t,
          window: w,
          bytes: String(size),
          apiPerSec: Math.round(m['api']!.perSec),
          rawPerSec: Math.round(m['raw']!.perSec),
          ratio: round(m['api']!.perSec / m['raw']!.perSec),
          baseline: 'node:dgram udp6 ::1',
          stalls: `${m['api']!.stalls}/${m['raw']!.stalls}`,
        });
      }
    }
  } finally {
    server.close();
    await listener.close();
    rmSync(dir, { recursive: true, force: true });
  }

  if (json) {
    console.log(
      JSON.stringify({ node: process.version, ms, window, size, reps, immediateTimers, rows }, null, 2),
    );
    return;
  }
  console.log(
    `@kame/kernel-api IPC bench (${ms} ms per run, best of ${reps}, window 1 and ${window}, node ${process.version}` +
      `${immediateTimers ? ', node zero-delay timers on setImmediate' : ''})`,
  );
  const fmt = (n: number | undefined): string => (n === undefined ? '-' : n.toLocaleString('en-US'));
  const table = [
    [
      'case',
      'transport',
      'win',
      'bytes',
      'client /s',
      'frames /s',
      'raw /s',
      'ratio',
      'frames ratio',
      'stalls k/r',
    ],
    ...rows.map((r) => [
      r.case,
      r.transport,
      String(r.window),
      r.bytes,
      fmt(r.apiPerSec),
      fmt(r.framesPerSec),
      fmt(r.rawPerSec),
      r.ratio.toFixed(3),
      r.framesRatio === undefined ? '-' : r.framesRatio.toFixed(3),
      r.stalls,
    ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table) {
    console.log(
      row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    );
  }
  console.log(
    [
      '(client: KernelClient; frames: bare FrameChannel with requestFrame/unwrapResponse; ratio = client / raw.',
      ' raw for round trips: memory = same-size frames through a setImmediate outbox ping-pong (memoryPair',
      ' shape), unix = node:net echo of same-size length-prefixed frames; raw for UDP = node:dgram on ::1.',
      ' bytes: request/response frame sizes on the wire, or the UDP payload; stalls: watchdog refills)',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
