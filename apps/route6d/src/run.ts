import type { Logger } from '@kame/daemon';
import { type KernelClient, v1 } from '@kame/kernel-api';
import type { Clock, Random } from '@kame/time';
import { Route6dEngine, type Route6dOptions } from './engine/index';
import { KernelRoute6dHost } from './kernel-host';

export interface StartRoute6dOptions {
  /** An attached kernel client (attachKernel, or KernelClient.connect over a memoryPair). */
  readonly client: KernelClient;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly options?: Partial<Route6dOptions>;
  /** -R: route log sink. */
  readonly routeLog?: (line: string) => void;
  /** Epoch ms for HH:MM:SS stamps (default clock.now()). */
  readonly wallTime?: () => number;
}

export interface Route6dHandle {
  readonly engine: Route6dEngine;
  readonly host: KernelRoute6dHost;
  dump(): string;
  /** SIGTERM: metric 16 for everything, -A routes removed, socket closed. The client stays open. */
  stop(): Promise<void>;
}

/**
 * route6d on a kernel client, in this process: the RIPng socket, the
 * 'route' and 'iface' topics followed, the engine started. Used by the
 * program and by labs.
 */
export async function startRoute6d(o: StartRoute6dOptions): Promise<Route6dHandle> {
  const host = new KernelRoute6dHost({
    client: o.client,
    clock: o.clock,
    random: o.random,
    logger: o.logger,
    ...(o.routeLog ? { routeLog: o.routeLog } : {}),
    ...(o.wallTime ? { wallTime: o.wallTime } : {}),
  });
  const options: Partial<Route6dOptions> = { ...o.options };
  await o.client.subscribe('route', 'iface');
  if (!o.client.welcome.privileged && !options.noKernel) {
    // KAME: euid != 0.
    o.logger.warning('No kernel update is allowed');
    options.noKernel = true;
  }
  const engine = new Route6dEngine(host, options);
  const offs: (() => void)[] = [];
  try {
    await host.open((d) => engine.receive(d));
  } catch (e) {
    host.close();
    throw e;
  }
  if (!host.interfaces().some((i) => i.loopback)) o.logger.warning('no loopback interface');
  offs.push(
    o.client.on('change', () => {
      engine.interfacesChanged();
      void host.joinAll();
    }),
    o.client.on('rtm', (m) => {
      if (
        m.type !== v1.RtmType.RTM_ADD &&
        m.type !== v1.RtmType.RTM_DELETE &&
        m.type !== v1.RtmType.RTM_CHANGE
      )
        return;
      if (m.errno) return;
      const r = host.routeOfRtm(m);
      if (!r) return;
      if (m.type === v1.RtmType.RTM_DELETE) engine.kernelRouteDeleted(r);
      else engine.kernelRouteAdded(r);
    }),
    o.client.on('reconnected', () => {
      // The socket died with the connection: reopen it and re-read the world.
      host.close();
      host
        .open((d) => engine.receive(d))
        .then(() => engine.interfacesChanged())
        .catch((e: unknown) => o.logger.err(`reopening the RIPng socket: ${(e as Error).message}`));
    }),
  );
  engine.start();
  let stopped: Promise<void> | undefined;
  return {
    engine,
    host,
    dump: () => engine.dump(),
    stop: () => {
      stopped ??= (async () => {
        for (const off of offs.splice(0)) off();
        await engine.shutdown();
        // Let the withdrawals and route deletions reach the kernel before the socket goes.
        await host.drain();
        host.close();
      })();
      return stopped;
    },
  };
}
