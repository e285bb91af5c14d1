import { closeSync, openSync, writeSync } from 'node:fs';
import type { Clock } from '@kame/time';
import { PcapngWriter } from '@kame/wire';
import type { LinkEndpoint } from './endpoint';
import { PcapngTap, type PcapngTapOptions } from './pcapng-tap';

/** Taps writing one pcapng file; close() stops them and closes the file. */
export interface PcapngFileTap {
  readonly path: string;
  readonly taps: readonly PcapngTap[];
  close(): void;
}

/**
 * Captures one or more endpoints into a pcapng file at `path` (created or
 * truncated). Blocks are written synchronously as they happen, so the file
 * is a valid capture at every moment and survives a crash of the lab.
 */
export function openPcapngFileTap(
  path: string,
  endpoints: LinkEndpoint | readonly LinkEndpoint[],
  clock: Clock,
  opts: PcapngTapOptions = {},
): PcapngFileTap {
  const fd = openSync(path, 'w');
  let open = true;
  const writer = new PcapngWriter((chunk) => {
    if (open) writeSync(fd, chunk);
  }, opts.writer);
  const list: readonly LinkEndpoint[] = Array.isArray(endpoints) ? endpoints : [endpoints as LinkEndpoint];
  const taps = list.map((ep) => new PcapngTap(ep, clock, writer, opts));
  return {
    path,
    taps,
    close() {
      if (!open) return;
      for (const t of taps) t.close();
      open = false;
      closeSync(fd);
    },
  };
}
