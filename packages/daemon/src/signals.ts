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

/** Signals held while a daemon sets up, until it can act on them. */
export interface HeldSignals {
  /**
   * Installs `actions` in place of the hold, then runs, in arrival order,
   * the held signals that have an action. Returns the uninstall function.
   */
  release(actions: Partial<Record<SignalName, () => void>>): () => void;
  /** Stops holding; a signal gets its default action again. Idempotent. */
  dispose(): void;
}

/**
 * Holds `names` from now on: a daemon's pid file exists (and its parent has
 * reported it started) before the kernel is attached and the engine runs,
 * and a SIGTERM in that window must still end it cleanly — pid file removed,
 * final messages sent — instead of killing it where it stands.
 */
export function holdSignals(source: SignalSource, names: readonly SignalName[]): HeldSignals {
  const held: SignalName[] = [];
  let uninstallHold: (() => void) | undefined = installSignals(
    source,
    Object.fromEntries(names.map((sig) => [sig, () => void held.push(sig)])),
  );
  const dispose = (): void => {
    uninstallHold?.();
    uninstallHold = undefined;
  };
  return {
    release(actions) {
      const uninstall = installSignals(source, actions);
      dispose();
      for (const sig of held.splice(0)) actions[sig]?.();
      return uninstall;
    },
    dispose,
  };
}
