import { Icmp6Endpoint, type ControlHandler, type ControlReply } from '@kame/daemon';
import type { KernelClient } from '@kame/kernel-api';
import type { Clock, Random } from '@kame/time';
import { ND_ROUTER_ADVERT, ND_ROUTER_SOLICIT } from '@kame/wire';
import type { ConfigWarning, InterfaceConfig } from './config/types';
import type { EngineLogger } from './engine/host';
import { RtadvdEngine, RtadvdError } from './engine/rtadvd-engine';
import { ALL_ROUTERS, FORWARDING_SYSCTL, KernelHost } from './kernel-host';

/** What a config loader is told (getconfig() needs the forwarding sysctl and the interface MTUs). */
export interface ConfigContext {
  readonly forwarding: boolean;
  readonly mip6: boolean;
  readonly phyMtu: (ifname: string) => number | undefined;
}

/** Loads the configurations of the advertising interfaces; throws (ConfigError...) on a bad file. */
export type ConfigLoader = (
  ctx: ConfigContext,
) =>
  | { readonly configs: readonly InterfaceConfig[]; readonly warnings?: readonly ConfigWarning[] }
  | Promise<{ readonly configs: readonly InterfaceConfig[]; readonly warnings?: readonly ConfigWarning[] }>;

export interface RtadvdOptions {
  /** A connected kernel client (attachKernel, or a memoryPair end in a lab). */
  readonly client: KernelClient;
  /** Loads the config at start and again on SIGHUP / rtadvctl reload. */
  readonly loadConfigs: ConfigLoader;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: EngineLogger;
  /** Epoch ms for the dump's ctime lines; default clock.now() (EpochClock live). */
  readonly wallClock?: () => number;
  /** -s: no routing socket (no prefix tracking, no interface up/down tracking). */
  readonly noRoutingSocket?: boolean;
  /** -m */
  readonly mip6?: boolean;
  /** What rtadvctl shutdown does; default: the final RAs (shutdown()). The program exits afterwards. */
  readonly onShutdownRequest?: () => void;
}

/** A running rtadvd. */
export interface Rtadvd {
  readonly engine: RtadvdEngine;
  readonly host: KernelHost;
  readonly endpoint: Icmp6Endpoint;
  /** SIGUSR1: the dump text. */
  dump(ifnames?: readonly string[]): string;
  /** SIGHUP: reread the config; a bad one keeps the old (FreeBSD). */
  reload(): Promise<ControlReply>;
  /** SIGTERM: the final RAs (about 9 s on the clock), then the socket is closed. */
  shutdown(): Promise<void>;
  /** Stops at once (no final RAs). */
  close(): void;
  /** The control-socket protocol: show [ifs] | reload | enable IF | disable IF | shutdown. */
  readonly control: ControlHandler;
}

/** The checks done before daemon(3) (KAME getconfig runs before daemonising): config and kernel facts. */
export interface PreparedRtadvd {
  readonly engine: RtadvdEngine;
  readonly host: KernelHost;
  readonly configs: readonly InterfaceConfig[];
  /** Opens the socket, joins ff02::2, wires events, starts the timers. */
  start(): Promise<Rtadvd>;
  /** Drops what prepare made (a parent that daemonised). */
  close(): void;
}

function logWarnings(logger: EngineLogger, warnings: readonly ConfigWarning[] | undefined): void {
  for (const w of warnings ?? []) logger[w.level](`<getconfig> ${w.message}`);
}

async function loadWith(o: RtadvdOptions, forwarding: boolean) {
  const ctx: ConfigContext = {
    forwarding,
    mip6: o.mip6 ?? false,
    phyMtu: (ifname) => o.client.interface(ifname)?.mtu,
  };
  const r = await o.loadConfigs(ctx);
  logWarnings(o.logger, r.warnings);
  return r.configs;
}

async function readForwarding(client: KernelClient): Promise<boolean> {
  return ((await client.sysctlGet(FORWARDING_SYSCTL)).value ?? 0) !== 0;
}

/** Loads the config and checks it against the kernel (RtadvdError / ConfigError when refused). */
export async function prepareRtadvd(o: RtadvdOptions): Promise<PreparedRtadvd> {
  const forwarding = await readForwarding(o.client);
  const configs = await loadWith(o, forwarding);
  const host = new KernelHost({
    client: o.client,
    clock: o.clock,
    random: o.random,
    logger: o.logger,
    forwarding,
    ...(o.wallClock ? { wallClock: o.wallClock } : {}),
  });
  let engine: RtadvdEngine;
  try {
    engine = new RtadvdEngine(host, configs, { mip6: o.mip6 ?? false });
  } catch (e) {
    host.close();
    throw e;
  }
  return {
    engine,
    host,
    configs,
    start: () => startPrepared(o, host, engine),
    close: () => {
      engine.stop();
      host.close();
    },
  };
}

async function startPrepared(o: RtadvdOptions, host: KernelHost, engine: RtadvdEngine): Promise<Rtadvd> {
  const { client, logger } = o;
  // RFC 4861 6.2: hear RSs (and other routers' RAs for 6.2.7), nothing else.
  const endpoint = await Icmp6Endpoint.open(client, { types: [ND_ROUTER_SOLICIT, ND_ROUTER_ADVERT] });
  host.attachEndpoint(endpoint);
  const offs: (() => void)[] = [];
  try {
    for (const ifname of engine.interfaceNames()) await endpoint.join(ifname, ALL_ROUTERS);
    offs.push(
      endpoint.onMessage((m) =>
        engine.input({ ifname: m.ifname, src: m.src, hoplimit: m.hoplimit, data: m.data }),
      ),
    );
    offs.push(endpoint.onError((e) => logger.err(`<rtadvd_input> ${e.message}`)));
    await client.subscribe('sysctl');
    if (!o.noRoutingSocket) {
      // KAME rtadvd reads RTM_ADD/DELETE of interface routes, NEWADDR/DELADDR and IFINFO; gateway
      // routes (thousands on a RIPng router) are of no use to it, so they are not even sent.
      await client.subscribe('route-interface');
      host.track(engine);
    }
  } catch (e) {
    for (const off of offs) off();
    endpoint.close();
    host.close();
    throw e;
  }
  engine.start();
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    engine.stop();
    for (const off of offs) off();
    endpoint.close();
    host.close();
  };
  const reload = async (): Promise<ControlReply> => {
    let configs: readonly InterfaceConfig[];
    try {
      configs = await loadWith(o, host.forwarding());
      const r = engine.reload(configs);
      const parts = [
        r.changed.length > 0 ? `changed: ${r.changed.join(' ')}` : '',
        r.unchanged.length > 0 ? `unchanged: ${r.unchanged.join(' ')}` : '',
        r.added.length > 0 ? `added: ${r.added.join(' ')}` : '',
        r.removed.length > 0 ? `removed: ${r.removed.join(' ')}` : '',
      ].filter((s) => s !== '');
      const text = `configuration reloaded (${parts.join(', ') || 'no interfaces'})`;
      logger.info(`<reload> ${text}`);
      return { ok: true, text, data: r };
    } catch (e) {
      const text = `${e instanceof Error ? e.message : String(e)}; the old configuration is kept`;
      logger.err(`<reload> ${text}`);
      return { ok: false, text };
    }
  };
  let shutdownPromise: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    shutdownPromise ??= engine.shutdown().then(close);
    return shutdownPromise;
  };
  const control: ControlHandler = async (command, args) => {
    try {
      switch (command) {
        case 'show': {
          const names = args.length > 0 ? args : undefined;
          return { ok: true, text: engine.dump(names), data: showData(engine, names) };
        }
        case 'reload':
          return await reload();
        case 'enable':
        case 'disable': {
          if (args.length === 0) return { ok: false, text: `${command}: interface name required` };
          for (const a of args) {
            if (command === 'enable') engine.enable(a);
            else engine.disable(a);
          }
          return { ok: true, text: `${args.join(' ')} ${command}d` };
        }
        case 'shutdown':
          if (o.onShutdownRequest) o.onShutdownRequest();
          else void shutdown();
          return { ok: true, text: 'shutting down (final router advertisements take about 9 seconds)' };
        default:
          return {
            ok: false,
            text: `unknown command ${JSON.stringify(command)} (show [ifs] | reload | enable IF | disable IF | shutdown)`,
          };
      }
    } catch (e) {
      return { ok: false, text: e instanceof Error ? e.message : String(e) };
    }
  };
  return {
    engine,
    host,
    endpoint,
    dump: (ifnames) => engine.dump(ifnames),
    reload,
    shutdown,
    close,
    control,
  };
}

/** The structured form of `show` (rtadvctl --json). */
function showData(engine: RtadvdEngine, names: readonly string[] | undefined): unknown {
  return (names ?? engine.interfaceNames()).map((n) => {
    const ri = engine.interface(n);
    if (!ri) throw new RtadvdError(`${n} is not an advertising interface`);
    return {
      ifname: n,
      enabled: ri.enabled,
      waits: ri.waiting,
      initcount: ri.initcounter,
      statistics: { ...ri.stats },
      prefixes: ri.prefixes.map((p) => ({
        prefix: `${p.prefix}/${p.prefixLength}`,
        origin: p.origin,
        validLifetime: p.validLifetime,
        preferredLifetime: p.preferredLifetime,
        invalidated: p.invalidation?.pending ?? false,
      })),
    };
  });
}

/**
 * rtadvd in-process over a KernelClient (a lab over memoryPair, or the
 * program itself): loads the config, checks it, starts advertising.
 */
export async function startRtadvd(o: RtadvdOptions): Promise<Rtadvd> {
  const prepared = await prepareRtadvd(o);
  return prepared.start();
}
