import { Icmp6Endpoint, type Logger } from '@kame/daemon';
import type { KernelClient } from '@kame/kernel-api';
import type { Clock, Random } from '@kame/time';
import { ND_ROUTER_ADVERT } from '@kame/wire';
import { Rtsold, type RtsoldEnd, type RtsoldOptions } from './engine';
import { KernelRtsoldHost } from './kernel-host';

export interface StartRtsoldOptions extends RtsoldOptions {
  /** An attached kernel client (attachKernel, or KernelClient.connect over a memoryPair). */
  readonly client: KernelClient;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Replaces the child-process runner of -O scripts (labs, tests). */
  readonly runScript?: (script: string, ifname: string) => Promise<void>;
}

export interface RtsoldHandle {
  readonly engine: Rtsold;
  readonly endpoint: Icmp6Endpoint;
  /** The engine's port onto the kernel. */
  readonly host: KernelRtsoldHost;
  /** Resolves when once mode completed or stop() was called; the endpoint is closed by then. */
  readonly finished: Promise<RtsoldEnd>;
  dump(): string;
  /** Stops the engine and closes the ICMPv6 socket; the client stays open (it is the caller's). */
  stop(): void;
}

/**
 * rtsold on a kernel client, in this process: opens the raw ICMPv6 socket
 * (RA only), follows interface departures in the client mirror and starts
 * the engine. Used by the program and by labs.
 */
export async function startRtsold(o: StartRtsoldOptions): Promise<RtsoldHandle> {
  const endpoint = await Icmp6Endpoint.open(o.client, { types: [ND_ROUTER_ADVERT] });
  const host = new KernelRtsoldHost({
    client: o.client,
    endpoint,
    clock: o.clock,
    random: o.random,
    logger: o.logger,
    ...(o.runScript ? { runScript: o.runScript } : {}),
  });
  const engine = new Rtsold(host, o);
  const offs: (() => void)[] = [];
  const close = (): void => {
    for (const off of offs.splice(0)) off();
    endpoint.close();
    host.close();
  };
  offs.push(endpoint.onMessage((m) => engine.receive(m)));
  offs.push(
    endpoint.onError((e) => o.logger.err(`<rtsold> ${e.message}`)),
    o.client.on('change', (c) => {
      if (c.kind === 'interface' && c.op === 'delete') engine.interfaceDeparted(c.iface.name);
    }),
  );
  try {
    await engine.start();
  } catch (e) {
    engine.stop();
    close();
    throw e;
  }
  const finished = engine.finished.then((end) => {
    close();
    return end;
  });
  return {
    engine,
    endpoint,
    host,
    finished,
    dump: () => engine.dump(),
    stop: () => {
      engine.stop();
      close();
    },
  };
}
