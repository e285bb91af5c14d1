import type { ScopedAddress } from '@kame/addr';
import { IN6_IFF_TENTATIVE, type KernelNode } from '@kame/stack';
import { PingError, runUntil, sendPing, type PendingPing } from '@kame/testing';
import type { Clock } from '@kame/time';

export interface Ping6Options {
  target: ScopedAddress;
  count: number;
  intervalMs: number;
  waitMs: number;
  /** Echo data bytes (ping6 -s), default 56. */
  size?: number;
  /** How long to wait for DAD on the node before the first request (default 10 s). */
  dadWaitMs?: number;
  /** Checked while waiting: true stops sending and waiting (e.g. SIGTERM). */
  aborted?: () => boolean;
}

export interface Ping6Result {
  transmitted: number;
  received: number;
}

/**
 * A ping6(8)-like one-shot over @kame/testing's sendPing: waits until the
 * node's addresses left the tentative state (a tentative source cannot be
 * used, RFC 4862 5.4), sends `count` Echo Requests `intervalMs` apart on the
 * node's clock and prints KAME ping6-style lines through `out`. `clock` is
 * the engine's own clock (runUntil drives a VirtualClock).
 */
export async function runPing6(
  node: KernelNode,
  clock: Clock,
  o: Ping6Options,
  out: (line: string) => void,
): Promise<Ping6Result> {
  const tentative = () =>
    node.interfaces().some((i) => i.addresses.some((a) => (a.flags & IN6_IFF_TENTATIVE) !== 0));
  const aborted = o.aborted ?? (() => false);
  await runUntil(clock, () => aborted() || !tentative(), o.dadWaitMs ?? 10_000);
  const size = o.size ?? 56;
  const dst = o.target.toString();
  const ifname = o.target.zone === undefined ? undefined : String(o.target.zone);
  const identifier = node.random.int(0, 0xffff);
  out(`PING6(${40 + 8 + size}=40+8+${size} bytes) --> ${dst}`);
  const pings: PendingPing[] = [];
  const rtts: number[] = [];
  let sent = 0;
  const sendNext = () => {
    const p = sendPing(node, o.target.address, {
      ...(ifname !== undefined ? { ifname } : {}),
      identifier,
      sequence: sent,
      size,
      timeoutMs: o.waitMs,
    });
    const seq = sent;
    p.result.then(
      (r) => {
        rtts.push(r.rttMs);
        const from = r.from.isLinkLocal() ? `${r.from.toString()}%${r.ifname}` : r.from.toString();
        out(
          `${r.bytes + 8} bytes from ${from}, icmp_seq=${seq} hlim=${r.hopLimit} time=${r.rttMs.toFixed(3)} ms`,
        );
      },
      (e: unknown) => {
        if (e instanceof PingError && e.reason !== 'timeout') out(`ping6: icmp_seq=${seq}: ${e.message}`);
      },
    );
    pings.push(p);
    sent++;
    if (sent < o.count) node.clock.setTimer(o.intervalMs, () => void (aborted() || sendNext()));
  };
  sendNext();
  await runUntil(
    clock,
    () => aborted() || (sent === o.count && pings.every((p) => p.settled)),
    o.count * o.intervalMs + o.waitMs + 1000,
  );
  for (const p of pings) if (!p.settled) p.cancel();
  await Promise.allSettled(pings.map((p) => p.result));
  const received = rtts.length;
  const loss = sent === 0 ? 0 : ((sent - received) / sent) * 100;
  out(`--- ${dst} ping6 statistics ---`);
  out(`${sent} packets transmitted, ${received} packets received, ${loss.toFixed(1)}% packet loss`);
  if (received) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((a, b) => a + b, 0) / received;
    out(`round-trip min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms`);
  }
  return { transmitted: sent, received };
}
