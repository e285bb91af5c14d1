export type SignalName = 'SIGHUP' | 'SIGINT' | 'SIGQUIT' | 'SIGTERM' | 'SIGUSR1' | 'SIGUSR2';

/** What signals come from: `process` live, an EventEmitter in tests. */
export interface SignalSource {
  on(sig: SignalName, fn: () => void): unknown;
  off(sig: SignalName, fn: () => void): unknown;
}

/**
 * Installs one action per signal and returns the function that removes them
 * (idempotent). KAME's handlers only set a flag for the main loop; in Node a
 * signal already arrives as an event on the main loop, so the action runs
 * there directly. A signal with an action no longer terminates the process
 * (Node's default for SIGTERM/SIGINT/SIGHUP); after uninstall it does again.
 */
export function installSignals(
  source: SignalSource,
  actions: Partial<Record<SignalName, () => void>>,
): () => void {
  const installed: [SignalName, () => void][] = [];
  for (const [sig, action] of Object.entries(actions) as [SignalName, (() => void) | undefined][]) {
    if (!action) continue;
    const handler = (): void => action();
    source.on(sig, handler);
    installed.push([sig, handler]);
  }
  return () => {
    for (const [sig, handler] of installed.splice(0)) source.off(sig, handler);
  };
}
