import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { memoryPair } from '@kame/kernel-api';
import type { Impairable, LinkEndpoint } from '@kame/link';
import { KernelServer } from '@kame/kernel-server';
import type { KernelNode } from '@kame/stack';
import { Lab, sendRouterAdvert } from '@kame/testing';
import type { VirtualClock } from '@kame/time';
import { run, type CliIo } from '../../src/cli';
import type { CliClock } from '../../src/format';

/** 1 ms on every frame the endpoint sends, so round-trip times are not all zero. */
function delayOneMs(e: LinkEndpoint): void {
  (e as LinkEndpoint & Impairable).impair({ egress: { delayMs: 1 } });
}

/** Lets the in-memory channels (setImmediate hops) and promise chains run. */
export async function flush(turns = 8): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * A CliClock on a VirtualClock: sleeping fires the lab's timers deadline by
 * deadline and lets IPC run between them, so a reply is seen at the virtual
 * time its frame was delivered.
 */
export function virtualCliClock(clock: VirtualClock): CliClock {
  return {
    now: () => clock.now(),
    async sleep(ms: number) {
      const end = clock.now() + Math.max(0, ms);
      for (;;) {
        await flush();
        const next = clock.nextDeadline();
        if (next === undefined || next > end) {
          clock.runUntil(end);
          await flush();
          return;
        }
        clock.runUntil(next);
      }
    },
  };
}

export interface KameResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kame ARGV` against `server` over a memoryPair, in `clock`'s time when given. */
export async function kame(
  server: KernelServer,
  argv: string[],
  extra: Partial<Pick<CliIo, 'clock' | 'onInterrupt' | 'ready'>> = {},
): Promise<KameResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    channelFactory: () => {
      const [a, b] = memoryPair();
      server.accept(a);
      return Promise.resolve(b);
    },
    ...extra,
  });
  return { code, stdout, stderr };
}

export const a6 = (s: string): Ipv6Address => Ipv6Address.parse(s);

/** `route add -inet6 PREFIX GATEWAY` straight on the stack. */
export function routeVia(node: KernelNode, prefix: string, gateway: string, ifindex: number): void {
  node.routes.add({
    dst: Ipv6Prefix.parse(prefix),
    gateway: { kind: 'inet6', address: a6(gateway) },
    ifindex,
  });
}

/**
 * The line a - r - b in virtual time: lan1 2001:db8:1::/64 (a ::a, r ::1),
 * lan2 2001:db8:2::/64 (r ::1, b ::b); r forwards; a and b route via r.
 */
export function lineLab() {
  const lab = new Lab({ seed: 11 });
  const lan1 = lab.segment('lan1');
  const lan2 = lab.segment('lan2');
  const a = lab.node('a');
  const r = lab.node('r', { sysctl: { 'net.inet6.ip6.forwarding': 1 } });
  const b = lab.node('b');
  const ports = [
    lab.attach(a, 'em0', lan1, { mac: '02:00:00:00:01:0a', addresses: ['2001:db8:1::a/64'] }),
    lab.attach(r, 'em0', lan1, { mac: '02:00:00:00:01:01', addresses: ['2001:db8:1::1/64'] }),
    lab.attach(r, 'em1', lan2, { mac: '02:00:00:00:02:01', addresses: ['2001:db8:2::1/64'] }),
    lab.attach(b, 'em0', lan2, { mac: '02:00:00:00:02:0b', addresses: ['2001:db8:2::b/64'] }),
  ];
  // 1 ms per hop each way, so round-trip times are not all zero.
  for (const p of ports) delayOneMs(p.endpoint);
  lab.settle();
  routeVia(a, '::/0', '2001:db8:1::1', a.mustIfnet('em0').index);
  routeVia(b, '::/0', '2001:db8:2::1', b.mustIfnet('em0').index);
  const server = (node: KernelNode) => new KernelServer(node, { name: node.name, privileged: true });
  return { lab, clock: lab.clock, a, r, b, server };
}

/**
 * Router r and host h on one LAN (1 ms per frame): h accepts RAs, r sends
 * one RA with prefix 2001:db8:77::/64 (router lifetime 1800 s), and h pings
 * r's link-local so both sit in each other's neighbor cache.
 */
export async function routerHostLab() {
  const lab = new Lab({ seed: 21 });
  const lan = lab.segment('lan');
  const r = lab.node('r', { sysctl: { 'net.inet6.ip6.forwarding': 1 } });
  const h = lab.node('h', { sysctl: { 'net.inet6.ip6.accept_rtadv': 1 } });
  const ports = [
    lab.attach(r, 'em0', lan, { mac: '02:00:00:00:00:01' }),
    lab.attach(h, 'em0', lan, { mac: '02:00:00:00:00:02' }),
  ];
  for (const p of ports) delayOneMs(p.endpoint);
  lab.settle();
  const err = sendRouterAdvert(r, 'em0', { prefixes: [{ prefix: '2001:db8:77::/64' }] });
  if (err !== undefined) throw new Error(`RA: ${err}`);
  lab.settle();
  await lab.ping(h, 'fe80::ff:fe00:1', { ifname: 'em0' });
  lab.run(1000);
  const server = (node: KernelNode) => new KernelServer(node, { name: node.name, privileged: true });
  return { lab, clock: lab.clock, r, h, server };
}
