import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { Ipv6Address } from '@kame/addr';
import { connectUnix, KernelClient, type FrameChannel } from '@kame/kernel-api';
import { isGlobalUnicast, type Lab, type LabCheck, type LabNode } from '@kame/lab';
import type { DaemonSpec } from '@kame/lab';
import { ping6 } from '../../commands/ping6';
import { realCliClock, realClientClock } from '../../real-clock';
import {
  linuxSkipReason,
  LinuxNet,
  newLinuxPrefix,
  onPath,
  parseIpAddr,
  parseIpLink,
  removeLinuxObjectsSync,
  runCmd,
} from '../linux/net';
import {
  alive,
  forceDown,
  labDir,
  readState,
  terminate,
  writeState,
  type LabState,
} from '../supervisor/state';
import type {
  CheckResult,
  DaemonState,
  DaemonStatus,
  InterfaceStatus,
  LabStatus,
  NodeStatus,
  RunningLab,
  StartLab,
} from '../types';
import { followPcapng } from './pcapng-follow';
import { planLive } from './plan';
import { kameProgram, kernelMain } from './programs';
import { IN6_IFF_TENTATIVE, IN6_IFF_DUPLICATED, IN6_IFF_DEPRECATED } from '@kame/kernel-api';

/**
 * The live runtime: one kame-kernel process hosting every kame node (node file
 * generated from the lab), one process per daemon over the nodes' Unix
 * sockets, and for linux nodes a network namespace each, bridged to
 * kame-kernel through kernel vxlan devices. Everything lives in
 * <rundir>/lab-<name>/: node sockets, daemon run files, per-node captures
 * (pcap/<node>.pcapng), logs, the generated node file and state.json.
 */

/** Events kept (a bound: a chatty daemon must not grow the supervisor). */
const MAX_EVENTS = 1000;
/** Default `ready.within` of a daemon. */
const DEFAULT_READY_MS = 10_000;
/** rtadvd's final RAs (RFC 4861 6.2.5) take about 9 s: let daemons finish. */
const DAEMON_STOP_GRACE_MS = 12_000;

interface LiveDaemon {
  readonly node: LabNode;
  readonly spec: DaemonSpec;
  readonly argv: string[];
  readonly logFile: string;
  proc?: ChildProcess;
  state: DaemonState;
  exitCode?: number;
  /** Bytes of the log already turned into events. */
  logPos: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function tail(text: string, lines = 8): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export const startLiveLab: StartLab = async (lab, options) => {
  const labdir = labDir(options.rundir, lab.name);
  const t0 = Date.now();
  const events: string[] = [];
  const event = (line: string) => {
    events.push(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`);
    if (events.length > MAX_EVENTS) events.shift();
  };
  const progress = (line: string) => {
    event(line);
    options.progress(line);
  };
  const hasLinux = lab.nodes.some((n) => n.kind === 'linux');
  if (hasLinux) {
    const why = linuxSkipReason();
    if (why !== undefined) throw new Error(`lab ${lab.name} has linux nodes (${linuxNames(lab)}): ${why}`);
  }

  // A lab of this name: refuse one that is up; clean up one whose supervisor died.
  const old = readState(labdir);
  if (old && alive(old.supervisorPid) && old.supervisorPid !== process.pid)
    throw new Error(`lab ${lab.name} is already up (pid ${old.supervisorPid}); kame lab down ${lab.name}`);
  if (existsSync(labdir)) {
    progress(`lab ${lab.name}: removing what a previous run left in ${labdir}`);
    await forceDown(labdir);
  }
  mkdirSync(labdir, { recursive: true, mode: 0o700 });

  const state: LabState = {
    version: 1,
    name: lab.name,
    file: lab.file,
    mode: 'live',
    labdir,
    supervisorPid: process.pid,
    startedAt: new Date(t0).toISOString(),
    nodes: lab.nodes.map((n) => ({
      name: n.name,
      kind: n.kind,
      endpoint: n.kind === 'kame' ? join(labdir, `${n.name}.sock`) : `kame-${lab.name}-${n.name}`,
    })),
    processes: [],
    namespaces: [],
    links: [],
  };
  const net = hasLinux
    ? new LinuxNet(newLinuxPrefix(), lab.name, () => {
        state.namespaces = [...net!.namespaces];
        state.links = [...net!.links];
        writeState(state);
      })
    : undefined;
  writeState(state);

  let kernel: ChildProcess | undefined;
  const daemons: LiveDaemon[] = [];
  const env = { ...process.env, KAME_RUNDIR: labdir };
  const kameNodes = lab.nodes.filter((n) => n.kind === 'kame');
  const sockOf = (node: string) => join(labdir, `${node}.sock`);
  const nsOf = (node: string) => `kame-${lab.name}-${node}`;
  const nodeOf = (name: string) => lab.nodes.find((n) => n.name === name);

  const track = (name: string, p: ChildProcess) => {
    if (p.pid !== undefined) {
      state.processes.push({ name, pid: p.pid, group: true });
      writeState(state);
    }
  };

  // If this process ends without down() (a crash, a test runner exiting), take the lab with it.
  const exitHook = () => {
    for (const p of state.processes) {
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (net) removeLinuxObjectsSync(net.namespaces, net.links);
    try {
      rmSync(labdir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  };
  process.on('exit', exitHook);

  /** The daemon log poller, set once the lab is up (down() may run before, on a failed start). */
  const logPoll: { timer?: NodeJS.Timeout } = {};
  let downing: Promise<void> | undefined;
  const down = (): Promise<void> =>
    (downing ??= (async () => {
      if (logPoll.timer) clearInterval(logPoll.timer);
      const running = daemons.filter((d) => d.proc?.pid !== undefined && d.proc.exitCode === null);
      if (running.length)
        progress(`daemons: stopping ${running.map((d) => `${d.node.name}/${d.spec.name}`).join(', ')}`);
      await terminate(
        running.map((d) => ({ pid: d.proc!.pid!, group: true })),
        DAEMON_STOP_GRACE_MS,
      );
      if (kernel?.pid !== undefined) {
        progress('kame-kernel: stopping');
        await terminate([{ pid: kernel.pid, group: true }], 5000);
      }
      if (net) {
        progress(`linux: removing ${net.namespaces.length} namespaces and ${net.links.length} links`);
        await net.teardown();
      }
      await forceDown(labdir, 1000); // anything the state file still names, then the directory
      process.off('exit', exitHook);
      progress(`lab ${lab.name}: down`);
    })());

  try {
    let underlay: { root: string; underlay: string } | undefined;
    if (net) {
      await net.underlay();
      underlay = { root: net.rootAddr, underlay: net.uAddr };
      progress(`linux: underlay ${net.underlayNs} (${net.rootAddr} <-> ${net.uAddr})`);
    }
    const plan = planLive(lab, underlay);

    if (kameNodes.length) {
      const nodeFile = join(labdir, 'lab.node');
      writeFileSync(nodeFile, plan.nodeFile);
      const log = openSync(join(labdir, 'kame-kernel.log'), 'a');
      const args = [
        kernelMain(),
        ...['--node-file', nodeFile, '--rundir', labdir, '--pcap', join(labdir, 'pcap')],
        ...['--seed', String(options.seed), '--log-level', 'info'],
      ];
      kernel = spawn(process.execPath, args, {
        cwd: labdir,
        env,
        stdio: ['ignore', log, log],
        detached: true,
      });
      closeSync(log);
      track('kame-kernel', kernel);
      kernel.on('exit', (code, sig) => event(`kame-kernel: exited (${sig ?? code})`));
      progress(
        `kame-kernel: started (pid ${kernel.pid ?? '?'}) for ${kameNodes.map((n) => n.name).join(', ')}`,
      );
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (kernel.exitCode !== null || kernel.signalCode !== null)
          throw new Error(
            `kame-kernel exited (${kernel.exitCode ?? kernel.signalCode}):\n${tail(readText(join(labdir, 'kame-kernel.log')))}`,
          );
        if (kameNodes.every((n) => existsSync(sockOf(n.name)))) break;
        if (Date.now() > deadline)
          throw new Error(
            `kame-kernel: node sockets not there after 20 s:\n${tail(readText(join(labdir, 'kame-kernel.log')))}`,
          );
        await sleep(50);
      }
      for (const n of kameNodes) progress(`node ${n.name}: up (kame ${n.role}, ${sockOf(n.name)})`);
      for (const l of lab.links.filter((l) => l.endpoints.every((e) => nodeOf(e.node)?.kind === 'kame')))
        progress(`link ${l.id}: up`);
    }

    if (net) {
      for (const n of lab.nodes.filter((x) => x.kind === 'linux')) {
        const ns = nsOf(n.name);
        await net.addNamespace(ns);
        const sysctls: Record<string, number | string> = {};
        for (const s of n.sysctls) sysctls[s.name] = s.value;
        await net.sysctl(ns, sysctls);
        for (const li of plan.linuxInterfaces.filter((i) => i.node === n.name)) {
          await net.vxlan(ns, li.ifname, li);
          // Interfaces moved in take the namespace's defaults; say them per interface too.
          const perIf: Record<string, number | string> = {};
          for (const s of n.sysctls) {
            const m = /^net\.ipv6\.conf\.default\.(.+)$/.exec(s.name);
            if (m) perIf[`net.ipv6.conf.${li.ifname}.${m[1]!}`] = s.value;
          }
          await net.sysctl(ns, perIf);
        }
        for (const ifc of n.interfaces) {
          for (const a of ifc.addresses)
            await net.addAddress(ns, ifc.name, `${a.address.toString()}/${a.prefixLength}`);
          await net.linkUp(ns, ifc.name);
        }
        for (const r of n.routes) {
          const to = r.to.prefixLength === 0 ? 'default' : `${r.to.address.toString()}/${r.to.prefixLength}`;
          await net.addRoute(ns, to, r.via?.toString(), r.dev);
        }
        progress(`node ${n.name}: up (linux ${n.role}, namespace ${ns})`);
      }
      for (const l of lab.links.filter((l) => l.endpoints.some((e) => nodeOf(e.node)?.kind === 'linux')))
        progress(`link ${l.id}: up (vxlan ${100 + l.index})`);
    }

    // Daemons: each node's in start order (waiting for readiness), nodes side by side.
    await Promise.all(
      lab.nodes.map(async (n) => {
        for (const spec of n.daemons) {
          const d = await startDaemon(n, spec);
          daemons.push(d);
          await waitReady(d);
        }
      }),
    );
  } catch (e) {
    await down().catch(() => undefined);
    throw e;
  }

  async function startDaemon(node: LabNode, spec: DaemonSpec): Promise<LiveDaemon> {
    const dir = join(labdir, node.name);
    mkdirSync(dir, { recursive: true });
    for (const f of spec.files) writeFileSync(join(dir, f.name), f.content ?? '');
    const logFile = join(dir, `${spec.name}.log`);
    const [prog, ...rest] = spec.argv;
    let cmd: string;
    let args: string[];
    let argv: string[];
    const denv: NodeJS.ProcessEnv = { ...env, ...spec.env };
    if (node.kind === 'kame') {
      const bin = kameProgram(basename(prog!));
      denv['KAME_NODE'] = sockOf(node.name);
      if (bin !== undefined) {
        // KAME flags first: getopt stops at the first operand.
        argv = [prog!, '-f', '--node', sockOf(node.name), ...rest];
        cmd = process.execPath;
        args = [bin, ...argv.slice(1)];
      } else {
        argv = [...spec.argv];
        cmd = prog!;
        args = rest;
      }
    } else {
      argv = [...spec.argv];
      cmd = 'ip';
      args = ['netns', 'exec', nsOf(node.name), ...spec.argv];
    }
    const fd = openSync(logFile, 'a');
    const proc = spawn(cmd, args, { cwd: dir, env: denv, stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    const d: LiveDaemon = { node, spec, argv, logFile, proc, state: 'starting', logPos: 0 };
    proc.on('error', (e) => {
      d.state = 'failed';
      event(`daemon ${node.name}/${spec.name}: ${e.message}`);
    });
    proc.on('exit', (code, sig) => {
      d.exitCode = code ?? 128;
      d.state = code === 0 ? 'exited' : 'failed';
      event(`daemon ${node.name}/${spec.name}: exited (${sig ?? code})`);
    });
    track(`${node.name}/${spec.name}`, proc);
    progress(`daemon ${node.name}/${spec.name}: started (pid ${proc.pid ?? '?'}): ${argv.join(' ')}`);
    return d;
  }

  /** Ready: a log line matches `ready.log`; else a kame daemon's pid file exists; else it ran 0.5 s. */
  async function waitReady(d: LiveDaemon): Promise<void> {
    const name = `${d.node.name}/${d.spec.name}`;
    const within = d.spec.ready?.withinMs ?? DEFAULT_READY_MS;
    const re = d.spec.ready ? new RegExp(d.spec.ready.log) : undefined;
    const prog = basename(d.spec.argv[0] ?? '');
    const pidFile =
      d.node.kind === 'kame' && kameProgram(prog) !== undefined && prog !== 'rtsol' && prog !== 'rip6query'
        ? join(labdir, `${d.node.name}.${prog}.pid`)
        : undefined;
    const started = Date.now();
    for (;;) {
      if (d.state === 'exited' || d.state === 'failed') {
        if (d.state === 'exited' && re === undefined && pidFile === undefined) return; // a one-shot (rtsol)
        throw new Error(
          `daemon ${name} exited (${d.exitCode}) before it was ready:\n${tail(readText(d.logFile))}`,
        );
      }
      const ok = re
        ? readText(d.logFile)
            .split('\n')
            .some((l) => re.test(l))
        : pidFile
          ? existsSync(pidFile)
          : Date.now() - started >= 500;
      if (ok) {
        d.state = 'ready';
        progress(`daemon ${name}: ready`);
        return;
      }
      if (Date.now() - started > within) {
        d.state = 'failed';
        throw new Error(
          `daemon ${name} not ready within ${within / 1000} s (${re ? `no log line matching /${re.source}/` : pidFile ? `no ${pidFile}` : 'not running'}):\n${tail(readText(d.logFile))}`,
        );
      }
      await sleep(50);
    }
  }

  async function withClient<T>(node: string, fn: (c: KernelClient) => Promise<T>): Promise<T> {
    const c = await KernelClient.connect({
      channelFactory: () => connectUnix(sockOf(node)),
      name: 'kame-lab',
      clock: realClientClock,
      reconnect: false,
    });
    try {
      return await fn(c);
    } finally {
      c.close();
    }
  }

  async function nodeStatus(n: LabNode): Promise<NodeStatus> {
    const ds: DaemonStatus[] = daemons
      .filter((d) => d.node === n)
      .map((d) => ({
        name: d.spec.name,
        argv: d.argv,
        state: d.state === 'ready' && d.proc?.exitCode === null ? 'running' : d.state,
        ...(d.proc?.pid !== undefined ? { pid: d.proc.pid } : {}),
        ...(d.exitCode !== undefined ? { exitCode: d.exitCode } : {}),
      }));
    if (n.kind === 'kame') {
      try {
        return await withClient(n.name, async (c) => {
          const interfaces: InterfaceStatus[] = c
            .interfaces()
            .filter((i) => i.name !== 'lo0')
            .map((i) => ({
              name: i.name,
              up: (i.flags & 1) !== 0,
              mtu: i.mtu,
              ...(i.lladdr ? { mac: i.lladdr.toString() } : {}),
              addresses: c
                .addresses(i.index)
                .filter((a) => a.address instanceof Ipv6Address)
                .map((a) => formatAddr(a.address as Ipv6Address, a.prefixLength, i.name, a.flags)),
            }));
          const routes = (await c.routeList({ family: 6 })).length;
          return {
            name: n.name,
            kind: 'kame',
            role: n.role,
            interfaces,
            routes,
            daemons: ds,
            endpoint: sockOf(n.name),
          };
        });
      } catch {
        return {
          name: n.name,
          kind: 'kame',
          role: n.role,
          interfaces: [],
          routes: 0,
          daemons: ds,
          endpoint: sockOf(n.name),
        };
      }
    }
    const ns = nsOf(n.name);
    const [links, addrs, routes] = await Promise.all([
      runCmd('ip', ['-n', ns, '-o', 'link', 'show']),
      runCmd('ip', ['-n', ns, '-6', '-o', 'addr', 'show']),
      runCmd('ip', ['-n', ns, '-6', 'route', 'show', 'table', 'all']),
    ]);
    const byIf = parseIpAddr(addrs.stdout);
    const interfaces: InterfaceStatus[] = parseIpLink(links.stdout)
      .filter((l) => l.name !== 'lo')
      .map((l) => ({
        name: l.name,
        up: l.up,
        mtu: l.mtu,
        ...(l.mac !== undefined ? { mac: l.mac } : {}),
        addresses: (byIf.get(l.name) ?? []).map((a) =>
          a.startsWith('fe80:') ? a.replace(/\//, `%${l.name}/`) : a,
        ),
      }));
    const nroutes = routes.stdout
      .split('\n')
      .filter((l) => l.trim() !== '' && !/^(local|multicast|anycast) /.test(l)).length;
    return {
      name: n.name,
      kind: 'linux',
      role: n.role,
      interfaces,
      routes: nroutes,
      daemons: ds,
      endpoint: ns,
    };
  }

  /** The first global address of node[:ifname] (interface order), once DAD is done. */
  async function firstGlobal(node: string, ifname?: string): Promise<Ipv6Address | undefined> {
    const st = await nodeStatus(nodeOf(node)!);
    for (const i of st.interfaces) {
      if (ifname !== undefined && i.name !== ifname) continue;
      for (const a of i.addresses) {
        if (a.includes(' ')) continue; // tentative, duplicated, deprecated
        const addr = Ipv6Address.parse(a.split('/')[0]!.split('%')[0]!);
        if (isGlobalUnicast(addr)) return addr;
      }
    }
    return undefined;
  }

  async function pingOnce(from: LabNode, target: Ipv6Address): Promise<boolean> {
    if (from.kind === 'kame') {
      try {
        const r = await withClient(from.name, (c) =>
          ping6(
            c,
            target.toString(),
            { count: 1, intervalMs: 0, size: 56, waitMs: 1000 },
            realCliClock,
            () => undefined,
          ),
        );
        return r.received > 0;
      } catch {
        return false;
      }
    }
    const r = await runCmd(
      'ip',
      ['netns', 'exec', nsOf(from.name), 'ping', '-6', '-n', '-c', '1', '-W', '1', target.toString()],
      5000,
    );
    return r.code === 0;
  }

  async function runCheck(c: LabCheck): Promise<CheckResult> {
    const deadline = t0 + c.withinMs;
    const from = nodeOf(c.from)!;
    let last: string;
    for (;;) {
      const target =
        c.target.kind === 'static' ? c.target.address : await firstGlobal(c.target.node, c.target.ifname);
      if (target === undefined)
        last = `${c.target.kind === 'deferred' ? c.target.description : c.targetText}: none yet`;
      else if (await pingOnce(from, target))
        return {
          name: c.name,
          ok: true,
          detail: `${c.from} -> ${target.toString()}: echo reply`,
          atMs: Date.now() - t0,
        };
      else last = `${c.from} -> ${target.toString()}: no echo reply`;
      if (Date.now() >= deadline)
        return { name: c.name, ok: false, detail: `${last} within ${c.withinMs / 1000} s` };
      await sleep(1000);
    }
  }

  // Daemon log lines become events (bounded by MAX_EVENTS; at most 64 KiB read per log per turn).
  const logChunk = Buffer.alloc(64 * 1024);
  const pollLogs = () => {
    for (const d of daemons) {
      let fd: number | undefined;
      try {
        fd = openSync(d.logFile, 'r');
        const n = readSync(fd, logChunk, 0, logChunk.length, d.logPos);
        const text = logChunk.subarray(0, n).toString('utf8');
        const upto = text.lastIndexOf('\n') + 1;
        d.logPos += Buffer.byteLength(text.slice(0, upto));
        for (const line of text.slice(0, upto).split('\n'))
          if (line.trim() !== '') event(`${d.node.name}/${d.spec.name}: ${line}`);
        if (upto === 0 && n === logChunk.length) d.logPos += n; // one overlong line: skip it
      } catch {
        // not there yet / gone with the lab
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    }
  };
  logPoll.timer = setInterval(pollLogs, 500);
  logPoll.timer.unref();

  const running: RunningLab = {
    lab,
    mode: 'live',
    events,
    async status(): Promise<LabStatus> {
      return {
        name: lab.name,
        mode: 'live',
        uptimeMs: Date.now() - t0,
        nodes: await Promise.all(lab.nodes.map((n) => nodeStatus(n))),
      };
    },
    runChecks: () => Promise.all(lab.checks.map((c) => runCheck(c))),
    connect(node: string): Promise<FrameChannel> {
      const n = nodeOf(node);
      if (n?.kind !== 'kame') return Promise.reject(new Error(`${node}: not a kame node of lab ${lab.name}`));
      return connectUnix(sockOf(node));
    },
    async capture(node, ifname, sink) {
      const n = nodeOf(node);
      if (!n) throw new Error(`no node ${node} in lab ${lab.name}`);
      if (!n.interfaces.some((i) => i.name === ifname)) throw new Error(`${node} has no interface ${ifname}`);
      if (n.kind === 'kame') {
        const file = join(labdir, 'pcap', `${node}.pcapng`);
        if (!existsSync(file)) throw new Error(`${file}: no capture file (interface on no link?)`);
        return followPcapng(file, `${node}:${ifname}`, sink);
      }
      // A linux interface: dumpcap writes pcapng to stdout.
      if (!onPath('dumpcap')) throw new Error('capturing a linux interface needs dumpcap (wireshark-common)');
      const p = spawn('ip', ['netns', 'exec', nsOf(node), 'dumpcap', '-q', '-i', ifname, '-w', '-'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      p.stdout.on('data', (b: Buffer) => sink(new Uint8Array(b)));
      return () => {
        if (p.exitCode === null) p.kill('SIGINT');
      };
    },
    down,
  };
  return running;
};

function linuxNames(lab: Lab): string {
  return lab.nodes
    .filter((n) => n.kind === 'linux')
    .map((n) => n.name)
    .join(', ');
}

/** "2001:db8:1::1/64", "fe80::1%em0/64", with " tentative" etc. after a space. */
export function formatAddr(a: Ipv6Address, len: number, ifname: string, flags: number): string {
  const text = a.isLinkLocal() ? `${a.toString()}%${ifname}/${len}` : `${a.toString()}/${len}`;
  const f: string[] = [];
  if (flags & IN6_IFF_TENTATIVE) f.push('tentative');
  if (flags & IN6_IFF_DUPLICATED) f.push('duplicated');
  if (flags & IN6_IFF_DEPRECATED) f.push('deprecated');
  return f.length ? `${text} ${f.join(' ')}` : text;
}
