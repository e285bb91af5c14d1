import { SysctlError } from './sysctl-error';
import { defaultV6only, mappedAddressBehaviour, type KamePlatform } from './platform';
import { nodeRoleFor, type NodeRole } from './node-role';
import { SYSCTL_VARIABLES, SYSCTL_V6ONLY, findSysctlVariable, type SysctlVariable } from './variables';

/** Called after a variable changed value (not for writes of the same value). */
export type SysctlListener = (name: string, value: number, oldValue: number) => void;

export interface SysctlOptions {
  /** Chooses the v6only default (IMPLEMENTATION 1.12); default 'freebsd3x'. */
  platform?: KamePlatform;
  /** Boot-time values (like /etc/sysctl.conf), validated as `set` would. */
  initial?: Readonly<Record<string, number | string>>;
}

const TEMPPLTIME = 'net.inet6.ip6.temppltime';
const TEMPVLTIME = 'net.inet6.ip6.tempvltime';
const DECIMAL = /^[+-]?\d+$/;

/**
 * One node's sysctl MIB: typed get/set with BSD errno semantics, `sysctl -a`
 * listing and change listeners so the stack can react (e.g. forwarding flips
 * the node role, IMPLEMENTATION 1.4.2).
 */
export class Sysctl {
  readonly platform: KamePlatform;
  private readonly values = new Map<string, number>();
  private readonly listeners = new Set<SysctlListener>();
  private readonly watchers = new Map<string, Set<SysctlListener>>();

  constructor(options: SysctlOptions = {}) {
    this.platform = options.platform ?? 'freebsd3x';
    for (const v of SYSCTL_VARIABLES) {
      this.values.set(v.name, v.name === SYSCTL_V6ONLY ? defaultV6only(this.platform) : v.defaultValue);
    }
    for (const [name, value] of Object.entries(options.initial ?? {})) {
      const v = this.lookup(name);
      this.values.set(v.name, this.validate(v, value));
    }
  }

  /** The definition for a name or alias; throws ENOENT for unknown names. */
  describe(name: string): SysctlVariable {
    const v = this.lookup(name);
    if (v.name !== SYSCTL_V6ONLY) return v;
    return { ...v, defaultValue: defaultV6only(this.platform), writable: this.isWritable(v) };
  }

  /** Current value; ENOENT for unknown names. */
  get(name: string): number {
    const v = this.lookup(name);
    return this.values.get(v.name)!;
  }

  /**
   * Writes a value and returns the old one. Accepts integers or decimal
   * strings (as sysctl(8) parses `name=value`). EPERM for read-only nodes,
   * EINVAL for non-integers, booleans outside 0/1 and out-of-range values.
   */
  set(name: string, value: number | string): number {
    const v = this.lookup(name);
    if (!this.isWritable(v)) throw new SysctlError('EPERM', v.name, 'read-only variable');
    const next = this.validate(v, value);
    const old = this.values.get(v.name)!;
    this.values.set(v.name, next);
    if (next !== old) this.emit(v.name, next, old);
    return old;
  }

  /**
   * `sysctl -a` (or `sysctl prefix`) lines, `name: value`, in MIB order. The
   * prefix matches whole components; ENOENT when it matches nothing.
   */
  list(prefix?: string): string[] {
    return this.entries(prefix).map(([name, value]) => `${name}: ${value}`);
  }

  /** `[name, value]` pairs in MIB order; same prefix rules as `list`. */
  entries(prefix?: string): [string, number][] {
    const alias = prefix === undefined ? undefined : findSysctlVariable(prefix);
    const p = alias?.name ?? prefix;
    const out: [string, number][] = [];
    for (const v of SYSCTL_VARIABLES) {
      if (p === undefined || p === '' || v.name === p || v.name.startsWith(`${p}.`)) {
        out.push([v.name, this.values.get(v.name)!]);
      }
    }
    if (out.length === 0) throw new SysctlError('ENOENT', prefix ?? '', 'unknown oid');
    return out;
  }

  /** Every variable as a plain object (JSON form). */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.entries());
  }

  /** Listen to every change; returns an unsubscribe function. */
  onChange(listener: SysctlListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listen to one variable (name or alias); ENOENT for unknown names. */
  watch(name: string, listener: SysctlListener): () => void {
    const v = this.lookup(name);
    let set = this.watchers.get(v.name);
    if (set === undefined) {
      set = new Set();
      this.watchers.set(v.name, set);
    }
    set.add(listener);
    const s = set;
    return () => s.delete(listener);
  }

  /** The 1.4.2 role for the current accept_rtadv and forwarding. */
  nodeRole(): NodeRole {
    return nodeRoleFor(this.get('net.inet6.ip6.accept_rtadv'), this.get('net.inet6.ip6.forwarding'));
  }

  /** v6only is a knob only where IMPLEMENTATION 1.12 calls the behaviour configurable. */
  private isWritable(v: SysctlVariable): boolean {
    if (v.name === SYSCTL_V6ONLY) return mappedAddressBehaviour(this.platform).sysctlConfigurable;
    return v.writable;
  }

  private lookup(name: string): SysctlVariable {
    const v = findSysctlVariable(name);
    if (v === undefined) throw new SysctlError('ENOENT', name, 'unknown oid');
    return v;
  }

  private validate(v: SysctlVariable, raw: number | string): number {
    let value: number;
    if (typeof raw === 'number') value = raw;
    else if (typeof raw === 'string' && DECIMAL.test(raw.trim())) value = Number(raw.trim());
    else throw new SysctlError('EINVAL', v.name, `not an integer: ${String(raw)}`);
    if (!Number.isSafeInteger(value))
      throw new SysctlError('EINVAL', v.name, `not an integer: ${String(raw)}`);
    if (value < v.min || value > v.max) {
      throw new SysctlError('EINVAL', v.name, `${value} outside ${v.min}..${v.max}`);
    }
    // RFC 3041: a temporary address may not stay preferred longer than it is valid.
    if (v.name === TEMPPLTIME && value > this.values.get(TEMPVLTIME)!) {
      throw new SysctlError('EINVAL', v.name, 'temppltime must not exceed tempvltime');
    }
    if (v.name === TEMPVLTIME && value < this.values.get(TEMPPLTIME)!) {
      throw new SysctlError('EINVAL', v.name, 'tempvltime must not be below temppltime');
    }
    return value;
  }

  private emit(name: string, value: number, old: number): void {
    for (const l of [...this.listeners]) l(name, value, old);
    for (const l of [...(this.watchers.get(name) ?? [])]) l(name, value, old);
  }
}
