import {
  DEFAULT_MAX_FRAME_SIZE,
  encodeFrame,
  errorFrame,
  FrameDecoder,
  FrameError,
  type FrameChannel,
  type v1,
} from '@kame/kernel-api';

/** Where a server-side channel writes: a stream socket, or an in-memory peer. */
export interface ByteSink {
  write(bytes: Uint8Array): void;
  /** Ends the stream once written bytes are out. */
  end(): void;
  /** Drops the stream now (a slow reader). */
  destroy(): void;
  /** Bytes written but not yet taken by the peer (socket.writableLength). */
  pending?(): number;
}

/** A connection dropped because its reader fell behind. */
export class SlowReaderError extends Error {
  override readonly name = 'SlowReaderError';
}

export interface ByteChannelOptions {
  readonly maxFrameSize?: number;
}

/**
 * The server end of a byte stream as a FrameChannel. Unlike the generic
 * transports, a framing failure (garbage, a bad or oversized length prefix,
 * a stream cut inside a frame) is answered with an ErrorFrame (EMSGSIZE for
 * an oversized frame, EPROTO otherwise) before the stream is ended, so the
 * client learns why it was dropped.
 */
export class ByteStreamChannel implements FrameChannel {
  private readonly decoder: FrameDecoder;
  private readonly maxFrameSize: number;
  private readonly frameListeners = new Set<(frame: v1.Frame) => void>();
  private readonly closeListeners = new Set<(error?: Error) => void>();
  private readonly backlog: v1.Frame[] = [];
  private isClosed = false;
  private closeReported = false;

  constructor(
    private readonly sink: ByteSink,
    options: ByteChannelOptions = {},
  ) {
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.decoder = new FrameDecoder({ maxFrameSize: this.maxFrameSize });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Bytes queued towards the peer. */
  get outgoingBytes(): number {
    return this.sink.pending?.() ?? 0;
  }

  send(frame: v1.Frame.$Properties): void {
    if (this.isClosed) throw new Error('send on a closed kernel channel');
    this.sink.write(encodeFrame(frame, this.maxFrameSize));
  }

  onFrame(listener: (frame: v1.Frame) => void): () => void {
    this.frameListeners.add(listener);
    if (this.backlog.length > 0) queueMicrotask(() => this.flushBacklog());
    return () => this.frameListeners.delete(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(error?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    try {
      if (error instanceof SlowReaderError) this.sink.destroy();
      else this.sink.end();
    } catch {
      // The transport is already gone.
    }
    this.reportClose(error);
  }

  /** Bytes from the peer. */
  receive(chunk: Uint8Array): void {
    if (this.isClosed) return;
    let frames: v1.Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.framingFailure(e);
      return;
    }
    for (const f of frames) {
      if (this.isClosed) return;
      if (this.frameListeners.size === 0 || this.backlog.length > 0) this.backlog.push(f);
      else this.dispatch(f);
    }
  }

  /** The peer ended its side (or the transport failed with `error`). */
  receiveEnd(error?: Error): void {
    if (this.isClosed) return;
    if (!error) {
      try {
        this.decoder.finish();
      } catch (e) {
        this.framingFailure(e);
        return;
      }
    }
    this.close(error);
  }

  private framingFailure(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    if (err instanceof FrameError) {
      const errno = err.kind === 'oversize' ? 'EMSGSIZE' : 'EPROTO';
      try {
        this.sink.write(encodeFrame(errorFrame(errno, `bad frame: ${err.message}`)));
      } catch {
        // Could not tell the peer; close anyway.
      }
    }
    this.close(err);
  }

  private flushBacklog(): void {
    while (this.backlog.length > 0 && this.frameListeners.size > 0 && !this.isClosed) {
      this.dispatch(this.backlog.shift()!);
    }
  }

  private dispatch(f: v1.Frame): void {
    for (const l of [...this.frameListeners]) l(f);
  }

  private reportClose(error: Error | undefined): void {
    if (this.closeReported) return;
    this.closeReported = true;
    for (const l of [...this.closeListeners]) {
      try {
        l(error);
      } catch {
        // A listener's failure must not stop the others.
      }
    }
  }
}
