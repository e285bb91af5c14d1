import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ipv6Address, Ipv6Prefix, extractScope } from '@kame/addr';
import { MemoryLog, createLogger } from '@kame/daemon';
import { KernelClient, memoryPair } from '@kame/kernel-api';
import { KernelServer } from '@kame/kernel-server';
import { Hub, VxlanTransport, type PcapngFileTap } from '@kame/link';
import type { KernelNode } from '@kame/stack';
import { attachNode, waitUntil } from '@kame/testing';
import * as suite from '@kame/testing/interop';
import { LinuxHost, dadDone, randInt, realNode, tsharkFields } from '@kame/testing/interop';
import { RealClock, SeededRandom } from '@kame/time';
import { type Route6dHandle, startRoute6d } from '../../src/run';

/*
 * route6d on a kame router node (in this process, RealClock) between BIRD 2
 * and FRR ripngd, one VXLAN segment (VNI) each, both carried by one
 * VxlanTransport; the kame node's third interface is a stub hub:
 *
 *   ns B vx0 2001:db8:b0::2 (BIRD 2, rip ng, static 2001:db8:b::/48)
 *        -- VNI v   -- kame em0 2001:db8:b0::1
 *                      kame em1 2001:db8:f0::1 -- VNI v+1 -- ns F vx0 2001:db8:f0::2
 *                      kame em2 2001:db8:ca::1/64 (stub)      (FRR zebra + ripngd, route 2001:db8:f::/48)
 *
 * route6d has no knobs for its RFC 2080 timers (30 s updates, first one at
 * 10 s +-50 %), so the suite relies on requests and triggered updates: the
 * peers start first, route6d's start-up REQUEST fetches their tables at once
 * and its first update (<= 15 s) carries ours. The peers run fast timers
 * (BIRD `update time 5`, FRR `timers basic 5 180 20`: a long timeout, since
 * route6d refreshes only every 30 s). Two segments rather than one shared
 * one: two kernel vxlan devices cannot share VNI and port in the underlay
 * namespace, and this way route6d also carries BIRD's route to FRR and back.
 */

const clock = new RealClock();

const KB = '2001:db8:b0::1';
const KF = '2001:db8:f0::1';
const B = '2001:db8:b0::2';
const F = '2001:db8:f0::2';
const K_STUB = '2001:db8:ca::1';
const P_KAME = Ipv6Prefix.parse('2001:db8:ca::/64');
const P_BIRD = Ipv6Prefix.parse('2001:db8:b::/48');
const P_FRR = Ipv6Prefix.parse('2001:db8:f::/48');

const birdConf = (ifname: string): string => `router id 10.0.0.2;
log stderr all;
debug protocols { states, routes, events };
protocol device { scan time 1; }
protocol kernel { ipv6 { export where source = RTS_RIP; }; }
protocol static static1 { ipv6; route ${P_BIRD.toString()} unreachable; }
protocol rip ng ripng1 {
  ipv6 { import all; export all; };
  interface "${ifname}" { update time 5; timeout time 180; };
}
`;

const ripngdConf = (ifname: string): string => `hostname frrF
debug ripng events
debug ripng packet
router ripng
 network ${ifname}
 route ${P_FRR.toString()}
 timers basic 5 180 20
`;

/** The lines of `vtysh show ipv6 ripng` that belong to `prefix` (its line and its next-hop line). */
function ripngEntry(show: string, prefix: Ipv6Prefix): string | undefined {
  const lines = show.split('\n');
  const i = lines.findIndex((l) => l.split(/\s+/).includes(prefix.toString()));
  if (i < 0) return undefined;
  const block = [lines[i]!];
  for (const l of lines.slice(i + 1)) {
    if (/^\S/.test(l)) break;
    block.push(l);
  }
  return block.join('\n');
}

/** The metric column of a `show ipv6 ripng` entry (the number before the tag and the time). */
function ripngMetric(entry: string): number | undefined {
  const m = /\s(\d+)\s+\d+\s+(?:\d\d:\d\d|self)\s*$/m.exec(entry);
  return m ? Number(m[1]) : undefined;
}

/** Peers this suite drives beyond what describeInterop checks for. */
function missingPeers(): string[] {
  const onPath = (c: string): boolean =>
    (process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin')
      .split(':')
      .some((d) => d !== '' && existsSync(join(d, c)));
  return [
    ...['bird', 'birdc', 'vtysh'].filter((c) => !onPath(c)),
    ...['/usr/lib/frr/zebra', '/usr/lib/frr/ripngd'].filter((f) => !existsSync(f)),
  ];
}

function describeRipngInterop(title: string, body: () => void): void {
  const missing = missingPeers();
  if (missing.length === 0 || suite.interopSkipReason() !== undefined) {
    suite.describeInterop(title, body);
    return;
  }
  const why = `needs ${missing.join(', ')} (tools/interop/install.sh installs bird2 and frr)`;
  console.log(`SKIP: ${why}`);
  describe(title, () => {
    it.skip(`SKIP: ${why}`, () => undefined);
  });
}

describeRipngInterop('interop: route6d <-> BIRD 2 (rip ng) and FRR ripngd', () => {
  const host = new LinuxHost();
  let transport: VxlanTransport | undefined;
  let tap: PcapngFileTap | undefined;
  let node: KernelNode;
  let nodeLog: string[] = [];
  let server: KernelServer | undefined;
  let client: KernelClient | undefined;
  let handle: Route6dHandle | undefined;
  const rlog = new MemoryLog(2000);
  const vni1 = randInt(1000, 0x7ffff0);
  const vni2 = vni1 + 1;
  const kport = randInt(20000, 59000);
  const frrDir = join(host.workDir, 'frr-F');
  const birdCtl = join(host.workDir, 'bird-B.ctl');
  let llB = '';
  let llF = '';

  const birdc = async (...args: string[]): Promise<string> => {
    const r = await host.exec('B', 'birdc', ['-s', birdCtl, ...args], 5000);
    return r.stdout + r.stderr;
  };
  const vtysh = async (...cmds: string[]): Promise<string> => {
    const r = await host.exec(
      'F',
      'vtysh',
      ['--config_dir', frrDir, '--vty_socket', frrDir, ...cmds.flatMap((c) => ['-c', c])],
      5000,
    );
    return r.stdout + r.stderr;
  };
  const linuxRoute = (ns: string, p: Ipv6Prefix): Promise<string> =>
    host.ip(ns, '-6', 'route', 'show', p.toString());
  const fibVia = (p: Ipv6Prefix): { gw: string; ifname: string; owner: string } | undefined => {
    const rt = node.routes.get(p);
    if (!rt || rt.gateway.kind !== 'inet6') return undefined;
    const { address, ifindex } = extractScope(rt.gateway.address);
    const ifname = node.interfaces().find((i) => i.index === ifindex)?.name ?? `#${ifindex}`;
    return { gw: address.toString(), ifname, owner: rt.owner ?? '' };
  };
  const state = async (): Promise<string> =>
    `route6d:\n${handle?.dump() ?? '(not running)'}\n` +
    `route6d log:\n${rlog.lines.slice(-30).join('\n')}\n` +
    `kame FIB:\n${node.routes
      .list()
      .map((r) => `${r.dst.toString()} ${r.owner ?? ''}`)
      .join('\n')}\n` +
    `B routes:\n${await host.ip('B', '-6', 'route')}${await birdc('show', 'route')}\n` +
    `F routes:\n${await host.ip('F', '-6', 'route')}${await vtysh('show ipv6 ripng')}\n` +
    `kame log:\n${nodeLog.slice(-20).join('\n')}`;
  const linkLocalOf = async (ns: string): Promise<string> => {
    const m = /inet6 (fe80::[0-9a-f:]+)\/64/.exec(await host.addrs(ns, 'vx0'));
    if (!m) throw new Error(`no link-local address on ${ns} vx0`);
    return m[1]!;
  };

  beforeAll(async () => {
    await host.underlay();
    transport = await VxlanTransport.open({ bind: { address: host.rootAddr, port: 0 }, clock });
    const uport = transport.port;
    await suite.captureUnderlay(host, kport, uport);

    ({ node, log: nodeLog } = realNode('kame-r', { 'net.inet6.ip6.forwarding': 1 }));
    const ep1 = transport.segment(vni1, { remotes: [{ address: host.uAddr, port: kport }], learn: false });
    const ep2 = transport.segment(vni2, { remotes: [{ address: host.uAddr, port: kport }], learn: false });
    tap = suite.tapKame(host, [ep1, ep2], clock);
    attachNode(node, 'em0', '02:00:00:00:72:01', ep1);
    attachNode(node, 'em1', '02:00:00:00:72:02', ep2);
    attachNode(node, 'em2', '02:00:00:00:72:03', new Hub('stub', { clock }).attach('kame-r:em2'));
    node.addAddress('em0', Ipv6Address.parse(KB), 64);
    node.addAddress('em1', Ipv6Address.parse(KF), 64);
    node.addAddress('em2', Ipv6Address.parse(K_STUB), 64);

    for (const [ns, vni, addr, mac] of [
      ['B', vni1, B, '02:00:5e:00:72:0b'],
      ['F', vni2, F, '02:00:5e:00:72:0f'],
    ] as const) {
      await host.addNamespace(ns);
      await host.sysctl(ns, {
        'net.ipv6.conf.all.forwarding': 1,
        'net.ipv6.conf.default.dad_transmits': 1,
        'net.ipv6.conf.default.accept_ra': 0,
      });
      await host.vxlan(ns, 'vx0', { vni, kport, uport, mac });
      await host.linkUp(ns, 'vx0');
      await host.capture(`${ns}-vx0`, ns, 'vx0');
      await host.ip(ns, '-6', 'addr', 'add', `${addr}/64`, 'dev', 'vx0');
    }
    await waitUntil(
      clock,
      'DAD on kame em0-em2',
      () => dadDone(node, 'em0') && dadDone(node, 'em1') && dadDone(node, 'em2'),
      5000,
    );
    await waitUntil(
      clock,
      'DAD on B and F',
      async () =>
        !(await host.addrs('B', 'vx0')).includes('tentative') &&
        !(await host.addrs('F', 'vx0')).includes('tentative'),
      5000,
      { intervalMs: 100 },
    );
    llB = await linkLocalOf('B');
    llF = await linkLocalOf('F');

    // BIRD 2 in B.
    const bconf = host.writeFile('bird-B.conf', birdConf('vx0'));
    await host.execMust('B', 'bird', ['-p', '-c', bconf]);
    host.background('B', 'bird-B', 'bird', [
      '-f',
      '-c',
      bconf,
      '-s',
      birdCtl,
      '-P',
      join(host.workDir, 'bird-B.pid'),
    ]);
    // FRR zebra + ripngd in F, each with its own vty/pid/zserv paths (no /etc/frr, no watchfrr).
    await host.must('mkdir', ['-p', frrDir]);
    host.writeFile('frr-F/vtysh.conf', 'username root nopassword\n');
    const zserv = join(frrDir, 'zserv.api');
    const frr = (d: string, conf: string) =>
      host.background('F', `frr-F-${d}`, `/usr/lib/frr/${d}`, [
        '-u',
        'root',
        '-g',
        'root',
        '-P',
        '0',
        '-f',
        host.writeFile(`frr-F/${d}.conf`, conf),
        '-i',
        join(frrDir, `${d}.pid`),
        '--vty_socket',
        frrDir,
        '-z',
        zserv,
        '--log',
        'stdout',
        '--log-level',
        'debug',
      ]);
    frr('zebra', 'hostname frrF\n');
    await waitUntil(clock, 'zebra zserv.api', () => existsSync(zserv), 10_000, { intervalMs: 100 });
    frr('ripngd', ripngdConf('vx0'));
    await waitUntil(clock, 'ripngd vty', () => existsSync(join(frrDir, 'ripngd.vty')), 10_000, {
      intervalMs: 100,
    });
    await waitUntil(
      clock,
      'BIRD ripng1 up',
      async () => /ripng1\s+RIP\s+master6\s+up/.test(await birdc('show', 'protocols')),
      10_000,
      { intervalMs: 200 },
    );

    // route6d last: its start-up REQUEST fetches both peers' tables at once.
    server = new KernelServer(node, { name: 'kame-r', privileged: true });
    client = await KernelClient.connect({
      channelFactory: async () => {
        const [serverEnd, clientEnd] = memoryPair();
        server!.accept(serverEnd);
        return clientEnd;
      },
      name: 'route6d',
      clock,
      reconnect: false,
    });
    handle = await startRoute6d({
      client,
      clock,
      random: new SeededRandom(randInt(1, 0x7fffffff)),
      logger: createLogger({ ident: 'route6d', clock, sink: rlog.sink, upto: 'debug' }),
    });
  }, 60_000);

  afterAll(async () => {
    await handle?.stop();
    client?.close();
    tap?.close();
    await suite.teardown(host, node, transport);
  }, 30_000);

  it('RFC 2080 2.4.2: BIRD and FRR routes reach route6d and the kame FIB via the peer link-local, owner route6d', async () => {
    const e = handle!.engine;
    await waitUntil(
      clock,
      'BIRD and FRR routes in the kame FIB',
      () => fibVia(P_BIRD) !== undefined && fibVia(P_FRR) !== undefined,
      20_000,
      { detail: state, intervalMs: 100 },
    );
    expect(fibVia(P_BIRD)).toEqual({ gw: llB, ifname: 'em0', owner: 'route6d' });
    expect(fibVia(P_FRR)).toEqual({ gw: llF, ifname: 'em1', owner: 'route6d' });
    // Both peers originate at metric 1; route6d adds the interface's 1.
    expect(e.route(P_BIRD)?.metric).toBe(2);
    expect(e.route(P_FRR)?.metric).toBe(2);
    expect(e.route(P_BIRD)?.gateway.toString()).toBe(llB);
    expect(e.route(P_FRR)?.gateway.toString()).toBe(llF);
    // Real peers' packets pass every input check (and the kernel's UDP checksum check).
    expect(node.udp6stat.udp6s_badsum).toBe(0);
    const s = e.stats;
    expect(s.rxResponses).toBeGreaterThan(0);
    expect(
      s.rxMalformed + s.rxBadHopLimit + s.rxBadPort + s.rxNotLinkLocal + s.rxNoHopLimit + s.rteBadMetric,
    ).toBe(0);
  });

  it('RFC 2080 2.5: our stub prefix and the transit routes appear in BIRD, FRR and both Linux tables', async () => {
    await waitUntil(
      clock,
      'kame prefix in B and F kernel tables',
      async () =>
        (await linuxRoute('B', P_KAME)).includes('via') && (await linuxRoute('F', P_KAME)).includes('via'),
      25_000,
      { detail: state, intervalMs: 500 },
    );
    const kllB = node
      .mustIfnet('em0')
      .addresses.find((a) => a.address.isLinkLocal())!
      .address.toString();
    const kllF = node
      .mustIfnet('em1')
      .addresses.find((a) => a.address.isLinkLocal())!
      .address.toString();
    expect(await linuxRoute('B', P_KAME)).toMatch(
      new RegExp(`^${P_KAME.toString()} via ${kllB} dev vx0 proto bird`),
    );
    expect(await linuxRoute('F', P_KAME)).toMatch(
      new RegExp(`^${P_KAME.toString()} (?:nhid \\d+ )?via ${kllF} dev vx0 proto ripng`),
    );
    const bird = await birdc('show', 'route', 'all', P_KAME.toString());
    expect(bird).toMatch(new RegExp(`${P_KAME.toString()}\\s+unicast \\[ripng1 `));
    expect(bird).toMatch(new RegExp(`via ${kllB} on vx0`));
    expect(bird).toMatch(/RIP\.metric: 2\b/);
    const frrEntry = ripngEntry(await vtysh('show ipv6 ripng'), P_KAME);
    expect(frrEntry).toMatch(/^R\(n\)/);
    expect(frrEntry).toContain(kllF);
    expect(ripngMetric(frrEntry!)).toBe(2);
    // Transit: BIRD's /48 reaches FRR through route6d (metric 1 + 1 + 1) and FRR's reaches BIRD.
    await waitUntil(
      clock,
      'transit routes',
      async () =>
        (await linuxRoute('F', P_BIRD)).includes('via') && (await linuxRoute('B', P_FRR)).includes('via'),
      20_000,
      { detail: state, intervalMs: 500 },
    );
    expect(ripngMetric(ripngEntry(await vtysh('show ipv6 ripng'), P_BIRD)!)).toBe(3);
    expect(await birdc('show', 'route', 'all', P_FRR.toString())).toMatch(/RIP\.metric: 3\b/);
  });

  it('RFC 2080 2.5.1: deleting our stub address poisons the prefix (metric 16); both peers remove it', async () => {
    node.deleteAddress('em2', Ipv6Address.parse(K_STUB));
    await waitUntil(
      clock,
      'kame prefix gone from B and F',
      async () =>
        !(await linuxRoute('B', P_KAME)).includes('via') && !(await linuxRoute('F', P_KAME)).includes('via'),
      15_000,
      { detail: state, intervalMs: 250 },
    );
    expect(handle!.engine.route(P_KAME)?.metric).toBe(16);
    expect(await birdc('show', 'route', P_KAME.toString())).not.toMatch(/unicast/);
    // FRR keeps a poisoned entry for its garbage-collection time, at metric 16.
    const frrEntry = ripngEntry(await vtysh('show ipv6 ripng'), P_KAME);
    expect(frrEntry).toBeDefined();
    expect(ripngMetric(frrEntry!)).toBe(16);
  });

  it('RFC 2080 2.4.2: BIRD withdraws its static route -> poisoned; it leaves the kame FIB and FRR', async () => {
    const t0 = clock.now();
    expect(await birdc('disable', 'static1')).toMatch(/static1: disabled/);
    await waitUntil(
      clock,
      'BIRD route out of the kame FIB',
      () => node.routes.get(P_BIRD) === undefined,
      10_000,
      {
        detail: state,
        intervalMs: 50,
      },
    );
    // Poisoned, not timed out: well within RFC 2080's 180 s timeout.
    expect(clock.now() - t0).toBeLessThan(10_000);
    expect(handle!.engine.route(P_BIRD)?.metric).toBe(16);
    await waitUntil(
      clock,
      'BIRD route out of F',
      async () => !(await linuxRoute('F', P_BIRD)).includes('via'),
      15_000,
      { detail: state, intervalMs: 250 },
    );
  });

  it('RFC 2080 2.4.2: FRR withdraws its route (no route) -> it leaves the kame FIB and BIRD', async () => {
    await vtysh('configure terminal', 'router ripng', `no route ${P_FRR.toString()}`);
    await waitUntil(
      clock,
      'FRR route out of the kame FIB',
      () => node.routes.get(P_FRR) === undefined,
      10_000,
      {
        detail: state,
        intervalMs: 50,
      },
    );
    expect(handle!.engine.route(P_FRR)?.metric).toBe(16);
    await waitUntil(
      clock,
      'FRR route out of B',
      async () => !(await linuxRoute('B', P_FRR)).includes('via'),
      15_000,
      { detail: state, intervalMs: 250 },
    );
  });

  it('tshark: RIPng decoded, nothing malformed; route6d sent the stub prefix at metric 16 to both peers', async () => {
    tap?.close();
    await suite.expectCleanCaptures(host);
    for (const [ns, ifname] of [
      ['B', 'em0'],
      ['F', 'em1'],
    ] as const) {
      const src = node
        .mustIfnet(ifname)
        .addresses.find((a) => a.address.isLinkLocal())!
        .address.toString();
      const rows = await tsharkFields(
        suite.captureFile(host, `${ns}-vx0`).file,
        `ripng.cmd == 2 && ipv6.src == ${src} && ipv6.hlim == 255 && udp.srcport == 521`,
        ['ripng.rte.ipv6_prefix', 'ripng.rte.prefix_length', 'ripng.rte.metric'],
      );
      expect(rows.length).toBeGreaterThan(0);
      // Each row lists a packet's RTEs as comma-separated columns; pair them up.
      const rtes = rows.flatMap((row) => {
        const [p, l, m] = row.split('\t').map((c) => c.split(','));
        return (p ?? []).map((x, i) => `${x}/${l?.[i] ?? '?'} ${m?.[i] ?? '?'}`);
      });
      expect(rtes).toContain(`${P_KAME.address.toString()}/64 1`);
      expect(rtes).toContain(`${P_KAME.address.toString()}/64 16`);
    }
    // Replies from the peers were decoded as RIPng too.
    const peers = await tsharkFields(suite.captureFile(host, 'B-vx0').file, `ripng && ipv6.src == ${llB}`, [
      'ripng.cmd',
    ]);
    expect(peers.length).toBeGreaterThan(0);
  });
});
