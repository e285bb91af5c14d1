import { v1 } from './proto';

/** Largest frame body accepted by default: 16 MiB. */
export const DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;

/** The length prefix is a protobuf varint of at most 32 bits: 5 bytes. */
const MAX_PREFIX_BYTES = 5;

export type FrameErrorKind =
  /** The length prefix announces more than the maximum frame size. */
  | 'oversize'
  /** The length prefix is not a valid 32-bit varint. */
  | 'bad-length'
  /** The body is not a valid Frame. */
  | 'malformed'
  /** The stream ended inside a frame. */
  | 'truncated';

/**
 * A framing failure. The stream is out of step after one, so the decoder
 * that threw it refuses further input; the connection should answer with an
 * ErrorFrame (EPROTO or EMSGSIZE) and close.
 */
export class FrameError extends Error {
  override readonly name = 'FrameError';
  constructor(
    readonly kind: FrameErrorKind,
    /** Byte offset in the stream where the bad frame starts. */
    readonly offset: number,
    message: string,
  ) {
    super(`${kind} frame at stream offset ${offset}: ${message}`);
  }
}

/** The body of one frame, without the prefix. */
export function encodeFrameBody(frame: v1.Frame.$Properties): Uint8Array {
  return v1.Frame.encode(frame).finish();
}

/** One frame on the wire: varint length prefix, then the encoded Frame (one buffer, written once). */
export function encodeFrame(frame: v1.Frame.$Properties, maxFrameSize = DEFAULT_MAX_FRAME_SIZE): Uint8Array {
  const out = v1.Frame.encodeDelimited(frame).finish();
  let length = 0;
  let mult = 1;
  for (let i = 0; i < MAX_PREFIX_BYTES; i++) {
    const b = out[i]!;
    length += (b & 0x7f) * mult;
    mult *= 128;
    if ((b & 0x80) === 0) break;
  }
  if (length > maxFrameSize) {
    throw new FrameError('oversize', 0, `frame of ${length} bytes exceeds the maximum of ${maxFrameSize}`);
  }
  return out;
}

/**
 * Decodes one frame body; FrameError('malformed') on anything protobufjs
 * rejects. Decoded bytes fields alias `body`: pass `owned` only when nothing
 * will write to those bytes again (else the frame gets its own copy).
 */
export function decodeFrameBody(body: Uint8Array, offset = 0, owned = false): v1.Frame {
  try {
    // A plain Uint8Array view, never a Node Buffer: decoded bytes fields must keep
    // Uint8Array semantics (Buffer#slice aliases where Uint8Array#slice copies).
    return v1.Frame.decode(
      owned ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : body.slice(),
    );
  } catch (e) {
    throw new FrameError('malformed', offset, e instanceof Error ? e.message : String(e));
  }
}

export interface FrameDecoderOptions {
  /** Largest body accepted; default DEFAULT_MAX_FRAME_SIZE. */
  readonly maxFrameSize?: number;
}

/**
 * Incremental reassembly of length-prefixed frames from a byte stream
 * (`decodeDelimited` throws on a partial buffer). A length above the maximum
 * is refused as soon as the prefix is read, before any of the body is
 * buffered; the buffer grows only with bytes actually received.
 */
export class FrameDecoder {
  readonly maxFrameSize: number;
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;
  /** Stream offset of buf[start]. */
  private consumed = 0;
  private failure: FrameError | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  }

  /** Bytes received but not yet part of a whole frame. */
  get pending(): number {
    return this.end - this.start;
  }

  /**
   * Appends a chunk; returns every frame it completes, in order. Throws
   * FrameError. The decoder takes the chunk over: frames that lie whole in it
   * are decoded in place (no copy) when nothing was pending, so the caller
   * must not write to it afterwards (transports hand over fresh buffers).
   */
  push(chunk: Uint8Array): v1.Frame[] {
    if (this.failure) throw this.failure;
    try {
      if (this.start === this.end) return this.pushWhole(chunk);
      this.append(chunk);
      return this.drain();
    } catch (e) {
      if (e instanceof FrameError) this.failure = e;
      throw e;
    }
  }

  /** The stream ended: throws FrameError('truncated') when a frame was cut short. */
  finish(): void {
    if (this.failure) throw this.failure;
    if (this.pending > 0) {
      this.failure = new FrameError(
        'truncated',
        this.consumed,
        `stream ended with ${this.pending} bytes of a frame`,
      );
      throw this.failure;
    }
  }

  private append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      const need = live + chunk.length;
      if (need <= this.buf.length && this.start > 0) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        let cap = Math.max(64, this.buf.length);
        while (cap < need) cap *= 2;
        const grown = new Uint8Array(cap);
        grown.set(this.buf.subarray(this.start, this.end));
        this.buf = grown;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Nothing pending: decode the frames that lie whole in `chunk` in place; keep only its tail. */
  private pushWhole(chunk: Uint8Array): v1.Frame[] {
    const frames: v1.Frame[] = [];
    let at = 0;
    while (at < chunk.length) {
      const prefix = this.readPrefixFrom(chunk, at, chunk.length);
      if (prefix === undefined) break;
      const [length, prefixBytes] = prefix;
      if (chunk.length - at < prefixBytes + length) break;
      const bodyStart = at + prefixBytes;
      frames.push(decodeFrameBody(chunk.subarray(bodyStart, bodyStart + length), this.consumed, true));
      at = bodyStart + length;
      this.consumed += prefixBytes + length;
    }
    if (at < chunk.length) this.append(chunk.subarray(at));
    return frames;
  }

  private drain(): v1.Frame[] {
    const frames: v1.Frame[] = [];
    while (this.start < this.end) {
      const prefix = this.readPrefix();
      if (prefix === undefined) break;
      const [length, prefixBytes] = prefix;
      if (this.end - this.start < prefixBytes + length) break;
      const bodyStart = this.start + prefixBytes;
      frames.push(decodeFrameBody(this.buf.subarray(bodyStart, bodyStart + length), this.consumed));
      this.start = bodyStart + length;
      this.consumed += prefixBytes + length;
    }
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      // Do not keep a large buffer alive after a large frame.
      if (this.buf.length > 64 * 1024) this.buf = new Uint8Array(0);
    }
    return frames;
  }

  /** [length, prefix bytes], or undefined when the prefix is still incomplete. */
  private readPrefix(): [number, number] | undefined {
    return this.readPrefixFrom(this.buf, this.start, this.end);
  }

  private readPrefixFrom(buf: Uint8Array, start: number, end: number): [number, number] | undefined {
    let value = 0;
    let mult = 1;
    for (let i = 0; i < MAX_PREFIX_BYTES; i++) {
      if (start + i >= end) return undefined;
      const b = buf[start + i]!;
      value += (b & 0x7f) * mult;
      mult *= 128;
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) {
          throw new FrameError('bad-length', this.consumed, 'length prefix exceeds 32 bits');
        }
        if (value > this.maxFrameSize) {
          throw new FrameError(
            'oversize',
            this.consumed,
            `length prefix announces ${value} bytes, the maximum is ${this.maxFrameSize}`,
          );
        }
        return [value, i + 1];
      }
      // Refuse as soon as the partial prefix already exceeds the maximum.
      if (value > this.maxFrameSize) {
        throw new FrameError(
          'oversize',
          this.consumed,
          `length prefix exceeds the maximum of ${this.maxFrameSize}`,
        );
      }
    }
    throw new FrameError('bad-length', this.consumed, `length prefix longer than ${MAX_PREFIX_BYTES} bytes`);
  }
}
