/**
 * @kame/wire micro-benchmark: parse+emit throughput of two typical frames,
 * each against a same-run baseline that copies the same bytes in the same
 * loop shape (so the ratio, not the machine, is the figure to watch).
 *
 *   node dist/wire.js [--json] [--ms 1000]
 *
 * (a) Ethernet / IPv6 / ICMPv6 Router Advertisement with SLLA, MTU and three
 *     Prefix Information options (the ND fast path);
 * (b) Ethernet / IPv6 / UDP with a 100-byte payload.
 * Each case: warm-up, then as many iterations as fit in the wall time.
 */
import { Ipv6Address, MacAddress } from '@kame/addr';
import {
  ETHERTYPE_IPV6,
  IPPROTO_ICMPV6,
  IPPROTO_UDP,
  type Icmpv6Repr,
  type PseudoHeader,
  ethernet,
  icmpv6,
  ipv6,
  udp,
} from '@kame/wire';

interface Row {
  name: string;
  frameBytes: number;
  opsPerSec: number;
  /** ops/s divided by the baseline's ops/s for the same frame. */
  ratio: number;
}

const SRC_MAC = MacAddress.parse('02:00:00:00:00:0b');
const DST_MAC = MacAddress.parse('33:33:00:00:00:01');
const ROUTER = Ipv6Address.parse('fe80::b');
const ALL_NODES = Ipv6Address.parse('ff02::1');
const HOST = Ipv6Address.parse('2001:db8:1::a');
const PEER = Ipv6Address.parse('2001:db8:1::b');

function raFrame(): Uint8Array {
  const ra: Icmpv6Repr = {
    kind: 'routerAdvert',
    code: 0,
    curHopLimit: 64,
    managed: false,
    other: false,
    homeAgent: false,
    preference: 'medium',
    proxy: false,
    routerLifetime: 1800,
    reachableTime: 0,
    retransTimer: 0,
    options: [
      { kind: 'sourceLinkAddr', linkAddr: SRC_MAC },
      { kind: 'mtu', mtu: 1500 },
      ...[1, 2, 3].map((i) => ({
        kind: 'prefixInfo' as const,
        prefixLength: 64,
        onLink: true,
        autonomous: true,
        routerAddr: false,
        validLifetime: 86400,
        preferredLifetime: 14400,
        prefix: Ipv6Address.parse(`2001:db8:${i}::`),
      })),
    ],
  };
  const icmp = icmpv6.encode(ra, { src: ROUTER, dst: ALL_NODES });
  const ip = ipv6.encode(
    {
      trafficClass: 0,
      flowLabel: 0,
      nextHeader: IPPROTO_ICMPV6,
      hopLimit: 255,
      src: ROUTER,
      dst: ALL_NODES,
      payload: icmp,
    },
    undefined,
  );
  return ethernet.encode({ dst: DST_MAC, src: SRC_MAC, etherType: ETHERTYPE_IPV6, payload: ip }, undefined);
}

function udpFrame(): Uint8Array {
  const payload = Uint8Array.from({ length: 100 }, (_, i) => i);
  const dg = udp.encode({ srcPort: 40000, dstPort: 521, payload }, { src: HOST, dst: PEER });
  const ip = ipv6.encode(
    {
      trafficClass: 0,
      flowLabel: 0,
      nextHeader: IPPROTO_UDP,
      hopLimit: 64,
      src: HOST,
      dst: PEER,
      payload: dg,
    },
    undefined,
  );
  return ethernet.encode({ dst: SRC_MAC, src: SRC_MAC, etherType: ETHERTYPE_IPV6, payload: ip }, undefined);
}

const ETH = 14;
const IP6 = 40;

/** Parse every layer (checksum verified), then emit every layer into `out`. */
function parseEmitIcmpv6(frame: Uint8Array, out: Uint8Array): number {
  const e = ethernet.parse(frame, undefined);
  const ip = ipv6.parse(e.payload, undefined);
  const ph: PseudoHeader = { src: ip.src, dst: ip.dst };
  const m = icmpv6.parse(ip.payload, ph);
  const n = icmpv6.emit(m, out, ETH + IP6, ph);
  ipv6.emit({ ...ip, payload: out.subarray(ETH + IP6, ETH + IP6 + n) }, out, ETH);
  return ethernet.emit({ ...e, payload: out.subarray(ETH, ETH + IP6 + n) }, out, 0);
}

function parseEmitUdp(frame: Uint8Array, out: Uint8Array): number {
  const e = ethernet.parse(frame, undefined);
  const ip = ipv6.parse(e.payload, undefined);
  const ph: PseudoHeader = { src: ip.src, dst: ip.dst };
  const u = udp.parse(ip.payload, ph);
  const n = udp.emit(u, out, ETH + IP6, ph);
  ipv6.emit({ ...ip, payload: out.subarray(ETH + IP6, ETH + IP6 + n) }, out, ETH);
  return ethernet.emit({ ...e, payload: out.subarray(ETH, ETH + IP6 + n) }, out, 0);
}

/** The baseline: copy the frame (allocate + copy), same loop shape. */
function copy(frame: Uint8Array): number {
  const c = new Uint8Array(frame);
  return c[c.length - 1]!;
}

let sink = 0;

/** ops/s of `op` over `ms` of wall time, after a warm-up of ms/4. */
function measure(op: () => number, ms: number): number {
  const run = (budget: number): { ops: number; elapsed: number } => {
    let ops = 0;
    let batch = 64;
    const t0 = performance.now();
    let now = t0;
    while (now - t0 < budget) {
      for (let i = 0; i < batch; i++) sink = (sink + op()) | 0;
      ops += batch;
      now = performance.now();
      if (batch < 65536) batch *= 2;
    }
    return { ops, elapsed: now - t0 };
  };
  run(ms / 4);
  const { ops, elapsed } = run(ms);
  return (ops * 1000) / elapsed;
}

function main(argv: readonly string[]): void {
  const json = argv.includes('--json');
  const msArg = argv.indexOf('--ms');
  const ms = msArg >= 0 ? Number(argv[msArg + 1]) : 1000;
  if (!Number.isFinite(ms) || ms <= 0)
    throw new Error(`--ms wants a positive number, got ${argv[msArg + 1]}`);

  const ra = raFrame();
  const ud = udpFrame();
  const out = new Uint8Array(2048);
  // Sanity: parse+emit reproduces the frames exactly.
  for (const [f, fn] of [
    [ra, parseEmitIcmpv6],
    [ud, parseEmitUdp],
  ] as const) {
    const n = fn(f, out);
    if (n !== f.length || out.subarray(0, n).some((b, i) => b !== f[i]))
      throw new Error('parse+emit is not identity');
  }

  const rows: Row[] = [];
  for (const [label, frame, fn] of [
    ['RA (SLLA, MTU, 3 prefixes)', ra, parseEmitIcmpv6],
    ['UDP, 100-byte payload', ud, parseEmitUdp],
  ] as const) {
    const base = measure(() => copy(frame), ms);
    const pe = measure(() => fn(frame, out), ms);
    rows.push({ name: `${label}: copy baseline`, frameBytes: frame.length, opsPerSec: base, ratio: 1 });
    rows.push({ name: `${label}: parse+emit`, frameBytes: frame.length, opsPerSec: pe, ratio: pe / base });
  }

  if (json) {
    process.stdout.write(`${JSON.stringify({ wallTimeMs: ms, node: process.version, rows }, null, 2)}\n`);
    return;
  }
  const w = Math.max(...rows.map((r) => r.name.length));
  const lines = [
    `@kame/wire bench (${ms} ms per case, node ${process.version})`,
    `${'case'.padEnd(w)}  ${'bytes'.padStart(5)}  ${'ops/s'.padStart(12)}  ${'vs copy'.padStart(8)}`,
    ...rows.map(
      (r) =>
        `${r.name.padEnd(w)}  ${String(r.frameBytes).padStart(5)}  ${Math.round(r.opsPerSec)
          .toLocaleString('en-US')
          .padStart(12)}  ${r.ratio.toFixed(3).padStart(8)}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (sink === 0.5) process.stdout.write('\n'); // keep `sink` observable
}

main(process.argv.slice(2));
