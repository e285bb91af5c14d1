import type { Clock, Random } from '@kame/time';
import type { LinkEndpoint } from './endpoint';
import type { ImpairmentConfig } from './impairment';
import { ImpairedPort } from './impaired-port';

/**
 * Impairments and a cable switch in front of any LinkEndpoint (for example
 * a VXLAN-over-UDP endpoint): egress impairments act before `inner.send`,
 * ingress impairments between `inner`'s delivery and this endpoint's
 * listeners. Stats count what passes through the wrapper; carrier is the
 * wrapper's cable AND the inner endpoint's carrier.
 */
export class ImpairedEndpoint extends ImpairedPort {
  private readonly unsubscribe: Array<() => void>;

  constructor(
    readonly inner: LinkEndpoint,
    clock: Clock,
    random: Random,
    config: ImpairmentConfig = {},
  ) {
    super(inner.name, { clock, random, egressAlwaysAsync: false, linkUp: () => inner.carrier });
    this.impair(config);
    this.unsubscribe = [
      inner.onReceive((f) => this.receive(f)),
      inner.onCarrier(() => this.carrierChanged()),
    ];
  }

  protected transmit(frame: Uint8Array): void {
    this.inner.send(frame);
  }

  /** close() closes the inner endpoint too. */
  protected detach(): void {
    for (const u of this.unsubscribe) u();
    this.inner.close();
  }
}
