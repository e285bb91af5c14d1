import type { Lab, LabLink, LabNode, LinkImpairment } from '@kame/lab';
import type { VxlanPeer } from '../linux/net';

/**
 * How a live lab is wired: the kame-kernel node file (every kame node; links
 * among kame nodes only are in-process hubs; links with a linux endpoint are
 * VXLAN, one UDP port per kame endpoint on kame-kernel's side and one kernel
 * vxlan device per linux endpoint) and the linux interfaces to create.
 */

export interface LinuxInterfacePlan {
  readonly node: string;
  readonly ifname: string;
  readonly vni: number;
  /** The vxlan device's UDP port in the underlay namespace. */
  readonly kport: number;
  readonly mac: string;
  readonly mtu: number;
  readonly peers: readonly VxlanPeer[];
}

export interface LivePlan {
  readonly nodeFile: string;
  readonly linuxInterfaces: readonly LinuxInterfacePlan[];
}

/** kame-kernel's UDP ports for the kame side of mixed links (on the lab's own underlay address). */
export const KAME_VXLAN_PORT_BASE = 20000;
/** The linux vxlan devices' ports (each takes two: dstport and srcport range). */
export const LINUX_VXLAN_PORT_BASE = 30000;
/** VNI of link i: base + i. */
export const VNI_BASE = 100;

/** Underlay addresses: kame-kernel binds on `root`, the linux vxlan devices on `underlay`. */
export interface Underlay {
  readonly root: string;
  readonly underlay: string;
}

/** The hub name of a kame-only link: "link<index>" (link ids may hold a colon, which hub names cannot). */
export function hubName(link: LabLink): string {
  return `link${link.index}`;
}

/** netem words for a node file `impair` line, or undefined for an unimpaired link. */
export function impairWords(i: LinkImpairment): string | undefined {
  const w: string[] = [];
  if (i.delaySeconds > 0) w.push('delay', `${round(i.delaySeconds * 1000)}ms`);
  if (i.jitterSeconds > 0) w.push('jitter', `${round(i.jitterSeconds * 1000)}ms`);
  if (i.lossFraction > 0) w.push('loss', `${round(i.lossFraction * 100)}%`);
  if (i.rateBitsPerSecond !== undefined) w.push('rate', `${Math.round(i.rateBitsPerSecond)}bit`);
  return w.length ? w.join(' ') : undefined;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Builds the node file and the linux interface list; `underlay` is required when any node is linux. */
export function planLive(lab: Lab, underlay?: Underlay): LivePlan {
  const kindOf = new Map(lab.nodes.map((n) => [n.name, n.kind]));
  /** `node:if` of a kame endpoint on a mixed link → its `link vxlan ...` words. */
  const vxlanWords = new Map<string, string>();
  const linuxInterfaces: LinuxInterfacePlan[] = [];
  let kamePort = KAME_VXLAN_PORT_BASE;
  let linuxPort = LINUX_VXLAN_PORT_BASE;
  for (const link of lab.links) {
    const kame = link.endpoints.filter((e) => kindOf.get(e.node) === 'kame');
    const linux = link.endpoints.filter((e) => kindOf.get(e.node) === 'linux');
    if (linux.length === 0) continue;
    if (!underlay) throw new Error(`link ${link.id} has a linux endpoint but there is no underlay`);
    const vni = VNI_BASE + link.index;
    const kameEnds = kame.map((e) => ({ e, peer: { address: underlay.root, port: kamePort++ } }));
    const linuxEnds = linux.map((e) => {
      const port = linuxPort;
      linuxPort += 2;
      return { e, peer: { address: underlay.underlay, port } };
    });
    for (const k of kameEnds) {
      const remotes = [...kameEnds.filter((o) => o !== k), ...linuxEnds].map(
        (o) => `remote ${o.peer.address}:${o.peer.port}`,
      );
      vxlanWords.set(
        `${k.e.node}:${k.e.ifname}`,
        `link vxlan ${vni} bind ${k.peer.address}:${k.peer.port} ${remotes.join(' ')}`,
      );
    }
    for (const l of linuxEnds) {
      const ifc = lab.nodes.find((n) => n.name === l.e.node)!.interfaces.find((i) => i.name === l.e.ifname)!;
      linuxInterfaces.push({
        node: l.e.node,
        ifname: l.e.ifname,
        vni,
        kport: l.peer.port,
        mac: ifc.mac.toString(),
        mtu: ifc.mtu,
        peers: [...kameEnds, ...linuxEnds.filter((o) => o !== l)].map((o) => o.peer),
      });
    }
  }
  // A linux interface on no link still exists (a dummy-like vxlan with no peers).
  for (const n of lab.nodes.filter((x) => x.kind === 'linux'))
    for (const ifc of n.interfaces)
      if (ifc.link === undefined && underlay)
        linuxInterfaces.push({
          node: n.name,
          ifname: ifc.name,
          vni: VNI_BASE + 4000 + linuxInterfaces.length,
          kport: (linuxPort += 2) - 2,
          mac: ifc.mac.toString(),
          mtu: ifc.mtu,
          peers: [],
        });

  const lines: string[] = [`# kame lab ${lab.name}: generated from ${lab.file}`];
  const linkById = new Map(lab.links.map((l) => [l.id, l]));
  for (const node of lab.nodes.filter((n) => n.kind === 'kame')) lines.push(...nodeLines(node));
  return { nodeFile: lines.join('\n') + '\n', linuxInterfaces };

  function nodeLines(node: LabNode): string[] {
    const out = [`node ${node.name}`];
    for (const s of node.sysctls) out.push(`  sysctl ${s.name}=${s.value}`);
    for (const ifc of node.interfaces) {
      out.push(`  interface ${ifc.name}`, `    mac ${ifc.mac.toString()}`, `    mtu ${ifc.mtu}`);
      for (const a of ifc.addresses) out.push(`    address ${a.address.toString()}/${a.prefixLength}`);
      const link = ifc.link !== undefined ? linkById.get(ifc.link) : undefined;
      if (link === undefined) {
        // On no link: a hub of its own, so the interface exists and is up.
        out.push(`    link hub solo-${node.name}-${ifc.name}`);
      } else {
        out.push(`    ${vxlanWords.get(`${node.name}:${ifc.name}`) ?? `link hub ${hubName(link)}`}`);
        const imp = impairWords(link.impair);
        if (imp !== undefined) out.push(`    impair ${imp}`);
      }
    }
    for (const r of node.routes) {
      const dest = r.to.prefixLength === 0 ? 'default' : `${r.to.address.toString()}/${r.to.prefixLength}`;
      if (r.via === undefined) out.push(`  route ${dest} -interface ${r.dev!}`);
      else if (r.via.isLinkLocal()) out.push(`  route ${dest} ${r.via.toString()}%${r.dev!}`);
      else out.push(`  route ${dest} ${r.via.toString()}`);
    }
    return out;
  }
}
