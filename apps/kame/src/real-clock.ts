import type { ClientClock } from '@kame/kernel-api';
import type { CliClock } from './format';

/** Host time for the CLI process (tests inject a virtual CliClock instead). */
export const realCliClock: CliClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** Host time for the KernelClient's handshake timer. */
export const realClientClock: ClientClock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

/** SIGINT stops `route monitor`; returns the handler's removal. */
export function onSigint(stop: () => void): () => void {
  process.once('SIGINT', stop);
  return () => process.off('SIGINT', stop);
}
