/**
 * The part of @kame/time's Clock the client uses, declared structurally so
 * kernel-api needs no build dependency on @kame/time: a VirtualClock (tests,
 * virtual-time labs) or a RealClock (live daemons) is passed as is.
 */
export interface ClientTimer {
  cancel(): void;
}

export interface ClientClock {
  now(): number;
  setTimer(delayMs: number, fn: () => void): ClientTimer;
}
