import { extractScope, Ipv6Address, needsScope, ScopedAddress } from '@kame/addr';
import { KernelApiError, type KernelClient, type v1 } from '@kame/kernel-api';
export { IFF_UP, RTF_GATEWAY, RTF_STATIC } from '@kame/kernel-api';

/**
 * Shared formatting for the net tools: BSD flag tables, addresses with their
 * zone, aligned tables, the usage error and how errors reach stderr.
 */

/** Names of the BSD net/if.h, netinet6/in6_var.h and net/route.h flag bits (values: @kame/kernel-api flags). */
export const IFF_BITS: readonly [number, string][] = [
  [0x1, 'UP'],
  [0x2, 'BROADCAST'],
  [0x4, 'DEBUG'],
  [0x8, 'LOOPBACK'],
  [0x10, 'POINTOPOINT'],
  [0x40, 'RUNNING'],
  [0x80, 'NOARP'],
  [0x100, 'PROMISC'],
  [0x800, 'SIMPLEX'],
  [0x8000, 'MULTICAST'],
];
export const IN6_IFF_BITS: readonly [number, string][] = [
  [0x01, 'anycast'],
  [0x02, 'tentative'],
  [0x04, 'duplicated'],
  [0x08, 'detached'],
  [0x10, 'deprecated'],
  [0x40, 'autoconf'],
];
/** netstat -r letters of net/route.h RTF_*. */
export const RTF_BITS: readonly [number, string][] = [
  [0x1, 'U'],
  [0x2, 'G'],
  [0x4, 'H'],
  [0x8, 'R'],
  [0x10, 'D'],
  [0x20, 'M'],
  [0x100, 'C'],
  [0x400, 'L'],
  [0x800, 'S'],
  [0x1000, 'B'],
];
/** route monitor names of the same bits. */
export const RTF_NAMES: readonly [number, string][] = [
  [0x1, 'UP'],
  [0x2, 'GATEWAY'],
  [0x4, 'HOST'],
  [0x8, 'REJECT'],
  [0x10, 'DYNAMIC'],
  [0x20, 'MODIFIED'],
  [0x40, 'DONE'],
  [0x100, 'CLONING'],
  [0x200, 'XRESOLVE'],
  [0x400, 'LLINFO'],
  [0x800, 'STATIC'],
  [0x1000, 'BLACKHOLE'],
];
/** ND6_INFINITE_LIFETIME. */
export const INFINITE = 0xffffffff;

/** A usage error (exit 2). */
export class UsageError extends Error {}

/** What a command prints: the text form and the --json form. */
export interface Output {
  readonly text: string;
  readonly json: unknown;
}

/** How commands wait and read time: real in the process, virtual in tests. */
export interface CliClock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function bits(flags: number, table: readonly [number, string][]): string[] {
  return table.filter(([b]) => (flags & b) !== 0).map(([, n]) => n);
}

export function ifnameOf(ifs: readonly v1.Interface.$Properties[], index: number): string {
  return ifs.find((i) => i.index === index)?.name ?? String(index);
}

export function addrText(bytes: Uint8Array | null | undefined): string {
  if (!bytes || bytes.length !== 16) return bytes && bytes.length === 4 ? [...bytes].join('.') : '?';
  return Ipv6Address.fromBytes(bytes).toString();
}

export function isLinkLocal(bytes: Uint8Array | null | undefined): boolean {
  return !!bytes && bytes.length === 16 && bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80;
}

/**
 * An address for display: a kernel-form (embedded scope, IMPLEMENTATION
 * 1.3.1) link-scoped address loses its embedded index and gets `%ifname`
 * (the embedded index when present, else `ifindex`).
 */
export function scopedText(
  bytes: Uint8Array | null | undefined,
  ifs: readonly v1.Interface.$Properties[],
  ifindex = 0,
): string {
  if (!bytes || bytes.length !== 16) return addrText(bytes);
  const a = Ipv6Address.fromBytes(bytes);
  if (!needsScope(a)) return a.toString();
  const { address, ifindex: embedded } = extractScope(a);
  const zone = embedded || ifindex;
  return zone ? `${address.toString()}%${ifnameOf(ifs, zone)}` : address.toString();
}

/** Left-aligned columns one space apart; `right` lists columns aligned right. */
export function table(rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const n = Math.max(0, ...rows.map((r) => r.length));
  const w = Array.from({ length: n }, (_, c) => Math.max(0, ...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map(
      (row) =>
        row
          .map((cell, c) => {
            if (right.includes(c)) return cell.padStart(w[c]!) + ' ';
            return c === row.length - 1 ? cell : cell.padEnd(w[c]! + 1);
          })
          .join('')
          .trimEnd() + '\n',
    )
    .join('');
}

/** `fe80::1%em0` or `fe80::1` (zone optional); a usage error names `what`. */
export function parseScoped(text: string, what: string): ScopedAddress {
  try {
    return ScopedAddress.parse(text);
  } catch (e) {
    throw new UsageError(`${what} ${text}: ${(e as Error).message}`);
  }
}

/** The interface index of a zone (a name is looked up in the kernel: ENXIO if unknown). */
export async function zoneIndex(client: KernelClient, zone: string | number | undefined): Promise<number> {
  if (zone === undefined) return 0;
  if (typeof zone === 'number') return zone;
  return (await client.ifGet(zone)).index ?? 0;
}

/** A non-negative integer argument, else a usage error. */
export function intArg(s: string | undefined, what: string, min: number, max: number): number {
  const n = Number(s);
  if (s === undefined || s.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${what}: expected an integer ${min}..${max}, got ${String(s)}`);
  return n;
}

/** KAME sec2str: "1d2h3m4s", "59s" (ndp expiries). */
export function sec2str(total: number): string {
  let s = Math.max(0, Math.ceil(total));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  let out = '';
  if (d > 0) out += `${d}d`;
  if (d > 0 || h > 0) out += `${h}h`;
  if (d > 0 || h > 0 || m > 0) out += `${m}m`;
  return `${out}${s}s`;
}

/** How an error is reported on stderr. */
export function errorText(e: unknown): string {
  if (e instanceof KernelApiError) {
    // Kernel messages often start with their own errno name; print it once.
    const detail = e.detail.startsWith(`${e.errno}: `) ? e.detail.slice(e.errno.length + 2) : e.detail;
    return `kame: ${e.errno}: ${detail}`;
  }
  const err = e as { code?: string; message?: string };
  if (err && typeof err.code === 'string') return `kame: ${err.code}: ${String(err.message ?? '')}`;
  return `kame: ${e instanceof Error ? e.message : String(e)}`;
}
