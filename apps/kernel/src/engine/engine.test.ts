import { Ipv6Address } from '@kame/addr';
import { IN6_IFF_DUPLICATED } from '@kame/stack';
import { runUntil, sendPing } from '@kame/testing';
import { RealClock, VirtualClock } from '@kame/time';
import { parseNodeFile } from '../config/node-file';
import { EngineError, KernelEngine } from './engine';
import type { Logger } from './logger';

function collector(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, message) => void lines.push(`${level}: ${message}`) };
}

const HUB_PAIR = `
node a
  interface em0
    mac 02:00:00:00:00:0a
    address 2001:db8::a/64
    link hub lan
node b
  interface em0
    mac 02:00:00:00:00:0b
    address 2001:db8::b/64
    link hub lan
  route 2001:db8:99::/64 2001:db8::a
`;

describe('KernelEngine on a hub (virtual time)', () => {
  it('two nodes of one process ping each other (link-local and global), then stop cleans up', async () => {
    const clock = new VirtualClock();
    const log = collector();
    const engine = await KernelEngine.start({ config: parseNodeFile(HUB_PAIR), clock, seed: 1, logger: log });
    expect(await runUntil(clock, () => engine.dadDone(), 10_000)).toBe(true);
    const a = engine.node('a').node;
    const b = engine.node('b').node;
    const p1 = sendPing(a, 'fe80::ff:fe00:b', { ifname: 'em0' });
    await runUntil(clock, () => p1.settled, 3000);
    expect((await p1.result).from.toString()).toBe('fe80::ff:fe00:b');
    const p2 = sendPing(b, '2001:db8::a');
    await runUntil(clock, () => p2.settled, 3000);
    expect((await p2.result).dataMatches).toBe(true);
    expect(b.routes.lookup(Ipv6Address.parse('2001:db8:99::1'))?.owner).toBe('static');
    expect(log.lines).toContain('notice: ready: a, b');
    expect(log.lines).toContain('info: a: em0: link state changed to UP');
    await engine.stop();
    await engine.stop(); // idempotent
    expect(log.lines.at(-1)).toBe('notice: stopped');
    expect(a.mustIfnet('em0').up).toBe(false);
    // Every node timer was cancelled: nothing is left on the virtual clock.
    expect(clock.nextDeadline()).toBeUndefined();
  });

  it('an impair line delays what an interface sends (netem-style, on the clock)', async () => {
    const clock = new VirtualClock();
    const file = HUB_PAIR.replace(
      '    link hub lan\nnode b',
      '    link hub lan\n    impair delay 150ms\nnode b',
    );
    const engine = await KernelEngine.start({
      config: parseNodeFile(file),
      clock,
      seed: 1,
      logger: collector(),
    });
    expect(await runUntil(clock, () => engine.dadDone(), 10_000)).toBe(true);
    const b = engine.node('b').node;
    // Warm the neighbor caches both ways, then time one echo: only a's reply is delayed.
    const warm = sendPing(b, '2001:db8::a');
    await runUntil(clock, () => warm.settled, 5000);
    const t0 = clock.now();
    const p = sendPing(b, '2001:db8::a');
    await runUntil(clock, () => p.settled, 5000);
    expect((await p.result).dataMatches).toBe(true);
    expect((await p.result).rttMs).toBeGreaterThanOrEqual(150);
    expect((await p.result).rttMs).toBeLessThan(200);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(150);
    await engine.stop();
  });

  it('IMPLEMENTATION 1.2: a duplicate address is marked and logged through the stack log callback', async () => {
    const clock = new VirtualClock();
    const log = collector();
    const cfg = parseNodeFile(`
node a
  interface em0
    address 2001:db8::1/64
    link hub lan
node b
  interface em0
    address 2001:db8::1/64
    link hub lan
`);
    const engine = await KernelEngine.start({ config: cfg, clock, seed: 7, logger: log });
    await runUntil(clock, () => engine.dadDone(), 10_000);
    const dup = [...engine.nodes.values()].flatMap(({ node }) =>
      node.mustIfnet('em0').addresses.filter((x) => x.flags & IN6_IFF_DUPLICATED),
    );
    expect(dup.length).toBeGreaterThan(0);
    expect(
      log.lines.some((l) => /^err: [ab]: em0: DAD detected duplicate IPv6 address 2001:db8::1/.test(l)),
    ).toBe(true);
    await engine.stop();
  });

  it('a route whose gateway is not on-link fails the start with EngineError and closes what was opened', async () => {
    const cfg = parseNodeFile('node a\ninterface em0\nlink hub h\nroute default 2001:db8::1\n');
    await expect(
      KernelEngine.start({ config: cfg, clock: new VirtualClock(), seed: 1, logger: collector() }),
    ).rejects.toThrow(
      new EngineError(
        'a: route default: gateway 2001:db8::1 is not on-link (add its prefix to an interface)',
      ),
    );
  });
});

describe('KernelEngine over VXLAN on 127.0.0.1 (real time, one process)', () => {
  it('two nodes on two sockets ping across UDP; a taken port is an EngineError', async () => {
    const clock = new RealClock();
    const log = collector();
    const probe = await KernelEngine.start({
      config: parseNodeFile('node p\ninterface em0\nlink vxlan 1 bind 127.0.0.1:0 remote 127.0.0.1:9\n'),
      clock,
      seed: 1,
      logger: log,
    });
    const pa = probe.boundPort({ address: '127.0.0.1', port: 0 })!;
    await probe.stop();
    const cfg = parseNodeFile(`
node a
  sysctl net.inet6.ip6.dad_count=0
  interface em0
    address 2001:db8::a/64
    link vxlan 77 bind 127.0.0.1:${pa} remote 127.0.0.1:${pa + 1}
node b
  sysctl net.inet6.ip6.dad_count=0
  interface em0
    address 2001:db8::b/64
    link vxlan 77 bind 127.0.0.1:${pa + 1} remote 127.0.0.1:${pa}
`);
    const engine = await KernelEngine.start({ config: cfg, clock, seed: 3, logger: log });
    try {
      const p = sendPing(engine.node('a').node, '2001:db8::b', { timeoutMs: 3000 });
      await runUntil(clock, () => p.settled, 4000);
      expect((await p.result).from.toString()).toBe('2001:db8::b');
      await expect(KernelEngine.start({ config: cfg, clock, seed: 3, logger: log })).rejects.toThrow(
        `a: em0: cannot bind 127.0.0.1:${pa}: EADDRINUSE`,
      );
    } finally {
      await engine.stop();
    }
  });
});
