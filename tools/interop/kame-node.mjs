#!/usr/bin/env node
/* global console, process, setInterval, setTimeout */
// kame-node.mjs - run one kame KernelNode live, its interfaces bridged into Linux over VXLAN.
// Uses the built @kame/testing (cd /work/main && npx tsc -b packages/testing).
//
//   node tools/interop/kame-node.mjs --bind 169.254.9.1:0 \
//     --if em0,02:00:00:00:4b:01,4242,169.254.9.2:47890,2001:db8:1::1/64 \
//     [--if ...] [--forwarding] [--ra em0,2001:db8:77::/64[,ROUTER_LIFETIME]] \
//     [--pcapng FILE] [--ready-file FILE] [--duration SECONDS] [--verbose]
//
// --if IFNAME,MAC,VNI,VTEP_ADDR:PORT[,ADDRESS/LEN...]  one Ethernet interface per VXLAN segment
// --ready-file   written with the bound UDP port once every interface is attached (poll for it)
// Runs until SIGINT/SIGTERM (or --duration), then closes the socket and exits 0.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { startVxlanNode } = require('@kame/testing');

const { values } = parseArgs({
  options: {
    name: { type: 'string', default: 'kame' },
    bind: { type: 'string' },
    if: { type: 'string', multiple: true, default: [] },
    ra: { type: 'string', multiple: true, default: [] },
    forwarding: { type: 'boolean', default: false },
    pcapng: { type: 'string' },
    'ready-file': { type: 'string' },
    duration: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

function die(msg) {
  console.error(`kame-node: ${msg}`);
  process.exit(2);
}
function hostPort(s) {
  const i = s.lastIndexOf(':');
  if (i < 0) die(`expected ADDRESS:PORT, got ${s}`);
  return { address: s.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(s.slice(i + 1)) };
}

if (!values.bind) die('--bind ADDRESS:PORT is required');
if (values.if.length === 0) die('at least one --if is required');
const ras = new Map(
  values.ra.map((r) => {
    const [ifname, prefix, lifetime] = r.split(',');
    return [ifname, { prefixes: [{ prefix }], routerLifetime: Number(lifetime ?? 1800), intervalMs: 1000 }];
  }),
);
const interfaces = values.if.map((spec) => {
  const [ifname, mac, vni, vtep, ...addresses] = spec.split(',');
  if (!ifname || !mac || !vni || !vtep) die(`bad --if ${spec}`);
  return {
    ifname,
    mac,
    vni: Number(vni),
    remotes: [hostPort(vtep)],
    addresses,
    ...(ras.has(ifname) ? { ra: ras.get(ifname) } : {}),
  };
});

const running = await startVxlanNode({
  name: values.name,
  bind: hostPort(values.bind),
  interfaces,
  sysctl: values.forwarding ? { 'net.inet6.ip6.forwarding': 1 } : {},
  ...(values.pcapng ? { pcapng: values.pcapng } : {}),
  ...(values.verbose ? { log: (l) => console.log(l) } : {}),
});
console.log(`kame-node ${values.name}: listening on ${values.bind.split(':')[0]}:${running.port}`);
if (values['ready-file']) writeFileSync(values['ready-file'], `${running.port}\n`);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  const st = running.node.ip6stat;
  console.log(`kame-node ${values.name}: stopping (ip6 in ${st.ip6s_total}, forwarded ${st.ip6s_forward})`);
  await running.close();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// The RealClock's timers are unref'd: keep the process alive until told to stop.
const keepAlive = setInterval(() => undefined, 1 << 30);
if (values.duration) setTimeout(() => void stop(0), Number(values.duration) * 1000);
void keepAlive;
