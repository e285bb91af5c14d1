import { ScopedAddress } from '@kame/addr';
import type { KernelClient } from '@kame/kernel-api';
import { UsageError } from './engine';

export interface PingOptions {
  readonly count: number;
  readonly intervalMs: number;
  readonly size: number;
  readonly ifname?: string;
  readonly hoplimit?: number;
  /** How long to wait for replies after the last request. */
  readonly waitMs?: number;
  readonly now?: () => number;
}

/** ping6 over a raw ICMPv6 socket; resolves with the output and the number of replies. */
export async function ping6(
  client: KernelClient,
  target: string,
  o: PingOptions,
  write: (s: string) => void,
): Promise<{ received: number; transmitted: number }> {
  let sa: ScopedAddress;
  try {
    sa = ScopedAddress.parse(target);
  } catch (e) {
    throw new UsageError(`ping6: ${target}: ${(e as Error).message}`);
  }
  const now = o.now ?? (() => performance.now());
  const zone = sa.zone ?? o.ifname;
  let ifindex = 0;
  if (typeof zone === 'number') ifindex = zone;
  else if (zone !== undefined) ifindex = (await client.ifGet(zone)).index ?? 0;
  const sock = await client.socket('raw', 58);
  const ident = process.pid & 0xffff;
  const sent = new Map<number, number>();
  const rtts: number[] = [];
  let received = 0;
  sock.on('datagram', (d) => {
    const b = d.data;
    if (b.length < 8 || b[0] !== 129) return;
    const id = (b[4]! << 8) | b[5]!;
    const seq = (b[6]! << 8) | b[7]!;
    const t0 = sent.get(seq);
    if (id !== ident || t0 === undefined) return;
    sent.delete(seq);
    received++;
    const rtt = now() - t0;
    rtts.push(rtt);
    const from = d.from
      ? d.from.address.toString() + (d.from.zone && zone !== undefined ? `%${String(zone)}` : '')
      : target;
    write(
      `${b.length} bytes from ${from}, icmp_seq=${seq} hlim=${d.hoplimit ?? '?'} time=${rtt.toFixed(3)} ms\n`,
    );
  });
  await sock.setsockopt({ ipv6Recvhoplimit: true }).catch(() => undefined);
  write(`PING6(${o.size + 48}=40+8+${o.size} bytes) --> ${target}\n`);
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  let transmitted = 0;
  for (let seq = 0; seq < o.count; seq++) {
    const pkt = new Uint8Array(8 + o.size);
    pkt[0] = 128;
    pkt[4] = ident >> 8;
    pkt[5] = ident & 0xff;
    pkt[6] = (seq >> 8) & 0xff;
    pkt[7] = seq & 0xff;
    for (let k = 8; k < pkt.length; k++) pkt[k] = k & 0xff;
    sent.set(seq, now());
    await sock.sendmsg(pkt, {
      to: { address: sa.address, ...(ifindex ? { zone: ifindex } : {}) },
      ...(ifindex ? { pktinfo: { ifindex } } : {}),
      ...(o.hoplimit !== undefined ? { hoplimit: o.hoplimit } : {}),
    });
    transmitted++;
    if (seq + 1 < o.count) await sleep(o.intervalMs);
  }
  const deadline = now() + (o.waitMs ?? 2000);
  while (sent.size > 0 && now() < deadline) await sleep(20);
  await sock.close().catch(() => undefined);
  const loss = transmitted === 0 ? 0 : ((transmitted - received) * 100) / transmitted;
  write(`\n--- ${target} ping6 statistics ---\n`);
  write(
    `${transmitted} packets transmitted, ${received} packets received, ${loss.toFixed(1)}% packet loss\n`,
  );
  if (rtts.length > 0) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
    const sd = Math.sqrt(rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / rtts.length);
    write(
      `round-trip min/avg/max/std-dev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${sd.toFixed(3)} ms\n`,
    );
  }
  return { received, transmitted };
}
