import type { Clock, Random } from '@kame/time';
import { type EndpointStats, type FrameListener, type LinkEndpoint, newEndpointStats } from './endpoint';
import type { Impairable, ImpairmentConfig } from './impairment';
import { configurePipelines, currentImpairments, ImpairmentPipeline } from './impairment-pipeline';
import { Listeners } from './listeners';

/** How an ImpairedPort is wired to what lies behind it. */
export interface ImpairedPortOptions {
  readonly clock: Clock;
  readonly random: Random;
  /**
   * Egress delivery is never synchronous with send(). The port then copies
   * every sent frame up front (taps see that copy); otherwise it copies only
   * when an egress impairment may hold the frame past the call.
   */
  readonly egressAlwaysAsync: boolean;
  /** Carrier of whatever lies behind the port (segment or inner endpoint); ANDed with the cable. */
  readonly linkUp: () => boolean;
}

/**
 * What every impaired LinkEndpoint shares: stats, listeners, a cable
 * (setCarrier), and an egress and an ingress ImpairmentPipeline.
 *
 * send() checks carrier and admit(), counts framesOut, notifies onSend
 * listeners and enters egress; frames leaving egress go to transmit() while
 * carrier holds. receive() feeds ingress; frames leaving it are counted as
 * framesIn and handed to the onReceive listeners while carrier holds. Losing
 * carrier flushes both pipelines.
 */
export abstract class ImpairedPort implements LinkEndpoint, Impairable {
  readonly stats: EndpointStats = newEndpointStats();
  protected closed = false;
  private cable = true;
  private lastCarrier: boolean;
  private readonly receivers = new Listeners<Uint8Array>();
  private readonly senders = new Listeners<Uint8Array>();
  private readonly carrierListeners = new Listeners<boolean>();
  private readonly egress: ImpairmentPipeline;
  private readonly ingress: ImpairmentPipeline;
  private readonly egressAlwaysAsync: boolean;
  private readonly linkUp: () => boolean;

  constructor(
    readonly name: string,
    options: ImpairedPortOptions,
  ) {
    this.egressAlwaysAsync = options.egressAlwaysAsync;
    this.linkUp = options.linkUp;
    const dropped = (): void => {
      this.stats.dropped++;
    };
    const duplicated = (): void => {
      this.stats.duplicated++;
    };
    this.egress = new ImpairmentPipeline(
      options.clock,
      options.random,
      {
        deliver: (f) => {
          if (!this.carrier) this.stats.dropped++;
          else this.transmit(f);
        },
        drop: dropped,
        duplicated,
      },
      options.egressAlwaysAsync,
    );
    this.ingress = new ImpairmentPipeline(
      options.clock,
      options.random,
      { deliver: (f) => this.deliverLocal(f), drop: dropped, duplicated },
      false,
    );
    this.lastCarrier = this.carrier;
  }

  get carrier(): boolean {
    return this.cable && !this.closed && this.linkUp();
  }

  send(frame: Uint8Array): void {
    if (!this.carrier || !this.admit(frame)) {
      this.stats.dropped++;
      return;
    }
    const sent = this.egressAlwaysAsync ? frame.slice() : frame;
    this.stats.framesOut++;
    this.stats.bytesOut += sent.length;
    this.senders.emit(sent);
    // Copy only when the frame may outlive this call (the sender may reuse its buffer).
    this.egress.push(sent !== frame || this.egress.impairment === undefined ? sent : sent.slice());
  }

  onReceive(listener: FrameListener): () => void {
    return this.receivers.add(listener);
  }

  /** Frames accepted by send() (after carrier and admit checks, before egress impairments): for taps. */
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

  /** Cuts (false) or reconnects (true) the cable. Cutting drops every frame in the impairment queues. */
  setCarrier(up: boolean): void {
    this.cable = up;
    this.carrierChanged();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach();
    this.carrierChanged();
  }

  /** Checks a frame handed to send() (carrier already up); false drops it. */
  protected admit(_frame: Uint8Array): boolean {
    return true;
  }

  /** A frame left the egress impairments with carrier up. */
  protected abstract transmit(frame: Uint8Array): void;

  /** close() is under way: let go of whatever lies behind the port. */
  protected abstract detach(): void;

  /** A frame arrives from behind the port and enters the ingress impairments. */
  protected receive(frame: Uint8Array): void {
    if (!this.carrier) {
      this.stats.dropped++;
      return;
    }
    this.ingress.push(frame);
  }

  /** Re-evaluates carrier after a cable or link change; notifies listeners on a change. */
  protected carrierChanged(): void {
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
