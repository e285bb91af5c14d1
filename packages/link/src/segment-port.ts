import type { Clock, Random } from '@kame/time';
import { type EndpointStats, type FrameListener, type LinkEndpoint, newEndpointStats } from './endpoint';
import type { FrameLengthVerdict } from './frame-length';
import type { Impairable, ImpairmentConfig } from './impairment';
import { configurePipelines, currentImpairments, ImpairmentPipeline } from './impairment-pipeline';
import { Listeners } from './listeners';

/** What a port needs from the in-memory segment it is attached to. */
export interface PortHost {
  readonly clock: Clock;
  readonly random: Random;
  /** Segment-wide carrier (false while the whole segment is down). */
  readonly up: boolean;
  /** Checks a sent frame's length against the segment MTU, counting runts and giants. */
  admit(frame: Uint8Array): FrameLengthVerdict;
  /** A frame left `from`'s egress impairments and reaches the segment. */
  transmit(from: SegmentPort, frame: Uint8Array): void;
  /** `port` was closed. */
  detach(port: SegmentPort): void;
}

/**
 * A port on an in-memory segment (hub or learning switch): a LinkEndpoint
 * with per-direction impairments and its own cable (setCarrier).
 *
 * Path of a frame: send() checks carrier and length, copies once, counts
 * framesOut → egress impairments → at least one clock tick later the
 * segment forwards it → each receiving port's ingress impairments →
 * framesIn and the onReceive listeners. Receivers share the one copy and
 * must treat it as read-only.
 */
export class SegmentPort implements LinkEndpoint, Impairable {
  readonly stats: EndpointStats = newEndpointStats();
  private cable = true;
  private closed = false;
  private lastCarrier: boolean;
  private readonly receivers = new Listeners<Uint8Array>();
  private readonly senders = new Listeners<Uint8Array>();
  private readonly carrierListeners = new Listeners<boolean>();
  private readonly egress: ImpairmentPipeline;
  private readonly ingress: ImpairmentPipeline;

  constructor(
    readonly name: string,
    private readonly host: PortHost,
  ) {
    this.lastCarrier = this.carrier;
    const dropped = (): void => {
      this.stats.dropped++;
    };
    const duplicated = (): void => {
      this.stats.duplicated++;
    };
    // Egress always leaves on a timer: delivery is never synchronous with send().
    this.egress = new ImpairmentPipeline(
      host.clock,
      host.random,
      {
        deliver: (f) => {
          if (!this.carrier) this.stats.dropped++;
          else host.transmit(this, f);
        },
        drop: dropped,
        duplicated,
      },
      true,
    );
    this.ingress = new ImpairmentPipeline(
      host.clock,
      host.random,
      { deliver: (f) => this.deliverLocal(f), drop: dropped, duplicated },
      false,
    );
  }

  get carrier(): boolean {
    return this.cable && this.host.up && !this.closed;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(frame: Uint8Array): void {
    if (!this.carrier) {
      this.stats.dropped++;
      return;
    }
    if (this.host.admit(frame) !== 'ok') {
      this.stats.dropped++;
      return;
    }
    const copy = frame.slice();
    this.stats.framesOut++;
    this.stats.bytesOut += copy.length;
    this.senders.emit(copy);
    this.egress.push(copy);
  }

  onReceive(listener: FrameListener): () => void {
    return this.receivers.add(listener);
  }

  /** Frames accepted by send() (after carrier and length checks, before egress impairments): for taps. */
  onSend(listener: FrameListener): () => void {
    return this.senders.add(listener);
  }

  onCarrier(listener: (up: boolean) => void): () => void {
    return this.carrierListeners.add(listener);
  }

  impair(config: ImpairmentConfig): void {
    configurePipelines(this.egress, this.ingress, config);
  }

  get impairments(): Readonly<ImpairmentConfig> {
    return currentImpairments(this.egress, this.ingress);
  }

  /** Cuts (false) or reconnects (true) this port's cable. Cutting drops every frame in its impairment queues. */
  setCarrier(up: boolean): void {
    this.cable = up;
    this.carrierChanged();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.detach(this);
    this.carrierChanged();
  }

  /** Called by the segment when a forwarded frame reaches this port. */
  arrive(frame: Uint8Array): void {
    if (!this.carrier) {
      this.stats.dropped++;
      return;
    }
    this.ingress.push(frame);
  }

  /** Re-evaluates carrier after a cable or segment change; notifies listeners on a change. */
  carrierChanged(): void {
    const now = this.carrier;
    if (!now) {
      this.egress.flush();
      this.ingress.flush();
    }
    if (now === this.lastCarrier) return;
    this.lastCarrier = now;
    this.carrierListeners.emit(now);
  }

  private deliverLocal(frame: Uint8Array): void {
    if (!this.carrier) {
      this.stats.dropped++;
      return;
    }
    this.stats.framesIn++;
    this.stats.bytesIn += frame.length;
    this.receivers.emit(frame);
  }
}
