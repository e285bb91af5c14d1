import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Linux side of the interop tests: network namespaces, veth/vxlan links,
 * tcpdump captures and tshark checks, all named with a per-run prefix and
 * removed by cleanup() (also from a process 'exit' hook if a test run dies).
 * Every command runs asynchronously so the kame node in this process keeps
 * answering while Linux pings it.
 */

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program (no shell) with a deadline; never rejects. */
export function run(cmd: string, args: string[], timeoutMs = 10_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Why the interop tests cannot run here, or undefined when they can. */
export function interopSkipReason(): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'needs root (ip netns)';
  const missing = ['ip', 'bridge', 'ping', 'tcpdump', 'tshark', 'ethtool'].filter((c) => !onPath(c));
  if (missing.length) return `needs ${missing.join(', ')} (run tools/interop/install.sh)`;
  return undefined;
}

function onPath(cmd: string): boolean {
  return (process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin')
    .split(':')
    .some((d) => d !== '' && existsSync(join(d, cmd)));
}

interface Capture {
  name: string;
  file: string;
  proc: ChildProcess;
  exited: Promise<void>;
  /** tshark decode-as arguments for this capture. */
  decodeAs: string[];
}

/** A daemon started by LinuxHost.background(). */
export interface BackgroundProcess {
  readonly proc: ChildProcess;
  readonly logFile: string;
  /** Everything it wrote so far. */
  output(): string;
}

export class LinuxHost {
  /** Per-run prefix of every namespace and root-ns link ("kj" + 4 hex digits). */
  readonly prefix = `kj${randomBytes(2).toString('hex')}`;
  readonly workDir = mkdtempSync(join(tmpdir(), `kame-interop-${this.prefix}-`));
  private readonly namespaces: string[] = [];
  private readonly links: string[] = [];
  private readonly captures: Capture[] = [];
  readonly log: string[] = [];
  private readonly exitHook = () => this.cleanupSync();
  rootAddr = '';
  uAddr = '';

  constructor() {
    process.on('exit', this.exitHook);
  }

  /** The full name of namespace `short` ("L" -> "kj1a2bL"). */
  ns(short: string): string {
    return `${this.prefix}${short}`;
  }

  /** Runs `cmd args` and throws with its output unless it exits 0. */
  async must(cmd: string, args: string[], timeoutMs?: number): Promise<string> {
    const r = await run(cmd, args, timeoutMs);
    this.log.push(`$ ${cmd} ${args.join(' ')} -> ${r.code}`);
    if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** `ip netns exec <ns> cmd args`, not throwing. */
  exec(short: string, cmd: string, args: string[], timeoutMs?: number): Promise<RunResult> {
    return run('ip', ['netns', 'exec', this.ns(short), cmd, ...args], timeoutMs);
  }

  /** `ip netns exec <ns> cmd args`, throwing on failure. */
  execMust(short: string, cmd: string, args: string[], timeoutMs?: number): Promise<string> {
    return this.must('ip', ['netns', 'exec', this.ns(short), cmd, ...args], timeoutMs);
  }

  /** Writes `content` to `name` in the work directory; returns the path. */
  writeFile(name: string, content: string): string {
    const file = join(this.workDir, name);
    writeFileSync(file, content);
    return file;
  }

  /**
   * Starts a daemon in namespace `short` (`ip netns exec`), stdout and stderr
   * into <workDir>/<name>.log. It dies with the namespace in cleanup() (every
   * pid in the namespace is killed, forked children included).
   */
  background(short: string, name: string, cmd: string, args: string[]): BackgroundProcess {
    const logFile = join(this.workDir, `${name}.log`);
    const fd = openSync(logFile, 'a');
    const proc = spawn('ip', ['netns', 'exec', this.ns(short), cmd, ...args], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.log.push(`$ [${short}] ${cmd} ${args.join(' ')} & (pid ${proc.pid ?? '?'})`);
    return { proc, logFile, output: () => readText(logFile) };
  }

  /** `ip -n <ns> args`. */
  ip(short: string, ...args: string[]): Promise<string> {
    return this.must('ip', ['-n', this.ns(short), ...args]);
  }

  /** A host namespace: lo up, IPv6 on, forwarding off. */
  async addNamespace(short: string): Promise<void> {
    const n = this.ns(short);
    await this.must('ip', ['netns', 'add', n]);
    this.namespaces.push(n);
    await this.ip(short, 'link', 'set', 'dev', 'lo', 'up');
    await this.sysctl(short, {
      'net.ipv6.conf.all.disable_ipv6': 0,
      'net.ipv6.conf.default.disable_ipv6': 0,
      'net.ipv6.conf.all.forwarding': 0,
    });
  }

  async sysctl(short: string, values: Record<string, number | string>): Promise<void> {
    const args = Object.entries(values).map(([k, v]) => `${k}=${v}`);
    await this.execMust(short, 'sysctl', ['-qw', ...args]);
  }

  /**
   * Namespace U joined to the root namespace by veth <prefix>u0 on a free
   * 169.254.x.y/30 (root side .1, U side .2), MTU 9000 on both ends.
   */
  async underlay(): Promise<void> {
    const [rootAddr, uAddr] = await freeSlash30();
    this.rootAddr = rootAddr;
    this.uAddr = uAddr;
    await this.addNamespace('U');
    const veth = `${this.prefix}u0`;
    await this.must('ip', [
      'link',
      'add',
      'name',
      veth,
      'mtu',
      '9000',
      'type',
      'veth',
      'peer',
      'name',
      'u1',
      'mtu',
      '9000',
      'netns',
      this.ns('U'),
    ]);
    this.links.push(veth);
    await this.must('ip', ['addr', 'add', `${rootAddr}/30`, 'dev', veth]);
    await this.must('ip', ['link', 'set', 'dev', veth, 'up']);
    await this.ip('U', 'addr', 'add', `${uAddr}/30`, 'dev', 'u1');
    await this.ip('U', 'link', 'set', 'dev', 'u1', 'up');
  }

  get underlayLink(): string {
    return `${this.prefix}u0`;
  }

  /**
   * A kernel vxlan device made in U (local = U's address, listening on
   * `kport`), whose all-zeros FDB entry sends to the userland at
   * rootAddr:`uport`, then moved into namespace `into` as `ifname` with `mac`.
   * It is left down (its MAC and MTU can still change); see linkUp().
   */
  async vxlan(
    into: string,
    ifname: string,
    o: { vni: number; kport: number; uport: number; mac: string; mtu?: number },
  ): Promise<void> {
    const tmp = `vt${o.vni}`.slice(0, 15);
    await this.ip(
      'U',
      'link',
      'add',
      tmp,
      'type',
      'vxlan',
      'id',
      String(o.vni),
      'local',
      this.uAddr,
      'dstport',
      String(o.kport),
      'srcport',
      String(o.kport),
      String(o.kport + 1),
      'nolearning',
    );
    await this.must('bridge', [
      '-n',
      this.ns('U'),
      'fdb',
      'append',
      '00:00:00:00:00:00',
      'dev',
      tmp,
      'dst',
      this.rootAddr,
      'port',
      String(o.uport),
      'self',
      'permanent',
    ]);
    await this.ip('U', 'link', 'set', 'dev', tmp, 'netns', this.ns(into));
    await this.ip(into, 'link', 'set', 'dev', tmp, 'name', ifname);
    await this.ip(into, 'link', 'set', 'dev', ifname, 'address', o.mac, 'mtu', String(o.mtu ?? 1500));
    // With TX checksum offload a vxlan device hands inner UDP/TCP to the underlay with the
    // checksum still partial (never completed over veth): the userland end would see bad
    // checksums on everything Linux sends. Off, the kernel computes them in software.
    await this.execMust(into, 'ethtool', ['-K', ifname, 'tx', 'off']);
  }

  async linkUp(short: string, ifname: string): Promise<void> {
    await this.ip(short, 'link', 'set', 'dev', ifname, 'up');
  }

  /** `ip -6 addr show dev` text. */
  addrs(short: string, ifname: string): Promise<string> {
    return this.ip(short, '-6', 'addr', 'show', 'dev', ifname);
  }

  /** tcpdump -U inside `short` ("" = root namespace) on `ifname`; resolves once it listens. */
  async capture(
    name: string,
    short: string,
    ifname: string,
    decodeAs: string[] = [],
    filter: string[] = [],
  ): Promise<string> {
    const file = join(this.workDir, `${name}.pcap`);
    const args = ['-n', '-U', '--immediate-mode', '-s', '0', '-i', ifname, '-w', file, ...filter];
    const proc =
      short === ''
        ? spawn('tcpdump', args)
        : spawn('ip', ['netns', 'exec', this.ns(short), 'tcpdump', ...args]);
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    this.captures.push({ name, file, proc, exited, decodeAs });
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`tcpdump ${name} not listening after 5 s: ${err}`)), 5000);
      proc.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('listening on')) {
          clearTimeout(t);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`tcpdump ${name} exited (${code}): ${err}`));
      });
    });
    return file;
  }

  /** SIGINT every running capture and wait (bounded) until each has flushed and exited. */
  async stopCaptures(): Promise<void> {
    for (const c of this.captures)
      if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGINT');
    await Promise.all(
      this.captures.map((c) =>
        Promise.race([c.exited, new Promise<void>((r) => setTimeout(r, 3000).unref())]).then(() => {
          if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
        }),
      ),
    );
  }

  /** Every capture made so far (file and decode-as arguments). */
  get captureFiles(): { name: string; file: string; decodeAs: string[] }[] {
    return this.captures.map(({ name, file, decodeAs }) => ({ name, file, decodeAs }));
  }

  /** Removes everything this host made: captures, processes in our namespaces, namespaces, links. */
  async cleanup(): Promise<void> {
    await this.stopCaptures();
    for (const n of this.namespaces) {
      const pids = await run('ip', ['netns', 'pids', n]);
      for (const p of pids.stdout.split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(p), 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    for (const n of this.namespaces.splice(0)) await run('ip', ['netns', 'del', n]);
    for (const l of this.links.splice(0)) await run('ip', ['link', 'del', 'dev', l]);
    process.off('exit', this.exitHook);
    // Captures and logs stay only when asked for (KAME_INTEROP_KEEP=1), e.g. as CI artifacts.
    if (process.env['KAME_INTEROP_KEEP'] === '1') console.log(`interop files kept in ${this.workDir}`);
    else rmSync(this.workDir, { recursive: true, force: true });
  }

  /** Last-resort synchronous cleanup (process exit without afterAll). */
  private cleanupSync(): void {
    for (const c of this.captures) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    for (const n of this.namespaces) {
      try {
        execFileSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
      } catch {
        /* already gone */
      }
    }
    for (const l of this.links) {
      try {
        execFileSync('ip', ['link', 'del', 'dev', l], { stdio: 'ignore' });
      } catch {
        /* already gone */
      }
    }
  }

  /** Namespaces with our prefix still present (should be none after cleanup). */
  async leftovers(): Promise<string[]> {
    const r = await run('ip', ['netns', 'list']);
    return r.stdout
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((n) => n.startsWith(this.prefix));
  }
}

/** Picks a /30 in 169.254.0.0/16 that no root-namespace address uses; returns [.1, .2]. */
async function freeSlash30(): Promise<[string, string]> {
  const r = await run('ip', ['-4', '-o', 'addr', 'show']);
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

export interface WireCheck {
  file: string;
  frames: number;
  bad: string[];
}

/**
 * tshark -r: frames that are malformed, have a checksum problem or carry an
 * expert Error. (L4 checksums stay unchecked: frames the local kernel sends
 * carry offloaded partial checksums.)
 */
export async function wirecheck(file: string, decodeAs: string[] = []): Promise<WireCheck> {
  const base = ['-n', '-r', file, ...decodeAs.flatMap((d) => ['-d', d])];
  const all = await run('tshark', [...base, '-T', 'fields', '-e', 'frame.number'], 30_000);
  if (all.code !== 0) throw new Error(`tshark -r ${file} failed: ${all.stderr}`);
  const bad = await run(
    'tshark',
    [
      ...base,
      '-Y',
      '_ws.malformed || _ws.expert.group == "Checksum" || _ws.expert.severity == "Error"',
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      '_ws.col.Protocol',
      '-e',
      '_ws.col.Info',
    ],
    30_000,
  );
  return {
    file,
    frames: all.stdout.split('\n').filter(Boolean).length,
    bad: bad.stdout.split('\n').filter(Boolean),
  };
}

/** tshark -r with a display filter, one line per frame with the given fields. */
export async function tsharkFields(
  file: string,
  filter: string,
  fields: string[],
  decodeAs: string[] = [],
): Promise<string[]> {
  const r = await run(
    'tshark',
    [
      '-n',
      '-r',
      file,
      ...decodeAs.flatMap((d) => ['-d', d]),
      '-Y',
      filter,
      '-T',
      'fields',
      ...fields.flatMap((f) => ['-e', f]),
    ],
    30_000,
  );
  return r.stdout.split('\n').filter(Boolean);
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}
