import type { Clock } from '@kame/time';
import { LINKTYPE_ETHERNET, PcapngWriter, type PcapngWriterOptions, toNanoseconds } from '@kame/wire';
import type { FrameListener, LinkEndpoint } from './endpoint';

export interface PcapngTapOptions {
  /**
   * Added to clock.now() (ms) for the file's timestamps, so virtual time 0
   * can read as a real date: e.g. Date.parse('2024-01-01T00:00:00Z').
   * Default 0 (the Unix epoch).
   */
  epochOffsetMs?: number;
  /** Bytes kept per frame (0 = whole frame, the default). */
  snaplen?: number;
  /** Section header options when the tap creates its own writer. */
  writer?: PcapngWriterOptions;
}

/** Interface ids in the capture: pcapng's IDB order. */
export interface TapInterfaces {
  /** Frames the endpoint sent. */
  sent: number;
  /** Frames delivered to the endpoint. */
  received: number;
}

/**
 * Records what an endpoint sends and receives into a pcapng stream. Each
 * direction is its own pcapng interface ("<name>/out", "<name>/in", whose
 * descriptions name the endpoint), so readers that ignore epb_flags (like
 * @kame/wire's readPcapng) still see directions: interfaceId tells them.
 *
 * Sent frames are taken from `endpoint.onSend` when the endpoint offers it
 * (hub and switch ports, ImpairedEndpoint): frames the endpoint accepted.
 * Otherwise the tap wraps the instance's `send` (restored by close()).
 * Timestamps are clock.now() + epochOffsetMs, in ns in the file.
 */
export class PcapngTap {
  readonly writer: PcapngWriter;
  readonly interfaces: TapInterfaces;
  /** Frames written so far. */
  frames = 0;
  private readonly epochNs: bigint;
  private readonly detach: Array<() => void> = [];
  private closed = false;

  /**
   * `out` is a sink for the file's bytes (one chunk per pcapng block, the
   * section header first), or an existing writer shared by several taps.
   */
  constructor(
    readonly endpoint: LinkEndpoint,
    private readonly clock: Clock,
    out: PcapngWriter | ((chunk: Uint8Array) => void),
    opts: PcapngTapOptions = {},
  ) {
    this.writer = out instanceof PcapngWriter ? out : new PcapngWriter(out, opts.writer);
    this.epochNs = toNanoseconds(opts.epochOffsetMs ?? 0);
    const snaplen = opts.snaplen ?? 0;
    const name = endpoint.name;
    this.interfaces = {
      sent: this.writer.addInterface(`${name}/out`, LINKTYPE_ETHERNET, snaplen, {
        description: `kame link endpoint ${name}: frames sent`,
      }),
      received: this.writer.addInterface(`${name}/in`, LINKTYPE_ETHERNET, snaplen, {
        description: `kame link endpoint ${name}: frames received`,
      }),
    };
    this.detach.push(endpoint.onReceive((f) => this.record(this.interfaces.received, f)));
    this.detach.push(this.tapSends((f) => this.record(this.interfaces.sent, f)));
  }

  /** Stops recording (the stream stays valid: every block already written is whole). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const d of this.detach.splice(0).reverse()) d();
  }

  private record(ifId: number, frame: Uint8Array): void {
    if (this.closed) return;
    this.writer.writePacket(ifId, this.epochNs + toNanoseconds(this.clock.now()), frame);
    this.frames++;
  }

  private tapSends(listener: FrameListener): () => void {
    const ep = this.endpoint;
    if (ep.onSend !== undefined) return ep.onSend(listener);
    // No hook: wrap this instance's send. Restore only if nobody wrapped it after us.
    const hadOwn = Object.prototype.hasOwnProperty.call(ep, 'send');
    const original = ep.send;
    const wrapped = (frame: Uint8Array): void => {
      listener(frame);
      original.call(ep, frame);
    };
    ep.send = wrapped;
    return () => {
      if (ep.send !== wrapped) return;
      if (hadOwn) ep.send = original;
      else delete (ep as { send?: unknown }).send;
    };
  }
}
