import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { AddrParseError, Ipv6Address, Ipv6Prefix, MacAddress } from '@kame/addr';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YNode,
} from 'yaml';
import { LabError, LabErrors, sortDiagnostics } from './errors';
import {
  autoMac,
  effectiveSysctls,
  interfaceNames,
  LINUX_SYSCTL_ACCEPT_RA,
  LINUX_SYSCTL_FORWARDING,
  SYSCTL_ACCEPT_RTADV,
  SYSCTL_FORWARDING,
} from './model';
import { splitArgv } from './schema/argv';
import { LIMITS } from './schema/limits';
import {
  CHECK_NAME,
  DAEMON_NAME,
  FILE_NAME,
  kameIfnameProblem,
  LAB_NAME,
  linuxIfnameProblem,
  NODE_NAME,
  SEGMENT_NAME,
  SYSCTL_NAME,
} from './schema/names';
import { suggest } from './schema/suggest';
import type {
  AddressSpec,
  CheckSpec,
  DaemonFileSpec,
  DaemonSpec,
  EndpointSpec,
  Impairment,
  InterfaceSpec,
  LabSpec,
  LinkSpec,
  NodeKind,
  NodeRole,
  NodeSpec,
  ReadySpec,
  RouteSpec,
  SourcePos,
  SysctlSpec,
  TargetSpec,
} from './schema/types';
import { parseDuration, parsePercent, parseRate, type Parsed } from './schema/units';

export interface ParseOptions {
  /**
   * Reads a daemon file given `{ path: ... }` (the path already joined to the lab file's
   * directory). Throwing means the file cannot be read; the error names the `path:` line.
   * Without it, such files keep `content` undefined (loadLab passes a reader).
   */
  readFile?: (path: string) => string;
}

/** Errors and warnings of a lab file, and the spec when there are no errors. */
export interface LabCheckResult {
  readonly spec?: LabSpec;
  readonly errors: readonly LabError[];
  readonly warnings: readonly LabError[];
}

/** Validates a lab file; returns all errors and warnings (sorted by position), never throws on bad input. */
export function checkLab(text: string, file: string, options: ParseOptions = {}): LabCheckResult {
  const r = new LabReader(text, file, options);
  const spec = r.read();
  const errors = sortDiagnostics(r.diags.filter((d) => d.severity === 'error'));
  const warnings = sortDiagnostics(r.diags.filter((d) => d.severity === 'warning'));
  if (errors.length > 0 || spec === undefined) return { errors, warnings };
  return { spec: { ...spec, warnings }, errors, warnings };
}

/** Parses and validates a lab file; throws LabErrors (all errors, sorted by line) if it is wrong. */
export function parseLab(text: string, file: string, options: ParseOptions = {}): LabSpec {
  const r = checkLab(text, file, options);
  if (!r.spec) throw new LabErrors(r.errors, r.warnings);
  return r.spec;
}

/** Reads, parses and validates a lab file, and reads the daemon files it names by path. */
export function loadLab(path: string): LabSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new LabErrors([new LabError(path, 0, 0, '', `cannot read the lab file: ${ioReason(e)}`)]);
  }
  return parseLab(text, path, { readFile: (p) => readFileSync(p, 'utf8') });
}

function ioReason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------------------------
// Walking the YAML document

type Seg = string | number;

/** `nodes.r1.daemons[0].argv`; keys that are not identifiers are quoted: `sysctl["net.inet6.ip6.hlim"]`. */
export function formatPath(path: readonly Seg[]): string {
  let out = '';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** A value in the document: its node (aliases resolved; null when absent) and where it is. */
interface Val {
  readonly node: YNode | null;
  readonly path: readonly Seg[];
  /** Character offset used for its position. */
  readonly offset: number;
}

interface Entry {
  readonly key: string;
  readonly keyOffset: number;
  readonly val: Val;
}

function describe(n: YNode | null): string {
  if (n === null) return 'nothing';
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a sequence';
  if (isScalar(n)) {
    const v = n.value;
    if (v === null || v === undefined) return 'nothing';
    if (typeof v === 'string') return JSON.stringify(v);
    return String(v);
  }
  return 'an alias';
}

function isNull(n: YNode | null): boolean {
  return n === null || (isScalar(n) && (n.value === null || n.value === undefined));
}

const TOP_KEYS = ['version', 'name', 'description', 'nodes', 'links', 'checks'];
const NODE_KEYS = ['kind', 'role', 'sysctl', 'interfaces', 'routes', 'daemons'];
const INTERFACE_KEYS = ['addresses', 'mtu', 'mac'];
const ROUTE_KEYS = ['to', 'via', 'dev'];
const DAEMON_KEYS = ['name', 'argv', 'env', 'files', 'after', 'ready'];
const READY_KEYS = ['log', 'within'];
const LINK_KEYS = ['endpoints', 'segment', 'impair'];
const IMPAIR_KEYS = ['delay', 'jitter', 'loss', 'rate', 'mtu'];
const CHECK_KEYS = ['name', 'from', 'ping', 'within'];

const DEFAULT_CHECK_WITHIN_MS = 60_000;
const DEFAULT_READY_WITHIN_MS = 10_000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface NodeDraft {
  spec: Mutable<NodeSpec>;
  /** Where each daemon's `after` list is, for cycle errors. */
  afterVals: Map<string, Val>;
  /** Where each daemon is, for its errors. */
  daemonVals: Map<string, Val>;
  /** Explicit interface name -> its key entry. */
  ifEntries: Map<string, Entry>;
  sysctlVals: Map<string, Val>;
  macVals: Map<string, Val>;
  /** Where each of spec.routes is (parallel array). */
  routeVals: Val[];
  /** false when kind or role is wrong: no role warnings then (they would guess). */
  roleKnown: boolean;
}

class LabReader {
  readonly diags: LabError[] = [];
  private readonly lc = new LineCounter();
  private doc: Document | undefined;
  private aliasCount = 0;
  private readonly dir: string;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly options: ParseOptions,
  ) {
    this.dir = nodePath.dirname(file);
  }

  // -- diagnostics --------------------------------------------------------------------------

  pos(offset: number): SourcePos {
    const p = this.lc.linePos(offset);
    return { line: Math.max(1, p.line), column: Math.max(1, p.col) };
  }

  private report(offset: number, path: readonly Seg[], detail: string, severity: 'error' | 'warning'): void {
    const p = this.pos(offset);
    this.diags.push(new LabError(this.file, p.line, p.column, formatPath(path), detail, severity));
  }

  error(v: Val, detail: string): void {
    this.report(v.offset, v.path, detail, 'error');
  }

  errorAt(offset: number, path: readonly Seg[], detail: string): void {
    this.report(offset, path, detail, 'error');
  }

  warn(v: Val, detail: string): void {
    this.report(v.offset, v.path, detail, 'warning');
  }

  // -- typed access ---------------------------------------------------------------------------

  private deref(n: unknown, path: readonly Seg[], fallback: number): YNode | null {
    if (n === null || n === undefined) return null;
    if (isAlias(n)) {
      const offset = n.range?.[0] ?? fallback;
      if (++this.aliasCount > LIMITS.aliases) {
        this.errorAt(offset, path, `too many aliases (at most ${LIMITS.aliases})`);
        return null;
      }
      const target = this.doc ? n.resolve(this.doc) : undefined;
      if (!target) {
        this.errorAt(offset, path, `unknown alias *${n.source}`);
        return null;
      }
      return target as YNode;
    }
    return n as YNode;
  }

  private child(node: unknown, path: readonly Seg[], fallback: number): Val {
    const n = this.deref(node, path, fallback);
    return { node: n, path, offset: n?.range?.[0] ?? fallback };
  }

  /** The entries of a mapping (null reads as an empty one); duplicate keys are errors. */
  entries(v: Val): Entry[] | undefined {
    const n = v.node;
    if (isNull(n)) return [];
    if (!isMap(n)) {
      this.error(v, `must be a mapping (got ${describe(n)})`);
      return undefined;
    }
    const seen = new Map<string, number>();
    const out: Entry[] = [];
    for (const pair of n.items) {
      const k = this.deref(pair.key, v.path, v.offset);
      const keyOffset = k?.range?.[0] ?? v.offset;
      if (!isScalar(k) || isNull(k) || typeof k.value === 'object') {
        this.errorAt(keyOffset, v.path, `keys must be plain names (got ${describe(k)})`);
        continue;
      }
      const key = String(k.value);
      const path = [...v.path, key];
      const first = seen.get(key);
      if (first !== undefined) {
        this.errorAt(keyOffset, path, `duplicate key (first at line ${this.pos(first).line})`);
        continue;
      }
      seen.set(key, keyOffset);
      out.push({ key, keyOffset, val: this.child(pair.value, path, keyOffset) });
    }
    return out;
  }

  /** A mapping with a fixed set of keys; unknown keys get a did-you-mean. */
  fields(v: Val, allowed: readonly string[], required: readonly string[] = []): Map<string, Val> | undefined {
    const es = this.entries(v);
    if (!es) return undefined;
    const out = new Map<string, Val>();
    for (const e of es) {
      if (!allowed.includes(e.key)) {
        const s = suggest(e.key, allowed);
        this.errorAt(
          e.keyOffset,
          e.val.path,
          s ? `unknown key (did you mean "${s}"?)` : `unknown key (expected one of: ${allowed.join(', ')})`,
        );
        continue;
      }
      out.set(e.key, e.val);
    }
    for (const r of required) if (!out.has(r)) this.error(v, `missing required key "${r}"`);
    return out;
  }

  /** The items of a sequence. */
  items(v: Val, max: number): Val[] | undefined {
    const n = v.node;
    if (isNull(n)) return [];
    if (!isSeq(n)) {
      this.error(v, `must be a sequence (got ${describe(n)})`);
      return undefined;
    }
    if (n.items.length > max) {
      this.error(v, `too many items (${n.items.length}; at most ${max})`);
      return undefined;
    }
    return n.items.map((item, i) => this.child(item, [...v.path, i], v.offset));
  }

  str(v: Val, what = 'a string'): string | undefined {
    const n = v.node;
    if (isScalar(n) && typeof n.value === 'string') return n.value;
    this.error(v, `must be ${what} (got ${describe(n)})`);
    return undefined;
  }

  /** A string matching `re`. */
  name(v: Val, re: RegExp, what: string): string | undefined {
    const s = this.str(v);
    if (s === undefined) return undefined;
    if (!re.test(s)) {
      this.error(v, `${what} must match ${re.source.slice(1, -1)} (got ${JSON.stringify(s)})`);
      return undefined;
    }
    return s;
  }

  oneOf<T extends string>(v: Val, choices: readonly T[]): T | undefined {
    const n = v.node;
    if (isScalar(n) && typeof n.value === 'string' && (choices as readonly string[]).includes(n.value))
      return n.value as T;
    const list = choices.length === 2 ? `${choices[0]} or ${choices[1]}` : choices.join(', ');
    this.error(v, `must be ${list} (got ${describe(n)})`);
    return undefined;
  }

  int(v: Val, min: number, max: number): number | undefined {
    const n = v.node;
    if (
      isScalar(n) &&
      typeof n.value === 'number' &&
      Number.isInteger(n.value) &&
      n.value >= min &&
      n.value <= max
    )
      return n.value;
    this.error(v, `must be an integer ${min}..${max} (got ${describe(n)})`);
    return undefined;
  }

  /** A string in some unit (duration, rate, percentage); a bare number is refused for clarity. */
  unit(v: Val, parse: (s: string) => Parsed<number>, example: string): number | undefined {
    const n = v.node;
    if (isScalar(n) && typeof n.value === 'number') {
      this.error(v, `needs a unit, like ${example} (got ${describe(n)})`);
      return undefined;
    }
    const s = this.str(v, `a value like ${example}`);
    if (s === undefined) return undefined;
    const p = parse(s);
    if (!p.ok) {
      this.error(v, `${p.reason} (got ${JSON.stringify(s)})`);
      return undefined;
    }
    return p.value;
  }

  duration(v: Val): number | undefined {
    return this.unit(v, parseDuration, '10s');
  }

  /** A string or a list of strings. */
  strList(v: Val, max: number): { value: string; val: Val }[] | undefined {
    if (isScalar(v.node) && typeof v.node.value === 'string') return [{ value: v.node.value, val: v }];
    const items = this.items(v, max);
    if (!items) return undefined;
    const out: { value: string; val: Val }[] = [];
    for (const it of items) {
      const s = this.str(it);
      if (s !== undefined) out.push({ value: s, val: it });
    }
    return out;
  }

  // -- the lab file -------------------------------------------------------------------------

  read(): Omit<LabSpec, 'warnings'> | undefined {
    if (Buffer.byteLength(this.text) > LIMITS.labBytes) {
      this.errorAt(0, [], `lab file too large (at most ${LIMITS.labBytes} bytes)`);
      return undefined;
    }
    const doc = parseDocument(this.text, {
      lineCounter: this.lc,
      uniqueKeys: false,
      prettyErrors: false,
      keepSourceTokens: false,
    });
    this.doc = doc;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) this.errorAt(e.pos[0], [], `YAML: ${e.message.split('\n')[0]}`);
      return undefined;
    }
    for (const w of doc.warnings) this.report(w.pos[0], [], `YAML: ${w.message.split('\n')[0]}`, 'warning');
    const root: Val = { node: doc.contents as YNode | null, path: [], offset: 0 };
    if (isNull(root.node)) {
      this.errorAt(0, [], 'empty lab file (expected a mapping with name and nodes)');
      return undefined;
    }
    const top = this.fields(root, TOP_KEYS, ['name', 'nodes']);
    if (!top) return undefined;

    const version = top.get('version');
    if (version) this.int(version, 1, 1);
    const nameVal = top.get('name');
    const name = nameVal ? this.name(nameVal, LAB_NAME, 'the lab name') : undefined;
    const descVal = top.get('description');
    const description = descVal ? this.str(descVal) : undefined;

    const drafts = this.readNodes(top.get('nodes'));
    const nodeByName = new Map(drafts.map((d) => [d.spec.name, d]));
    const links = this.readLinks(top.get('links'), nodeByName);
    const spec = {
      file: this.file,
      name: name ?? 'lab',
      ...(description !== undefined ? { description } : {}),
      nodes: drafts.map((d) => d.spec),
      links,
    };
    const checks = this.readChecks(top.get('checks'), spec);
    this.crossCheck(spec, drafts);
    return { ...spec, checks };
  }

  private readNodes(v: Val | undefined): NodeDraft[] {
    if (!v) return [];
    if (isNull(v.node)) {
      this.error(v, 'must name at least one node');
      return [];
    }
    const es = this.entries(v);
    if (!es) return [];
    if (es.length > LIMITS.nodes) {
      this.error(v, `too many nodes (${es.length}; at most ${LIMITS.nodes})`);
      return [];
    }
    const out: NodeDraft[] = [];
    for (const e of es) {
      if (!NODE_NAME.test(e.key)) {
        this.errorAt(e.keyOffset, e.val.path, `node name must match ${NODE_NAME.source.slice(1, -1)}`);
        continue;
      }
      out.push(this.readNode(e));
    }
    return out;
  }

  private readNode(e: Entry): NodeDraft {
    const draft: NodeDraft = {
      spec: {
        name: e.key,
        kind: 'kame',
        role: 'host',
        sysctl: [],
        interfaces: [],
        routes: [],
        daemons: [],
        pos: this.pos(e.keyOffset),
      },
      afterVals: new Map(),
      daemonVals: new Map(),
      ifEntries: new Map(),
      sysctlVals: new Map(),
      macVals: new Map(),
      roleKnown: true,
      routeVals: [],
    };
    const f = this.fields(e.val, NODE_KEYS);
    if (!f) return draft;
    const spec = draft.spec;
    const kind = f.get('kind');
    if (kind) {
      const k = this.oneOf<NodeKind>(kind, ['kame', 'linux']);
      if (k) spec.kind = k;
      else draft.roleKnown = false;
    }
    const role = f.get('role');
    if (role) {
      const r = this.oneOf<NodeRole>(role, ['router', 'host']);
      if (r) spec.role = r;
      else draft.roleKnown = false;
    }

    const sysctl = f.get('sysctl');
    if (sysctl) spec.sysctl = this.readSysctls(sysctl, draft);
    const ifs = f.get('interfaces');
    if (ifs) spec.interfaces = this.readInterfaces(ifs, draft);
    const routes = f.get('routes');
    if (routes) spec.routes = this.readRoutes(routes, draft);
    const daemons = f.get('daemons');
    if (daemons) spec.daemons = this.readDaemons(daemons, draft);
    return draft;
  }

  private readSysctls(v: Val, draft: NodeDraft): SysctlSpec[] {
    const es = this.entries(v);
    if (!es) return [];
    if (es.length > LIMITS.sysctlsPerNode) {
      this.error(v, `too many sysctls (${es.length}; at most ${LIMITS.sysctlsPerNode})`);
      return [];
    }
    const out: SysctlSpec[] = [];
    for (const e of es) {
      if (!SYSCTL_NAME.test(e.key)) {
        this.errorAt(e.keyOffset, e.val.path, 'must be a sysctl name like net.inet6.ip6.forwarding');
        continue;
      }
      const n = e.val.node;
      let value: number | string | undefined;
      if (isScalar(n) && typeof n.value === 'number' && Number.isFinite(n.value)) value = n.value;
      else if (isScalar(n) && typeof n.value === 'boolean') value = n.value ? 1 : 0;
      else if (isScalar(n) && typeof n.value === 'string') value = n.value;
      else this.error(e.val, `must be a number or a string (got ${describe(n)})`);
      if (value === undefined) continue;
      out.push({ name: e.key, value, pos: this.pos(e.keyOffset) });
      draft.sysctlVals.set(e.key, { ...e.val, offset: e.keyOffset });
    }
    return out;
  }

  private ifnameProblem(kind: NodeKind, ifname: string): string | undefined {
    return kind === 'kame' ? kameIfnameProblem(ifname) : linuxIfnameProblem(ifname);
  }

  private readInterfaces(v: Val, draft: NodeDraft): InterfaceSpec[] {
    const es = this.entries(v);
    if (!es) return [];
    const out: InterfaceSpec[] = [];
    for (const e of es) {
      const problem = this.ifnameProblem(draft.spec.kind, e.key);
      if (problem) {
        this.errorAt(e.keyOffset, e.val.path, `${draft.spec.kind} interface name ${problem}`);
        continue;
      }
      draft.ifEntries.set(e.key, e);
      const f = this.fields(e.val, INTERFACE_KEYS);
      const spec: Mutable<InterfaceSpec> = { name: e.key, addresses: [], pos: this.pos(e.keyOffset) };
      out.push(spec);
      if (!f) continue;
      const addrs = f.get('addresses');
      if (addrs) spec.addresses = this.readAddresses(addrs);
      const mtu = f.get('mtu');
      if (mtu) {
        const m = this.int(mtu, 1280, 65535);
        if (m !== undefined) spec.mtu = m;
      }
      const mac = f.get('mac');
      if (mac) {
        const m = this.mac(mac);
        if (m) {
          spec.mac = m;
          draft.macVals.set(e.key, mac);
        }
      }
    }
    return out;
  }

  private readAddresses(v: Val): AddressSpec[] {
    const items = this.strList(v, LIMITS.addressesPerInterface);
    if (!items) return [];
    const out: AddressSpec[] = [];
    for (const { value, val } of items) {
      let cidr: { address: Ipv6Address; length: number };
      try {
        cidr = Ipv6Prefix.parseCidr(value);
      } catch (err) {
        if (!(err instanceof AddrParseError)) throw err;
        this.error(
          val,
          `must be an IPv6 address/prefix length like 2001:db8::1/64 (got ${JSON.stringify(value)}: ${err.reason})`,
        );
        continue;
      }
      const a = cidr.address;
      if (a.isMulticast() || a.isUnspecified() || a.isLoopback()) {
        this.error(val, `must be a unicast address (got ${JSON.stringify(value)})`);
        continue;
      }
      out.push({ address: a, prefixLength: cidr.length, pos: this.pos(val.offset) });
    }
    return out;
  }

  private mac(v: Val): MacAddress | undefined {
    const s = this.str(v, 'a MAC address like 02:00:00:00:01:01');
    if (s === undefined) return undefined;
    let m: MacAddress;
    try {
      m = MacAddress.parse(s);
    } catch (err) {
      if (!(err instanceof AddrParseError)) throw err;
      this.error(v, `must be a MAC address like 02:00:00:00:01:01 (got ${JSON.stringify(s)}: ${err.reason})`);
      return undefined;
    }
    if (m.isMulticast()) {
      this.error(v, `must be a unicast MAC address (got ${JSON.stringify(s)}: the group bit is set)`);
      return undefined;
    }
    return m;
  }

  private readRoutes(v: Val, draft: NodeDraft): RouteSpec[] {
    const kind = draft.spec.kind;
    const items = this.items(v, LIMITS.routesPerNode);
    if (!items) return [];
    const out: RouteSpec[] = [];
    for (const it of items) {
      const f = this.fields(it, ROUTE_KEYS, ['to']);
      if (!f) continue;
      const toVal = f.get('to');
      const viaVal = f.get('via');
      const devVal = f.get('dev');
      let to: RouteSpec['to'] | undefined;
      if (toVal) {
        const s = this.str(toVal, 'a prefix like 2001:db8:3::/64 or default');
        if (s === 'default') to = { address: Ipv6Address.UNSPECIFIED, prefixLength: 0 };
        else if (s !== undefined) {
          try {
            const p = Ipv6Prefix.parse(s, { strict: true });
            to = { address: p.address, prefixLength: p.length };
          } catch (err) {
            if (!(err instanceof AddrParseError)) throw err;
            this.error(
              toVal,
              `must be a prefix like 2001:db8:3::/64 or default (got ${JSON.stringify(s)}: ${err.reason})`,
            );
          }
        }
      }
      let via: Ipv6Address | undefined;
      if (viaVal) {
        const s = this.str(viaVal, 'an IPv6 address');
        if (s !== undefined) {
          via = Ipv6Address.tryParse(s);
          if (!via || via.isMulticast() || via.isUnspecified())
            this.error(viaVal, `must be a unicast IPv6 address (got ${JSON.stringify(s)})`);
        }
      }
      let dev: string | undefined;
      if (devVal) {
        dev = this.str(devVal);
        const problem = dev === undefined ? undefined : this.ifnameProblem(kind, dev);
        if (problem) {
          this.error(devVal, `${kind} interface name ${problem}`);
          dev = undefined;
        }
      }
      if (!viaVal && !devVal) this.error(it, 'needs via (a next hop), dev (an interface) or both');
      if (via?.isLinkLocal() && !devVal)
        this.error(viaVal!, 'a link-local next hop needs dev (the interface)');
      if (to && (!viaVal || via) && (!devVal || dev)) {
        out.push({ to, ...(via ? { via } : {}), ...(dev ? { dev } : {}), pos: this.pos(it.offset) });
        draft.routeVals.push(devVal ?? it);
      }
    }
    return out;
  }

  private readDaemons(v: Val, draft: NodeDraft): DaemonSpec[] {
    const items = this.items(v, LIMITS.daemonsPerNode);
    if (!items) return [];
    const out: DaemonSpec[] = [];
    const firstAt = new Map<string, number>();
    for (const it of items) {
      const d = this.readDaemon(it, draft);
      if (!d) continue;
      const { spec, nameVal } = d;
      const first = firstAt.get(spec.name);
      if (first !== undefined) {
        this.error(
          nameVal,
          `duplicate daemon name ${JSON.stringify(spec.name)} (first at line ${first}); give one a name:`,
        );
        continue;
      }
      firstAt.set(spec.name, spec.pos.line);
      draft.daemonVals.set(spec.name, it);
      out.push(spec);
    }
    // after: names of this node's daemons, no cycles.
    const names = new Set(out.map((d) => d.name));
    for (const d of out) {
      const av = draft.afterVals.get(d.name);
      for (const a of d.after) {
        if (a === d.name) this.error(av!, `${JSON.stringify(a)} cannot start after itself`);
        else if (!names.has(a)) {
          const s = suggest(a, names);
          this.error(
            av!,
            `unknown daemon ${JSON.stringify(a)} on node ${draft.spec.name}${s ? ` (did you mean "${s}"?)` : ''}`,
          );
        }
      }
    }
    this.findCycles(out, draft);
    return out;
  }

  /** Reports each start-order cycle once, at the `after` of its first daemon in file order. */
  private findCycles(daemons: readonly DaemonSpec[], draft: NodeDraft): void {
    const byName = new Map(daemons.map((d) => [d.name, d]));
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (name: string): void => {
      state.set(name, 'open');
      stack.push(name);
      for (const a of byName.get(name)?.after ?? []) {
        if (!byName.has(a) || a === name) continue;
        const s = state.get(a);
        if (s === 'open') {
          const cycle = stack.slice(stack.indexOf(a));
          const first = daemons.find((d) => cycle.includes(d.name))!;
          const i = cycle.indexOf(first.name);
          const ordered = [...cycle.slice(i), ...cycle.slice(0, i), first.name];
          // `after` points backwards: a after b means b starts first.
          this.error(draft.afterVals.get(first.name)!, `start order cycle: ${ordered.join(' after ')}`);
        } else if (s === undefined) visit(a);
      }
      stack.pop();
      state.set(name, 'done');
    };
    for (const d of daemons) if (!state.has(d.name)) visit(d.name);
  }

  private readDaemon(it: Val, draft: NodeDraft): { spec: DaemonSpec; nameVal: Val } | undefined {
    const n = it.node;
    const pos = this.pos(it.offset);
    if (isScalar(n) && typeof n.value === 'string') {
      const argv = this.argv(it);
      if (!argv) return undefined;
      const name = this.defaultName(argv, it);
      if (name === undefined) return undefined;
      return { spec: { name, argv, env: {}, files: [], after: [], pos }, nameVal: it };
    }
    if (!isMap(n)) {
      this.error(it, `must be a command line or a mapping with argv (got ${describe(n)})`);
      return undefined;
    }
    const f = this.fields(it, DAEMON_KEYS, ['argv']);
    if (!f) return undefined;
    const argvVal = f.get('argv');
    const argv = argvVal ? this.argv(argvVal) : undefined;
    const nameVal = f.get('name');
    let name: string | undefined;
    if (nameVal) name = this.name(nameVal, DAEMON_NAME, 'a daemon name');
    else if (argv && argvVal) name = this.defaultName(argv, argvVal);

    const envVal = f.get('env');
    const env = envVal ? this.readEnv(envVal) : {};
    const filesVal = f.get('files');
    const files = filesVal ? this.readFiles(filesVal) : [];
    const afterVal = f.get('after');
    const after = afterVal ? (this.strList(afterVal, LIMITS.daemonsPerNode) ?? []).map((x) => x.value) : [];
    const readyVal = f.get('ready');
    const ready = readyVal ? this.readReady(readyVal) : undefined;
    if (!argv || name === undefined) return undefined;
    if (afterVal) draft.afterVals.set(name, afterVal);
    const spec: DaemonSpec = {
      name,
      argv,
      env,
      files,
      after: [...new Set(after)],
      ...(ready ? { ready } : {}),
      pos,
    };
    return { spec, nameVal: nameVal ?? argvVal! };
  }

  private defaultName(argv: readonly string[], v: Val): string | undefined {
    const base = nodePath.posix.basename(argv[0]!);
    if (!DAEMON_NAME.test(base)) {
      this.error(v, `cannot name the daemon after ${JSON.stringify(argv[0])}; give it a name:`);
      return undefined;
    }
    return base;
  }

  private argv(v: Val): string[] | undefined {
    const n = v.node;
    let words: string[] | undefined;
    if (isScalar(n) && typeof n.value === 'string') {
      const p = splitArgv(n.value);
      if (!p.ok) {
        this.error(v, `${p.reason} (got ${JSON.stringify(n.value)})`);
        return undefined;
      }
      words = p.value;
    } else if (isSeq(n)) {
      const items = this.items(v, LIMITS.argvWords);
      if (!items) return undefined;
      words = [];
      for (const it of items) {
        const m = it.node;
        if (isScalar(m) && (typeof m.value === 'string' || typeof m.value === 'number'))
          words.push(String(m.value));
        else {
          this.error(it, `must be a string (got ${describe(m)})`);
          return undefined;
        }
      }
    } else {
      this.error(v, `must be a command line or a list of words (got ${describe(n)})`);
      return undefined;
    }
    if (words.length === 0 || words[0] === '') {
      this.error(v, 'must name a program');
      return undefined;
    }
    if (words.length > LIMITS.argvWords) {
      this.error(v, `too many words (${words.length}; at most ${LIMITS.argvWords})`);
      return undefined;
    }
    return words;
  }

  private readEnv(v: Val): Record<string, string> {
    const es = this.entries(v);
    const out: Record<string, string> = {};
    if (!es) return out;
    if (es.length > LIMITS.envPerDaemon) {
      this.error(v, `too many variables (${es.length}; at most ${LIMITS.envPerDaemon})`);
      return out;
    }
    for (const e of es) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.key)) {
        this.errorAt(e.keyOffset, e.val.path, 'must be an environment variable name like KAME_NODE');
        continue;
      }
      const n = e.val.node;
      if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number'))
        out[e.key] = String(n.value);
      else this.error(e.val, `must be a string (got ${describe(n)})`);
    }
    return out;
  }

  private readFiles(v: Val): DaemonFileSpec[] {
    const es = this.entries(v);
    if (!es) return [];
    if (es.length > LIMITS.filesPerDaemon) {
      this.error(v, `too many files (${es.length}; at most ${LIMITS.filesPerDaemon})`);
      return [];
    }
    const out: DaemonFileSpec[] = [];
    for (const e of es) {
      if (!FILE_NAME.test(e.key)) {
        this.errorAt(e.keyOffset, e.val.path, 'must be a file name like rtadvd.conf (no directory)');
        continue;
      }
      const pos = this.pos(e.keyOffset);
      const n = e.val.node;
      if (isScalar(n) && typeof n.value === 'string') {
        if (Buffer.byteLength(n.value) > LIMITS.fileBytes) {
          this.error(e.val, `file too large (at most ${LIMITS.fileBytes} bytes)`);
          continue;
        }
        out.push({ name: e.key, source: 'inline', content: n.value, pos });
        continue;
      }
      if (!isMap(n)) {
        this.error(e.val, `must be the file's text or { path: FILE } (got ${describe(n)})`);
        continue;
      }
      const f = this.fields(e.val, ['path'], ['path']);
      const pv = f?.get('path');
      const p = pv ? this.str(pv) : undefined;
      if (!pv || p === undefined) continue;
      if (p === '') {
        this.error(pv, 'must not be empty');
        continue;
      }
      const resolved = nodePath.isAbsolute(p) ? nodePath.normalize(p) : nodePath.join(this.dir, p);
      let content: string | undefined;
      if (this.options.readFile) {
        try {
          content = this.options.readFile(resolved);
        } catch (err) {
          this.error(pv, `cannot read ${resolved}: ${ioReason(err)}`);
          continue;
        }
        if (Buffer.byteLength(content) > LIMITS.fileBytes) {
          this.error(pv, `file too large (at most ${LIMITS.fileBytes} bytes)`);
          continue;
        }
      }
      out.push({
        name: e.key,
        source: 'path',
        path: resolved,
        ...(content !== undefined ? { content } : {}),
        pos,
      });
    }
    return out;
  }

  private readReady(v: Val): ReadySpec | undefined {
    const f = this.fields(v, READY_KEYS, ['log']);
    if (!f) return undefined;
    const logVal = f.get('log');
    let log = logVal ? this.str(logVal, 'a regular expression') : undefined;
    if (logVal && log !== undefined) {
      try {
        new RegExp(log);
      } catch (err) {
        this.error(logVal, `not a valid regular expression: ${(err as Error).message}`);
        log = undefined;
      }
    }
    const withinVal = f.get('within');
    const withinMs = withinVal ? this.duration(withinVal) : DEFAULT_READY_WITHIN_MS;
    if (log === undefined || withinMs === undefined) return undefined;
    return { log, withinMs };
  }

  // -- links --------------------------------------------------------------------------------

  private readLinks(v: Val | undefined, nodes: Map<string, NodeDraft>): LinkSpec[] {
    if (!v) return [];
    const items = this.items(v, LIMITS.links);
    if (!items) return [];
    const out: LinkSpec[] = [];
    const used = new Map<string, { path: string; line: number }>();
    const segments = new Map<string, number>();
    for (const it of items) {
      const n = it.node;
      let endpointsVal: Val | undefined;
      let segment: string | undefined;
      let impair: Impairment = {};
      let badSegment = false;
      if (isSeq(n)) endpointsVal = it;
      else if (isMap(n)) {
        const f = this.fields(it, LINK_KEYS, ['endpoints']);
        if (!f) continue;
        endpointsVal = f.get('endpoints');
        const segVal = f.get('segment');
        if (segVal) {
          // A bad segment name still gets its endpoints checked; the link is then dropped.
          segment = this.name(segVal, SEGMENT_NAME, 'a segment name') ?? '';
          const first = segments.get(segment);
          if (first !== undefined) {
            this.error(segVal, `duplicate segment ${JSON.stringify(segment)} (first at line ${first})`);
            badSegment = true;
          } else if (segment === '') badSegment = true;
          else segments.set(segment, this.pos(segVal.offset).line);
        }
        const impairVal = f.get('impair');
        if (impairVal) impair = this.readImpair(impairVal);
      } else {
        this.error(it, `must be [node:if, node:if] or a mapping with endpoints (got ${describe(n)})`);
        continue;
      }
      if (!endpointsVal) continue;
      const kind = segment !== undefined ? 'segment' : 'p2p';
      const epItems = this.items(endpointsVal, LIMITS.endpointsPerSegment);
      if (!epItems) continue;
      if (kind === 'p2p' && epItems.length !== 2) {
        this.error(
          endpointsVal,
          `a point-to-point link needs exactly 2 endpoints (got ${epItems.length}); name a segment: for a shared one`,
        );
        continue;
      }
      if (kind === 'segment' && epItems.length < 2) {
        this.error(endpointsVal, `a segment needs at least 2 endpoints (got ${epItems.length})`);
        continue;
      }
      const endpoints: EndpointSpec[] = [];
      for (const ep of epItems) {
        const e = this.endpoint(ep, nodes);
        if (!e) continue;
        const key = `${e.node}:${e.ifname}`;
        const prior = used.get(key);
        if (prior) {
          this.error(ep, `${key} is already on ${prior.path} (line ${prior.line})`);
          continue;
        }
        used.set(key, { path: formatPath(it.path), line: this.pos(it.offset).line });
        endpoints.push(e);
      }
      if (endpoints.length !== epItems.length || badSegment) continue;
      out.push({
        kind,
        ...(segment !== undefined ? { segment } : {}),
        endpoints,
        impair,
        pos: this.pos(it.offset),
      });
    }
    return out;
  }

  private endpoint(v: Val, nodes: Map<string, NodeDraft>): EndpointSpec | undefined {
    const s = this.str(v, 'node:interface like r1:em0');
    if (s === undefined) return undefined;
    const m = /^([^:]+):([^:]+)$/.exec(s);
    if (!m) {
      this.error(v, `must be node:interface like r1:em0 (got ${JSON.stringify(s)})`);
      return undefined;
    }
    const [, node, ifname] = m as unknown as [string, string, string];
    const d = nodes.get(node);
    if (!d) {
      this.error(v, this.unknownNode(node, nodes.keys()));
      return undefined;
    }
    const problem = this.ifnameProblem(d.spec.kind, ifname);
    if (problem) {
      this.error(v, `${d.spec.kind} interface name ${problem} (got ${JSON.stringify(ifname)})`);
      return undefined;
    }
    return { node, ifname, pos: this.pos(v.offset) };
  }

  private unknownNode(name: string, known: Iterable<string>): string {
    const s = suggest(name, known);
    return `unknown node ${JSON.stringify(name)}${s ? ` (did you mean "${s}"?)` : ''}`;
  }

  private readImpair(v: Val): Impairment {
    const f = this.fields(v, IMPAIR_KEYS);
    const out: Mutable<Impairment> = {};
    if (!f) return out;
    const delay = f.get('delay');
    if (delay) {
      const x = this.duration(delay);
      if (x !== undefined) out.delayMs = x;
    }
    const jitter = f.get('jitter');
    if (jitter) {
      const x = this.duration(jitter);
      if (x !== undefined) out.jitterMs = x;
    }
    const loss = f.get('loss');
    if (loss) {
      const x = this.unit(loss, parsePercent, '1%');
      if (x !== undefined) out.lossPercent = x;
    }
    const rate = f.get('rate');
    if (rate) {
      const x = this.unit(rate, parseRate, '10mbit');
      if (x !== undefined) out.rateBitsPerSecond = x;
    }
    const mtu = f.get('mtu');
    if (mtu) {
      const x = this.int(mtu, 1280, 65535);
      if (x !== undefined) out.mtu = x;
    }
    return out;
  }

  // -- checks -------------------------------------------------------------------------------

  private readChecks(v: Val | undefined, spec: Pick<LabSpec, 'nodes' | 'links'>): CheckSpec[] {
    if (!v) return [];
    const items = this.items(v, LIMITS.checks);
    if (!items) return [];
    const ifnames = interfaceNames(spec);
    const out: CheckSpec[] = [];
    const firstAt = new Map<string, number>();
    for (const it of items) {
      const f = this.fields(it, CHECK_KEYS, ['from', 'ping']);
      if (!f) continue;
      const fromVal = f.get('from');
      const pingVal = f.get('ping');
      let from: string | undefined;
      if (fromVal) {
        from = this.str(fromVal, 'a node name');
        if (from !== undefined && !ifnames.has(from)) {
          this.error(fromVal, this.unknownNode(from, ifnames.keys()));
          from = undefined;
        }
      }
      let target: TargetSpec | undefined;
      let targetText: string | undefined;
      if (pingVal) {
        targetText = this.str(pingVal, 'a node, node:interface or IPv6 address');
        if (targetText !== undefined) target = this.target(pingVal, targetText, ifnames);
      }
      const withinVal = f.get('within');
      const withinMs = withinVal ? this.duration(withinVal) : DEFAULT_CHECK_WITHIN_MS;
      const nameVal = f.get('name');
      let name: string | undefined;
      if (nameVal) name = this.name(nameVal, CHECK_NAME, 'a check name');
      else if (from !== undefined && targetText !== undefined) name = `${from}-ping-${targetText}`;
      if (
        from === undefined ||
        !target ||
        targetText === undefined ||
        withinMs === undefined ||
        name === undefined
      )
        continue;
      const first = firstAt.get(name);
      if (first !== undefined) {
        this.error(nameVal ?? it, `duplicate check name ${JSON.stringify(name)} (first at line ${first})`);
        continue;
      }
      const pos = this.pos(it.offset);
      firstAt.set(name, pos.line);
      out.push({ name, from, kind: 'ping', target, targetText, withinMs, pos });
    }
    return out;
  }

  private target(v: Val, text: string, ifnames: Map<string, string[]>): TargetSpec | undefined {
    const colons = text.split(':').length - 1;
    if (colons === 0) {
      if (ifnames.has(text)) return { kind: 'node', node: text };
      this.error(v, this.unknownNode(text, ifnames.keys()));
      return undefined;
    }
    if (colons === 1) {
      const [node, ifname] = text.split(':') as [string, string];
      const list = ifnames.get(node);
      if (!list) {
        this.error(v, this.unknownNode(node, ifnames.keys()));
        return undefined;
      }
      if (!list.includes(ifname)) {
        const s = suggest(ifname, list);
        this.error(
          v,
          `node ${node} has no interface ${JSON.stringify(ifname)}${s ? ` (did you mean "${s}"?)` : ''}`,
        );
        return undefined;
      }
      return { kind: 'interface', node, ifname };
    }
    const a = Ipv6Address.tryParse(text);
    if (!a) {
      this.error(v, `must be a node, node:interface or an IPv6 address (got ${JSON.stringify(text)})`);
      return undefined;
    }
    if (a.isMulticast() || a.isUnspecified()) {
      this.error(v, `must be a unicast address (got ${JSON.stringify(text)})`);
      return undefined;
    }
    return { kind: 'address', address: a };
  }

  // -- whole-lab checks ---------------------------------------------------------------------

  private crossCheck(spec: Pick<LabSpec, 'name' | 'nodes' | 'links'>, drafts: readonly NodeDraft[]): void {
    const names = interfaceNames(spec);
    const onLink = new Map<string, LinkSpec>();
    for (const l of spec.links) for (const e of l.endpoints) onLink.set(`${e.node}:${e.ifname}`, l);

    // MACs: explicit ones unique, and not equal to an automatic one.
    const macs = new Map<string, { who: string; line?: number }>();
    drafts.forEach((d, nodeIndex) => {
      const list = names.get(d.spec.name) ?? [];
      if (list.length > LIMITS.interfacesPerNode) {
        this.errorAt(
          this.offsetOfPos(d.spec.pos),
          ['nodes', d.spec.name],
          `too many interfaces (${list.length}; at most ${LIMITS.interfacesPerNode})`,
        );
        return;
      }
      list.forEach((ifname, ifIndex) => {
        if (d.macVals.has(ifname)) return;
        macs.set(autoMac(spec.name, nodeIndex, ifIndex).toString(), { who: `${d.spec.name}:${ifname}` });
      });
    });
    for (const d of drafts) {
      for (const i of d.spec.interfaces) {
        const who = `${d.spec.name}:${i.name}`;
        if (i.mac) {
          const key = i.mac.toString();
          const prior = macs.get(key);
          const mv = d.macVals.get(i.name)!;
          if (prior)
            this.error(
              mv,
              `MAC ${key} is also ${prior.who}'s${prior.line !== undefined ? ` (line ${prior.line})` : ' (automatic)'}`,
            );
          else macs.set(key, { who, line: this.pos(mv.offset).line });
        }
        if (!onLink.has(who)) {
          const e = d.ifEntries.get(i.name)!;
          this.warn({ ...e.val, offset: e.keyOffset }, 'not on any link (the interface stays unconnected)');
        }
        const linkMtu = onLink.get(who)?.impair.mtu;
        if (i.mtu !== undefined && linkMtu !== undefined && i.mtu > linkMtu) {
          const e = d.ifEntries.get(i.name)!;
          this.warn(
            { ...e.val, path: [...e.val.path, 'mtu'], offset: e.keyOffset },
            `mtu ${i.mtu} is above the link's mtu ${linkMtu}: larger packets are dropped on the wire`,
          );
        }
      }
    }

    // Addresses: each configured once in the lab.
    const addrs = new Map<string, { who: string; line: number }>();
    for (const d of drafts)
      for (const i of d.spec.interfaces)
        i.addresses.forEach((a, k) => {
          const key = a.address.key();
          const who = `${d.spec.name}:${i.name}`;
          const prior = addrs.get(key);
          const e = d.ifEntries.get(i.name)!;
          // Link-local addresses only clash on the same node (each link is its own zone).
          const scoped = a.address.isLinkLocal() ? `${d.spec.name}%${key}` : key;
          const p2 = a.address.isLinkLocal() ? addrs.get(scoped) : prior;
          if (p2) {
            this.errorAt(
              this.offsetOfPos(a.pos),
              [...e.val.path, 'addresses', k],
              `${a.address.toString()} is also on ${p2.who} (line ${p2.line})`,
            );
          } else addrs.set(scoped, { who, line: a.pos.line });
        });

    // Routes: dev must be one of the node's interfaces.
    for (const d of drafts) {
      const list = names.get(d.spec.name) ?? [];
      d.spec.routes.forEach((r, k) => {
        if (r.dev !== undefined && !list.includes(r.dev)) {
          const s = suggest(r.dev, list);
          this.error(
            d.routeVals[k]!,
            `node ${d.spec.name} has no interface ${JSON.stringify(r.dev)}${s ? ` (did you mean "${s}"?)` : ''}`,
          );
        }
      });
    }

    for (const d of drafts) if (d.roleKnown) this.roleWarnings(d);
  }

  /** IMPLEMENTATION 1.4.2: the role decides forwarding and accept_rtadv; say so when the file disagrees. */
  private roleWarnings(d: NodeDraft): void {
    const n = d.spec;
    const [fwdName, raName] =
      n.kind === 'kame'
        ? [SYSCTL_FORWARDING, SYSCTL_ACCEPT_RTADV]
        : [LINUX_SYSCTL_FORWARDING, LINUX_SYSCTL_ACCEPT_RA];
    const eff = effectiveSysctls(n);
    const num = (name: string): number | undefined => {
      const s = eff.find((x) => x.name === name);
      return s === undefined ? undefined : Number(s.value);
    };
    const fwd = num(fwdName);
    const ra = num(raName);
    const fwdVal = d.sysctlVals.get(fwdName);
    const raVal = d.sysctlVals.get(raName);
    if (fwdVal && n.role === 'router' && fwd === 0)
      this.warn(fwdVal, 'forwarding 0 contradicts role router (IMPLEMENTATION 1.4.2: a router forwards)');
    if (fwdVal && n.role === 'host' && fwd !== 0)
      this.warn(
        fwdVal,
        `forwarding ${fwd} contradicts role host (IMPLEMENTATION 1.4.2: a host does not forward)`,
      );
    if (raVal && n.role === 'router' && ra !== 0)
      this.warn(
        raVal,
        'accepting RAs on a router is unwise (IMPLEMENTATION 1.4.2: only hosts listen to RAs)',
      );
    for (const dm of n.daemons) {
      const prog = nodePath.posix.basename(dm.argv[0]!);
      const at = d.daemonVals.get(dm.name)!;
      if ((prog === 'rtadvd' || prog === 'radvd') && fwd === 0)
        this.warn(
          at,
          `${prog} on a node that does not forward: routers send RAs (RFC 4861 6.2.3), set role: router`,
        );
      if ((prog === 'rtsold' || prog === 'rtsol') && ra === 0)
        this.warn(at, `${prog} on a node that ignores RAs (accept_rtadv 0): the solicited RAs are not used`);
    }
  }

  private offsetOfPos(p: SourcePos): number {
    const starts = this.lc.lineStarts;
    return (starts[p.line - 1] ?? 0) + p.column - 1;
  }
}
