/** Name rules of the lab format; each test returns a reason when the name is wrong. */

export const LAB_NAME = /^[a-z0-9-]{1,32}$/;
export const NODE_NAME = /^[a-z][a-z0-9-]{0,14}$/;
/** Segment names follow node names (they become bridge names on a Linux host). */
export const SEGMENT_NAME = NODE_NAME;
export const DAEMON_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,31}$/;
export const CHECK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
/** Daemon file names: one path component, no directory. */
export const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$/;
/** sysctl(8) names: dotted components; Linux ones may hold interface names. */
export const SYSCTL_NAME = /^[a-z][a-z0-9_]*(\.[A-Za-z0-9_-]+)+$/;

/**
 * An interface of the emulated kernel: BSD style driver name and unit (`em0`, `gif1`).
 * `lo0` exists on every node and cannot be put on a link.
 */
export function kameIfnameProblem(name: string): string | undefined {
  if (!/^[a-z]{1,8}[0-9]{1,4}$/.test(name))
    return 'must be a BSD interface name like em0 (letters then a unit number)';
  if (/^lo[0-9]+$/.test(name)) return `${name} is the loopback interface`;
  return undefined;
}

/**
 * A Linux interface name (net/core/dev.c dev_valid_name): 1..15 bytes (IFNAMSIZ 16 with the
 * NUL), not `.` or `..`, no `/`, `:` or whitespace. `lo` is the namespace's loopback.
 */
export function linuxIfnameProblem(name: string): string | undefined {
  if (name.length === 0 || Buffer.byteLength(name) > 15) return 'must be 1..15 bytes (Linux IFNAMSIZ)';
  if (name === '.' || name === '..') return 'must not be . or ..';
  if (/[/:\s]/.test(name)) return 'must not contain /, : or white space';
  if (name === 'lo') return 'lo is the loopback interface';
  return undefined;
}
