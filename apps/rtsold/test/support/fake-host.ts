import { Ipv6Address, MacAddress } from '@kame/addr';
import { SeededRandom, VirtualClock } from '@kame/time';
import type { RtsoldHost, RtsoldIcmp6Input, RtsoldIfView, Severity } from '../../src/engine';

/** A mutable interface view for tests. */
export type FakeIf = { -readonly [K in keyof RtsoldIfView]: RtsoldIfView[K] };

export interface SentRs {
  readonly time: number;
  readonly ifname: string;
  readonly bytes: Uint8Array;
}

export interface LogEntry {
  readonly time: number;
  readonly severity: Severity;
  readonly message: string;
}

/** An Ethernet interface, up, link-local ready, carrier up. */
export function ether(
  name: string,
  index: number,
  mac = `02:00:00:00:00:${index.toString(16).padStart(2, '0')}`,
): FakeIf {
  return {
    name,
    index,
    up: true,
    loopback: false,
    pointToPoint: false,
    multicast: true,
    isEthernet: true,
    lladdr: MacAddress.parse(mac),
    linkLocal: 'ready',
    hasInet6: true,
    carrier: 'up',
  };
}

/**
 * An RtsoldHost over plain objects and a VirtualClock: records RSs, script
 * runs, logs and IFF_UP requests.
 */
export class FakeHost implements RtsoldHost {
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  readonly logs: LogEntry[] = [];
  readonly logger = {
    log: (severity: Severity, message: string) =>
      this.logs.push({ time: this.clock.now(), severity, message }),
  };
  readonly ifs: FakeIf[] = [];
  readonly sent: SentRs[] = [];
  readonly setUps: string[] = [];
  readonly scripts: { time: number; script: string; ifname: string }[] = [];
  readonly probes: string[] = [];
  readonly sysctls = new Map<string, number>([
    ['net.inet6.ip6.accept_rtadv', 1],
    ['net.inet6.ip6.forwarding', 0],
  ]);
  readonly sysctlWrites: [string, number][] = [];
  /** When set, sendRs rejects with an error carrying this errno name. */
  sendErrno: string | undefined;
  /** When set, a script run stays pending until release() is called. */
  holdScripts = false;
  private readonly held: (() => void)[] = [];

  constructor(seed = 1, start = 0) {
    this.clock = new VirtualClock(start);
    this.random = new SeededRandom(seed);
  }

  add(...ifs: FakeIf[]): this {
    this.ifs.push(...ifs);
    return this;
  }

  get(name: string): FakeIf {
    const i = this.ifs.find((x) => x.name === name);
    if (!i) throw new Error(`no interface ${name}`);
    return i;
  }

  interfaces(): readonly RtsoldIfView[] {
    return [...this.ifs].sort((a, b) => a.index - b.index);
  }

  interface(name: string): RtsoldIfView | undefined {
    return this.ifs.find((x) => x.name === name);
  }

  async setUp(ifname: string): Promise<void> {
    this.setUps.push(ifname);
    const i = this.ifs.find((x) => x.name === ifname);
    if (i && !i.up) {
      i.up = true;
      // Bringing an interface up starts DAD on its link-local address.
      i.linkLocal = 'tentative';
    }
  }

  async sendRs(ifname: string, icmp6: Uint8Array): Promise<void> {
    this.sent.push({ time: this.clock.now(), ifname, bytes: icmp6.slice() });
    if (this.sendErrno !== undefined) {
      throw Object.assign(new Error(`${this.sendErrno}: cannot send`), { errno: this.sendErrno });
    }
  }

  runScript(script: string, ifname: string): Promise<void> {
    this.scripts.push({ time: this.clock.now(), script, ifname });
    if (!this.holdScripts) return Promise.resolve();
    return new Promise((resolve) => this.held.push(resolve));
  }

  release(): void {
    for (const r of this.held.splice(0)) r();
  }

  async sysctlGet(name: string): Promise<number> {
    const v = this.sysctls.get(name);
    if (v === undefined) throw new Error(`ENOENT: ${name}`);
    return v;
  }

  async sysctlSet(name: string, value: number): Promise<void> {
    this.sysctlWrites.push([name, value]);
    this.sysctls.set(name, value);
  }

  async defrouterProbe(ifname: string): Promise<void> {
    this.probes.push(ifname);
  }

  messages(atLeast: Severity = 'debug'): string[] {
    const order: Severity[] = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
    const max = order.indexOf(atLeast);
    return this.logs.filter((l) => order.indexOf(l.severity) <= max).map((l) => l.message);
  }

  /** Times (ms) at which RSs went out on `ifname`. */
  rsTimes(ifname = 'em0'): number[] {
    return this.sent.filter((s) => s.ifname === ifname).map((s) => s.time);
  }
}

export const LL_ROUTER = Ipv6Address.parse('fe80::1');
export const ALL_NODES = Ipv6Address.parse('ff02::1');

/** An RA's ICMPv6 bytes: 16-byte fixed part, flags byte as given, optional trailing bytes. */
export function raBytes(
  o: { flags?: number; code?: number; type?: number; extra?: number } = {},
): Uint8Array {
  const b = new Uint8Array(16 + (o.extra ?? 0));
  b[0] = o.type ?? 134;
  b[1] = o.code ?? 0;
  b[4] = 64;
  b[5] = o.flags ?? 0;
  b[6] = 0x07;
  b[7] = 0x08; // router lifetime 1800
  return b;
}

/** A received RA as the endpoint hands it over. */
export function raInput(
  ifindex: number,
  o: Partial<RtsoldIcmp6Input> & { flags?: number } = {},
): RtsoldIcmp6Input {
  return {
    ifindex,
    src: o.src ?? LL_ROUTER,
    dst: 'dst' in o ? o.dst : ALL_NODES,
    hoplimit: 'hoplimit' in o ? o.hoplimit : 255,
    data: o.data ?? raBytes({ flags: o.flags ?? 0 }),
  };
}

/** Lets promise callbacks (script completion...) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
