import { Ipv6Address, MacAddress } from '@kame/addr';
import {
  encodeFrame,
  errnoName,
  FrameDecoder,
  helloFrame,
  memoryPair,
  requestFrame,
  unwrapResponse,
  type ErrnoName,
  type FrameChannel,
  type HelloInit,
  type OpArgs,
  type RequestOp,
  type ResultOf,
  type v1,
} from '@kame/kernel-api';
import { KernelNode } from '@kame/stack';
import { SeededRandom, VirtualClock } from '@kame/time';
import { ByteStreamChannel } from '../src/byte-channel';
import { KernelServer, type KernelServerOptions } from '../src/kernel-server';

export const a6 = (s: string): Ipv6Address => Ipv6Address.parse(s);
export const b6 = (s: string): Uint8Array => Ipv6Address.parse(s).bytes.slice();
export const a6FromBytes = (b: Uint8Array | null | undefined): Ipv6Address =>
  Ipv6Address.fromBytes(b ?? new Uint8Array(16));

/** A node with lo0 and em0 (up, DAD done: the clock is 5 s on). */
export function newNode(name = 'r1'): { node: KernelNode; clock: VirtualClock } {
  const clock = new VirtualClock();
  const node = new KernelNode({ name, clock, random: new SeededRandom(7) });
  node.attachEthernet('em0', MacAddress.parse('02:00:00:00:00:0a'), { output: () => undefined });
  node.ifUp('em0');
  clock.advance(5000);
  return { node, clock };
}

export function newServer(node: KernelNode, opts: Partial<KernelServerOptions> = {}): KernelServer {
  return new KernelServer(node, { name: node.name, privileged: true, ...opts });
}

/** Lets in-memory frames and server drains run (a few event-loop turns). */
export async function turns(n = 6): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
}

export async function until(pred: () => boolean, maxTurns = 2000): Promise<void> {
  for (let i = 0; i < maxTurns && !pred(); i++) await new Promise<void>((r) => setImmediate(r));
  if (!pred()) throw new Error('condition not reached');
}

/** A client speaking raw frames (kernel-api builders) over a FrameChannel. */
export class TestClient {
  readonly events: v1.Event.$Properties[] = [];
  readonly errors: v1.ErrorFrame.$Properties[] = [];
  welcome: v1.Welcome.$Properties | undefined;
  closed = false;
  private nextId = 1;
  private readonly waiting = new Map<number, (r: v1.Response.$Properties) => void>();

  constructor(readonly channel: FrameChannel) {
    channel.onFrame((f) => {
      if (f.welcome) this.welcome = f.welcome;
      else if (f.error) this.errors.push(f.error);
      else if (f.event) this.events.push(f.event);
      else if (f.response) {
        const id = f.response.id ?? 0;
        const w = this.waiting.get(id);
        this.waiting.delete(id);
        w?.(f.response);
      }
    });
    channel.onClose(() => {
      this.closed = true;
    });
  }

  send(frame: v1.Frame.$Properties): void {
    this.channel.send(frame);
  }

  async hello(init: Partial<HelloInit> = {}): Promise<void> {
    this.send(helloFrame({ name: 'test', pid: 42, ...init }));
    await until(() => this.welcome !== undefined || this.errors.length > 0 || this.closed);
  }

  request<K extends RequestOp>(op: K, args: OpArgs<K>): Promise<v1.Response.$Properties> {
    const id = this.nextId++;
    const p = new Promise<v1.Response.$Properties>((resolve, reject) => {
      this.waiting.set(id, resolve);
      const t = setTimeout(() => reject(new Error(`no response to ${op} #${id}`)), 3000);
      t.unref();
    });
    this.send(requestFrame(id, op, args));
    return p;
  }

  async call<K extends RequestOp>(op: K, args: OpArgs<K>): Promise<ResultOf<K>> {
    return unwrapResponse(op, await this.request(op, args));
  }

  /** The errno name of a request expected to fail. */
  async errno<K extends RequestOp>(op: K, args: OpArgs<K>): Promise<ErrnoName | undefined> {
    const r = await this.request(op, args);
    return errnoName(r.errno ?? 0);
  }

  close(): void {
    this.channel.close();
  }
}

/** A client connected over kernel-api's memoryPair, Hello done. */
export async function connect(server: KernelServer, init: Partial<HelloInit> = {}): Promise<TestClient> {
  const [serverEnd, clientEnd] = memoryPair();
  server.accept(serverEnd);
  const c = new TestClient(clientEnd);
  await c.hello(init);
  return c;
}

/** A raw byte client on the server's ByteStreamChannel (bytes delivered a turn later, as a socket would). */
export class RawClient {
  readonly frames: v1.Frame[] = [];
  ended = false;
  readonly channel: ByteStreamChannel;
  private readonly decoder = new FrameDecoder();

  constructor(server: KernelServer) {
    this.channel = new ByteStreamChannel({
      write: (b) => {
        const copy = b.slice();
        setImmediate(() => this.frames.push(...this.decoder.push(copy)));
      },
      end: () => setImmediate(() => (this.ended = true)),
      destroy: () => (this.ended = true),
    });
    server.accept(this.channel);
  }

  write(bytes: Uint8Array): void {
    const copy = bytes.slice();
    setImmediate(() => this.channel.receive(copy));
  }

  frame(f: v1.Frame.$Properties): void {
    this.write(encodeFrame(f));
  }

  end(): void {
    setImmediate(() => this.channel.receiveEnd());
  }
}
