import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ipv6Address, Ipv6Prefix, MacAddress, linkLocalFromMac } from '@kame/addr';
import { createLogger, MemoryLog, type Logger } from '@kame/daemon';
import { KernelClient, memoryPair } from '@kame/kernel-api';
import { KernelServer } from '@kame/kernel-server';
import { VxlanTransport, type LinkEndpoint, type PcapngFileTap } from '@kame/link';
import type { KernelNode } from '@kame/stack';
import { attachNode, type AttachedInterface } from '@kame/testing';
import {
  interopSkipReason,
  LinuxHost,
  randInt,
  realNode,
  type BackgroundProcess,
} from '@kame/testing/interop';
import * as suite from '@kame/testing/interop';
import { RealClock } from '@kame/time';

/*
 * What the rtadvd/rtsold interop files share: one kame KernelNode in this
 * process on one VXLAN segment into Linux namespaces, its kernel served by a
 * KernelServer, and the daemons attached over memoryPair + KernelClient
 * (the in-process transport), all on the real clock.
 *
 *   jest process (root ns)                      ns U (underlay)        ns L / R
 *   KernelNode em0 -- VxlanTransport <-- veth --> kernel vxlan socket ... vx0
 *     KernelServer <- memoryPair -> KernelClient <- rtadvd / rtsold
 */

export const clock = new RealClock();

function onPath(cmd: string): boolean {
  return (process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin')
    .split(':')
    .some((d) => d !== '' && existsSync(join(d, cmd)));
}

/**
 * suite.describeInterop, also skipping (reason printed) when a Linux peer
 * program this file needs (radvd, rdisc6) is not installed.
 */
export function describeInteropWith(tools: readonly string[], title: string, body: () => void): void {
  const missing = tools.filter((t) => !onPath(t));
  if (interopSkipReason() === undefined && missing.length > 0) {
    const why = `needs ${missing.join(', ')} (run tools/interop/install.sh)`;
    console.log(`SKIP: ${why}`);
    describe(title, () => {
      it.skip(`SKIP: ${why}`, () => undefined);
    });
    return;
  }
  suite.describeInterop(title, body);
}

/** The EUI-64 link-local of `mac`. */
export function linkLocal(mac: string): string {
  return linkLocalFromMac(MacAddress.parse(mac)).toString();
}

/** The SLAAC (EUI-64) address of `mac` in the /64 `prefix` ("2001:db8:a::/64"). */
export function slaacAddress(prefix: string, mac: string): string {
  const p = Ipv6Prefix.parse(prefix);
  const ll = linkLocalFromMac(MacAddress.parse(mac)).bytes;
  const bytes = new Uint8Array(16);
  bytes.set(p.address.bytes.slice(0, 8), 0);
  bytes.set(ll.slice(8), 8);
  return Ipv6Address.fromBytes(bytes).toString();
}

/** A syslog-style logger into memory, on wall-clock time (as the programs log). */
export function memoryLogger(ident: string): { logger: Logger; log: MemoryLog } {
  const log = new MemoryLog(5000);
  return { logger: createLogger({ ident, clock: { now: () => Date.now() }, sink: log.sink }), log };
}

export interface KameLink {
  readonly host: LinuxHost;
  readonly node: KernelNode;
  /** The node's log (last 500 lines). */
  readonly nodeLog: string[];
  readonly transport: VxlanTransport;
  readonly endpoint: LinkEndpoint;
  /** The node's interface on the segment (up() / down()). */
  readonly iface: AttachedInterface;
  readonly tap: PcapngFileTap;
  readonly server: KernelServer;
  readonly vni: number;
  /** The kernel vxlan port in U. */
  readonly kport: number;
  /** A client of the node's kernel over a fresh memoryPair (closed by close()). */
  connect(name: string): Promise<KernelClient>;
  /** Closes the clients and the kame tap, then tears everything down and expects no leftovers. */
  close(): Promise<void>;
}

/**
 * The underlay, the outer capture, and a kame node with `ifname` on a fresh
 * VNI, up unless `up` is false (then `iface.up()` later).
 */
export async function kameLink(o: {
  name: string;
  sysctl: Record<string, number>;
  mac: string;
  ifname?: string;
  up?: boolean;
}): Promise<KameLink> {
  const host = new LinuxHost();
  let transport: VxlanTransport | undefined;
  const vni = randInt(1000, 0xffffff);
  const kport = randInt(20000, 59000);
  try {
    await host.underlay();
    transport = await VxlanTransport.open({ bind: { address: host.rootAddr, port: 0 }, clock });
    await suite.captureUnderlay(host, kport, transport.port);
  } catch (e) {
    // Nothing of it is left behind when the set-up fails half-way.
    await transport?.close();
    await host.cleanup();
    throw e;
  }
  const { node, log: nodeLog } = realNode(o.name, o.sysctl);
  const endpoint = transport.segment(vni, { remotes: [{ address: host.uAddr, port: kport }], learn: false });
  const tap = suite.tapKame(host, endpoint, clock);
  const iface = attachNode(node, o.ifname ?? 'em0', o.mac, endpoint, { up: o.up ?? true });
  const server = new KernelServer(node, { name: o.name, privileged: true });
  const clients: KernelClient[] = [];
  let closed = false;
  return {
    host,
    node,
    nodeLog,
    transport,
    endpoint,
    iface,
    tap,
    server,
    vni,
    kport,
    async connect(name) {
      const c = await KernelClient.connect({
        channelFactory: async () => {
          const [serverEnd, clientEnd] = memoryPair();
          server.accept(serverEnd);
          return clientEnd;
        },
        name,
        clock,
        reconnect: false,
      });
      clients.push(c);
      return c;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const c of clients.splice(0)) c.close();
      server.close();
      tap.close();
      await suite.teardown(host, node, transport);
    },
  };
}

/**
 * Namespace `ns` with vx0 (MAC `mac`) on the kame link's segment, up, its
 * inner traffic captured as `<ns>-vx0`. `sysctl` is applied before vx0 enters
 * (net.ipv6.conf.default.* is copied to it).
 */
export async function linuxPeer(
  k: KameLink,
  ns: string,
  mac: string,
  sysctl: Record<string, number | string>,
): Promise<void> {
  await k.host.addNamespace(ns);
  await k.host.sysctl(ns, { 'net.ipv6.conf.default.dad_transmits': 1, ...sysctl });
  await k.host.vxlan(ns, 'vx0', { vni: k.vni, kport: k.kport, uport: k.transport.port, mac });
  await k.host.linkUp(ns, 'vx0');
  await k.host.capture(`${ns}-vx0`, ns, 'vx0');
}

/** ip -6 addr and route of `ns`, and the last kame log lines: for failure messages. */
export async function linuxState(k: KameLink, ns: string, extra: () => string = () => ''): Promise<string> {
  return (
    `${ns}:\n${await k.host.addrs(ns, 'vx0')}${await k.host.ip(ns, '-6', 'route', 'show')}\n` +
    `kame log:\n${k.nodeLog.slice(-20).join('\n')}\n${extra()}`
  );
}

/** ICMPv6 type of an untagged Ethernet frame carrying IPv6 with ICMPv6 right after the header, else undefined. */
export function icmp6Type(frame: Uint8Array): number | undefined {
  if (frame.length < 55 || frame[12] !== 0x86 || frame[13] !== 0xdd || frame[20] !== 58) return undefined;
  return frame[54];
}

/** The source address of an IPv6-over-Ethernet frame. */
export function ipv6Src(frame: Uint8Array): string {
  return Ipv6Address.fromBytes(frame.slice(22, 38)).toString();
}

/** Starts radvd in namespace `ns` (foreground, log to <workDir>/<name>.log) after radvd --configtest. */
export async function startRadvd(
  k: KameLink,
  ns: string,
  name: string,
  conf: string,
): Promise<{ proc: BackgroundProcess; pidFile: string }> {
  const file = k.host.writeFile(`${name}.conf`, conf);
  const test = await k.host.exec(ns, 'radvd', ['--configtest', '-C', file], 10_000);
  if (test.code !== 0) throw new Error(`radvd --configtest ${file}: ${test.stderr}${test.stdout}`);
  const pidFile = join(k.host.workDir, `${name}.pid`);
  const proc = k.host.background(ns, name, 'radvd', [
    '-n',
    '-d',
    '1',
    '-m',
    'stderr',
    '-C',
    file,
    '-p',
    pidFile,
  ]);
  return { proc, pidFile };
}
