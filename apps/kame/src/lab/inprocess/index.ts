import type { StartLab } from '../types';
import { startInProcessLabImpl, type InProcessLab } from './runtime';

export { VIRTUAL_EPOCH_MS, MAX_EVENTS, type InProcessLab } from './runtime';
export { IN_PROCESS_PROGRAMS, inProcessProgram } from './programs';
export { echo, type EchoOutcome } from './echo';

/**
 * The in-process and virtual runtimes of `kame lab up --mode in-process|virtual`
 * (the StartLab contract of ../types.ts). The result is also an InProcessLab:
 * runFor / runUntil / runUntilChecks drive simulated time in virtual mode.
 */
export const startInProcessLab = ((lab, options): Promise<InProcessLab> =>
  startInProcessLabImpl(lab, options)) satisfies StartLab;
