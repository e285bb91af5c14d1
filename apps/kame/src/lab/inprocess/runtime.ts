import { mkdirSync, readFileSync, rmdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { Ipv6Prefix, type Ipv6Address } from '@kame/addr';
import { DaemonError, type InProcessDaemon, type LogRecord } from '@kame/daemon';
import { KernelClient, memoryPair, MemoryPump, type FrameChannel } from '@kame/kernel-api';
import { KernelServer, listenUnix, type UnixListener } from '@kame/kernel-server';
import {
  isGlobalUnicast,
  type DaemonSpec,
  type Lab,
  type LabCheck,
  type LabInterface,
  type LabNode,
} from '@kame/lab';
import { Hub, PcapngTap, type Impairment, type SegmentPort } from '@kame/link';
import {
  IN6_IFF_DUPLICATED,
  IN6_IFF_TENTATIVE,
  in6IfaddrFlagNames,
  KernelNode,
  RTF_STATIC,
  type Gateway,
} from '@kame/stack';
import { RealClock, SeededRandom, TimerScope, VirtualClock, type Clock } from '@kame/time';
import type {
  CheckResult,
  DaemonState,
  DaemonStatus,
  LabMode,
  LabStatus,
  LabUpOptions,
  NodeStatus,
  RunningLab,
} from '../types';
import { echo } from './echo';
import { inProcessProgram } from './programs';

/** Virtual time 0 as a date, for daemon log/dump stamps and capture timestamps (deterministic). */
export const VIRTUAL_EPOCH_MS = Date.UTC(2026, 0, 1);
/** Bound on the event log (the oldest lines go first, a tenth at a time; `droppedEvents` counts them). */
export const MAX_EVENTS = 100_000;
/** How long down() lets a daemon's SIGTERM work run (rtadvd's final RAs take about 9 s). */
const STOP_GRACE_MS = 30_000;
/** A check sends one Echo Request per second until its deadline. */
const CHECK_INTERVAL_MS = 1_000;
/** The longest boot (DAD) wait before the daemons start. */
const BOOT_MS = 10_000;

/** A lab up in one of the in-process modes; the virtual-mode runners work in in-process mode too (in real time). */
export interface InProcessLab extends RunningLab {
  /** Milliseconds since up on the lab clock (virtual: simulated). */
  now(): number;
  /** Virtual: advances simulated time by `ms` as fast as the CPU allows. In-process: waits `ms`. */
  runFor(ms: number): Promise<void>;
  /** Runs time until pred() holds or `deadlineMs` after up; resolves with pred(). */
  runUntil(pred: () => boolean, deadlineMs: number): Promise<boolean>;
  /** Runs the checks, each until it passes or min(its `within`, deadlineMs) after up. */
  runUntilChecks(deadlineMs: number): Promise<CheckResult[]>;
  /** The kernel of a kame node (tests, benchmarks). */
  kernel(node: string): KernelNode;
  /** A daemon's in-process handle (signals). */
  daemon(node: string, name: string): InProcessDaemon | undefined;
  /** Lab-owned timers still armed (0 after down()). */
  readonly pendingTimers: number;
  /** Event lines dropped by the MAX_EVENTS bound. */
  readonly droppedEvents: number;
}

interface PortRt {
  readonly iface: LabInterface;
  readonly port: SegmentPort;
  readonly ifindex: number;
  readonly offs: (() => void)[];
}

interface DaemonRt {
  readonly node: string;
  readonly spec: DaemonSpec;
  state: DaemonState;
  exitCode?: number;
  handle?: InProcessDaemon;
  client?: KernelClient;
  /** Called with every log line (readiness). */
  onLine?: (line: string) => void;
}

interface NodeRt {
  readonly spec: LabNode;
  readonly kernel: KernelNode;
  readonly server: KernelServer;
  readonly ports: Map<string, PortRt>;
  readonly daemons: DaemonRt[];
  listener?: UnixListener;
}

function fmtSeconds(ms: number): string {
  return (ms / 1000).toFixed(3).padStart(9);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The lab's impairment as the link layer's egress impairment (undefined: a clean wire). */
function egressOf(lab: Lab['links'][number]['impair']): Impairment | undefined {
  const i: Impairment = {
    ...(lab.delaySeconds > 0 ? { delayMs: lab.delaySeconds * 1000 } : {}),
    ...(lab.jitterSeconds > 0 ? { jitterMs: lab.jitterSeconds * 1000 } : {}),
    ...(lab.lossFraction > 0 ? { loss: lab.lossFraction } : {}),
    ...(lab.rateBitsPerSecond !== undefined ? { rateBitsPerSecond: lab.rateBitsPerSecond } : {}),
    ...(lab.mtu !== undefined ? { mtu: lab.mtu } : {}),
  };
  return Object.keys(i).length > 0 ? i : undefined;
}

/** Refuses what these modes cannot run, before anything is built. */
function checkRunnable(lab: Lab, mode: LabMode): void {
  if (mode !== 'in-process' && mode !== 'virtual') {
    throw new Error(`lab ${lab.name}: the in-process runtime runs modes in-process and virtual, not ${mode}`);
  }
  const problems: string[] = [];
  for (const n of lab.nodes) {
    if (n.kind === 'linux') {
      problems.push(`node ${n.name} is a linux node: linux nodes need live mode (kame lab up --mode live)`);
      continue;
    }
    for (const d of n.daemons) {
      if (!inProcessProgram(d.argv[0]))
        problems.push(
          `node ${n.name}: daemon ${d.name}: ${d.argv[0] ?? '(empty argv)'} has no in-process implementation ` +
            `(in-process and virtual modes run rtadvd, rtsold, rtsol and route6d; others need live mode)`,
        );
    }
  }
  if (problems.length > 0)
    throw new Error(`lab ${lab.name}: cannot run in ${mode} mode:\n  ${problems.join('\n  ')}`);
}

class InProcessLabImpl implements InProcessLab {
  readonly events: string[] = [];
  droppedEvents = 0;
  private readonly base: Clock;
  private readonly scope: TimerScope;
  private readonly pump: MemoryPump | undefined;
  private readonly virtual: VirtualClock | undefined;
  private readonly t0: number;
  private readonly labDir: string;
  private readonly hubs = new Map<string, Hub>();
  private readonly nodes = new Map<string, NodeRt>();
  private readonly channels: FrameChannel[] = [];
  private readonly taps = new Set<PcapngTap>();
  private madeLabDir = false;
  /** In-process mode: the lab's timers are unref'd (RealClock), so a lab that is up holds the event loop itself. */
  private keepAlive: NodeJS.Timeout | undefined;
  private downing: Promise<void> | undefined;

  constructor(
    readonly lab: Lab,
    readonly mode: LabMode,
    private readonly options: LabUpOptions,
  ) {
    if (mode === 'virtual') {
      this.virtual = new VirtualClock(0);
      this.base = this.virtual;
      this.pump = new MemoryPump();
    } else {
      this.base = new RealClock();
      this.keepAlive = setInterval(() => undefined, 1 << 30);
    }
    this.scope = new TimerScope(this.base);
    this.t0 = this.base.now();
    this.labDir = join(options.rundir, `lab-${lab.name}`);
  }

  // ---- clock and driving ---------------------------------------------------

  now(): number {
    return this.base.now() - this.t0;
  }

  get pendingTimers(): number {
    return this.virtual ? this.virtual.pendingTimers : this.scope.size;
  }

  /** Epoch ms for daemon log lines and dumps. */
  private wallTime = (): number =>
    this.virtual ? VIRTUAL_EPOCH_MS + this.virtual.now() : performance.timeOrigin + performance.now();

  /**
   * Virtual mode: delivers every queued memory-channel frame and lets every
   * promise continuation and kernel-server drain run (all go through the
   * pump), until an event-loop turn queues nothing new.
   */
  private async settle(): Promise<void> {
    await this.pump?.settle(1_000_000);
  }

  async runUntil(pred: () => boolean, deadlineMs: number): Promise<boolean> {
    const v = this.virtual;
    if (!v) {
      while (!pred() && this.now() < deadlineMs) {
        await new Promise<void>((r) => setTimeout(r, Math.min(50, Math.max(1, deadlineMs - this.now()))));
      }
      return pred();
    }
    const end = this.t0 + deadlineMs;
    await this.settle();
    while (!pred()) {
      const next = v.nextDeadline();
      if (next === undefined || next > end) {
        if (v.now() < end) v.runUntil(end);
        await this.settle();
        return pred();
      }
      // One deadline at a time: continuations see the time their timer fired at.
      v.runUntil(next);
      await this.settle();
    }
    return true;
  }

  async runFor(ms: number): Promise<void> {
    const end = this.now() + ms;
    await this.runUntil(() => false, end);
  }

  /** Waits for `p` while the lab clock runs (virtual: drives it) until `deadlineMs` after up. */
  private async drive<T>(p: Promise<T>, deadlineMs: number, what: string): Promise<T> {
    if (!this.virtual) return p;
    let settled = false;
    const tracked = p.finally(() => {
      settled = true;
    });
    tracked.catch(() => undefined);
    await this.runUntil(() => settled, deadlineMs);
    if (!settled)
      throw new Error(`${what}: not done ${fmtSeconds(deadlineMs).trim()} s after up (virtual time)`);
    return tracked;
  }

  /** Resolves after `ms` on the lab clock. */
  private sleep(ms: number): Promise<void> {
    return new Promise((r) => this.scope.setTimer(ms, r));
  }

  // ---- events --------------------------------------------------------------

  private event(text: string): void {
    this.events.push(`${fmtSeconds(this.now())} ${text}`);
    if (this.events.length > MAX_EVENTS) {
      // Drop the oldest tenth at once, so a full log costs O(1) per line amortized.
      const drop = this.events.length - Math.floor(MAX_EVENTS * 0.9);
      this.events.splice(0, drop);
      this.droppedEvents += drop;
    }
  }

  private progress(line: string): void {
    this.event(line);
    try {
      this.options.progress(line);
    } catch {
      // A progress sink that throws must not stop the lab.
    }
  }

  // ---- building ------------------------------------------------------------

  build(): void {
    const { lab, options } = this;
    for (const l of lab.links) {
      const members = l.endpoints.map((e) =>
        lab.nodes.find((n) => n.name === e.node)?.interfaces.find((i) => i.name === e.ifname),
      );
      const mtu = Math.max(1500, ...members.map((i) => i?.mtu ?? 1500));
      const hub = new Hub(l.id, {
        clock: this.scope,
        random: new SeededRandom((options.seed + 7919 * (l.index + 1)) >>> 0),
        mtu,
      });
      this.hubs.set(l.id, hub);
    }
    for (const n of lab.nodes) this.buildNode(n);
    for (const l of lab.links) {
      const egress = egressOf(l.impair);
      if (egress)
        for (const e of l.endpoints) this.nodes.get(e.node)?.ports.get(e.ifname)?.port.impair({ egress });
      this.progress(`link ${l.id}: up${egress ? ` (impaired: ${JSON.stringify(egress)})` : ''}`);
    }
  }

  private buildNode(spec: LabNode): void {
    const sysctl: Record<string, number | string> = {};
    for (const s of spec.sysctls) sysctl[s.name] = s.value;
    let kernel: KernelNode;
    try {
      kernel = new KernelNode({
        name: spec.name,
        clock: this.scope,
        random: new SeededRandom((this.options.seed + spec.index) >>> 0),
        sysctl: { initial: sysctl },
        log: (level, message) => {
          if (level === 'err' || level === 'warning')
            this.event(`${spec.name}: kernel: ${level}: ${message}`);
        },
      });
    } catch (e) {
      throw new Error(`node ${spec.name}: ${errorText(e)}`, { cause: e });
    }
    const pump = this.pump;
    const server = new KernelServer(kernel, {
      name: spec.name,
      privileged: true,
      // Virtual mode: request batches yield through the pump too, so settle() sees all the work.
      ...(pump ? { defer: (fn: () => void) => pump.enqueue(fn) } : {}),
      log: (level, message) => {
        if (level === 'err' || level === 'warning')
          this.event(`${spec.name}: kernel-server: ${level}: ${message}`);
      },
    });
    const rt: NodeRt = { spec, kernel, server, ports: new Map(), daemons: [] };
    this.nodes.set(spec.name, rt);
    for (const i of spec.interfaces) {
      let hub = i.link !== undefined ? this.hubs.get(i.link) : undefined;
      if (!hub) {
        // On no link: a hub of its own, so the interface has carrier and comes up.
        const id = `${spec.name}:${i.name}`;
        hub = new Hub(id, { clock: this.scope, mtu: Math.max(1500, i.mtu) });
        this.hubs.set(id, hub);
      }
      const port = hub.attach(`${spec.name}:${i.name}`);
      const ifp = kernel.attachEthernet(i.name, i.mac, { output: (frame) => port.send(frame) }, i.mtu);
      const follow = (): void => {
        if (port.carrier) kernel.ifUp(i.name);
        else kernel.ifDown(i.name);
      };
      const offs = [port.onReceive((frame) => kernel.input(ifp.index, frame)), port.onCarrier(follow)];
      rt.ports.set(i.name, { iface: i, port, ifindex: ifp.index, offs });
      follow();
      for (const a of i.addresses) {
        try {
          kernel.addAddress(i.name, a.address, a.prefixLength);
        } catch (e) {
          throw new Error(
            `node ${spec.name}: ${i.name}: address ${a.address.toString()}/${a.prefixLength}: ${errorText(e)}`,
            { cause: e },
          );
        }
      }
    }
    for (const r of spec.routes) {
      const dst = Ipv6Prefix.of(r.to.address, r.to.prefixLength);
      const what = `node ${spec.name}: route ${r.to.prefixLength === 0 ? 'default' : dst.toString()}`;
      let gateway: Gateway;
      let ifindex: number | undefined = r.dev !== undefined ? kernel.ifnet(r.dev)?.index : undefined;
      if (r.via !== undefined) {
        ifindex ??= kernel.routes.lookup(r.via)?.ifindex;
        if (ifindex === undefined) throw new Error(`${what}: gateway ${r.via.toString()} is not on-link`);
        gateway = { kind: 'inet6', address: r.via };
      } else {
        if (ifindex === undefined) throw new Error(`${what}: no interface ${r.dev ?? '(none)'}`);
        gateway = { kind: 'link', ifindex };
      }
      try {
        kernel.routes.add({ dst, gateway, ifindex, flags: RTF_STATIC, owner: 'static' });
      } catch (e) {
        throw new Error(`${what}: ${errorText(e)}`, { cause: e });
      }
    }
    this.progress(
      `node ${spec.name}: up (${spec.interfaces.length} interface${spec.interfaces.length === 1 ? '' : 's'})`,
    );
  }

  /** True when no address of any node is tentative any more (RFC 4862 5.4 DAD finished). */
  private dadDone(): boolean {
    for (const n of this.nodes.values())
      for (const ifp of n.kernel.interfaces())
        for (const a of ifp.addresses) if (a.flags & IN6_IFF_TENTATIVE) return false;
    return true;
  }

  /**
   * Boot: lets DAD finish before the daemons start, as rc(8) runs them after
   * the interfaces are configured (route6d and rtadvd want a usable link-local
   * address on every interface). Bounded: daemons start anyway after BOOT_MS.
   */
  async boot(): Promise<void> {
    const done = await this.runUntil(() => this.dadDone(), this.now() + BOOT_MS);
    this.progress(
      done ? 'kernels: addresses configured (DAD done)' : 'kernels: DAD still running; starting daemons',
    );
  }

  async serveSockets(): Promise<void> {
    this.ensureLabDir();
    for (const n of this.nodes.values()) {
      n.listener = await listenUnix(n.server, join(this.labDir, `${n.spec.name}.sock`));
      this.progress(`node ${n.spec.name}: kernel API on ${n.listener.path}`);
    }
  }

  private ensureLabDir(): void {
    if (mkdirSync(this.labDir, { recursive: true, mode: 0o700 }) !== undefined) this.madeLabDir = true;
  }

  // ---- daemons -------------------------------------------------------------

  /** A fresh client-side channel to a node's kernel server (over the pump in virtual mode). */
  private channelTo(n: NodeRt): FrameChannel {
    const [client, server] = memoryPair(this.pump ? { pump: this.pump } : {});
    n.server.accept(server);
    this.channels.push(client);
    return client;
  }

  private setState(d: DaemonRt, state: DaemonState, extra = ''): void {
    d.state = state;
    this.progress(`daemon ${d.node}/${d.spec.name}: ${state}${extra}`);
  }

  async startDaemons(): Promise<void> {
    const longest = Math.max(
      0,
      ...this.lab.nodes.flatMap((n) => n.daemons.map((d) => d.ready?.withinMs ?? 0)),
    );
    const all = Promise.all([...this.nodes.values()].map((n) => this.startNodeDaemons(n)));
    // Virtual: every start is done long before this (a ready wait is bounded by its own `within`).
    await this.drive(all, this.now() + 60_000 + longest * 2, 'starting daemons');
  }

  private async startNodeDaemons(n: NodeRt): Promise<void> {
    for (const spec of n.spec.daemons) {
      const d: DaemonRt = { node: n.spec.name, spec, state: 'starting' };
      n.daemons.push(d);
      await this.startDaemon(n, d);
    }
  }

  private async startDaemon(n: NodeRt, d: DaemonRt): Promise<void> {
    const { spec } = d;
    const main = inProcessProgram(spec.argv[0])!;
    const prog = basename(spec.argv[0]!);
    this.setState(d, 'starting', ` (${spec.argv.join(' ')})`);
    const nodeName = n.spec.name;
    let ready: Promise<void> | undefined;
    if (spec.ready) {
      const re = new RegExp(spec.ready.log);
      const within = spec.ready.withinMs;
      ready = new Promise<void>((resolve, reject) => {
        const timer = this.scope.setTimer(within, () => {
          d.onLine = undefined;
          reject(new Error(`no log line matched /${spec.ready!.log}/ within ${within / 1000} s`));
        });
        d.onLine = (line) => {
          if (!re.test(line)) return;
          d.onLine = undefined;
          timer.cancel();
          resolve();
        };
      });
      ready.catch(() => undefined);
    }
    try {
      const client = await KernelClient.connect({
        channelFactory: () => Promise.resolve(this.channelTo(n)),
        name: prog,
        clock: this.scope,
        reconnect: false,
      });
      d.client = client;
      const random = new SeededRandom(
        (this.options.seed * 31 + n.spec.index * 1009 + n.daemons.indexOf(d) * 101 + 17) >>> 0,
      );
      d.handle = await main(spec.argv.slice(1), {
        client,
        node: nodeName,
        clock: this.scope,
        random,
        log: (record: LogRecord, line: string) => {
          this.event(`${nodeName}/${spec.name}: ${record.severity}: ${record.message}`);
          d.onLine?.(line);
        },
        readFile: (path) => this.readDaemonFile(spec, path),
        writeFile: (path, text, opts) => this.writeDaemonFile(nodeName, path, text, opts),
        wallTime: this.wallTime,
      });
    } catch (e) {
      d.client?.close();
      d.onLine = undefined;
      d.exitCode = e instanceof DaemonError ? e.exitCode : 1;
      this.setState(d, 'failed', `: ${errorText(e).split('\n')[0]} (exit ${d.exitCode})`);
      throw new Error(`daemon ${nodeName}/${spec.name}: ${errorText(e)} (exit status ${d.exitCode})`, {
        cause: e,
      });
    }
    const handle = d.handle;
    void handle.exited.then(
      (code) => this.exited(d, code),
      (e: unknown) => this.exited(d, 1, errorText(e)),
    );
    this.setState(d, 'running');
    if (ready) {
      try {
        await ready;
      } catch (e) {
        this.setState(d, 'failed', `: not ready: ${errorText(e)}`);
        throw new Error(`daemon ${nodeName}/${spec.name}: not ready: ${errorText(e)}`, { cause: e });
      }
    }
    if (d.state === 'running') this.setState(d, 'ready');
  }

  private exited(d: DaemonRt, code: number, why = ''): void {
    d.exitCode = code;
    d.client?.close();
    this.setState(d, code === 0 ? 'exited' : 'failed', ` (exit ${code}${why ? `: ${why}` : ''})`);
  }

  private readDaemonFile(spec: DaemonSpec, path: string): string {
    const f = spec.files.find((x) => x.name === path || (!isAbsolute(path) && x.name === basename(path)));
    if (f) {
      if (f.content !== undefined) return f.content;
      if (f.path !== undefined) return readFileSync(f.path, 'latin1');
    }
    // Not a lab file: the disk, relative to the lab file (as the live runtime's working directory).
    return readFileSync(isAbsolute(path) ? path : resolvePath(dirname(this.lab.file), path), 'latin1');
  }

  /** Relative names land in <rundir>/lab-<name>/<node>.<name>; absolute paths are written as given. */
  private writeDaemonFile(node: string, path: string, text: string, opts?: { append?: boolean }): void {
    let target = path;
    if (!isAbsolute(path)) {
      this.ensureLabDir();
      const b = basename(path);
      target = join(this.labDir, b.startsWith(`${node}.`) ? b : `${node}.${b}`);
    }
    if (opts?.append) appendFileSync(target, text, { mode: 0o644 });
    else writeFileSync(target, text, { mode: 0o644 });
  }

  // ---- the RunningLab API --------------------------------------------------

  kernel(node: string): KernelNode {
    const n = this.nodes.get(node);
    if (!n) throw new Error(`lab ${this.lab.name}: no node ${node}`);
    return n.kernel;
  }

  daemon(node: string, name: string): InProcessDaemon | undefined {
    return this.nodes.get(node)?.daemons.find((d) => d.spec.name === name)?.handle;
  }

  status(): Promise<LabStatus> {
    const nodes: NodeStatus[] = this.lab.nodes.map((spec): NodeStatus => {
      const n = this.nodes.get(spec.name);
      if (!n)
        return { name: spec.name, kind: spec.kind, role: spec.role, interfaces: [], routes: 0, daemons: [] };
      return {
        name: spec.name,
        kind: spec.kind,
        role: spec.role,
        interfaces: n.kernel.interfaces().map((ifp) => ({
          name: ifp.name,
          up: ifp.up,
          mtu: ifp.mtu,
          ...(ifp.lladdr ? { mac: ifp.lladdr.toString() } : {}),
          addresses: ifp.addresses.map((a) => {
            const zone = a.address.isLinkLocal() ? `%${ifp.name}` : '';
            const flags = in6IfaddrFlagNames(a.flags);
            return `${a.address.toString()}${zone}/${a.prefixLength}${flags.length ? ` ${flags.join(' ')}` : ''}`;
          }),
        })),
        routes: n.kernel.routes.list('inet6').length,
        daemons: n.daemons.map((d): DaemonStatus => ({
          name: d.spec.name,
          argv: d.spec.argv,
          state: d.state,
          ...(d.exitCode !== undefined ? { exitCode: d.exitCode } : {}),
          ...(d.handle && (d.state === 'running' || d.state === 'ready')
            ? { detail: d.handle.status() }
            : {}),
        })),
        endpoint: n.listener?.path ?? `in-process:${spec.name}`,
      };
    });
    return Promise.resolve({ name: this.lab.name, mode: this.mode, uptimeMs: this.now(), nodes });
  }

  /** The first global unicast address of node[:ifname] now (not tentative or duplicated). */
  private firstGlobal(node: string, ifname: string | undefined): Ipv6Address | undefined {
    const n = this.nodes.get(node);
    if (!n) return undefined;
    for (const ifp of n.kernel.interfaces()) {
      if (ifname !== undefined && ifp.name !== ifname) continue;
      if (ifp.isLoopback) continue;
      for (const a of ifp.addresses)
        if (isGlobalUnicast(a.address) && !(a.flags & (IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED)))
          return a.address;
    }
    return undefined;
  }

  private async runCheck(c: LabCheck, deadlineMs: number): Promise<CheckResult> {
    const from = this.nodes.get(c.from);
    if (!from) return { name: c.name, ok: false, detail: `no node ${c.from}` };
    let last: string;
    let target: Ipv6Address | undefined;
    for (;;) {
      const started = this.now();
      target =
        c.target.kind === 'static' ? c.target.address : this.firstGlobal(c.target.node, c.target.ifname);
      if (target === undefined) {
        last = `no ${c.target.kind === 'deferred' ? c.target.description : 'address'} yet`;
      } else {
        const o = await echo(from.kernel, target, this.scope, CHECK_INTERVAL_MS);
        if (o.ok) {
          const at = this.now();
          const result: CheckResult = {
            name: c.name,
            ok: true,
            detail: `${c.from} reached ${c.targetText} (${target.toString()}) at ${(at / 1000).toFixed(3)} s, rtt ${o.rttMs.toFixed(1)} ms`,
            atMs: at,
          };
          this.event(`check ${c.name}: ok: ${result.detail}`);
          return result;
        }
        last = o.reason;
      }
      const next = started + CHECK_INTERVAL_MS;
      if (next >= deadlineMs) break;
      if (next > this.now()) await this.sleep(next - this.now());
    }
    const detail = `${c.from} did not reach ${c.targetText}${target ? ` (${target.toString()})` : ''} within ${deadlineMs / 1000} s: ${last}`;
    this.event(`check ${c.name}: FAILED: ${detail}`);
    return { name: c.name, ok: false, detail };
  }

  async runUntilChecks(deadlineMs: number): Promise<CheckResult[]> {
    const all = Promise.all(this.lab.checks.map((c) => this.runCheck(c, Math.min(c.withinMs, deadlineMs))));
    const longest = Math.max(0, ...this.lab.checks.map((c) => Math.min(c.withinMs, deadlineMs)));
    return this.drive(all, Math.max(longest, this.now()) + 2 * CHECK_INTERVAL_MS + 1, 'checks');
  }

  runChecks(): Promise<CheckResult[]> {
    return this.runUntilChecks(Number.POSITIVE_INFINITY);
  }

  connect(node: string): Promise<FrameChannel> {
    const n = this.nodes.get(node);
    if (!n) return Promise.reject(new Error(`lab ${this.lab.name}: no kame node ${node}`));
    return Promise.resolve(this.channelTo(n));
  }

  capture(node: string, ifname: string, sink: (bytes: Uint8Array) => void): Promise<() => void> {
    const p = this.nodes.get(node)?.ports.get(ifname);
    if (!p) return Promise.reject(new Error(`lab ${this.lab.name}: no interface ${node}:${ifname}`));
    const tap = new PcapngTap(p.port, this.scope, sink, {
      epochOffsetMs: this.virtual ? VIRTUAL_EPOCH_MS : performance.timeOrigin,
    });
    this.taps.add(tap);
    return Promise.resolve(() => {
      tap.close();
      this.taps.delete(tap);
    });
  }

  down(): Promise<void> {
    this.downing ??= this.doDown();
    return this.downing;
  }

  private async doDown(): Promise<void> {
    for (const t of this.taps) t.close();
    this.taps.clear();
    // SIGTERM semantics, every node at once, each node's daemons in reverse start order.
    const stops = [...this.nodes.values()].map(async (n) => {
      for (const d of [...n.daemons].reverse()) {
        if (!d.handle || d.state === 'exited' || d.state === 'failed') continue;
        const h = d.handle;
        const grace = new Promise<'timeout'>((r) => this.scope.setTimer(STOP_GRACE_MS, () => r('timeout')));
        const r = await Promise.race([h.stop(), grace]);
        if (r === 'timeout') this.setState(d, 'failed', ` (did not stop within ${STOP_GRACE_MS / 1000} s)`);
      }
    });
    try {
      await this.drive(Promise.all(stops), this.now() + STOP_GRACE_MS * 2 + 1, 'stopping daemons');
    } catch (e) {
      this.event(`down: ${errorText(e)}`);
    }
    await this.teardown();
    this.progress('lab down');
  }

  /** Closes clients, servers, sockets, interfaces and links, and cancels every lab timer. Idempotent. */
  async teardown(): Promise<void> {
    for (const n of this.nodes.values()) for (const d of n.daemons) d.client?.close();
    for (const c of this.channels.splice(0)) if (!c.closed) c.close();
    await this.settle();
    for (const n of this.nodes.values()) {
      await n.listener?.close().catch(() => undefined);
      n.listener = undefined;
      n.server.close();
      for (const p of n.ports.values()) {
        for (const off of p.offs.splice(0)) off();
        n.kernel.ifDown(p.iface.name);
        p.port.close();
      }
    }
    for (const h of this.hubs.values()) h.close();
    await this.settle();
    this.scope.close();
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    if (this.madeLabDir) {
      try {
        rmdirSync(this.labDir); // only when empty: dumps and route logs stay
      } catch {
        // not empty
      }
    }
  }
}

/**
 * Brings a resolved lab up in this process: a KernelNode per kame node
 * (sysctls, interfaces with the model's MACs, MTUs and addresses, static
 * routes), a hub per link (a point-to-point link is a 2-port hub) with the
 * link's impairments on every port's egress, a KernelServer per node, and
 * each node's daemons in start order through their inProcessMain over memory
 * channels. 'virtual' runs everything on one VirtualClock and one MemoryPump:
 * the same lab and seed give the same run (and event log).
 */
export async function startInProcessLabImpl(lab: Lab, options: LabUpOptions): Promise<InProcessLab> {
  checkRunnable(lab, options.mode);
  const rt = new InProcessLabImpl(lab, options.mode, options);
  try {
    rt.build();
    if (options.serveSockets && options.mode === 'in-process') await rt.serveSockets();
    await rt.boot();
    await rt.startDaemons();
  } catch (e) {
    await rt.down().catch(() => undefined);
    throw e;
  }
  return rt;
}
