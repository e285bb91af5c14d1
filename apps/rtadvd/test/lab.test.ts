import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { attachKernel, createLogger, MemoryLog, type Logger } from '@kame/daemon';
import { v1, type KernelClient } from '@kame/kernel-api';
import { icmp6Send, IN6_IFF_AUTOCONF, IN6_IFF_DEPRECATED, type KernelNode } from '@kame/stack';
import { SeededRandom, VirtualClock } from '@kame/time';
import { EPOCH_2026_11_26, ifConfig } from './support/fake-host';
import { Hub, newNode, serve, turns, until } from './support/lan';
import type { InterfaceConfig } from '../src/config/types';
import { startRtadvd, type Rtadvd } from '../src/rtadvd';

const a6 = (s: string): Ipv6Address => Ipv6Address.parse(s);
/** EUI-64 link-local of the router's 02:00:00:00:00:01. */
const ROUTER_LL = a6('fe80::ff:fe00:1');
const PREFIX = Ipv6Prefix.parse('2001:db8:1::/64');

interface Lab {
  clock: VirtualClock;
  hub: Hub;
  r: KernelNode;
  h: KernelNode;
  client: KernelClient;
  log: MemoryLog;
  logger: Logger;
}

async function lab(routerSysctl: Record<string, number> = { 'net.inet6.ip6.forwarding': 1 }): Promise<Lab> {
  const clock = new VirtualClock(EPOCH_2026_11_26);
  const hub = new Hub(clock);
  const r = newNode(clock, 'r', 1, routerSysctl);
  const h = newNode(clock, 'h', 2, { 'net.inet6.ip6.accept_rtadv': 1 });
  hub.attach(r, 'em0', '02:00:00:00:00:01');
  hub.attach(h, 'em0', '02:00:00:00:00:02');
  r.ifUp('em0');
  h.ifUp('em0');
  r.addAddress('em0', a6('2001:db8:1::1'), 64);
  clock.advance(5_000); // DAD, first MLD reports
  const { channelFactory } = serve(r);
  const client = await attachKernel({ name: 'rtadvd', channelFactory, clock, reconnect: false });
  const log = new MemoryLog();
  const logger = createLogger({ ident: 'rtadvd', clock, sink: log.sink });
  return { clock, hub, r, h, client, log, logger };
}

function start(l: Lab, configs: InterfaceConfig[], o: { noRoutingSocket?: boolean } = {}): Promise<Rtadvd> {
  return startRtadvd({
    client: l.client,
    loadConfigs: () => ({ configs }),
    clock: l.clock,
    random: new SeededRandom(9),
    logger: l.logger,
    ...o,
  });
}

function slaacAddress(h: KernelNode): Ipv6Address | undefined {
  return h
    .ifnet('em0')!
    .addresses.find((a) => (a.flags & IN6_IFF_AUTOCONF) !== 0 && PREFIX.contains(a.address))?.address;
}

function defaultGateway(h: KernelNode): string | undefined {
  const rt = h.routes.lookup(a6('2001:db8:99::1'));
  if (!rt || rt.gateway.kind !== 'inet6') return undefined;
  return rt.gateway.address.toString();
}

describe('rtadvd on a kernel node over memoryPair (in-process, one VirtualClock)', () => {
  it('RFC 4861 6.2 / RFC 4862 5.5.3: the host autoconfigures from the learned prefix and routes via the router', async () => {
    const l = await lab();
    const d = await start(l, [ifConfig('em0')]);
    expect(slaacAddress(l.h)).toBeUndefined();
    await until(() => slaacAddress(l.h) !== undefined && defaultGateway(l.h) !== undefined, l.clock);
    // the first RA leaves no later than MAX_INITIAL_RTR_ADVERT_INTERVAL after start
    expect(l.clock.now() - EPOCH_2026_11_26 - 5_000).toBeLessThanOrEqual(16_000 + 100);
    const addr = slaacAddress(l.h)!;
    expect(PREFIX.contains(addr)).toBe(true);
    expect(addr.toString()).toBe('2001:db8:1::ff:fe00:2'); // EUI-64 of 02:00:00:00:00:02
    // the gateway is the router's link-local (kernel form may carry the zone in bits 16-31)
    const gw = a6(defaultGateway(l.h)!);
    expect(gw.isLinkLocal()).toBe(true);
    expect(gw.bytes.slice(8)).toEqual(ROUTER_LL.bytes.slice(8));
    expect(d.engine.interface('em0')!.stats.raOutput).toBeGreaterThanOrEqual(1);
    d.close();
    l.client.close();
  });

  it('RFC 4861 6.2.6: an RS from the host (hop limit 255) is answered within MAX_RA_DELAY_TIME', async () => {
    const l = await lab();
    const d = await start(l, [ifConfig('em0')]);
    await until(() => d.engine.interface('em0')!.stats.raOutput >= 3, l.clock, { stepMs: 100 });
    await turns(5);
    l.clock.advance(30_000); // well past the last RA: no MIN_DELAY_BETWEEN_RAS wait
    const before = d.engine.interface('em0')!.stats.raOutput;
    const t0 = l.clock.now();
    icmp6Send(l.h, {
      dst: a6('ff02::2'),
      ifindex: l.h.ifnet('em0')!.index,
      hopLimit: 255,
      message: { kind: 'routerSolicit', code: 0, options: [] },
    });
    await until(() => d.engine.interface('em0')!.stats.rsInput === 1, l.clock, { stepMs: 1 });
    await until(() => d.engine.interface('em0')!.stats.raOutput > before, l.clock, { stepMs: 5 });
    expect(l.clock.now() - t0).toBeLessThan(520);
    d.close();
    l.client.close();
  });

  it('KAME rtmsg_input: deleting the router address invalidates the prefix (zero lifetimes); the host deprecates it', async () => {
    const l = await lab();
    const d = await start(l, [ifConfig('em0')]);
    await until(() => slaacAddress(l.h) !== undefined, l.clock);
    l.r.deleteAddress('em0', a6('2001:db8:1::1'));
    await until(() => d.engine.interface('em0')!.prefixes[0]?.invalidation?.pending === true, l.clock, {
      stepMs: 1,
    });
    expect(l.log.messages('info')).toContain(
      '<invalidate_prefix> prefix 2001:db8:1::/64 was invalidated on em0, will expire in 7200 seconds',
    );
    const sent = d.engine.interface('em0')!.stats.raOutput;
    await until(() => d.engine.interface('em0')!.stats.raOutput > sent, l.clock, { stepMs: 50 });
    expect(d.engine.packetInput('em0').prefixes[0]).toMatchObject({ validLifetime: 0, preferredLifetime: 0 });
    // RFC 4862 5.5.3 (e): preferred lifetime 0 deprecates the address (the valid one keeps its two hours)
    await turns(5, l.clock, 10);
    const ia = l.h.ifnet('em0')!.addresses.find((a) => a.address.equals(a6('2001:db8:1::ff:fe00:2')));
    expect(ia).toBeDefined();
    expect(ia!.flags & IN6_IFF_DEPRECATED).toBe(IN6_IFF_DEPRECATED);
    // our own RAs looped back to our socket (if any) are never inconsistent with ourselves
    expect(d.engine.interface('em0')!.stats.raInconsistent).toBe(0);
    d.close();
    l.client.close();
  });

  it('KAME rtmsg_input: a new router address (RTM_ADD of its interface route) is advertised as a DYNAMIC prefix', async () => {
    const l = await lab();
    const d = await start(l, [ifConfig('em0')]);
    await until(() => slaacAddress(l.h) !== undefined, l.clock);
    l.r.addAddress('em0', a6('2001:db8:2::1'), 64);
    await until(() => d.engine.interface('em0')!.prefixes.length === 2, l.clock, { stepMs: 1 });
    expect(
      d.engine.interface('em0')!.prefixes.map((p) => `${p.prefix}/${p.prefixLength} ${p.origin}`),
    ).toEqual(['2001:db8:2::/64 DYNAMIC', '2001:db8:1::/64 KERNEL']);
    const second = Ipv6Prefix.parse('2001:db8:2::/64');
    const has2 = (): boolean => l.h.ifnet('em0')!.addresses.some((a) => second.contains(a.address));
    await until(has2, l.clock, { stepMs: 100 });
    // a fast RA (short delay after the prefix change), not the next periodic one
    expect(l.clock.now()).toBeLessThan(EPOCH_2026_11_26 + 5_000 + 300_000);
    d.close();
    l.client.close();
  });

  it('reference 1.1 -s: no routing socket: a deleted address does not invalidate the prefix', async () => {
    const l = await lab();
    const d = await start(l, [ifConfig('em0')], { noRoutingSocket: true });
    await until(() => d.engine.interface('em0')!.stats.raOutput >= 1, l.clock, { stepMs: 100 });
    l.r.deleteAddress('em0', a6('2001:db8:1::1'));
    l.r.addAddress('em0', a6('2001:db8:2::1'), 64);
    await turns(20, l.clock, 10);
    expect(
      d.engine.interface('em0')!.prefixes.map((p) => [`${p.prefix}`, p.invalidation?.pending ?? false]),
    ).toEqual([['2001:db8:1::', false]]);
    expect(l.client.subscribedTopics).not.toContain(v1.Topic.TOPIC_ROUTE);
    d.close();
    l.client.close();
  });

  it('RFC 4861 6.2.5: shutdown sends 3 RAs with router lifetime 0 and the host drops its default route', async () => {
    const l = await lab();
    const d = await start(l, [ifConfig('em0')]);
    await until(() => defaultGateway(l.h) !== undefined, l.clock);
    const before = d.engine.interface('em0')!.stats.raOutput;
    let done = false;
    void d.shutdown().then(() => {
      done = true;
    });
    await until(() => done, l.clock, { stepMs: 100 });
    expect(d.engine.interface('em0')!.stats.raOutput - before).toBe(3);
    await turns(5, l.clock, 10);
    expect(defaultGateway(l.h)).toBeUndefined();
    l.client.close();
  });

  it('kernel reconnect: the ICMPv6 socket is reopened, ff02::2 re-joined, RAs and RS answers resume', async () => {
    const clock = new VirtualClock(EPOCH_2026_11_26);
    const hub = new Hub(clock);
    const r = newNode(clock, 'r', 1, { 'net.inet6.ip6.forwarding': 1 });
    const h = newNode(clock, 'h', 2, { 'net.inet6.ip6.accept_rtadv': 1 });
    hub.attach(r, 'em0', '02:00:00:00:00:01');
    hub.attach(h, 'em0', '02:00:00:00:00:02');
    r.ifUp('em0');
    h.ifUp('em0');
    r.addAddress('em0', a6('2001:db8:1::1'), 64);
    clock.advance(5_000);
    const served = serve(r);
    const client = await attachKernel({ name: 'rtadvd', channelFactory: served.channelFactory, clock });
    const log = new MemoryLog();
    const d = await startRtadvd({
      client,
      loadConfigs: () => ({ configs: [ifConfig('em0')] }),
      clock,
      random: new SeededRandom(9),
      logger: createLogger({ ident: 'rtadvd', clock, sink: log.sink }),
    });
    await until(() => d.engine.interface('em0')!.stats.raOutput >= 3, clock, { stepMs: 100 });
    let reopened = 0;
    d.endpoint.onReopen(() => reopened++);
    served.dropConnections();
    await until(() => reopened === 1, clock, { stepMs: 10 });
    expect(d.endpoint.memberships().map((m) => `${m.ifname} ${m.group}`)).toEqual(['em0 ff02::2']);
    const ras = (): number => hub.frames.filter((f) => f.from === 'r' && f.frame[54] === 134).length;
    const before = ras();
    clock.advance(30_000);
    icmp6Send(h, {
      dst: a6('ff02::2'),
      ifindex: h.ifnet('em0')!.index,
      hopLimit: 255,
      message: { kind: 'routerSolicit', code: 0, options: [] },
    });
    await until(() => ras() > before, clock, { stepMs: 5 });
    expect(d.engine.interface('em0')!.stats.rsInput).toBe(1);
    d.close();
    client.close();
  });

  it('RFC 4861 6.2.3: a non-zero router lifetime on a node with forwarding=0 is refused', async () => {
    const l = await lab({ 'net.inet6.ip6.forwarding': 0 });
    await expect(start(l, [ifConfig('em0')])).rejects.toThrow(
      /non zero router lifetime is specified for em0/,
    );
    l.client.close();
  });

  it('rtadvctl control protocol: show, disable, enable, reload, unknown command', async () => {
    const l = await lab();
    let cfg = ifConfig('em0');
    const d = await startRtadvd({
      client: l.client,
      loadConfigs: () => ({ configs: [cfg] }),
      clock: l.clock,
      random: new SeededRandom(9),
      logger: l.logger,
    });
    const show = await d.control('show', []);
    expect(show.ok).toBe(true);
    expect(show.text.startsWith('em0:\n  Status: UP\n')).toBe(true);
    expect(await d.control('show', ['em9'])).toMatchObject({
      ok: false,
      text: 'em9 is not an advertising interface',
    });
    expect(await d.control('disable', ['em0'])).toMatchObject({ ok: true });
    expect(d.engine.interface('em0')!.enabled).toBe(false);
    expect(await d.control('enable', ['em0'])).toMatchObject({ ok: true });
    expect(d.engine.interface('em0')!.enabled).toBe(true);
    cfg = ifConfig('em0', { curHopLimit: 32 });
    const r = await d.control('reload', []);
    expect(r).toMatchObject({ ok: true, text: 'configuration reloaded (changed: em0)' });
    expect(d.engine.interface('em0')!.config.curHopLimit).toBe(32);
    expect((await d.control('frobnicate', [])).ok).toBe(false);
    d.close();
    l.client.close();
  });
});
