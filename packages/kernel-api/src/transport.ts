import { encodeFrame, FrameDecoder, FrameError, DEFAULT_MAX_FRAME_SIZE } from './frame';
import type { v1 } from './proto';

/**
 * One end of a kernel connection carrying whole frames. Every transport
 * (memory, Unix socket) moves the same encoded bytes through a FrameDecoder,
 * so framing behaves identically in-process and live.
 */
export interface FrameChannel {
  /** Encodes and sends one frame; throws FrameError('oversize') or if closed. */
  send(frame: v1.Frame.$Properties): void;
  /** Frames received before the first listener are kept and given to it. */
  onFrame(listener: (frame: v1.Frame) => void): () => void;
  /** Called once, with the error when the channel failed (bad frame, I/O error). */
  onClose(listener: (error?: Error) => void): () => void;
  /** Closes both directions once queued frames are sent. */
  close(error?: Error): void;
  readonly closed: boolean;
}

export interface ChannelOptions {
  readonly maxFrameSize?: number;
}

/**
 * The transport-independent part: encode on send, decode what arrives,
 * buffer frames until a listener exists, report close once.
 */
export abstract class StreamFrameChannel implements FrameChannel {
  protected readonly maxFrameSize: number;
  private readonly decoder: FrameDecoder;
  private readonly frameListeners = new Set<(frame: v1.Frame) => void>();
  private readonly closeListeners = new Set<(error?: Error) => void>();
  private readonly backlog: v1.Frame[] = [];
  private closeError: Error | undefined;
  private isClosed = false;
  private closeReported = false;

  constructor(options: ChannelOptions = {}) {
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.decoder = new FrameDecoder({ maxFrameSize: this.maxFrameSize });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  send(frame: v1.Frame.$Properties): void {
    if (this.isClosed) throw new Error('send on a closed kernel channel');
    this.writeBytes(encodeFrame(frame, this.maxFrameSize));
  }

  onFrame(listener: (frame: v1.Frame) => void): () => void {
    this.frameListeners.add(listener);
    // The backlog goes out after onFrame returns, so the caller holds its unsubscribe first.
    if (this.backlog.length > 0) queueMicrotask(() => this.flushBacklog());
    return () => this.frameListeners.delete(listener);
  }

  private flushBacklog(): void {
    while (this.backlog.length > 0 && this.frameListeners.size > 0) this.dispatch(this.backlog.shift()!);
  }

  onClose(listener: (error?: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(error?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeError = error;
    this.shutdown(error);
  }

  /** Sends encoded bytes to the peer. */
  protected abstract writeBytes(bytes: Uint8Array): void;
  /** Tears the transport down after `close`. */
  protected abstract shutdown(error: Error | undefined): void;

  /** Bytes from the peer; a framing error closes the channel with it. */
  protected receiveBytes(chunk: Uint8Array): void {
    if (this.closeReported) return;
    let frames: v1.Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    for (const f of frames) {
      // Behind a backlog not yet flushed, keep order.
      if (this.frameListeners.size === 0 || this.backlog.length > 0) this.backlog.push(f);
      else this.dispatch(f);
    }
  }

  /** The peer or the transport ended the stream. */
  protected receiveEnd(error?: Error): void {
    if (!error) {
      try {
        this.decoder.finish();
      } catch (e) {
        if (e instanceof FrameError) error = e;
      }
    }
    this.isClosed = true;
    this.reportClose(error ?? this.closeError);
  }

  private fail(error: Error): void {
    this.close(error);
    this.reportClose(error);
  }

  private dispatch(f: v1.Frame): void {
    for (const l of [...this.frameListeners]) l(f);
  }

  private reportClose(error: Error | undefined): void {
    if (this.closeReported) return;
    this.closeReported = true;
    for (const l of [...this.closeListeners]) l(error);
  }
}

/**
 * Delivery of memory channels under a caller's control (virtual-time labs):
 * channels sharing a pump queue their flushes on it instead of on
 * setImmediate, and `flush()` runs them in the order they were queued, so a
 * run is the same every time. `settle()` alternates flushes with event-loop
 * turns (for the promise continuations of clients) until nothing is left.
 */
export class MemoryPump {
  private queue: (() => void)[] = [];

  /** Flushes waiting to run. */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues one step (a channel flush, a server's next batch of requests) for the next flush(). */
  enqueue(fn: () => void): void {
    this.queue.push(fn);
  }

  /** Runs every queued flush, including those queued meanwhile; returns how many ran. */
  flush(): number {
    let n = 0;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      for (const fn of batch) fn();
      n += batch.length;
    }
    return n;
  }

  /** Flushes and yields to the event loop until a turn queues nothing new (at most `maxTurns`). */
  async settle(maxTurns = 10_000): Promise<void> {
    for (let turn = 0; turn < maxTurns; turn++) {
      this.flush();
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.queue.length === 0) return;
    }
    throw new Error(`memory pump did not settle after ${maxTurns} turns`);
  }
}

export interface MemoryPairOptions extends ChannelOptions {
  /** Deliver through this pump instead of setImmediate. */
  readonly pump?: MemoryPump;
}

/** In-process end of a memoryPair: bytes reach the peer on a later turn of the event loop (or of the pump). */
class MemoryChannel extends StreamFrameChannel {
  peer: MemoryChannel | undefined;
  private outbox: Uint8Array[] = [];
  private scheduled = false;
  private endPending: { error: Error | undefined } | undefined;

  constructor(
    options: ChannelOptions,
    private readonly pump: MemoryPump | undefined,
  ) {
    super(options);
  }

  protected writeBytes(bytes: Uint8Array): void {
    this.outbox.push(bytes);
    this.schedule();
  }

  protected shutdown(error: Error | undefined): void {
    this.endPending = { error };
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.pump) this.pump.enqueue(() => this.flush());
    else setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const peer = this.peer;
    const chunks = this.outbox;
    this.outbox = [];
    if (peer) for (const c of chunks) peer.deliver(c);
    if (this.endPending) {
      const { error } = this.endPending;
      this.endPending = undefined;
      // Our side is done; the peer sees end of stream (and our error, if any).
      peer?.deliverEnd(error);
      this.receiveEnd(error);
    }
  }

  deliver(bytes: Uint8Array): void {
    this.receiveBytes(bytes);
  }

  deliverEnd(error: Error | undefined): void {
    this.receiveEnd(error);
  }
}

/**
 * Two connected channels in one process (a lab's kernel and daemon engines):
 * the same encoded frames as a socket, delivered asynchronously and in order.
 */
export function memoryPair(options: MemoryPairOptions = {}): [FrameChannel, FrameChannel] {
  const a = new MemoryChannel(options, options.pump);
  const b = new MemoryChannel(options, options.pump);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
