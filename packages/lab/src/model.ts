import { Ipv6Address, MacAddress } from '@kame/addr';
import type { LabError } from './errors';
import type {
  AddressSpec,
  CheckSpec,
  DaemonSpec,
  LabSpec,
  LinkKind,
  NodeKind,
  NodeRole,
  NodeSpec,
  RouteSpec,
  SourcePos,
} from './schema/types';

/**
 * The normalized lab: what the runners consume. Every node has its full interface list
 * (from links and `interfaces:`), MACs, effective sysctls (role table, then the file's),
 * daemons in start order; links have resolved endpoints and impairments in SI units;
 * checks have their targets resolved where the file fixes them.
 */
export interface Lab {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly nodes: readonly LabNode[];
  readonly links: readonly LabLink[];
  readonly checks: readonly LabCheck[];
  readonly warnings: readonly LabError[];
}

export interface SysctlSetting {
  readonly name: string;
  readonly value: number | string;
  /** 'role': from the role table (IMPLEMENTATION 1.4.2); 'lab': written in the file. */
  readonly source: 'role' | 'lab';
}

export interface LabNode {
  readonly name: string;
  /** Position in the file's node list, 0-based (the automatic MACs use it). */
  readonly index: number;
  readonly kind: NodeKind;
  readonly role: NodeRole;
  /** Role table first, then the file's settings (an override keeps the role entry's place). */
  readonly sysctls: readonly SysctlSetting[];
  /** In natural name order (em0, em1, ..., em10). */
  readonly interfaces: readonly LabInterface[];
  readonly routes: readonly RouteSpec[];
  /** In start order: topological by `after`, file order among equals. */
  readonly daemons: readonly DaemonSpec[];
  readonly pos: SourcePos;
}

export interface LabInterface {
  readonly node: string;
  readonly name: string;
  /** Position in the node's interface list, 0-based. */
  readonly index: number;
  readonly mac: MacAddress;
  /** 'auto': 02:00:00:<lab hash>:<node index + 1>:<interface index + 1>. */
  readonly macSource: 'auto' | 'lab';
  readonly mtu: number;
  /** 'lab': the interface's `mtu:`; 'link': the link's `impair.mtu`; 'default': 1500. */
  readonly mtuSource: 'lab' | 'link' | 'default';
  readonly addresses: readonly AddressSpec[];
  /** The id of the link the interface is on; undefined when it is on none. */
  readonly link?: string;
}

/** Impairments in SI units; zero means none. */
export interface LinkImpairment {
  readonly delaySeconds: number;
  readonly jitterSeconds: number;
  /** Probability 0..1 that a frame is dropped. */
  readonly lossFraction: number;
  /** undefined: unlimited. */
  readonly rateBitsPerSecond?: number;
  /** The medium's MTU in bytes; undefined: no limit beyond the interfaces'. */
  readonly mtu?: number;
}

export interface LabEndpoint {
  readonly node: string;
  readonly ifname: string;
}

export interface LabLink {
  /** The segment's name, or `r1:em0-r2:em0` for a point-to-point link. */
  readonly id: string;
  readonly index: number;
  readonly kind: LinkKind;
  readonly endpoints: readonly LabEndpoint[];
  readonly impair: LinkImpairment;
  readonly pos: SourcePos;
}

export type CheckTarget =
  /** Known from the file: an address literal, or a node's configured global address. */
  | {
      readonly kind: 'static';
      readonly address: Ipv6Address;
      readonly node?: string;
      readonly ifname?: string;
    }
  /** Known only at run time (e.g. a SLAAC address): the first global address of node[:ifname]. */
  | {
      readonly kind: 'deferred';
      readonly node: string;
      readonly ifname?: string;
      readonly description: string;
    };

export interface LabCheck {
  readonly name: string;
  readonly from: string;
  readonly kind: 'ping';
  readonly target: CheckTarget;
  readonly targetText: string;
  readonly withinMs: number;
  readonly pos: SourcePos;
}

// IMPLEMENTATION 1.4.2: forwarding decides router or host; accept_rtadv lets a host autoconfigure.
export const SYSCTL_FORWARDING = 'net.inet6.ip6.forwarding';
export const SYSCTL_ACCEPT_RTADV = 'net.inet6.ip6.accept_rtadv';
// The Linux equivalents. `default.accept_ra` is inherited by interfaces created after it is set.
export const LINUX_SYSCTL_FORWARDING = 'net.ipv6.conf.all.forwarding';
export const LINUX_SYSCTL_ACCEPT_RA = 'net.ipv6.conf.default.accept_ra';

/** The 1.4.2 table: router = forwarding 1, accept_rtadv 0; host = forwarding 0, accept_rtadv 1. */
export function roleSysctls(kind: NodeKind, role: NodeRole): SysctlSetting[] {
  const router = role === 'router';
  const [fwd, ra] =
    kind === 'kame'
      ? [SYSCTL_FORWARDING, SYSCTL_ACCEPT_RTADV]
      : [LINUX_SYSCTL_FORWARDING, LINUX_SYSCTL_ACCEPT_RA];
  return [
    { name: fwd, value: router ? 1 : 0, source: 'role' },
    { name: ra, value: router ? 0 : 1, source: 'role' },
  ];
}

/** Role table, then the node's own settings; an override keeps the role entry's place. */
export function effectiveSysctls(node: Pick<NodeSpec, 'kind' | 'role' | 'sysctl'>): SysctlSetting[] {
  const out = roleSysctls(node.kind, node.role);
  for (const s of node.sysctl) {
    const i = out.findIndex((o) => o.name === s.name);
    const setting: SysctlSetting = { name: s.name, value: s.value, source: 'lab' };
    if (i >= 0) out[i] = setting;
    else out.push(setting);
  }
  return out;
}

/** em2 < em10: letters compare as text, digit runs as numbers. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) return Number(x) - Number(y) || x.length - y.length;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Every node's interface names (from `interfaces:` and from links), in natural order. */
export function interfaceNames(spec: Pick<LabSpec, 'nodes' | 'links'>): Map<string, string[]> {
  const sets = new Map<string, Set<string>>(
    spec.nodes.map((n) => [n.name, new Set(n.interfaces.map((i) => i.name))]),
  );
  for (const l of spec.links) for (const e of l.endpoints) sets.get(e.node)?.add(e.ifname);
  return new Map([...sets].map(([n, s]) => [n, [...s].sort(naturalCompare)]));
}

/** FNV-1a over the UTF-8 bytes of the lab name, folded to one byte. */
export function labHash(name: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(name, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return (h ^ (h >>> 8) ^ (h >>> 16) ^ (h >>> 24)) & 0xff;
}

/** 02:00:00:<lab hash>:<node index + 1>:<interface index + 1>: locally administered, unicast. */
export function autoMac(labName: string, nodeIndex: number, ifIndex: number): MacAddress {
  return MacAddress.fromBytes(Uint8Array.of(0x02, 0, 0, labHash(labName), nodeIndex + 1, ifIndex + 1));
}

/** Stable topological order: repeatedly the first daemon (file order) whose `after` are all placed. */
export function startOrder<D extends Pick<DaemonSpec, 'name' | 'after'>>(daemons: readonly D[]): D[] {
  const placed = new Set<string>();
  const left = [...daemons];
  const out: D[] = [];
  const known = new Set(daemons.map((d) => d.name));
  while (left.length > 0) {
    const i = left.findIndex((d) => d.after.every((a) => placed.has(a) || !known.has(a)));
    // A cycle (rejected by the parser): keep file order for the rest rather than loop.
    const next = left.splice(i < 0 ? 0 : i, 1)[0]!;
    placed.add(next.name);
    out.push(next);
  }
  return out;
}

/** Global scope for a check target: not link-local, site-local, loopback, multicast or unspecified. */
export function isGlobalUnicast(a: Ipv6Address): boolean {
  return !(a.isLinkLocal() || a.isSiteLocal() || a.isLoopback() || a.isMulticast() || a.isUnspecified());
}

/** The `p2p` link id: `r1:em0-r2:em0`. */
export function linkId(
  kind: LinkKind,
  segment: string | undefined,
  endpoints: readonly LabEndpoint[],
): string {
  if (kind === 'segment' && segment !== undefined) return segment;
  return endpoints.map((e) => `${e.node}:${e.ifname}`).join('-');
}

/** Normalizes a validated spec (from parseLab/loadLab) into the runners' model. */
export function resolveLab(spec: LabSpec): Lab {
  const names = interfaceNames(spec);
  const links: LabLink[] = spec.links.map((l, index) => {
    const endpoints = l.endpoints.map((e) => ({ node: e.node, ifname: e.ifname }));
    const i = l.impair;
    const impair: LinkImpairment = {
      delaySeconds: (i.delayMs ?? 0) / 1000,
      jitterSeconds: (i.jitterMs ?? 0) / 1000,
      lossFraction: (i.lossPercent ?? 0) / 100,
      ...(i.rateBitsPerSecond !== undefined ? { rateBitsPerSecond: i.rateBitsPerSecond } : {}),
      ...(i.mtu !== undefined ? { mtu: i.mtu } : {}),
    };
    return { id: linkId(l.kind, l.segment, endpoints), index, kind: l.kind, endpoints, impair, pos: l.pos };
  });
  const linkOf = new Map<string, LabLink>();
  for (const l of links) for (const e of l.endpoints) linkOf.set(`${e.node}:${e.ifname}`, l);

  const nodes: LabNode[] = spec.nodes.map((n, nodeIndex) => {
    const interfaces = (names.get(n.name) ?? []).map((ifname, index): LabInterface => {
      const explicit = n.interfaces.find((i) => i.name === ifname);
      const link = linkOf.get(`${n.name}:${ifname}`);
      const [mtu, mtuSource] =
        explicit?.mtu !== undefined
          ? [explicit.mtu, 'lab' as const]
          : link?.impair.mtu !== undefined
            ? [link.impair.mtu, 'link' as const]
            : [1500, 'default' as const];
      return {
        node: n.name,
        name: ifname,
        index,
        mac: explicit?.mac ?? autoMac(spec.name, nodeIndex, index),
        macSource: explicit?.mac ? 'lab' : 'auto',
        mtu,
        mtuSource,
        addresses: explicit?.addresses ?? [],
        ...(link ? { link: link.id } : {}),
      };
    });
    return {
      name: n.name,
      index: nodeIndex,
      kind: n.kind,
      role: n.role,
      sysctls: effectiveSysctls(n),
      interfaces,
      routes: n.routes,
      daemons: startOrder(n.daemons),
      pos: n.pos,
    };
  });

  const checks: LabCheck[] = spec.checks.map((c) => ({
    name: c.name,
    from: c.from,
    kind: c.kind,
    target: resolveTarget(c, nodes),
    targetText: c.targetText,
    withinMs: c.withinMs,
    pos: c.pos,
  }));

  return {
    file: spec.file,
    name: spec.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    nodes,
    links,
    checks,
    warnings: spec.warnings,
  };
}

function resolveTarget(c: CheckSpec, nodes: readonly LabNode[]): CheckTarget {
  const t = c.target;
  if (t.kind === 'address') {
    for (const n of nodes)
      for (const i of n.interfaces)
        if (i.addresses.some((a) => a.address.equals(t.address)))
          return { kind: 'static', address: t.address, node: n.name, ifname: i.name };
    return { kind: 'static', address: t.address };
  }
  const node = nodes.find((n) => n.name === t.node);
  const ifname = t.kind === 'interface' ? t.ifname : undefined;
  for (const i of node?.interfaces ?? []) {
    if (ifname !== undefined && i.name !== ifname) continue;
    const a = i.addresses.find((x) => isGlobalUnicast(x.address));
    if (a) return { kind: 'static', address: a.address, node: t.node, ifname: i.name };
  }
  const where = ifname === undefined ? t.node : `${t.node}:${ifname}`;
  return {
    kind: 'deferred',
    node: t.node,
    ...(ifname !== undefined ? { ifname } : {}),
    description: `first global address of ${where} at run time`,
  };
}

/** The node named `name`, if any. */
export function findNode(lab: Lab, name: string): LabNode | undefined {
  return lab.nodes.find((n) => n.name === name);
}

/** node:ifname lookup. */
export function findInterface(lab: Lab, node: string, ifname: string): LabInterface | undefined {
  return findNode(lab, node)?.interfaces.find((i) => i.name === ifname);
}
