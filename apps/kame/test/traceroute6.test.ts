import { Ipv6Prefix } from '@kame/addr';
import { kame, lineLab, virtualCliClock } from './support/harness';

/** traceroute6(8) on the line a - r - b in virtual time (1 ms per frame). */
describe('kame traceroute6', () => {
  let env: ReturnType<typeof lineLab>;
  beforeEach(() => {
    env = lineLab();
  });
  afterEach(() => env.lab.close());
  const trace = (node: 'a' | 'b', ...argv: string[]) =>
    kame(env.server(env[node]), ['traceroute6', ...argv], { clock: virtualCliClock(env.clock) });

  it('RFC 4443 3.3 / 3.1: hop 1 is r (Time Exceeded), hop 2 is b (port unreachable), then it stops', async () => {
    const r = await trace('a', '-n', '2001:db8:2::b');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'traceroute6 to 2001:db8:2::b (2001:db8:2::b) from 2001:db8:1::a, 30 hops max, 20 byte packets\n',
    );
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ 1 {2}2001:db8:1::1 {2}\d+\.\d{3} ms {2}\d+\.\d{3} ms {2}\d+\.\d{3} ms$/);
    expect(lines[1]).toMatch(/^ 2 {2}2001:db8:2::b {2}\d+\.\d{3} ms {2}\d+\.\d{3} ms {2}\d+\.\d{3} ms$/);
    expect(r.stdout).toMatchSnapshot();
    expect(env.r.icmp6stat.icp6s_otime_exceed_transit).toBe(3);
    expect(env.b.icmp6stat.icp6s_odst_unreach_noport).toBe(3);
  });

  it('round-trip times follow the links: 2 ms to r, 4 ms to b once neighbors are resolved', async () => {
    await trace('a', '-n', '2001:db8:2::b'); // resolves every neighbor on the way
    const r = await trace('a', '-n', '2001:db8:2::b');
    expect(r.stdout).toBe(
      ' 1  2001:db8:1::1  2.000 ms  2.000 ms  2.000 ms\n 2  2001:db8:2::b  4.000 ms  4.000 ms  4.000 ms\n',
    );
  });

  it('without -n each new address is printed as "name (address)"; -q and -m are honoured', async () => {
    const r = await trace('a', '-q', '1', '-m', '1', '2001:db8:2::b');
    expect(r.stderr).toContain(', 1 hops max, ');
    expect(r.stdout).toMatch(/^ 1 {2}2001:db8:1::1 \(2001:db8:1::1\) {2}\d+\.\d{3} ms\n$/);
  });

  it('a silent hop prints "*" after -w seconds of virtual time', async () => {
    // b loses its route back: its port unreachable never reaches a.
    env.b.routes.delete(Ipv6Prefix.DEFAULT);
    const t0 = env.clock.now();
    const r = await trace('a', '-n', '-m', '2', '-q', '2', '-w', '3', '2001:db8:2::b');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ 1 {2}2001:db8:1::1 {2}\d+\.\d{3} ms {2}\d+\.\d{3} ms\n 2 {2}\* \*\n$/);
    expect(env.clock.now() - t0).toBeGreaterThanOrEqual(6000);
  });

  it('RFC 4443 3.1 code 0: no route at r is annotated !N (hop 2: hop 1 expires first) and ends the trace', async () => {
    const r = await trace('a', '-n', '2001:db8:99::1');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ 1 {2}2001:db8:1::1 {2}\d+\.\d{3} ms {2}\d+\.\d{3} ms {2}\d+\.\d{3} ms$/);
    expect(lines[1]).toMatch(
      /^ 2 {2}2001:db8:1::1 {2}\d+\.\d{3} ms !N {2}\d+\.\d{3} ms !N {2}\d+\.\d{3} ms !N$/,
    );
    expect(lines.slice(2)).toEqual(['']);
  });

  it('--json gives the hops', async () => {
    const r = await kame(env.server(env.a), ['--json', 'traceroute6', '-n', '-q', '1', '2001:db8:2::b'], {
      clock: virtualCliClock(env.clock),
    });
    expect(JSON.parse(r.stdout)).toMatchObject({
      target: '2001:db8:2::b',
      source: '2001:db8:1::a',
      reached: true,
      hops: [
        { hop: 1, probes: [{ address: '2001:db8:1::1' }] },
        { hop: 2, probes: [{ address: '2001:db8:2::b' }] },
      ],
    });
  });

  it('usage errors exit 2; an unknown zone is an errno (exit 1)', async () => {
    for (const argv of [
      [],
      ['zzz'],
      ['-m', '0', '2001:db8:2::b'],
      ['-q', 'x', '2001:db8:2::b'],
      ['-w', '-1', '2001:db8:2::b'],
      ['-f', '5', '-m', '3', '2001:db8:2::b'],
    ]) {
      const r = await trace('a', ...argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).not.toBe('');
    }
    const z = await trace('a', 'fe80::1%nosuch0');
    expect(z.code).toBe(1);
    expect(z.stderr).toMatch(/^kame: E[A-Z]+: /);
  });
});
