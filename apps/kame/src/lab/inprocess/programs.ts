import { basename } from 'node:path';
import type { InProcessMain } from '@kame/daemon';
import { inProcessMain as route6d } from '@kame/route6d';
import { inProcessMain as rtadvd } from '@kame/rtadvd';
import { inProcessMain as rtsold, rtsolInProcessMain as rtsol } from '@kame/rtsold';

/** The daemons a lab can run in-process, by program name (argv[0]'s base name). */
export const IN_PROCESS_PROGRAMS: ReadonlyMap<string, InProcessMain> = new Map([
  ['rtadvd', rtadvd],
  ['rtsold', rtsold],
  ['rtsol', rtsol],
  ['route6d', route6d],
]);

/** The in-process entry point of argv[0], or undefined. */
export function inProcessProgram(argv0: string | undefined): InProcessMain | undefined {
  return argv0 === undefined ? undefined : IN_PROCESS_PROGRAMS.get(basename(argv0));
}
