import { InMemorySegment, type SegmentOptions, type SegmentStats } from './in-memory-segment';
import type { SegmentPort } from './segment-port';

export interface HubStats extends SegmentStats {
  /** Copies handed to receiving ports (one per other port per frame). */
  delivered: number;
}

/**
 * A repeater: every frame one port sends reaches every other port (never
 * the sender), one clock tick later at the earliest.
 */
export class Hub extends InMemorySegment<HubStats> {
  constructor(name: string, opts: SegmentOptions) {
    super(name, opts, { frames: 0, runts: 0, giants: 0, delivered: 0 });
  }

  protected forward(from: SegmentPort, frame: Uint8Array): void {
    for (const p of this.endpoints) {
      if (p === from) continue;
      this.stats.delivered++;
      p.arrive(frame);
    }
  }
}
