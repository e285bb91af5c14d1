import type { Ipv6Address, MacAddress } from '@kame/addr';
import type { LabError } from '../errors';

/**
 * The lab file as written, validated: what parseLab() returns. Every entity keeps the
 * position of its definition so that later stages (resolveLab, the runners) can still
 * point at the file. Durations are milliseconds (the unit of @kame/time's Clock).
 */

/** 1-based line and column in the lab file. */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
}

/** `kame`: an emulated KAME kernel; `linux`: a real network namespace (needs root). */
export type NodeKind = 'kame' | 'linux';
/** IMPLEMENTATION 1.4.2: a router forwards and ignores RAs, a host autoconfigures from them. */
export type NodeRole = 'router' | 'host';

export interface LabSpec {
  /** The lab file as named to the parser (relative paths inside it resolve against its directory). */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  /** In file order. */
  readonly nodes: readonly NodeSpec[];
  /** In file order. */
  readonly links: readonly LinkSpec[];
  /** In file order. */
  readonly checks: readonly CheckSpec[];
  /** Things that are allowed but probably not meant (role/sysctl conflicts, ...). */
  readonly warnings: readonly LabError[];
}

export interface NodeSpec {
  readonly name: string;
  readonly kind: NodeKind;
  readonly role: NodeRole;
  /** sysctl settings written in the file (they override the role's), in file order. */
  readonly sysctl: readonly SysctlSpec[];
  /** Interfaces listed under `interfaces:` (more are created by links), in file order. */
  readonly interfaces: readonly InterfaceSpec[];
  /** Static routes, in file order. */
  readonly routes: readonly RouteSpec[];
  /** Daemons in file order (resolveLab puts them in start order). */
  readonly daemons: readonly DaemonSpec[];
  readonly pos: SourcePos;
}

export interface SysctlSpec {
  readonly name: string;
  /** Numbers stay numbers; `true`/`false` become 1/0. */
  readonly value: number | string;
  readonly pos: SourcePos;
}

/** An address with its prefix length, as configured on an interface (`2001:db8:1::1/64`). */
export interface AddressSpec {
  readonly address: Ipv6Address;
  readonly prefixLength: number;
  readonly pos: SourcePos;
}

export interface InterfaceSpec {
  readonly name: string;
  readonly addresses: readonly AddressSpec[];
  /** 1280..65535. */
  readonly mtu?: number;
  readonly mac?: MacAddress;
  readonly pos: SourcePos;
}

/** A static route: `to` a prefix (or `default`), `via` a next hop and/or out of `dev`. */
export interface RouteSpec {
  readonly to: { readonly address: Ipv6Address; readonly prefixLength: number };
  readonly via?: Ipv6Address;
  /** The outgoing interface; required when `via` is link-local. */
  readonly dev?: string;
  readonly pos: SourcePos;
}

export interface DaemonFileSpec {
  /** The name the daemon's argv uses for it (`rtadvd.conf`): one path component. */
  readonly name: string;
  readonly source: 'inline' | 'path';
  /** Inline text, or the file's text once loadLab() has read it. */
  readonly content?: string;
  /** `source: 'path'`: the path as written, joined to the lab file's directory. */
  readonly path?: string;
  readonly pos: SourcePos;
}

/** The daemon is ready when a line of its output matches `log`; it must be within `withinMs`. */
export interface ReadySpec {
  /** A JavaScript regular expression source (validated). */
  readonly log: string;
  readonly withinMs: number;
}

export interface DaemonSpec {
  /** Unique per node; defaults to the base name of argv[0]. */
  readonly name: string;
  /** argv[0] is the program (`route6d`, `rtadvd`; on Linux nodes any executable). */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly files: readonly DaemonFileSpec[];
  /** Names of daemons of the same node that must be started (and ready) first. */
  readonly after: readonly string[];
  readonly ready?: ReadySpec;
  readonly pos: SourcePos;
}

/** `r1:em0`. */
export interface EndpointSpec {
  readonly node: string;
  readonly ifname: string;
  readonly pos: SourcePos;
}

/** Link impairments as written (see model.ts LinkImpairment for SI units). */
export interface Impairment {
  readonly delayMs?: number;
  readonly jitterMs?: number;
  /** 0..100. */
  readonly lossPercent?: number;
  readonly rateBitsPerSecond?: number;
  /** The medium's MTU, 1280..65535: interfaces on the link default to it. */
  readonly mtu?: number;
}

export type LinkKind = 'p2p' | 'segment';

export interface LinkSpec {
  /** p2p: exactly two endpoints (a cable); segment: 2..N endpoints on a hub/switch. */
  readonly kind: LinkKind;
  /** The segment's name (segments only). */
  readonly segment?: string;
  readonly endpoints: readonly EndpointSpec[];
  readonly impair: Impairment;
  readonly pos: SourcePos;
}

/** What a check's `ping:` names. */
export type TargetSpec =
  /** The node's first global address. */
  | { readonly kind: 'node'; readonly node: string }
  /** The first global address of that interface. */
  | { readonly kind: 'interface'; readonly node: string; readonly ifname: string }
  | { readonly kind: 'address'; readonly address: Ipv6Address };

/** `from` reaches `ping` (an ICMPv6 echo is answered) within `withinMs` of lab start. */
export interface CheckSpec {
  readonly name: string;
  readonly from: string;
  readonly kind: 'ping';
  readonly target: TargetSpec;
  /** The target as written. */
  readonly targetText: string;
  readonly withinMs: number;
  readonly pos: SourcePos;
}
