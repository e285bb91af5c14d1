import { Ipv6Address, MacAddress, linkLocalFromMac } from '@kame/addr';
import { VxlanTransport, type PcapngFileTap } from '@kame/link';
import type { KernelNode } from '@kame/stack';
import { RealClock } from '@kame/time';
import { attachNode, ping, startRaSender, waitUntil, type RaSender } from '../../src/index';
import {
  LinuxHost,
  tsharkFields,
  addrLine,
  dadDone,
  isDuplicated,
  randInt,
  realNode,
  received,
} from '../../src/interop';
import * as suite from '../../src/interop/suite';

/*
 * One kame host and one Linux host (namespace L) on one Ethernet link:
 *
 *   jest process (root ns)                  ns U                         ns L
 *   KernelNode em0 -- VxlanTransport  <-- veth 169.254.x.1/30 --> vxlan socket :KPORT ... vx0 (Linux)
 *                    rootAddr:UPORT                  .2/30
 */

const clock = new RealClock();

const K_MAC = '02:00:00:00:4b:01';
const L_MAC = '02:00:5e:00:4c:01';
const K_LL = linkLocalFromMac(MacAddress.parse(K_MAC)).toString();
const L_LL = linkLocalFromMac(MacAddress.parse(L_MAC)).toString();
const K_GLOBAL = '2001:db8:1::1';
const L_GLOBAL = '2001:db8:1::2';

suite.describeInterop('interop: kame host <-> Linux host over kernel VXLAN', () => {
  const host = new LinuxHost();
  let transport: VxlanTransport | undefined;
  let node: KernelNode;
  let nodeLog: string[] = [];
  let ra: RaSender | undefined;
  let tap: PcapngFileTap | undefined;
  const vni = randInt(1000, 0xffffff);
  const kport = randInt(20000, 59000);

  /** ip -6 addr + route of L, for failure messages. */
  const linuxState = async () =>
    `${await host.addrs('L', 'vx0')}${await host.ip('L', '-6', 'route', 'show')}\nkame log:\n${nodeLog.slice(-20).join('\n')}`;

  beforeAll(async () => {
    await host.underlay();
    await host.addNamespace('L');
    // Defaults are copied to vx0 when it enters L: quick RS, one DAD probe, accept RAs.
    await host.sysctl('L', {
      'net.ipv6.conf.default.accept_ra': 1,
      'net.ipv6.conf.default.accept_dad': 1,
      'net.ipv6.conf.default.dad_transmits': 1,
      'net.ipv6.conf.default.router_solicitation_delay': 0,
      'net.ipv6.conf.default.router_solicitation_interval': 1,
    });
    transport = await VxlanTransport.open({ bind: { address: host.rootAddr, port: 0 }, clock });
    await host.vxlan('L', 'vx0', { vni, kport, uport: transport.port, mac: L_MAC });
    await suite.captureUnderlay(host, kport, transport.port);

    ({ node, log: nodeLog } = realNode('kame'));
    const endpoint = transport.segment(vni, {
      remotes: [{ address: host.uAddr, port: kport }],
      learn: false,
    });
    tap = suite.tapKame(host, endpoint, clock);
    attachNode(node, 'em0', K_MAC, endpoint);
    node.addAddress('em0', Ipv6Address.parse(K_GLOBAL), 64);
    await host.linkUp('L', 'vx0');
    // tcpdump needs the device up; the outer capture already sees everything from the start.
    await host.capture('L-vx0', 'L', 'vx0');
    await host.ip('L', '-6', 'addr', 'add', `${L_GLOBAL}/64`, 'dev', 'vx0');
    await waitUntil(clock, 'DAD on kame em0', () => dadDone(node, 'em0'), 5000);
    await waitUntil(
      clock,
      'DAD on Linux vx0',
      async () => !(await host.addrs('L', 'vx0')).includes('tentative'),
      5000,
      { detail: linuxState },
    );
  }, 30_000);

  afterAll(async () => {
    ra?.stop();
    tap?.close();
    await suite.teardown(host, node, transport);
  }, 30_000);

  it('(a) Linux pings the kame link-local and global address; kame pings Linux back', async () => {
    for (const dst of [`${K_LL}%vx0`, K_GLOBAL]) {
      const r = await host.exec('L', 'ping', ['-6', '-c', '3', '-i', '0.2', '-W', '2', dst], 10_000);
      expect(`${dst}: ${received(r.stdout)} received`).toBe(`${dst}: 3 received`);
    }
    const ll = await ping(node, L_LL, { ifname: 'em0', timeoutMs: 3000 });
    expect(ll.from.toString()).toBe(L_LL);
    expect(ll.dataMatches).toBe(true);
    const g = await ping(node, L_GLOBAL, { timeoutMs: 3000, sequence: 2 });
    expect(g.from.toString()).toBe(L_GLOBAL);
    expect(g.hopLimit).toBe(64);
  });

  it('(b) kame (forwarding=1) sends RAs with 2001:db8:77::/64 L+A; Linux does SLAAC and takes a default route via kame', async () => {
    node.sysctl.set('net.inet6.ip6.forwarding', 1);
    ra = startRaSender(node, 'em0', {
      prefixes: [{ prefix: '2001:db8:77::/64', onLink: true, autonomous: true }],
      routerLifetime: 1800,
      intervalMs: 1000,
    });
    const slaac = linkLocalFromMac(MacAddress.parse(L_MAC))
      .toString()
      .replace(/^fe80::/, '2001:db8:77::');
    await waitUntil(
      clock,
      `SLAAC ${slaac} and a default route via ${K_LL}`,
      async () => {
        const a = await host.addrs('L', 'vx0');
        const rt = await host.ip('L', '-6', 'route', 'show', 'default');
        return (
          new RegExp(`inet6 ${slaac}/64 scope global dynamic`).test(a) &&
          rt.includes(`default via ${K_LL} dev vx0 proto ra`)
        );
      },
      10_000,
      { detail: linuxState },
    );
    expect(ra.sent).toBeGreaterThan(0);
    // The SLAAC address is usable: kame reaches it (on-link 2001:db8:77::/64 on kame too).
    node.addAddress('em0', Ipv6Address.parse('2001:db8:77::1'), 64);
    await waitUntil(clock, 'DAD of 2001:db8:77::1', () => dadDone(node, 'em0'), 5000);
    const r = await ping(node, slaac, { timeoutMs: 3000, sequence: 3 });
    expect(r.from.toString()).toBe(slaac);
  });

  it('(c) DAD both ways: kame marks an address Linux owns duplicated; Linux marks one kame owns dadfailed', async () => {
    await host.ip('L', '-6', 'addr', 'add', '2001:db8:99::1/64', 'dev', 'vx0');
    await waitUntil(
      clock,
      'Linux DAD of 2001:db8:99::1',
      async () => {
        const line = addrLine(await host.addrs('L', 'vx0'), '2001:db8:99::1/64');
        return line !== undefined && !line.includes('tentative');
      },
      5000,
      { detail: linuxState },
    );
    node.addAddress('em0', Ipv6Address.parse('2001:db8:99::1'), 64);
    await waitUntil(
      clock,
      'kame marks 2001:db8:99::1 duplicated',
      () => isDuplicated(node, 'em0', '2001:db8:99::1'),
      5000,
      {
        detail: linuxState,
      },
    );

    node.addAddress('em0', Ipv6Address.parse('2001:db8:98::1'), 64);
    await waitUntil(clock, 'kame DAD of 2001:db8:98::1', () => dadDone(node, 'em0'), 5000);
    expect(isDuplicated(node, 'em0', '2001:db8:98::1')).toBe(false);
    await host.ip('L', '-6', 'addr', 'add', '2001:db8:98::1/64', 'dev', 'vx0');
    await waitUntil(
      clock,
      'Linux marks 2001:db8:98::1 dadfailed',
      async () => addrLine(await host.addrs('L', 'vx0'), '2001:db8:98::1/64')?.includes('dadfailed') === true,
      5000,
      { detail: linuxState },
    );
  });

  it('(d) full-size 1500-byte packets (DF) and fragmented 4000-byte pings, both directions', async () => {
    const big = await host.exec(
      'L',
      'ping',
      ['-6', '-c', '2', '-i', '0.2', '-W', '2', '-s', '1452', '-M', 'do', K_GLOBAL],
      10_000,
    );
    expect(big.stdout).toContain(`1460 bytes from ${K_GLOBAL}`);
    expect(received(big.stdout)).toBe(2);
    const frag = await host.exec(
      'L',
      'ping',
      ['-6', '-c', '2', '-i', '0.2', '-W', '2', '-s', '4000', K_GLOBAL],
      10_000,
    );
    expect(frag.stdout).toContain(`4008 bytes from ${K_GLOBAL}`);
    expect(received(frag.stdout)).toBe(2);

    const fragmentedBefore = node.ip6stat.ip6s_fragmented;
    const r1500 = await ping(node, L_GLOBAL, { size: 1452, timeoutMs: 3000, sequence: 10 });
    expect([r1500.bytes, r1500.dataMatches]).toEqual([1452, true]);
    expect(node.ip6stat.ip6s_fragmented).toBe(fragmentedBefore);
    const r4000 = await ping(node, L_GLOBAL, { size: 4000, timeoutMs: 3000, sequence: 11 });
    expect([r4000.bytes, r4000.dataMatches]).toEqual([4000, true]);
    expect(node.ip6stat.ip6s_fragmented).toBe(fragmentedBefore + 1);
  });

  it('(f) tshark finds no malformed frames in any capture', async () => {
    ra?.stop();
    tap?.close();
    await suite.expectCleanCaptures(host);
    // The checks looked inside: VXLAN decoded on the underlay, fragments and RAs seen in L.
    const outer = suite.captureFile(host, 'outer');
    expect(
      (await tsharkFields(outer.file, 'vxlan && icmpv6', ['frame.number'], outer.decodeAs)).length,
    ).toBeGreaterThan(10);
    const inner = suite.captureFile(host, 'L-vx0').file;
    expect((await tsharkFields(inner, 'ipv6.fraghdr', ['frame.number'])).length).toBeGreaterThanOrEqual(12);
    const pio = await tsharkFields(inner, 'icmpv6.type == 134', [
      'icmpv6.opt.prefix',
      'icmpv6.nd.ra.router_lifetime',
    ]);
    expect(pio[0]).toBe('2001:db8:77::\t1800');
  });
});
