import type { Clock, Random } from '@kame/time';
import type { FrameLengthVerdict } from './frame-length';
import { ImpairedPort } from './impaired-port';

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
export class SegmentPort extends ImpairedPort {
  constructor(
    name: string,
    private readonly host: PortHost,
  ) {
    // Egress always leaves on a timer: delivery is never synchronous with send().
    super(name, { clock: host.clock, random: host.random, egressAlwaysAsync: true, linkUp: () => host.up });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Called by the segment when a forwarded frame reaches this port. */
  arrive(frame: Uint8Array): void {
    this.receive(frame);
  }

  /** Re-evaluates carrier after a cable or segment change; notifies listeners on a change. */
  override carrierChanged(): void {
    super.carrierChanged();
  }

  protected override admit(frame: Uint8Array): boolean {
    return this.host.admit(frame) === 'ok';
  }

  protected transmit(frame: Uint8Array): void {
    this.host.transmit(this, frame);
  }

  protected detach(): void {
    this.host.detach(this);
  }
}
