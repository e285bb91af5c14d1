import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Linux side of a live lab (production twin of @kame/testing's interop
 * LinuxHost, which needs jest): one network namespace per linux node, and an
 * underlay namespace joined to the root namespace by a veth pair on a free
 * 169.254.x.y/30. Each linux interface is a kernel vxlan device created in the
 * underlay (so its UDP socket lives there and reaches kame-kernel in the root
 * namespace through the veth, never through the kernel's local bypass) and
 * moved into its node's namespace. Every name carries a per-lab prefix so
 * `kame lab down` can find what to delete from the state file alone.
 */

export interface CmdResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program (no shell) with a deadline; never rejects. */
export function runCmd(cmd: string, args: readonly string[], timeoutMs = 15_000): Promise<CmdResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      [...args],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Why linux nodes cannot run here, or undefined when they can. */
export function linuxSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'linux nodes need Linux';
  if (process.getuid?.() !== 0) return 'linux nodes need root (ip netns, vxlan devices)';
  const missing = ['ip', 'bridge'].filter((c) => !onPath(c));
  if (missing.length) return `linux nodes need ${missing.join(', ')} (iproute2)`;
  return undefined;
}

export function onPath(cmd: string): boolean {
  return (process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin')
    .split(':')
    .some((d) => d !== '' && existsSync(join(d, cmd)));
}

/** Where a linux interface's vxlan device sends: kame-kernel's UDP endpoints. */
export interface VxlanPeer {
  readonly address: string;
  readonly port: number;
}

/** A short per-lab prefix: "kl" + 4 hex digits (root-namespace link names are at most 15 bytes). */
export function newLinuxPrefix(): string {
  return `kl${randomBytes(2).toString('hex')}`;
}

export class LinuxNet {
  /** Namespaces made, in order (the state file lists them for `kame lab down`). */
  readonly namespaces: string[] = [];
  /** Root-namespace links made. */
  readonly links: string[] = [];
  rootAddr = '';
  uAddr = '';

  /** `record` is told of every namespace or link as soon as it exists. */
  constructor(
    readonly prefix: string,
    private readonly labName: string,
    private readonly record: () => void = () => undefined,
  ) {}

  /** The namespace of linux node `node`. */
  nsOf(node: string): string {
    return `kame-${this.labName}-${node}`;
  }

  get underlayNs(): string {
    return `${this.prefix}-u`;
  }

  async must(cmd: string, args: readonly string[], timeoutMs?: number): Promise<string> {
    const r = await runCmd(cmd, args, timeoutMs);
    if (r.code !== 0)
      throw new Error(`${cmd} ${args.join(' ')}: exit ${r.code}: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  }

  private ip(ns: string, ...args: string[]): Promise<string> {
    return this.must('ip', ['-n', ns, ...args]);
  }

  async addNamespace(ns: string): Promise<void> {
    await this.must('ip', ['netns', 'add', ns]);
    this.namespaces.push(ns);
    this.record();
    await this.ip(ns, 'link', 'set', 'dev', 'lo', 'up');
    await this.sysctl(ns, {
      'net.ipv6.conf.all.disable_ipv6': 0,
      'net.ipv6.conf.default.disable_ipv6': 0,
    });
  }

  async sysctl(ns: string, values: Readonly<Record<string, number | string>>): Promise<void> {
    const args = Object.entries(values).map(([k, v]) => `${k}=${v}`);
    if (args.length) await this.must('ip', ['netns', 'exec', ns, 'sysctl', '-qw', ...args]);
  }

  /** The underlay namespace and its veth to the root namespace (root side rootAddr, MTU 9000). */
  async underlay(): Promise<void> {
    const [rootAddr, uAddr] = await freeSlash30();
    this.rootAddr = rootAddr;
    this.uAddr = uAddr;
    await this.addNamespace(this.underlayNs);
    const veth = `${this.prefix}u0`;
    await this.must('ip', [
      ...['link', 'add', 'name', veth, 'mtu', '9000', 'type', 'veth'],
      ...['peer', 'name', 'u1', 'mtu', '9000', 'netns', this.underlayNs],
    ]);
    this.links.push(veth);
    this.record();
    await this.must('ip', ['addr', 'add', `${rootAddr}/30`, 'dev', veth]);
    await this.must('ip', ['link', 'set', 'dev', veth, 'up']);
    await this.ip(this.underlayNs, 'addr', 'add', `${uAddr}/30`, 'dev', 'u1');
    await this.ip(this.underlayNs, 'link', 'set', 'dev', 'u1', 'up');
  }

  /**
   * A vxlan device for `ifname` of namespace `ns`: made in the underlay with
   * local uAddr and UDP port `kport`, flooding (all-zeros FDB entries) to
   * every peer, then moved into `ns`, renamed, given `mac` and `mtu`; left down.
   */
  async vxlan(
    ns: string,
    ifname: string,
    o: { vni: number; kport: number; mac: string; mtu: number; peers: readonly VxlanPeer[] },
  ): Promise<void> {
    const tmp = `kv${o.kport}`.slice(0, 15);
    const u = this.underlayNs;
    await this.ip(
      u,
      ...['link', 'add', tmp, 'type', 'vxlan', 'id', String(o.vni), 'local', this.uAddr],
      ...['dstport', String(o.kport), 'srcport', String(o.kport), String(o.kport + 1), 'nolearning'],
    );
    for (const p of o.peers)
      await this.must('bridge', [
        ...['-n', u, 'fdb', 'append', '00:00:00:00:00:00', 'dev', tmp],
        ...['dst', p.address, 'port', String(p.port), 'self', 'permanent'],
      ]);
    await this.ip(u, 'link', 'set', 'dev', tmp, 'netns', ns);
    await this.ip(ns, 'link', 'set', 'dev', tmp, 'name', ifname);
    await this.ip(ns, 'link', 'set', 'dev', ifname, 'address', o.mac, 'mtu', String(o.mtu));
  }

  async linkUp(ns: string, ifname: string): Promise<void> {
    await this.ip(ns, 'link', 'set', 'dev', ifname, 'up');
  }

  async addAddress(ns: string, ifname: string, cidr: string): Promise<void> {
    await this.ip(ns, '-6', 'addr', 'add', cidr, 'dev', ifname);
  }

  async addRoute(ns: string, to: string, via: string | undefined, dev: string | undefined): Promise<void> {
    const args = ['-6', 'route', 'add', to];
    if (via !== undefined) args.push('via', via);
    if (dev !== undefined) args.push('dev', dev);
    await this.ip(ns, ...args);
  }

  /** Removes everything: processes in our namespaces, the namespaces, the root links. */
  async teardown(): Promise<void> {
    await removeLinuxObjects(this.namespaces.splice(0), this.links.splice(0));
    this.record();
  }
}

/** Kills every process in each namespace, deletes the namespaces, then the root-namespace links. */
export async function removeLinuxObjects(
  namespaces: readonly string[],
  links: readonly string[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const n of namespaces) {
    const pids = await runCmd('ip', ['netns', 'pids', n]);
    for (const p of pids.stdout.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(p), 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
  for (const n of namespaces) {
    const r = await runCmd('ip', ['netns', 'del', n]);
    if (r.code !== 0 && !/No such file|not found|Invalid/.test(r.stderr))
      problems.push(`ip netns del ${n}: ${r.stderr.trim()}`);
  }
  for (const l of links) {
    const r = await runCmd('ip', ['link', 'del', 'dev', l]);
    if (r.code !== 0 && !/Cannot find|not exist/.test(r.stderr))
      problems.push(`ip link del ${l}: ${r.stderr.trim()}`);
  }
  return problems;
}

/** Synchronous last resort (process 'exit' hook). */
export function removeLinuxObjectsSync(namespaces: readonly string[], links: readonly string[]): void {
  for (const n of namespaces) {
    try {
      execFileSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  for (const l of links) {
    try {
      execFileSync('ip', ['link', 'del', 'dev', l], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

/** Picks a /30 in 169.254.0.0/16 that no root-namespace address uses; returns [.1, .2]. */
async function freeSlash30(): Promise<[string, string]> {
  const r = await runCmd('ip', ['-4', '-o', 'addr', 'show']);
  const used = new Set<string>();
  for (const m of r.stdout.matchAll(/inet (169\.254\.(\d+)\.(\d+))\//g))
    used.add(`${m[2]}.${Number(m[3]) & ~3}`);
  for (let i = 0; i < 1000; i++) {
    const [a, b] = randomBytes(2);
    const x = 1 + (a! % 254);
    const y = (b! % 64) * 4;
    if (x === 47 || used.has(`${x}.${y}`)) continue;
    return [`169.254.${x}.${y + 1}`, `169.254.${x}.${y + 2}`];
  }
  throw new Error('no free /30 in 169.254.0.0/16');
}

/** Parsed `ip -6 -o addr show`: interface → "addr/len[ flags]". */
export function parseIpAddr(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+inet6\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, ifname, cidr, rest] = m as unknown as [string, string, string, string];
    const flags = ['tentative', 'dadfailed', 'deprecated'].filter((f) => rest.includes(f));
    const list = out.get(ifname) ?? [];
    list.push(flags.length ? `${cidr} ${flags.join(' ')}` : cidr);
    out.set(ifname, list);
  }
  return out;
}

/** Parsed `ip -o link show`: name, up, mtu, mac. */
export function parseIpLink(text: string): { name: string; up: boolean; mtu: number; mac?: string }[] {
  const out: { name: string; up: boolean; mtu: number; mac?: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<([^>]*)>.*?\bmtu (\d+)/.exec(line);
    if (!m) continue;
    const mac = /link\/ether ([0-9a-f:]{17})/.exec(line)?.[1];
    out.push({
      name: m[1]!,
      up: m[2]!.split(',').includes('UP'),
      mtu: Number(m[3]),
      ...(mac !== undefined ? { mac } : {}),
    });
  }
  return out;
}
