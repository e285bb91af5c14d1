import type { Clock, Random } from '@kame/time';
import { type EndpointStats, type FrameListener, type LinkEndpoint, newEndpointStats } from './endpoint';
import type { Impairable, ImpairmentConfig } from './impairment';
import { configurePipelines, currentImpairments, ImpairmentPipeline } from './impairment-pipeline';
import { Listeners } from './listeners';

/**
 * Impairments and a cable switch in front of any LinkEndpoint (for example
 * a VXLAN-over-UDP endpoint): egress impairments act before `inner.send`,
 * ingress impairments between `inner`'s delivery and this endpoint's
 * listeners. Stats count what passes through the wrapper; carrier is the
 * wrapper's cable AND the inner endpoint's carrier.
 */
export class ImpairedEndpoint implements LinkEndpoint, Impairable {
  readonly stats: EndpointStats = newEndpointStats();
  readonly name: string;
  private cable = true;
  private closed = false;
  private lastCarrier: boolean;
  private readonly receivers = new Listeners<Uint8Array>();
  private readonly senders = new Listeners<Uint8Array>();
  private readonly carrierListeners = new Listeners<boolean>();
  private readonly egress: ImpairmentPipeline;
  private readonly ingress: ImpairmentPipeline;
  private readonly unsubscribe: Array<() => void>;

  constructor(
    readonly inner: LinkEndpoint,
    clock: Clock,
    random: Random,
    config: ImpairmentConfig = {},
  ) {
    this.name = inner.name;
    const dropped = (): void => {
      this.stats.dropped++;
    };
    const duplicated = (): void => {
      this.stats.duplicated++;
    };
    this.egress = new ImpairmentPipeline(
      clock,
      random,
      {
        deliver: (f) => {
          if (!this.carrier) this.stats.dropped++;
          else inner.send(f);
        },
        drop: dropped,
        duplicated,
      },
      false,
    );
    this.ingress = new ImpairmentPipeline(
      clock,
      random,
      {
        deliver: (f) => {
          if (!this.carrier) {
            this.stats.dropped++;
            return;
          }
          this.stats.framesIn++;
          this.stats.bytesIn += f.length;
          this.receivers.emit(f);
        },
        drop: dropped,
        duplicated,
      },
      false,
    );
    configurePipelines(this.egress, this.ingress, config);
    this.lastCarrier = this.carrier;
    this.unsubscribe = [
      inner.onReceive((f) => {
        if (!this.carrier) this.stats.dropped++;
        else this.ingress.push(f);
      }),
      inner.onCarrier(() => this.carrierChanged()),
    ];
  }

  get carrier(): boolean {
    return this.cable && !this.closed && this.inner.carrier;
  }

  send(frame: Uint8Array): void {
    if (!this.carrier) {
      this.stats.dropped++;
      return;
    }
    this.stats.framesOut++;
    this.stats.bytesOut += frame.length;
    this.senders.emit(frame);
    // Copy only when the frame may outlive this call (the sender may reuse its buffer).
    this.egress.push(this.egress.impairment === undefined ? frame : frame.slice());
  }

  onReceive(listener: FrameListener): () => void {
    return this.receivers.add(listener);
  }

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

  setCarrier(up: boolean): void {
    this.cable = up;
    this.carrierChanged();
  }

  /** Closes the wrapper and the inner endpoint. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unsubscribe) u();
    this.inner.close();
    this.carrierChanged();
  }

  private carrierChanged(): void {
    const now = this.carrier;
    if (!now) {
      this.egress.flush();
      this.ingress.flush();
    }
    if (now === this.lastCarrier) return;
    this.lastCarrier = now;
    this.carrierListeners.emit(now);
  }
}
