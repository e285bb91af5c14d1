/** One end sends, the other counts deliveries. */
export interface Stream {
  send(): void;
  onDeliver(cb: () => void): void;
}

export interface StreamRate {
  /** Deliveries per second over the measured interval. */
  perSec: number;
  /** Times the watchdog refilled a window that made no progress for 100 ms. */
  stalls: number;
}

export const sleep = (t: number): Promise<void> => new Promise((r) => setTimeout(r, t));

/**
 * Keeps at most `window` items undelivered (a lost one would shrink the
 * window forever, so a watchdog refills it when nothing moved for 100 ms),
 * warms up for ms/4, measures deliveries over `ms`, then waits up to
 * `drainMs` for the stragglers.
 */
export async function windowedStream(
  s: Stream,
  window: number,
  ms: number,
  drainMs: number,
): Promise<StreamRate> {
  let sent = 0;
  let delivered = 0;
  let running = true;
  const pump = (): void => {
    while (running && sent - delivered < window) {
      sent++;
      s.send();
    }
  };
  s.onDeliver(() => {
    delivered++;
    pump();
  });
  pump();
  let stalls = 0;
  let last = -1;
  const watchdog = setInterval(() => {
    if (running && delivered === last) {
      stalls++;
      sent = delivered;
      pump();
    }
    last = delivered;
  }, 100);
  await sleep(ms / 4);
  const d0 = delivered;
  const t0 = performance.now();
  await sleep(ms);
  const d1 = delivered;
  const t1 = performance.now();
  running = false;
  clearInterval(watchdog);
  const deadline = performance.now() + drainMs;
  while (delivered < sent && performance.now() < deadline) await sleep(2);
  return { perSec: ((d1 - d0) * 1000) / (t1 - t0), stalls };
}
