import { Ipv6Address } from '@kame/addr';
import type { Datagram, KernelClient } from '@kame/kernel-api';
import { ifnameOf, parseScoped, zoneIndex, type CliClock } from '../format';

/**
 * traceroute6(8): UDP probes to port 33434 + n with hop limits 1, 2, ...;
 * the path answers with ICMPv6 Time Exceeded (RFC 4443 3.3) and the target
 * with Destination Unreachable / port unreachable (RFC 4443 3.1), read from
 * a raw ICMPv6 socket.
 */

export interface TracerouteOptions {
  readonly numeric: boolean;
  /** -f: first hop limit (default 1). */
  readonly firstHop?: number;
  /** -m: max hop limit (default 30). */
  readonly maxHops?: number;
  /** -q: probes per hop (default 3). */
  readonly nqueries?: number;
  /** -w: seconds to wait for a reply (default 5). */
  readonly waitMs?: number;
  /** -p: base destination port (default 33434). */
  readonly port?: number;
}

export interface ProbeResult {
  readonly address: string | null;
  readonly rtt: number | null;
  /** "!N", "!P", "!S", "!A"... for an unreachable other than the port. */
  readonly annotation?: string;
}

export interface HopResult {
  readonly hop: number;
  readonly probes: ProbeResult[];
}

const ICMP6_DST_UNREACH = 1;
const ICMP6_TIME_EXCEEDED = 3;
const IPPROTO_UDP = 17;
/** Bytes of UDP payload per probe (seq, hop limit, padding, send time). */
const DATALEN = 20;

/** RFC 4443 3.1 codes, as traceroute6 annotates them; code 4 (port) means "arrived". */
const UNREACH: Record<number, string> = { 0: '!N', 1: '!P', 2: '!S', 3: '!A', 5: '!F', 6: '!R' };

interface Reply {
  readonly type: number;
  readonly code: number;
  readonly from: string;
  readonly at: number;
}

export async function traceroute6(
  client: KernelClient,
  target: string,
  o: TracerouteOptions,
  clock: CliClock,
  out: { stdout: (s: string) => void; stderr: (s: string) => void; json: boolean },
): Promise<{ hops: HopResult[]; reached: boolean }> {
  const sa = parseScoped(target, 'traceroute6:');
  const dst = sa.address;
  const ifindex = await zoneIndex(client, sa.zone);
  const first = o.firstHop ?? 1;
  const max = o.maxHops ?? 30;
  const nq = o.nqueries ?? 3;
  const waitMs = o.waitMs ?? 5000;
  const basePort = o.port ?? 33434;
  const ifs = await client.ifList();

  // The source address: what a socket connected to the target is given (IMPLEMENTATION 1.6).
  const probe = await client.socket('dgram', IPPROTO_UDP);
  const icmp = await client.socket('raw', 58);
  try {
    await probe.connect({ address: dst, port: basePort, ...(ifindex ? { zone: ifindex } : {}) });
    const local = await probe.getsockname();
    await probe.connect();
    const srcPort = local.port;
    const fmt = (a: Ipv6Address, zone: number) =>
      a.isLinkLocal() || a.isMulticast() ? `${a.toString()}%${ifnameOf(ifs, zone || ifindex)}` : a.toString();
    const srcText = fmt(local.address, local.zone);
    out.stderr(
      `traceroute6 to ${target} (${sa.address.toString()}) from ${srcText}, ${max} hops max, ${DATALEN} byte packets\n`,
    );

    const replies = new Map<number, Reply>();
    icmp.on('datagram', (d: Datagram) => {
      const b = d.data;
      // ICMPv6 header (8), the invoking IPv6 header (40), its UDP header (8).
      if (b.length < 8 + 40 + 8) return;
      const type = b[0]!;
      if (type !== ICMP6_TIME_EXCEEDED && type !== ICMP6_DST_UNREACH) return;
      if (b[8 + 6] !== IPPROTO_UDP) return;
      if (!Ipv6Address.fromBytes(b.subarray(8 + 24, 8 + 40)).equals(dst)) return;
      const sport = (b[48]! << 8) | b[49]!;
      const dport = (b[50]! << 8) | b[51]!;
      if (sport !== srcPort || replies.has(dport)) return;
      const from = d.from ? fmt(d.from.address, d.from.zone) : '?';
      replies.set(dport, { type, code: b[1]!, from, at: clock.now() });
    });

    const hops: HopResult[] = [];
    let seq = 0;
    let reached = false;
    for (let hlim = first; hlim <= max && !reached; hlim++) {
      const probes: ProbeResult[] = [];
      let line = `${String(hlim).padStart(2)} `;
      let last: string | undefined;
      let unreachable = false;
      for (let q = 0; q < nq; q++) {
        const dport = (basePort + seq++) & 0xffff;
        const payload = new Uint8Array(DATALEN);
        payload[0] = seq & 0xff;
        payload[1] = hlim;
        const t0 = clock.now();
        await probe.sendmsg(payload, {
          to: { address: dst, port: dport, ...(ifindex ? { zone: ifindex } : {}) },
          hoplimit: hlim,
          ...(ifindex ? { pktinfo: { ifindex } } : {}),
        });
        const deadline = t0 + waitMs;
        while (!replies.has(dport) && clock.now() < deadline) {
          await clock.sleep(Math.min(10, deadline - clock.now()));
        }
        const r = replies.get(dport);
        if (!r) {
          probes.push({ address: null, rtt: null });
          line += ' *';
          continue;
        }
        const rtt = r.at - t0;
        if (r.from !== last) {
          line += o.numeric ? ` ${r.from}` : ` ${r.from} (${r.from})`;
          last = r.from;
        }
        line += `  ${rtt.toFixed(3)} ms`;
        let annotation: string | undefined;
        if (r.type === ICMP6_DST_UNREACH) {
          if (r.code === 4) reached = true;
          else {
            annotation = UNREACH[r.code] ?? `!<${r.code}>`;
            unreachable = true;
            line += ` ${annotation}`;
          }
        }
        probes.push({ address: r.from, rtt, ...(annotation ? { annotation } : {}) });
      }
      hops.push({ hop: hlim, probes });
      if (!out.json) out.stdout(line + '\n');
      if (unreachable) break;
    }
    if (out.json) out.stdout(JSON.stringify({ target, source: srcText, hops, reached }, null, 2) + '\n');
    return { hops, reached };
  } finally {
    await probe.close().catch(() => undefined);
    await icmp.close().catch(() => undefined);
  }
}
