import type { KernelClient } from '@kame/kernel-api';
import { parseScoped, zoneIndex, type CliClock } from '../format';

/** ping6(8) over a raw ICMPv6 socket (RFC 4443 4.1 / 4.2 echo request / reply). */

export interface PingOptions {
  readonly count: number;
  readonly intervalMs: number;
  /** Data bytes after the 8-byte ICMPv6 header (-s). */
  readonly size: number;
  readonly ifname?: string;
  readonly hoplimit?: number;
  /** -S: source address (IPV6_PKTINFO). */
  readonly source?: string;
  /** -b: SO_SNDBUF and SO_RCVBUF (IMPLEMENTATION 1.7: needed for jumbo payloads). */
  readonly sockbuf?: number;
  /** How long to wait for replies after the last request. */
  readonly waitMs?: number;
  /** Echo identifier (default: the pid). */
  readonly ident?: number;
}

export interface PingResult {
  readonly transmitted: number;
  readonly received: number;
  /** Round-trip times of the replies, in ms, in arrival order. */
  readonly rtts: readonly number[];
}

const ICMP6_ECHO_REQUEST = 128;
const ICMP6_ECHO_REPLY = 129;

/** Resolves with the number of requests sent and replies received. */
export async function ping6(
  client: KernelClient,
  target: string,
  o: PingOptions,
  clock: CliClock,
  write: (s: string) => void,
): Promise<PingResult> {
  const sa = parseScoped(target, 'ping6:');
  const src = o.source === undefined ? undefined : parseScoped(o.source, 'ping6: bad source address');
  const zone = sa.zone ?? o.ifname;
  const ifindex = await zoneIndex(client, zone);
  const sock = await client.socket('raw', 58);
  try {
    const ident = (o.ident ?? process.pid) & 0xffff;
    const sent = new Map<number, number>();
    const rtts: number[] = [];
    let received = 0;
    sock.on('datagram', (d) => {
      const b = d.data;
      if (b.length < 8 || b[0] !== ICMP6_ECHO_REPLY) return;
      const id = (b[4]! << 8) | b[5]!;
      const seq = (b[6]! << 8) | b[7]!;
      const t0 = sent.get(seq);
      if (id !== ident || t0 === undefined) return;
      sent.delete(seq);
      received++;
      const rtt = clock.now() - t0;
      rtts.push(rtt);
      const from = d.from
        ? d.from.address.toString() + (d.from.zone && zone !== undefined ? `%${String(zone)}` : '')
        : target;
      write(
        `${b.length} bytes from ${from}, icmp_seq=${seq} hlim=${d.hoplimit ?? '?'} time=${rtt.toFixed(3)} ms\n`,
      );
    });
    if (o.sockbuf !== undefined) {
      await sock.setsockopt({ soSndbuf: o.sockbuf });
      await sock.setsockopt({ soRcvbuf: o.sockbuf });
    }
    await sock.setsockopt({ ipv6Recvhoplimit: true }).catch(() => undefined);
    const from = src ? `${src.toString()} --> ` : '--> ';
    write(`PING6(${o.size + 48}=40+8+${o.size} bytes) ${from}${target}\n`);
    let transmitted = 0;
    for (let seq = 0; seq < o.count; seq++) {
      const pkt = new Uint8Array(8 + o.size);
      pkt[0] = ICMP6_ECHO_REQUEST;
      pkt[4] = ident >> 8;
      pkt[5] = ident & 0xff;
      pkt[6] = (seq >> 8) & 0xff;
      pkt[7] = seq & 0xff;
      for (let k = 8; k < pkt.length; k++) pkt[k] = k & 0xff;
      sent.set(seq & 0xffff, clock.now());
      const pktinfo =
        ifindex || src
          ? { pktinfo: { ...(ifindex ? { ifindex } : {}), ...(src ? { address: src.address } : {}) } }
          : {};
      await sock.sendmsg(pkt, {
        to: { address: sa.address, ...(ifindex ? { zone: ifindex } : {}) },
        ...pktinfo,
        ...(o.hoplimit !== undefined ? { hoplimit: o.hoplimit } : {}),
      });
      transmitted++;
      if (seq + 1 < o.count) await clock.sleep(o.intervalMs);
    }
    const deadline = clock.now() + (o.waitMs ?? 2000);
    while (sent.size > 0 && clock.now() < deadline) await clock.sleep(Math.min(20, deadline - clock.now()));
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
    return { received, transmitted, rtts };
  } finally {
    await sock.close().catch(() => undefined);
  }
}
