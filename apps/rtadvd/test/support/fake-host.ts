import { Ipv6Address, MacAddress } from '@kame/addr';
import { SeededRandom, VirtualClock } from '@kame/time';
import { parseNdMessage, type RouterAdvertRepr } from '@kame/wire';
import type { InterfaceConfig, PrefixConfig } from '../../src/config/types';
import type { EngineLogger, HostAddress, HostInterface, RtadvdHost } from '../../src/engine/host';

/** Thu Nov 26 12:00:00 2026 UTC: virtual clocks start here so ctime lines read like real ones. */
export const EPOCH_2026_11_26 = Date.UTC(2026, 10, 26, 12, 0, 0);

export interface SentRa {
  readonly time: number;
  readonly ifname: string;
  readonly bytes: Uint8Array;
  readonly ra: RouterAdvertRepr;
}

export interface LogLine {
  readonly severity: 'err' | 'warning' | 'notice' | 'info' | 'debug';
  readonly message: string;
}

export class MemoryLogger implements EngineLogger {
  readonly lines: LogLine[] = [];
  err(m: string): void {
    this.lines.push({ severity: 'err', message: m });
  }
  warning(m: string): void {
    this.lines.push({ severity: 'warning', message: m });
  }
  notice(m: string): void {
    this.lines.push({ severity: 'notice', message: m });
  }
  info(m: string): void {
    this.lines.push({ severity: 'info', message: m });
  }
  debug(m: string): void {
    this.lines.push({ severity: 'debug', message: m });
  }
  messages(severity?: LogLine['severity']): string[] {
    return this.lines.filter((l) => severity === undefined || l.severity === severity).map((l) => l.message);
  }
}

export interface FakeIfInit {
  index?: number;
  mtu?: number;
  lladdr?: string | null;
  up?: boolean;
  isEthernet?: boolean;
  addresses?: string[]; // "2001:db8:1::1/64"
}

/** A host for the engine: a VirtualClock, a seeded Random, captured RAs, a logger. */
export class FakeHost implements RtadvdHost {
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  readonly logger = new MemoryLogger();
  readonly sent: SentRa[] = [];
  forwardingOn = true;
  sendError: Error | undefined;
  private readonly ifs = new Map<string, { -readonly [K in keyof HostInterface]: HostInterface[K] }>();

  constructor(seed = 1, start = EPOCH_2026_11_26) {
    this.clock = new VirtualClock(start);
    this.random = new SeededRandom(seed);
  }

  addIf(name: string, init: FakeIfInit = {}): this {
    const lladdr = init.lladdr === null ? undefined : MacAddress.parse(init.lladdr ?? '00:00:5e:00:53:01');
    this.ifs.set(name, {
      index: init.index ?? this.ifs.size + 1,
      name,
      mtu: init.mtu ?? 1500,
      lladdr,
      up: init.up ?? true,
      isEthernet: init.isEthernet ?? true,
      addresses: (init.addresses ?? []).map(parseAddr),
    });
    return this;
  }

  setUp(name: string, up: boolean): void {
    this.ifs.get(name)!.up = up;
  }

  setAddresses(name: string, addrs: string[]): void {
    this.ifs.get(name)!.addresses = addrs.map(parseAddr);
  }

  iface(name: string): HostInterface | undefined {
    return this.ifs.get(name);
  }

  forwarding(): boolean {
    return this.forwardingOn;
  }

  send(ifname: string, icmp6: Uint8Array): void | Promise<void> {
    if (this.sendError) return Promise.reject(this.sendError);
    const bytes = icmp6.slice();
    const msg = parseNdMessage(bytes);
    if (msg.kind !== 'routerAdvert') throw new Error(`sent a ${msg.kind}`);
    this.sent.push({ time: this.clock.now(), ifname, bytes, ra: msg });
  }

  /** Send times (ms since the clock's start) of the RAs on `ifname`. */
  sentTimes(ifname?: string, start = EPOCH_2026_11_26): number[] {
    return this.sent.filter((s) => ifname === undefined || s.ifname === ifname).map((s) => s.time - start);
  }
}

function parseAddr(s: string): HostAddress {
  const [a, l] = s.split('/');
  return { address: Ipv6Address.parse(a!), prefixLength: Number(l ?? 128) };
}

export function prefixConfig(text: string, o: Partial<PrefixConfig> = {}): PrefixConfig {
  const [a, l] = text.split('/');
  const prefixLength = Number(l ?? 64);
  return {
    prefix: Ipv6Address.parse(a!).mask(prefixLength),
    prefixLength,
    onLink: true,
    autonomous: true,
    routerAddress: false,
    validLifetime: 2592000,
    preferredLifetime: 604800,
    validLifetimeDecrements: false,
    preferredLifetimeDecrements: false,
    origin: 'CONFIG',
    ...o,
  };
}

/** rtadvd.conf defaults (reference 1.2) for `ifname`, with overrides. */
export function ifConfig(ifname: string, o: Partial<InterfaceConfig> = {}): InterfaceConfig {
  const maxInterval = o.maxInterval ?? 600;
  return {
    ifname,
    maxInterval,
    minInterval: Math.floor(maxInterval / 3),
    curHopLimit: 64,
    managed: false,
    other: false,
    homeAgent: false,
    preference: 0,
    routerLifetime: maxInterval * 3,
    reachableTimeMs: 0,
    retransTimerMs: 0,
    clockSkew: 0,
    linkMtu: 0,
    advertiseLinkAddress: true,
    prefixes: [],
    learnPrefixes: (o.prefixes ?? []).length === 0,
    routes: [],
    rdnss: [],
    dnssl: [],
    homeAgentPreference: 0,
    homeAgentLifetime: 0,
    ...o,
  };
}
