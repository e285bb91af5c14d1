/**
 * @kame/stack forwarding benchmark: frames/s forwarded by one router node
 * between two in-memory links, beside a same-run baseline.
 *
 *   node dist/stack-forward.js [--json] [--ms 1000]
 *
 * The router (forwarding 1) has em0 on 2001:db8:1::/64 and em1 on
 * 2001:db8:2::/64, a route table filled with 10,000 extra /48s, and a
 * REACHABLE neighbor 2001:db8:2::c learned from an NA. Each iteration hands
 * one Ethernet/IPv6/UDP frame (100-byte payload) to em0's input; ip6_input,
 * ip6_forward (hop limit, route lookup, MTU check), nd6 output and Ethernet
 * framing run, and the frame reaches em1's driver.
 *
 * Baseline: the same loop copying the same frame (slice) and handing it to
 * the same sink: the cost of moving the bytes with no kernel at all.
 */
import { Ipv6Address, Ipv6Prefix, MacAddress } from '@kame/addr';
import { KernelNode } from '@kame/stack';
import { SeededRandom, VirtualClock } from '@kame/time';
import { ETHERTYPE_IPV6, IPPROTO_ICMPV6, IPPROTO_UDP, ethernet, icmpv6, ipv6, udp } from '@kame/wire';

const args = process.argv.slice(2);
const json = args.includes('--json');
const msArg = args.indexOf('--ms');
const ms = msArg >= 0 ? Number(args[msArg + 1]) : 1000;

const a6 = (s: string) => Ipv6Address.parse(s);
const clock = new VirtualClock();
const r = new KernelNode({
  name: 'r',
  clock,
  random: new SeededRandom(1),
  sysctl: { initial: { 'net.inet6.ip6.forwarding': 1 } },
});
let delivered = 0;
const sink = { output: (f: Uint8Array) => void (delivered += f.length > 0 ? 1 : 0) };
const em0 = r.attachEthernet('em0', MacAddress.parse('02:00:00:00:01:01'), { output: () => undefined });
const em1 = r.attachEthernet('em1', MacAddress.parse('02:00:00:00:02:01'), sink);
r.ifUp('em0');
r.ifUp('em1');
r.addAddress('em0', a6('2001:db8:1::1'), 64);
r.addAddress('em1', a6('2001:db8:2::1'), 64);
const rnd = new SeededRandom(7);
for (let i = 0; i < 10_000; i++) {
  const b = new Uint8Array(16);
  b[0] = 0x20;
  b[1] = 0x01;
  b[2] = 0x0d;
  b[3] = 0xb9 + (i & 1);
  b[4] = rnd.int(0, 255);
  b[5] = rnd.int(0, 255);
  const p = Ipv6Prefix.of(Ipv6Address.fromBytes(b), 48);
  if (!r.routes.get(p))
    r.routes.add({ dst: p, gateway: { kind: 'link', ifindex: em1.index }, ifindex: em1.index });
}
// Let DAD finish on the router's addresses (RFC 4862 5.4) before traffic.
clock.advance(5000);
// Learn 2001:db8:2::c as REACHABLE: an unsolicited NS from it, then a solicited NA.
const cMac = MacAddress.parse('02:00:00:00:02:0c');
const c = a6('2001:db8:2::c');
function ndFrame(
  message: Parameters<typeof icmpv6.encode>[0],
  src: Ipv6Address,
  dst: Ipv6Address,
  dstMac: MacAddress,
) {
  const payload = icmpv6.encode(message, { src, dst });
  return ethernet.encode({
    dst: dstMac,
    src: cMac,
    etherType: ETHERTYPE_IPV6,
    payload: ipv6.encode({
      trafficClass: 0,
      flowLabel: 0,
      nextHeader: IPPROTO_ICMPV6,
      hopLimit: 255,
      src,
      dst,
      payload,
    }),
  });
}
em1.neighbors!.resolve(c, new Uint8Array(0));
r.input(
  em1.index,
  ndFrame(
    {
      kind: 'neighborAdvert',
      code: 0,
      router: false,
      solicited: true,
      override: true,
      target: c,
      options: [{ kind: 'targetLinkAddr', linkAddr: cMac }],
    },
    c,
    a6('2001:db8:2::1'),
    em1.lladdr!,
  ),
);
if (em1.neighbors!.lookup(c)?.state !== 'REACHABLE') throw new Error('bench setup: neighbor not REACHABLE');

const src = a6('2001:db8:1::a');
const payload = udp.encode({ srcPort: 5000, dstPort: 9, payload: new Uint8Array(100) }, { src, dst: c });
const frame = ethernet.encode({
  dst: em0.lladdr!,
  src: MacAddress.parse('02:00:00:00:01:0a'),
  etherType: ETHERTYPE_IPV6,
  payload: ipv6.encode({
    trafficClass: 0,
    flowLabel: 0,
    nextHeader: IPPROTO_UDP,
    hopLimit: 64,
    src,
    dst: c,
    payload,
  }),
});

function run(body: () => void): number {
  for (let i = 0; i < 20_000; i++) body(); // warm-up
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 1000; i++) body();
    n += 1000;
    now = performance.now();
  }
  return n / ((now - start) / 1000);
}

const before = delivered;
const forwardRate = run(() => r.input(em0.index, frame));
if (delivered === before || r.ip6stat.ip6s_forward === 0) throw new Error('bench: nothing was forwarded');
const baselineRate = run(() => sink.output(frame.slice()));
const result = {
  node: process.version,
  frameBytes: frame.length,
  routes: r.routes.size,
  forwardedPerSec: Math.round(forwardRate),
  baselinePerSec: Math.round(baselineRate),
  ratio: forwardRate / baselineRate,
};
if (json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  console.log(
    `@kame/stack forwarding bench (${ms} ms per case, node ${process.version}, ${result.routes} routes)`,
  );
  console.log(`baseline (copy frame):   ${result.baselinePerSec.toLocaleString('en-US')} frames/s`);
  console.log(
    `router ip6_forward:      ${result.forwardedPerSec.toLocaleString('en-US')} frames/s  (ratio ${result.ratio.toFixed(3)})`,
  );
}
