import type { FrameChannel } from '@kame/kernel-api';
import type { Lab } from '@kame/lab';

/*
 * The contract between `kame lab` (commands, supervisor, control socket) and
 * the runtimes that bring a resolved Lab up: in-process / virtual (kernels and
 * daemon engines in this process over memory channels) and live (one
 * kame-kernel process for the kame nodes, one process per daemon over Unix
 * sockets, Linux namespaces for linux nodes).
 */

export type LabMode = 'live' | 'in-process' | 'virtual';

export interface LabUpOptions {
  readonly mode: LabMode;
  /** Seed of every node's and link's Random (virtual mode: the whole run is a function of it). */
  readonly seed: number;
  /** Where node sockets, pid files, logs and captures go: <rundir>/lab-<name>/. */
  readonly rundir: string;
  /** One line per step ("node r1: up", "link r1:em0-r2:em0: up", "daemon r1/route6d: ready"). */
  readonly progress: (line: string) => void;
  /** Serve each kame node's kernel API on <rundir>/lab-<name>/<node>.sock (in-process mode; live always does). */
  readonly serveSockets?: boolean;
}

export type DaemonState = 'starting' | 'running' | 'ready' | 'exited' | 'failed';

export interface DaemonStatus {
  readonly name: string;
  readonly argv: readonly string[];
  readonly state: DaemonState;
  readonly pid?: number;
  readonly exitCode?: number;
  /** The daemon's own short status (rtsold: "IDLE", route6d: "12 routes"). */
  readonly detail?: string;
}

export interface InterfaceStatus {
  readonly name: string;
  readonly up: boolean;
  readonly mtu: number;
  readonly mac?: string;
  /** Addresses with prefix length, link-local with %zone, flags like "tentative" after a space. */
  readonly addresses: readonly string[];
}

export interface NodeStatus {
  readonly name: string;
  readonly kind: 'kame' | 'linux';
  readonly role: 'host' | 'router';
  readonly interfaces: readonly InterfaceStatus[];
  /** IPv6 routes in the node's FIB. */
  readonly routes: number;
  readonly daemons: readonly DaemonStatus[];
  /** The node's kernel API socket (kame nodes), or its namespace name (linux nodes). */
  readonly endpoint?: string;
}

export interface LabStatus {
  readonly name: string;
  readonly mode: LabMode;
  /** Milliseconds since the lab came up (virtual mode: simulated). */
  readonly uptimeMs: number;
  readonly nodes: readonly NodeStatus[];
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** When it passed (ms after up) or why it failed. */
  readonly detail: string;
  readonly atMs?: number;
}

/** A lab that is up. */
export interface RunningLab {
  readonly lab: Lab;
  readonly mode: LabMode;
  status(): Promise<LabStatus>;
  /** Runs the lab's checks (each within its own deadline) and resolves with every result. */
  runChecks(): Promise<CheckResult[]>;
  /** A new kernel API channel to a kame node (in-process: a memory pair; live: its Unix socket). */
  connect(node: string): Promise<FrameChannel>;
  /** Live pcapng of one interface from now on: SHB + IDB first, then one EPB per frame. Returns stop(). */
  capture(node: string, ifname: string, sink: (bytes: Uint8Array) => void): Promise<() => void>;
  /** A line per notable event (daemon log lines, link and daemon state changes), time-stamped on the lab clock. */
  readonly events: readonly string[];
  /** Stops daemons (SIGTERM semantics), kernels, links and namespaces; removes sockets and files it made. */
  down(): Promise<void>;
}

/** How a runtime is started. */
export type StartLab = (lab: Lab, options: LabUpOptions) => Promise<RunningLab>;
