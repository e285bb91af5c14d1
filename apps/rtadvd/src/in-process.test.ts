import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { attachKernel, DaemonError, type InProcessContext, type LogRecord } from '@kame/daemon';
import { IN6_IFF_AUTOCONF, type KernelNode } from '@kame/stack';
import { SeededRandom, VirtualClock } from '@kame/time';
import { EPOCH_2026_11_26 } from '../test/support/fake-host';
import { Hub, newNode, serve, turns, until } from '../test/support/lan';
import { inProcessMain, rtadvdDumpName } from './in-process';

const PREFIX = Ipv6Prefix.parse('2001:db8:1::/64');
const CONF = 'em0:\\\n\t:addr="2001:db8:1::":prefixlen#64:maxinterval#30:\n';

interface Lan {
  clock: VirtualClock;
  hub: Hub;
  r: KernelNode;
  h: KernelNode;
  ctx: InProcessContext;
  records: LogRecord[];
  files: Map<string, string>;
}

async function lan(conf: string | undefined = CONF): Promise<Lan> {
  const clock = new VirtualClock(EPOCH_2026_11_26);
  const hub = new Hub(clock);
  const r = newNode(clock, 'r', 1, { 'net.inet6.ip6.forwarding': 1 });
  const h = newNode(clock, 'h', 2, { 'net.inet6.ip6.accept_rtadv': 1 });
  hub.attach(r, 'em0', '02:00:00:00:00:01');
  hub.attach(h, 'em0', '02:00:00:00:00:02');
  r.ifUp('em0');
  h.ifUp('em0');
  r.addAddress('em0', Ipv6Address.parse('2001:db8:1::1'), 64);
  clock.advance(5_000); // DAD
  const { channelFactory } = serve(r);
  const client = await attachKernel({ name: 'rtadvd', channelFactory, clock, reconnect: false });
  const records: LogRecord[] = [];
  const files = new Map<string, string>();
  const ctx: InProcessContext = {
    client,
    node: 'r',
    clock,
    random: new SeededRandom(5),
    log: (rec) => void records.push(rec),
    readFile: (p) => {
      if (p === 'rtadvd.conf' && conf !== undefined) return conf;
      throw Object.assign(new Error(`${p}: no such file`), { code: 'ENOENT' });
    },
    writeFile: (p, text, o) => void files.set(p, (o?.append ? (files.get(p) ?? '') : '') + text),
  };
  return { clock, hub, r, h, ctx, records, files };
}

/** Router Lifetime of every RA the router sent (ICMPv6 type 134 right after the IPv6 header). */
function raLifetimes(l: Lan): number[] {
  return l.hub.frames
    .filter((f) => f.from === 'r' && f.frame[12] === 0x86 && f.frame[13] === 0xdd)
    .filter((f) => f.frame[20] === 58 && f.frame[54] === 134)
    .map((f) => (f.frame[60]! << 8) | f.frame[61]!);
}

const slaac = (h: KernelNode): boolean =>
  h.ifnet('em0')!.addresses.some((a) => (a.flags & IN6_IFF_AUTOCONF) !== 0 && PREFIX.contains(a.address));

describe('rtadvd inProcessMain (issue 8: daemons in a lab process)', () => {
  it('RFC 4861 6.2: reads -c through readFile and advertises; SIGUSR1 dumps through writeFile', async () => {
    const l = await lan();
    const d = await inProcessMain(['-c', 'rtadvd.conf', 'em0'], l.ctx);
    await until(() => slaac(l.h), l.clock, { stepMs: 100 });
    expect(d.status()).toBe('advertising on 1 interface');
    d.signal('SIGUSR1');
    const dump = l.files.get(rtadvdDumpName('r'))!;
    expect(dump).toContain('em0');
    expect(dump).toContain('2001:db8:1::');
    d.signal('SIGHUP'); // reload: the same config again, still advertising
    await turns(20, l.clock, 10);
    expect(d.status()).toBe('advertising on 1 interface');
    expect(l.records.some((r) => r.severity === 'err')).toBe(false);
    d.signal('SIGTERM');
    await until(() => d.status() === 'exited', l.clock, { stepMs: 100 });
    expect(await d.exited).toBe(0);
  });

  it('RFC 4861 6.2.5: stop() is SIGTERM: final RAs with Router Lifetime 0, then exit status 0', async () => {
    const l = await lan();
    const d = await inProcessMain(['-c', 'rtadvd.conf', 'em0'], l.ctx);
    await until(() => raLifetimes(l).length >= 1, l.clock, { stepMs: 100 });
    expect(raLifetimes(l)[0]).toBeGreaterThan(0);
    const before = raLifetimes(l).length;
    let code: number | undefined;
    void d.stop().then((c) => (code = c));
    await until(() => code !== undefined, l.clock, { stepMs: 100 });
    expect(code).toBe(0);
    const finals = raLifetimes(l).slice(before);
    // MAX_FINAL_RTR_ADVERTISEMENTS (3), all with a zero Router Lifetime.
    expect(finals).toEqual([0, 0, 0]);
    // Nothing after the last one: the advertising timer is gone.
    await turns(100, l.clock, 1_000);
    expect(raLifetimes(l).slice(before)).toEqual([0, 0, 0]);
  });

  it('-d sets LOG_INFO: a missing config file is reported only then, and every interface takes the defaults', async () => {
    const quiet = await lan(undefined);
    const d1 = await inProcessMain(['em0'], quiet.ctx);
    expect(quiet.records.some((r) => /no such file/.test(r.message))).toBe(false);
    d1.signal('SIGQUIT'); // no handler: ends at once, no final RAs
    expect(await d1.exited).toBe(131);

    const chatty = await lan(undefined);
    const d2 = await inProcessMain(['-d', 'em0'], chatty.ctx);
    expect(chatty.records.filter((r) => r.severity === 'info').map((r) => r.message)).toContain(
      '<getconfig> /usr/local/v6/etc/rtadvd.conf: no such file: every interface takes the defaults',
    );
    d2.signal('SIGQUIT');
    expect(await d2.exited).toBe(131);
  });

  it('usage and config errors reject with DaemonError exit status 1; --help ends at once with 0', async () => {
    const l = await lan('em0:\\\n\t:maxinterval#2:\n');
    const usage = await inProcessMain([], l.ctx).catch((e: unknown) => e);
    expect(usage).toBeInstanceOf(DaemonError);
    expect((usage as DaemonError).exitCode).toBe(1);
    expect((usage as DaemonError).message).toContain('usage: rtadvd');
    // KAME getconfig: maxinterval must be 4..1800.
    const conf = await inProcessMain(['-c', 'rtadvd.conf', 'em0'], l.ctx).catch((e: unknown) => e);
    expect(conf).toBeInstanceOf(DaemonError);
    expect((conf as DaemonError).exitCode).toBe(1);
    expect((conf as DaemonError).message).toMatch(/rtadvd\.conf:\d+: em0: maxinterval/);
    const help = await inProcessMain(['--help'], l.ctx);
    expect(await help.exited).toBe(0);
  });
});
