import { InMemorySegment, type SegmentOptions, type SegmentStats } from './in-memory-segment';
import { macTableKey, MacTable, type MacTableOptions } from './mac-table';
import type { SegmentPort } from './segment-port';

export interface LearningSwitchOptions extends SegmentOptions, MacTableOptions {}

export interface LearningSwitchStats extends SegmentStats {
  /** New source addresses entered in the table. */
  learned: number;
  /** Known addresses seen on a different port than before. */
  moved: number;
  /** New addresses not learned because the table was full. */
  tableFull: number;
  /** Frames flooded (broadcast, multicast or unknown unicast). */
  flooded: number;
  /** Frames flooded because their unicast destination was unknown (also counted in flooded). */
  unknownUnicast: number;
  /** Frames sent out of exactly the one learned port. */
  forwarded: number;
  /** Frames whose destination was learned on the port they came from (not sent anywhere). */
  filtered: number;
  /** Entries removed by aging. */
  agedOut: number;
}

/**
 * A transparent learning bridge (IEEE 802.1D without spanning tree): learns
 * source MAC → port, forwards known unicast to that port only, and floods
 * broadcast, multicast (33:33:..., 01:00:5e:...: any group address) and
 * unknown unicast to every other port. When the table is full, new
 * addresses are not learned and their traffic keeps flooding, as on a real
 * switch whose CAM table overflowed.
 */
export class LearningSwitch extends InMemorySegment<LearningSwitchStats> {
  readonly table: MacTable<SegmentPort>;

  constructor(name: string, opts: LearningSwitchOptions) {
    super(name, opts, {
      frames: 0,
      runts: 0,
      giants: 0,
      learned: 0,
      moved: 0,
      tableFull: 0,
      flooded: 0,
      unknownUnicast: 0,
      forwarded: 0,
      filtered: 0,
      agedOut: 0,
    });
    this.table = new MacTable(opts.clock, opts, (n) => {
      this.stats.agedOut += n;
    });
  }

  protected forward(from: SegmentPort, frame: Uint8Array): void {
    this.learn(from, frame);
    const dstIsGroup = (frame[0]! & 1) === 1;
    const out = dstIsGroup ? undefined : this.table.lookup(macTableKey(frame, 0));
    if (out === undefined) {
      this.stats.flooded++;
      if (!dstIsGroup) this.stats.unknownUnicast++;
      for (const p of this.endpoints) if (p !== from) p.arrive(frame);
    } else if (out === from) {
      this.stats.filtered++;
    } else {
      this.stats.forwarded++;
      out.arrive(frame);
    }
  }

  protected override portDetached(port: SegmentPort): void {
    this.table.removePort(port);
  }

  protected override segmentClosed(): void {
    this.table.clear();
  }

  private learn(from: SegmentPort, frame: Uint8Array): void {
    // A group address is never a valid source (802.1D 7.8): do not learn it.
    if ((frame[6]! & 1) === 1) return;
    switch (this.table.learn(macTableKey(frame, 6), from)) {
      case 'learned':
        this.stats.learned++;
        break;
      case 'moved':
        this.stats.moved++;
        break;
      case 'full':
        this.stats.tableFull++;
        break;
      case 'refreshed':
        break;
    }
  }
}
