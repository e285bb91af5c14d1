import { type Clock, type Random, SeededRandom } from '@kame/time';
import type { Segment } from './endpoint';
import { checkFrameLength, DEFAULT_MTU, type FrameLengthVerdict, validateMtu } from './frame-length';
import { type PortHost, SegmentPort } from './segment-port';

export interface SegmentOptions {
  /** Time line for delivery ticks, impairments and aging. */
  clock: Clock;
  /** Randomness for impairments (jitter, loss, ...); default SeededRandom(1), so runs are reproducible. */
  random?: Random;
  /** Payload MTU: frames longer than mtu + 14 (+ 4 when 802.1Q-tagged) are dropped. Default 1500. */
  mtu?: number;
}

/** Counters every in-memory segment keeps. */
export interface SegmentStats {
  /** Frames that reached the segment (after the sender's egress impairments). */
  frames: number;
  /** Frames shorter than an Ethernet header, dropped at send. */
  runts: number;
  /** Frames longer than the segment MTU allows, dropped at send. */
  giants: number;
}

/**
 * What hubs and switches share: ports (SegmentPort), the MTU check, a
 * segment-wide carrier, close. Subclasses decide where a frame goes.
 */
export abstract class InMemorySegment<S extends SegmentStats = SegmentStats> implements Segment {
  readonly clock: Clock;
  readonly random: Random;
  readonly mtu: number;
  private ports: SegmentPort[] = [];
  private segmentUp = true;
  private closed = false;
  private readonly host: PortHost;

  protected constructor(
    readonly name: string,
    opts: SegmentOptions,
    readonly stats: S,
  ) {
    this.clock = opts.clock;
    this.random = opts.random ?? new SeededRandom(1);
    this.mtu = validateMtu(opts.mtu ?? DEFAULT_MTU);
    const isUp = (): boolean => this.up;
    this.host = {
      clock: this.clock,
      random: this.random,
      get up() {
        return isUp();
      },
      admit: (frame) => this.admit(frame),
      transmit: (from, frame) => {
        this.stats.frames++;
        this.forward(from, frame);
      },
      detach: (port) => {
        this.ports = this.ports.filter((p) => p !== port);
        this.portDetached(port);
      },
    };
  }

  /** Adds a port named `name` (a label for logs and captures). */
  attach(name: string): SegmentPort {
    if (this.closed) throw new Error(`segment ${this.name} is closed; cannot attach ${name}`);
    const port = new SegmentPort(name, this.host);
    this.ports = [...this.ports, port];
    return port;
  }

  get endpoints(): readonly SegmentPort[] {
    return this.ports;
  }

  /** Segment-wide carrier: false is a powered-off hub or switch, every port loses carrier. */
  get up(): boolean {
    return this.segmentUp && !this.closed;
  }

  setCarrier(up: boolean): void {
    this.segmentUp = up;
    for (const p of this.ports) p.carrierChanged();
  }

  /** Closes every port (each reports carrier down) and refuses new ones. */
  close(): void {
    if (this.closed) return;
    const ports = this.ports;
    this.closed = true;
    for (const p of ports) p.close();
    this.ports = [];
    this.segmentClosed();
  }

  /** Sends `frame` (already copied, already counted) from `from` to the ports it should reach. */
  protected abstract forward(from: SegmentPort, frame: Uint8Array): void;

  /** Hook: a port left the segment. */
  protected portDetached(_port: SegmentPort): void {}

  /** Hook: the segment closed (cancel timers here). */
  protected segmentClosed(): void {}

  private admit(frame: Uint8Array): FrameLengthVerdict {
    const v = checkFrameLength(frame, this.mtu);
    if (v === 'runt') this.stats.runts++;
    else if (v === 'giant') this.stats.giants++;
    return v;
  }
}
