/**
 * A small fake kernel for the client SDK tests (the real KernelServer is
 * written elsewhere): memoryPair() channels and kernel-api's own builders.
 * Subscribe is answered automatically (with the interface dump when
 * TOPIC_IFACE is asked for); other requests go to `handlers`, or are held
 * for the test to answer by hand.
 */
import {
  ABI_VERSION,
  checkHello,
  errnoFrame,
  errorFrame,
  eventFrame,
  memoryPair,
  replyFrame,
  requestOp,
  welcomeFrame,
  type ErrnoName,
  type EventBody,
  type EventKind,
  type FrameChannel,
  type OpArgs,
  type RequestOp,
  type ResultOf,
  v1,
} from '../src';

export interface HeldRequest {
  readonly id: number;
  readonly op: RequestOp;
  readonly args: OpArgs<RequestOp>;
}

export type Handler = (args: OpArgs<RequestOp>, conn: FakeConn, id: number) => v1.Frame.$Properties | 'hold';

export class FakeConn {
  hello: v1.Hello.$Properties | undefined;
  readonly topics = new Set<number>();
  readonly requests: HeldRequest[] = [];
  readonly held: HeldRequest[] = [];
  closed = false;

  constructor(
    readonly kernel: FakeKernel,
    readonly channel: FrameChannel,
  ) {
    channel.onFrame((f) => this.onFrame(f));
    channel.onClose(() => {
      this.closed = true;
    });
  }

  private onFrame(f: v1.Frame): void {
    if (!this.hello) {
      if (f.body !== 'hello') {
        this.channel.send(errorFrame('EPROTO', 'expected Hello'));
        this.channel.close();
        return;
      }
      this.hello = f.hello!;
      if (this.kernel.silent) return;
      const refused = checkHello(f.hello!);
      if (refused) {
        this.channel.send(errorFrame(refused.errno, refused.detail));
        this.channel.close();
        return;
      }
      this.channel.send(
        welcomeFrame({
          node: this.kernel.node,
          capabilities: ['inet6', 'route', 'udp', 'raw', 'nd6', 'sysctl'],
          abiVersion: this.kernel.welcomeVersion,
          privileged: true,
        }),
      );
      return;
    }
    if (f.body !== 'request') return;
    const r = requestOp(f.request!);
    if (!r) return;
    const req: HeldRequest = { id: f.request!.id ?? 0, op: r.op, args: r.args };
    this.requests.push(req);
    if (r.op === 'subscribe') {
      const topics = (r.args as v1.Subscribe.$Properties).topics ?? [];
      for (const t of topics) this.topics.add(t);
      const withDump = topics.includes(v1.Topic.TOPIC_IFACE);
      this.reply(req.id, 'subscribe', withDump ? { interfaces: this.kernel.dump() } : {});
      return;
    }
    if (r.op === 'unsubscribe') {
      for (const t of (r.args as v1.Unsubscribe.$Properties).topics ?? []) this.topics.delete(t);
      this.reply(req.id, 'unsubscribe', {});
      return;
    }
    const h = this.kernel.handlers[r.op];
    const out = h ? h(r.args, this, req.id) : 'hold';
    if (out === 'hold') this.held.push(req);
    else this.channel.send(out);
  }

  reply<K extends RequestOp>(id: number, op: K, value: ResultOf<K>): void {
    this.channel.send(replyFrame(id, op, value));
  }

  fail(id: number, errno: ErrnoName, message: string): void {
    this.channel.send(errnoFrame(id, errno, message));
  }

  event<K extends EventKind>(kind: K, body: EventBody<K>): void {
    this.channel.send(eventFrame(kind, body));
  }

  close(): void {
    this.channel.close();
  }
}

export class FakeKernel {
  node = 'r1';
  welcomeVersion = ABI_VERSION;
  /** Never answer the Hello. */
  silent = false;
  /** Refuse new connections (the factory rejects). */
  refuse = false;
  interfaces: v1.Interface.$Properties[] = [];
  handlers: Partial<Record<RequestOp, Handler>> = {};
  readonly conns: FakeConn[] = [];
  /** Clock readings at each factory call, when a clock is attached. */
  readonly attempts: number[] = [];
  now: () => number = () => 0;

  /** Pass as KernelClientOptions.channelFactory. */
  readonly factory = async (): Promise<FrameChannel> => {
    this.attempts.push(this.now());
    if (this.refuse) throw new Error('ECONNREFUSED: kernel not running');
    const [client, server] = memoryPair();
    this.conns.push(new FakeConn(this, server));
    return client;
  };

  get conn(): FakeConn {
    const c = this.conns[this.conns.length - 1];
    if (!c) throw new Error('no connection');
    return c;
  }

  dump(): v1.Interface.$Properties[] {
    return this.interfaces.map((i) => ({ ...i, addresses: [...(i.addresses ?? [])] }));
  }
}

/** Lets memoryPair deliveries (setImmediate) and promise chains run. */
export async function settle(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

export function ll(last: number): Uint8Array {
  const b = new Uint8Array(16);
  b[0] = 0xfe;
  b[1] = 0x80;
  b[15] = last;
  return b;
}

export function global6(last: number): Uint8Array {
  const b = new Uint8Array(16);
  b[0] = 0x20;
  b[1] = 0x01;
  b[2] = 0x0d;
  b[3] = 0xb8;
  b[15] = last;
  return b;
}

export const INFINITE = 0xffffffff;

export function ether(index: number, name: string, flags = 0x8843): v1.Interface.$Properties {
  return {
    index,
    name,
    type: v1.LinkType.LINK_ETHER,
    flags,
    mtu: 1500,
    lladdr: new Uint8Array([2, 0, 0, 0, 0, index]),
    linkState: v1.LinkState.LINK_STATE_UP,
    addresses: [],
  };
}

export function ifaddr(
  ifindex: number,
  address: Uint8Array,
  prefixLength = 64,
  flags = 0,
): v1.InterfaceAddress.$Properties {
  return { address, prefixLength, ifindex, flags, vltime: INFINITE, pltime: INFINITE };
}
