import {
  checkHello,
  errnoFrame,
  errorFrame,
  eventFrame,
  FrameError,
  replyFrame,
  requestOp,
  v1,
  welcomeFrame,
  type ErrnoName,
  type EventBody,
  type EventKind,
  type FrameChannel,
  type OpArgs,
  type RequestOp,
} from '@kame/kernel-api';
import { SlowReaderError } from './byte-channel';
import type { OpContext } from './context';
import { runOp } from './dispatch';
import { errnoOf } from './op-error';
import { privilegeDenial } from './privilege';
import { SocketTable } from './socket-table';
import type { KernelServer } from './kernel-server';

/** What a transport can tell the server about one connection. */
export interface AcceptOptions {
  /** Bytes queued towards the client and not yet taken (a socket's writableLength). */
  readonly outgoingBytes?: () => number;
}

type State = 'hello' | 'open' | 'closed';

/**
 * One client connection: the handshake, a bounded request queue drained a
 * few requests per event-loop turn, exactly one Response per Request, event
 * delivery for its topics and sockets, and cleanup when it goes.
 */
export class Connection {
  private state: State = 'hello';
  private readonly queue: v1.Request.$Properties[] = [];
  private drainScheduled = false;
  private readonly topics = new Set<v1.Topic>();
  readonly sockets: SocketTable;
  /** The client's Hello name and pid (known after the handshake). */
  name = '';
  pid = 0;

  constructor(
    private readonly server: KernelServer,
    private readonly channel: FrameChannel,
    private readonly options: AcceptOptions,
  ) {
    this.sockets = new SocketTable(server.node.sockets, server.limits.maxSocketsPerConnection);
    channel.onFrame((f) => this.guard(() => this.onFrame(f)));
    channel.onClose((err) => this.guard(() => this.closed(err)));
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get privileged(): boolean {
    return this.server.privileged;
  }

  wants(topic: v1.Topic): boolean {
    return this.state === 'open' && this.topics.has(topic);
  }

  /** Sends an event; false when the connection is gone or could not take it. */
  event<K extends EventKind>(kind: K, body: EventBody<K>): boolean {
    if (this.state !== 'open') return false;
    return this.send(eventFrame(kind, body));
  }

  /** Ends the connection with an ErrorFrame (a protocol violation or a flood). */
  abort(errno: ErrnoName, message: string, requestId = 0): void {
    if (this.state === 'closed') return;
    this.send(errorFrame(errno, message, requestId));
    this.shutdown();
  }

  /** Ends the connection without a word (server shutdown, slow reader). */
  shutdown(error?: Error): void {
    if (this.state === 'closed') return;
    try {
      this.channel.close(error);
    } catch {
      // Already closed by the transport.
    }
    this.closed(error);
  }

  // ---- input ---------------------------------------------------------------

  private onFrame(frame: v1.Frame): void {
    if (this.state === 'closed') return;
    const body = frame.body;
    if (this.state === 'hello') {
      if (body !== 'hello' || !frame.hello) {
        this.abort('EPROTO', `expected Hello as the first frame, got ${body ?? 'an empty frame'}`);
        return;
      }
      this.handshake(frame.hello);
      return;
    }
    if (body !== 'request' || !frame.request) {
      this.abort('EPROTO', `unexpected ${body ?? 'empty'} frame from a client`);
      return;
    }
    if (this.queue.length >= this.server.limits.maxQueuedRequests) {
      this.abort(
        'ENOBUFS',
        `request queue full: more than ${this.server.limits.maxQueuedRequests} requests pending`,
        frame.request.id ?? 0,
      );
      return;
    }
    this.queue.push(frame.request);
    this.scheduleDrain();
  }

  private handshake(hello: v1.Hello.$Properties): void {
    const refusal = checkHello(hello);
    if (refusal) {
      this.abort(refusal.errno, refusal.detail);
      return;
    }
    this.name = hello.name ?? '';
    this.pid = hello.pid ?? 0;
    this.sockets.pid = this.pid;
    this.state = 'open';
    this.send(
      welcomeFrame({
        node: this.server.nodeName,
        capabilities: this.server.capabilities,
        privileged: this.server.privileged,
      }),
    );
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    this.server.defer(() => this.guard(() => this.drain()));
  }

  private drain(): void {
    this.drainScheduled = false;
    let n = this.server.limits.requestsPerTurn;
    while (n-- > 0 && this.state === 'open') {
      const req = this.queue.shift();
      if (!req) return;
      this.handle(req);
    }
    if (this.queue.length > 0 && this.state === 'open') this.scheduleDrain();
  }

  private handle(req: v1.Request.$Properties): void {
    const id = req.id ?? 0;
    const decoded = requestOp(req);
    if (!decoded) {
      this.send(errnoFrame(id, 'EOPNOTSUPP', 'unknown or missing operation (a newer client?)'));
      return;
    }
    const { op, args } = decoded;
    const denial = this.server.privileged ? undefined : privilegeDenial(op, args);
    if (denial) {
      this.send(errnoFrame(id, 'EPERM', denial));
      return;
    }
    let frame: v1.Frame.$Properties;
    try {
      frame = replyFrame(id, op, runOp(this.context(id), op, args as OpArgs<RequestOp>));
    } catch (e) {
      const { errno, message } = errnoOf(e);
      frame = errnoFrame(id, errno, message);
    }
    if (!this.send(frame) && this.state === 'open') {
      // The reply did not fit in a frame: the client still gets one Response.
      this.send(errnoFrame(id, 'EMSGSIZE', `${op}: reply exceeds the maximum frame size`));
    }
  }

  private context(requestId: number): OpContext {
    return {
      node: this.server.node,
      privileged: this.server.privileged,
      clientName: this.name,
      pid: this.pid,
      requestId,
      sockets: this.sockets,
      allSockets: () => this.server.socketTables(),
      subscribe: (topics) => topics.forEach((t) => this.topics.add(t)),
      unsubscribe: (topics) => topics.forEach((t) => this.topics.delete(t)),
    };
  }

  // ---- output --------------------------------------------------------------

  /** Sends one frame; false if it could not (closed, or too big for a frame). */
  private send(frame: v1.Frame.$Properties): boolean {
    if (this.channel.closed) return false;
    try {
      this.channel.send(frame);
    } catch (e) {
      if (e instanceof FrameError) return false;
      this.shutdown(e instanceof Error ? e : new Error(String(e)));
      return false;
    }
    const pending = this.options.outgoingBytes?.() ?? 0;
    if (pending > this.server.limits.maxOutgoingBytes) {
      this.shutdown(
        new SlowReaderError(
          `client ${this.name || '?'} is not reading: ${pending} bytes queued (limit ${this.server.limits.maxOutgoingBytes})`,
        ),
      );
      return false;
    }
    return true;
  }

  // ---- teardown ------------------------------------------------------------

  private closed(error?: Error): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.queue.length = 0;
    this.topics.clear();
    this.sockets.closeAll();
    this.server.connectionClosed(this, wasOpen, error);
  }

  /** Runs input-side work so that nothing a client does throws into the transport or the node. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.server.log('err', `connection ${this.name || '?'}: ${e instanceof Error ? e.message : String(e)}`);
      this.shutdown(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
