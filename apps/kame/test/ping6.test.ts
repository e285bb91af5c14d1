import { a6, kame, lineLab, virtualCliClock } from './support/harness';

/** ping6(8) in virtual time (reference kame-daemons.md 10.2; RFC 4443 4.1 / 4.2). */
describe('kame ping6', () => {
  let env: ReturnType<typeof lineLab>;
  beforeEach(() => {
    env = lineLab();
  });
  afterEach(() => env.lab.close());
  const ping = (...argv: string[]) =>
    kame(env.server(env.a), ['ping6', ...argv], { clock: virtualCliClock(env.clock) });

  it('RFC 4443 4.2: three echo replies across r (hlim 63), KAME summary; -i spaces the requests', async () => {
    const t0 = env.clock.now();
    const r = await ping('-c', '3', '-i', '2', '2001:db8:2::b');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PING6\(104=40\+8\+56 bytes\) --> 2001:db8:2::b\n/);
    expect(
      r.stdout.match(/^64 bytes from 2001:db8:2::b, icmp_seq=\d hlim=63 time=\d+\.\d{3} ms$/gm),
    ).toHaveLength(3);
    expect(r.stdout).toContain('3 packets transmitted, 3 packets received, 0.0% packet loss\n');
    expect(r.stdout).toMatchSnapshot();
    expect(env.clock.now() - t0).toBeGreaterThanOrEqual(4000);
  });

  it('-S picks the source (IPV6_PKTINFO): the reply comes back to that address', async () => {
    env.a.addAddress('em0', a6('2001:db8:1::a2'), 64);
    env.lab.settle();
    const r = await ping('-c', '1', '-S', '2001:db8:1::a2', '2001:db8:2::b');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PING6\(104=40\+8\+56 bytes\) 2001:db8:1::a2 --> 2001:db8:2::b\n/);
    expect(r.stdout).toContain('1 packets transmitted, 1 packets received');
    // r had to resolve 2001:db8:1::a2 to forward b's reply to it.
    const nb = env.r
      .mustIfnet('em0')
      .neighbors!.entries()
      .map((e) => e.address.toString());
    expect(nb).toContain('2001:db8:1::a2');
  });

  it('-S with an address the node does not have is EADDRNOTAVAIL (exit 1)', async () => {
    const r = await ping('-c', '1', '-S', '2001:db8:1::77', '2001:db8:2::b');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kame: EADDRNOTAVAIL: /);
  });

  it('IMPLEMENTATION 1.7: ping6 -b 70000 -s 68000 ::1 is a jumbogram on lo0 once its MTU allows it', async () => {
    const s = env.server(env.a);
    // Without a large lo0 MTU (KAME's LARGE_LOMTU) the packet cannot leave.
    const small = await ping('-c', '1', '-b', '70000', '-s', '68000', '::1');
    expect(small.code).toBe(1);
    expect(small.stderr).toMatch(/^kame: EMSGSIZE: /);
    expect((await kame(s, ['ifconfig', 'lo0', 'mtu', '131072'])).code).toBe(0);
    // Without -b the socket buffer refuses it (the reason ping6 has -b).
    const nob = await ping('-c', '1', '-s', '68000', '::1');
    expect(nob.code).toBe(1);
    expect(nob.stderr).toMatch(/^kame: EMSGSIZE: .*SO_SNDBUF/);
    const hbh = env.a.ip6stat.ip6s_nxhist[0]!;
    const r = await ping('-c', '2', '-b', '70000', '-s', '68000', '::1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PING6\(68048=40\+8\+68000 bytes\) --> ::1\n/);
    expect(r.stdout.match(/^68008 bytes from ::1, icmp_seq=\d hlim=64 time=/gm)).toHaveLength(2);
    // RFC 2675: each request and reply carried a Hop-by-Hop Jumbo Payload option.
    expect(env.a.ip6stat.ip6s_nxhist[0]! - hbh).toBe(4);
  });

  it('-h sets the hop limit: 1 expires at r (RFC 4443 3.3), 2 reaches b', async () => {
    expect((await ping('-c', '1', '-h', '1', '2001:db8:2::b')).code).toBe(1);
    expect(env.r.icmp6stat.icp6s_otime_exceed_transit).toBe(1);
    const two = await ping('-c', '1', '-h', '2', '2001:db8:2::b');
    expect(two.code).toBe(0);
    expect(two.stdout).toContain('1 packets transmitted, 1 packets received');
  });

  it('--json: the counts and round-trip times', async () => {
    const r = await kame(env.server(env.a), ['--json', 'ping6', '-c', '2', '-i', '1', '2001:db8:2::b'], {
      clock: virtualCliClock(env.clock),
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      target: string;
      transmitted: number;
      received: number;
      rtts: number[];
    };
    expect(j).toMatchObject({ target: '2001:db8:2::b', transmitted: 2, received: 2 });
    expect(j.rtts).toHaveLength(2);
    expect(j.rtts[1]).toBe(4); // 4 links of 1 ms, neighbors resolved by the first request
  });

  it('no reply: 100% loss and exit 1', async () => {
    const r = await ping('-c', '2', '-i', '0.5', '2001:db8:2::99');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 packets transmitted, 0 packets received, 100.0% packet loss\n');
  });

  it('usage errors exit 2 with a message', async () => {
    for (const argv of [
      ['-c', '0', '::1'],
      ['-s', '-1', '::1'],
      ['-s', '200000', '::1'],
      ['-b', 'big', '::1'],
      ['-h', '256', '::1'],
      ['-i', 'x', '::1'],
      ['zzz'],
      ['-S', 'not-an-address', '::1'],
      [],
    ]) {
      const r = await ping(...argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).not.toBe('');
    }
  });
});
