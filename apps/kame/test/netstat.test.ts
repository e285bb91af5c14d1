import { kame, lineLab, virtualCliClock } from './support/harness';

/** netstat(1) -rn / -s / -i; wording of packages/stack/src/stats (KAME netstat -s). */
describe('kame netstat', () => {
  let env: ReturnType<typeof lineLab>;
  beforeEach(() => {
    env = lineLab();
  });
  afterEach(() => env.lab.close());

  const pingB = async () => {
    const p = await kame(env.server(env.a), ['ping6', '-c', '2', '-i', '0.5', '2001:db8:2::b'], {
      clock: virtualCliClock(env.clock),
    });
    expect(p.code).toBe(0);
  };

  it('netstat -rn -f inet6: Destination Gateway Flags Netif Expire', async () => {
    const r = await kame(env.server(env.a), ['netstat', '-rn']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Routing tables\n\nInternet6:\nDestination +Gateway +Flags +Netif +Expire\n/);
    expect(r.stdout).toMatch(/\ndefault +2001:db8:1::1 +UG +em0\n/);
    expect(r.stdout).toMatchSnapshot();
    for (const argv of [['-r', '-n', '-f', 'inet6'], ['-rnf', 'inet6'], ['-rn', '-finet6'], ['-r']]) {
      expect(await kame(env.server(env.a), ['netstat', ...argv])).toEqual(r);
    }
  });

  it('netstat -s -p ip6 on the forwarding router counts forwarded packets (RFC 8200 3 hop limit path)', async () => {
    await pingB();
    const r = await kame(env.server(env.r), ['netstat', '-s', '-p', 'ip6']);
    expect(r.stdout).toMatch(/^ip6:\n\t\d+ total packets received\n/);
    const fwd = /\t(\d+) packets forwarded\n/.exec(r.stdout);
    expect(Number(fwd?.[1])).toBe(env.r.ip6stat.ip6s_forward);
    expect(env.r.ip6stat.ip6s_forward).toBeGreaterThanOrEqual(4); // 2 requests + 2 replies
    expect(r.stdout).toMatch(/\tInput histogram:\n(\t\t[^\n]+\n)*\t\tICMP6: \d+\n/);
    expect(r.stdout).toMatchSnapshot();
  });

  it('netstat -s -p icmp6: histograms name the types; counts match the kernel', async () => {
    await pingB();
    const r = await kame(env.server(env.a), ['netstat', '-s', '-p', 'icmp6']);
    expect(r.stdout).toMatch(/\tInput histogram:\n(\t\t[^\n]+\n)*\t\techo reply: 2\n/);
    expect(r.stdout).toContain('\tHistogram of error messages to be generated:\n\t\t0 no route\n');
    expect(r.stdout).toContain(`\t${env.a.icmp6stat.icp6s_reflect} message responses generated\n`);
    expect(r.stdout).toMatchSnapshot();
    const j = JSON.parse(
      (await kame(env.server(env.a), ['--json', 'netstat', '-s', '-p', 'icmp6'])).stdout,
    ) as {
      name: string;
      histograms: Record<string, Record<string, number>>;
    }[];
    expect(j).toHaveLength(1);
    expect(j[0]).toMatchObject({ name: 'icmp6', histograms: { icp6s_inhist: { '129': 2 } } });
  });

  it('netstat -s -p udp6 after traceroute6 probes: "datagrams output"; -s alone shows ip6, icmp6, udp6, rip6', async () => {
    await kame(env.server(env.a), ['traceroute6', '-n', '-q', '1', '2001:db8:2::b'], {
      clock: virtualCliClock(env.clock),
    });
    const u = await kame(env.server(env.a), ['netstat', '-s', '-p', 'udp6']);
    expect(u.stdout).toBe(
      [
        'udp6:',
        '\t0 datagrams received',
        '\t0 with incomplete header',
        '\t0 with bad data length field',
        '\t0 with bad checksum',
        '\t0 with no checksum',
        '\t0 dropped due to no socket',
        '\t0 multicast datagrams dropped due to no socket',
        '\t0 dropped due to full socket buffers',
        '\t0 delivered',
        '\t2 datagrams output',
        '',
      ].join('\n'),
    );
    const b = await kame(env.server(env.b), ['netstat', '-s', '-p', 'udp6']);
    expect(b.stdout).toContain('\t1 datagram received\n');
    expect(b.stdout).toContain('\t1 dropped due to no socket\n');
    const all = await kame(env.server(env.a), ['netstat', '-s']);
    expect(all.stdout.split('\n').filter((l) => /^\w+:$/.test(l))).toEqual([
      'ip6:',
      'icmp6:',
      'udp6:',
      'rip6:',
    ]);
  });

  it('netstat -i: a <Link#N> row and one row per address with the interface counters', async () => {
    await pingB();
    const r = await kame(env.server(env.a), ['netstat', '-i']);
    const c = env.a.mustIfnet('em0').counters;
    expect(r.stdout).toMatch(/^Name +Mtu +Network +Address +Ipkts +Ierrs +Opkts +Oerrs +Coll\n/);
    expect(r.stdout).toMatch(
      new RegExp(`\\nem0 +1500 <Link#2> +02:00:00:00:01:0a +${c.ipackets} +0 +${c.opackets} +0 +0\\n`),
    );
    expect(r.stdout).toMatch(/\nem0 +1500 2001:db8:1::\/64 +2001:db8:1::a +\d+/);
    expect(r.stdout).toMatch(/\nem0 +1500 fe80::%em0\/64 +fe80::ff:fe00:10a%em0 +\d+/);
    expect(r.stdout).toMatchSnapshot();
    const j = JSON.parse((await kame(env.server(env.a), ['--json', 'netstat', '-i'])).stdout) as object[];
    expect(j).toContainEqual(expect.objectContaining({ name: 'em0', mtu: 1500, ipackets: c.ipackets }));
  });

  it('usage errors exit 2', async () => {
    for (const argv of [
      [],
      ['-x'],
      ['-r', '-s'],
      ['-s', '-p', 'tcp'],
      ['-rn', '-f', 'inet'],
      ['-s', '-p'],
      ['foo'],
    ]) {
      const r = await kame(env.server(env.a), ['netstat', ...argv]);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).toMatch(/^kame: netstat: /);
    }
  });
});
