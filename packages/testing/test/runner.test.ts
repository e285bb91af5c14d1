import { RealClock } from '@kame/time';
import { ping, runUntil, startVxlanNode, type RunningNode } from '../src/index';

/*
 * Two node runners talking VXLAN over 127.0.0.1 (userland to userland; no
 * root needed). DAD is off so the test only waits for the real round trips.
 */
describe('startVxlanNode (real time, loopback UDP)', () => {
  const running: RunningNode[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) await r.close();
  });

  const start = (name: string, mac: string, address: string) =>
    startVxlanNode({
      name,
      bind: { address: '127.0.0.1', port: 0 },
      seed: 1,
      sysctl: { 'net.inet6.ip6.dad_count': 0 },
      interfaces: [{ ifname: 'em0', mac, vni: 4242, remotes: [], addresses: [address] }],
    });

  it('two runners on one VNI ping each other and close their sockets', async () => {
    const a = await start('a', '02:00:00:00:00:0a', '2001:db8::a/64');
    running.push(a);
    const b = await start('b', '02:00:00:00:00:0b', '2001:db8::b/64');
    running.push(b);
    a.transport.get(4242)!.addRemote({ address: '127.0.0.1', port: b.port });
    b.transport.get(4242)!.addRemote({ address: '127.0.0.1', port: a.port });
    expect(a.ports[0]!.ifp.running).toBe(true);
    // The first ping resolves b (KAME holds one packet per unresolved neighbor), the second is fragmented.
    await ping(a.node, '2001:db8::b', { timeoutMs: 2000 });
    const reply = await ping(a.node, '2001:db8::b', { timeoutMs: 2000, size: 3000, sequence: 2 });
    expect([reply.from.toString(), reply.bytes, reply.dataMatches]).toEqual(['2001:db8::b', 3000, true]);
    expect(b.node.reassembler.stats.ip6s_reassembled).toBe(1);
    await a.close();
    expect(a.transport.isOpen).toBe(false);
    expect(await runUntil(new RealClock(), () => !a.ports[0]!.ifp.up, 1000)).toBe(true);
  });
});
