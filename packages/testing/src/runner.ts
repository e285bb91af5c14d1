import { randomBytes } from 'node:crypto';
import { Ipv6Address } from '@kame/addr';
import { VxlanTransport, openPcapngFileTap, type PcapngFileTap, type UdpRemote } from '@kame/link';
import { KernelNode } from '@kame/stack';
import { RealClock, SeededRandom, type Clock } from '@kame/time';
import { attachNode, type AttachedInterface } from './attach';
import { startRaSender, type RaSender, type RouterAdvertOptions } from './ra';

export interface VxlanInterfaceSpec {
  ifname: string;
  mac: string;
  vni: number;
  /** The VTEPs of this segment (e.g. a Linux vxlan device's underlay address and dstport). */
  remotes: UdpRemote[];
  mtu?: number;
  /** "2001:db8::1/64" */
  addresses?: string[];
  /** Advertise as a router on this interface (the node should forward). */
  ra?: RouterAdvertOptions & { intervalMs?: number };
}

export interface VxlanNodeOptions {
  name: string;
  /** The transport's UDP socket (port 0: any free port; see RunningNode.port). */
  bind: { address: string; port: number };
  interfaces: VxlanInterfaceSpec[];
  clock?: Clock;
  /** Default: random. */
  seed?: number;
  sysctl?: Record<string, number>;
  /** Writes every interface's frames to this pcapng file. */
  pcapng?: string;
  log?: (line: string) => void;
}

/** A KernelNode running live on a VxlanTransport. */
export interface RunningNode {
  readonly node: KernelNode;
  readonly transport: VxlanTransport;
  readonly ports: readonly AttachedInterface[];
  /** The transport's bound UDP port. */
  readonly port: number;
  /** Takes the interfaces down, stops RAs and captures, closes the socket. */
  close(): Promise<void>;
}

/**
 * The node runner: one KernelNode (real time by default) whose Ethernet
 * interfaces are VXLAN segments of one UDP socket; used by the interop tests
 * and by tools/interop/kame-node.mjs.
 */
export async function startVxlanNode(o: VxlanNodeOptions): Promise<RunningNode> {
  const clock = o.clock ?? new RealClock();
  const transport = await VxlanTransport.open({ bind: o.bind, clock });
  const log = o.log;
  const node = new KernelNode({
    name: o.name,
    clock,
    random: new SeededRandom(o.seed ?? randomBytes(4).readUInt32BE(0)),
    sysctl: { initial: o.sysctl ?? {} },
    ...(log ? { log: (level, message) => log(`${o.name}: ${level} ${message}`) } : {}),
  });
  const endpoints = o.interfaces.map((i) => transport.segment(i.vni, { remotes: i.remotes, learn: false }));
  let tap: PcapngFileTap | undefined;
  if (o.pcapng)
    tap = openPcapngFileTap(o.pcapng, endpoints, clock, { epochOffsetMs: Date.now() - clock.now() });
  const ports: AttachedInterface[] = [];
  const senders: RaSender[] = [];
  o.interfaces.forEach((spec, k) => {
    ports.push(attachNode(node, spec.ifname, spec.mac, endpoints[k]!, spec.mtu ? { mtu: spec.mtu } : {}));
    for (const a of spec.addresses ?? []) {
      const [address, len] = a.split('/');
      node.addAddress(spec.ifname, Ipv6Address.parse(address!), Number(len ?? 64));
    }
    if (spec.ra) senders.push(startRaSender(node, spec.ifname, spec.ra));
  });
  let closed = false;
  return {
    node,
    transport,
    ports,
    port: transport.port,
    async close() {
      if (closed) return;
      closed = true;
      for (const s of senders) s.stop();
      for (const p of ports) p.detach();
      tap?.close();
      await transport.close();
    },
  };
}
