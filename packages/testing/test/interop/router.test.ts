import { Ipv6Address } from '@kame/addr';
import { VxlanTransport, type PcapngFileTap } from '@kame/link';
import type { KernelNode } from '@kame/stack';
import { RealClock } from '@kame/time';
import { attachNode, waitUntil } from '../../src/index';
import { LinuxHost, tsharkFields, dadDone, randInt, realNode, received } from '../../src/interop';
import * as suite from '../../src/interop/suite';

/*
 * A kame router between two Linux hosts, one VXLAN segment (VNI) each, both
 * carried by one VxlanTransport:
 *
 *   ns L1 vx0 (2001:db8:a1::2) -- VNI a -- kame em0 (2001:db8:a1::1)
 *                                          kame em1 (2001:db8:a2::1) -- VNI b -- ns L2 vx0 (2001:db8:a2::2)
 */

const clock = new RealClock();

const L1 = '2001:db8:a1::2';
const L2 = '2001:db8:a2::2';
const K1 = '2001:db8:a1::1';
const K2 = '2001:db8:a2::1';

suite.describeInterop('interop: kame router between two Linux hosts', () => {
  const host = new LinuxHost();
  let transport: VxlanTransport | undefined;
  let tap: PcapngFileTap | undefined;
  let node: KernelNode;
  let nodeLog: string[] = [];
  const vni1 = randInt(1000, 0x7fffff);
  const vni2 = vni1 + 1;
  const kport = randInt(20000, 59000);

  const state = async () =>
    `L1:\n${await host.ip('L1', '-6', 'addr')}${await host.ip('L1', '-6', 'route')}` +
    `L2:\n${await host.ip('L2', '-6', 'addr')}${await host.ip('L2', '-6', 'route')}` +
    `kame log:\n${nodeLog.slice(-20).join('\n')}`;

  beforeAll(async () => {
    await host.underlay();
    transport = await VxlanTransport.open({ bind: { address: host.rootAddr, port: 0 }, clock });
    const uport = transport.port;
    await suite.captureUnderlay(host, kport, uport);

    ({ node, log: nodeLog } = realNode('kame-r', { 'net.inet6.ip6.forwarding': 1 }));
    const ep1 = transport.segment(vni1, { remotes: [{ address: host.uAddr, port: kport }], learn: false });
    const ep2 = transport.segment(vni2, { remotes: [{ address: host.uAddr, port: kport }], learn: false });
    // Kame-side capture of both interfaces.
    tap = suite.tapKame(host, [ep1, ep2], clock);
    attachNode(node, 'em0', '02:00:00:00:52:01', ep1);
    attachNode(node, 'em1', '02:00:00:00:52:02', ep2);
    node.addAddress('em0', Ipv6Address.parse(K1), 64);
    node.addAddress('em1', Ipv6Address.parse(K2), 64);

    for (const [ns, vni, addr, gw, mac] of [
      ['L1', vni1, L1, K1, '02:00:5e:00:51:01'],
      ['L2', vni2, L2, K2, '02:00:5e:00:51:02'],
    ] as const) {
      await host.addNamespace(ns);
      await host.sysctl(ns, {
        'net.ipv6.conf.default.dad_transmits': 1,
        'net.ipv6.conf.default.accept_ra': 0,
      });
      await host.vxlan(ns, 'vx0', { vni, kport, uport, mac });
      await host.linkUp(ns, 'vx0');
      await host.capture(`${ns}-vx0`, ns, 'vx0');
      await host.ip(ns, '-6', 'addr', 'add', `${addr}/64`, 'dev', 'vx0');
      await host.ip(ns, '-6', 'route', 'add', 'default', 'via', gw, 'dev', 'vx0');
    }
    await waitUntil(clock, 'DAD on kame em0/em1', () => dadDone(node, 'em0') && dadDone(node, 'em1'), 5000);
    await waitUntil(
      clock,
      'DAD on L1 and L2',
      async () =>
        !(await host.addrs('L1', 'vx0')).includes('tentative') &&
        !(await host.addrs('L2', 'vx0')).includes('tentative'),
      5000,
      { detail: state },
    );
  }, 30_000);

  afterAll(async () => {
    tap?.close();
    await suite.teardown(host, node, transport);
  }, 30_000);

  it('(e) forwards pings between L1 and L2 with the hop limit decremented', async () => {
    const fwd0 = node.ip6stat.ip6s_forward;
    const r12 = await host.exec('L1', 'ping', ['-6', '-c', '3', '-i', '0.2', '-W', '2', L2], 10_000);
    expect(received(r12.stdout)).toBe(3);
    // The reply left L2 with hop limit 64 and crossed one router.
    expect(r12.stdout).toMatch(new RegExp(`bytes from ${L2}: icmp_seq=\\d+ ttl=63 `));
    const r21 = await host.exec('L2', 'ping', ['-6', '-c', '3', '-i', '0.2', '-W', '2', L1], 10_000);
    expect(received(r21.stdout)).toBe(3);
    expect(r21.stdout).toMatch(new RegExp(`bytes from ${L1}: icmp_seq=\\d+ ttl=63 `));
    expect(node.ip6stat.ip6s_forward - fwd0).toBe(12);
    // Link-local sources are never forwarded; the router's own addresses answer from both sides.
    const rk = await host.exec('L1', 'ping', ['-6', '-c', '1', '-W', '2', K2], 5000);
    expect(rk.stdout).toMatch(new RegExp(`bytes from ${K2}: icmp_seq=1 ttl=64 `));
  });

  it('(e) answers Packet Too Big toward a 1280-byte link; Linux learns path MTU 1280', async () => {
    node.setMtu('em1', 1280);
    const r = await host.exec(
      'L1',
      'ping',
      ['-6', '-c', '3', '-i', '0.3', '-W', '1', '-s', '1400', '-M', 'do', L2],
      10_000,
    );
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toMatch(/Packet too big: mtu=1280|message too long, mtu[=:] ?1280/);
    expect(node.icmp6stat.icp6s_outhist[2]).toBeGreaterThanOrEqual(1);
    const route = await host.ip('L1', '-6', 'route', 'get', L2);
    expect(route).toMatch(/\bmtu 1280\b/);
    // Packets that fit still get through.
    const ok = await host.exec(
      'L1',
      'ping',
      ['-6', '-c', '1', '-W', '2', '-s', '1200', '-M', 'do', L2],
      5000,
    );
    expect(received(ok.stdout)).toBe(1);
  });

  it('(f) tshark finds no malformed frames in any capture; L2 saw the requests with hop limit 63', async () => {
    tap?.close();
    await suite.expectCleanCaptures(host);
    const l2 = suite.captureFile(host, 'L2-vx0');
    const hlims = await tsharkFields(l2.file, `icmpv6.type == 128 && ipv6.src == ${L1}`, ['ipv6.hlim']);
    expect(hlims.length).toBeGreaterThanOrEqual(3);
    expect(new Set(hlims)).toEqual(new Set(['63']));
    const ptb = await tsharkFields(suite.captureFile(host, 'L1-vx0').file, 'icmpv6.type == 2', [
      'ipv6.src',
      'icmpv6.mtu',
    ]);
    // ipv6.src lists the outer header first, then the quoted invoking packet's.
    expect(ptb[0]).toBe(`${K1},${L1}\t1280`);
  });
});
