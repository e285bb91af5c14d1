import { sendPing } from '@kame/testing';
import { kame, routerHostLab } from './support/harness';

/** ndp(8), reference kame-daemons.md 10.1; RFC 4861 for the tables it shows. */
describe('kame ndp', () => {
  let env: Awaited<ReturnType<typeof routerHostLab>>;
  beforeEach(async () => {
    env = await routerHostLab();
  });
  afterEach(() => env.lab.close());

  it('ndp -a: KAME columns; RFC 4861 7.3.3: the router pinged is in DELAY with the R flag', async () => {
    const r = await kame(env.server(env.h), ['ndp', '-a']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      `${'Neighbor'.padEnd(36)} ${'Linklayer Address'.padEnd(17)}  Netif Expire    S Flags`,
    );
    expect(lines[1]).toMatch(/^fe80::ff:fe00:1%em0 +02:00:00:00:00:01 +em0 \d+s +D R$/);
    expect(r.stdout).toMatchSnapshot();
    const j = await kame(env.server(env.h), ['--json', 'ndp', '-a']);
    expect(JSON.parse(j.stdout)).toEqual([
      expect.objectContaining({
        neighbor: 'fe80::ff:fe00:1%em0',
        lladdr: '02:00:00:00:00:01',
        interface: 'em0',
        state: 'D',
        flags: 'R',
      }),
    ]);
  });

  it('ndp -a: RFC 4861 7.3.3: DELAY becomes REACHABLE (R) after the probe is answered', async () => {
    env.lab.run(10_000);
    for (const argv of [['-an'], ['-n', '-a']]) {
      const r = await kame(env.server(env.h), ['ndp', ...argv]);
      expect(r.stdout).toMatch(/fe80::ff:fe00:1%em0 +02:00:00:00:00:01 +em0 +\S+ +R R\n/);
    }
  });

  it('ndp -a: RFC 4861 7.2.2: an unanswered resolution is (incomplete), state I, with its NS count', async () => {
    sendPing(env.h, 'fe80::99', { ifname: 'em0' }).result.catch(() => undefined);
    env.lab.run(1500); // RetransTimer 1 s: the second NS has gone out
    const r = await kame(env.server(env.h), ['ndp', '-a']);
    expect(r.stdout).toMatch(/\nfe80::99%em0 +\(incomplete\) +em0 +\S+ +I +2\n/);
    const j = JSON.parse((await kame(env.server(env.h), ['--json', 'ndp', '-a'])).stdout) as object[];
    expect(j).toContainEqual(
      expect.objectContaining({ neighbor: 'fe80::99%em0', lladdr: null, state: 'I', probes: 2 }),
    );
  });

  it('ndp -p: RFC 4861 6.3.4 prefix list with L/A flags, lifetimes and the advertising router', async () => {
    const r = await kame(env.server(env.h), ['ndp', '-p']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2001:db8:77::\/64 if=em0\nflags=LA vltime=\d+, pltime=\d+, expire=\S+\n/);
    expect(r.stdout).toContain('  advertised by\n    fe80::ff:fe00:1%em0 (reachable)\n');
    expect(r.stdout).toMatchSnapshot();
    const j = await kame(env.server(env.h), ['--json', 'ndp', '-p']);
    expect(JSON.parse(j.stdout)).toEqual([
      expect.objectContaining({ prefix: '2001:db8:77::/64', interface: 'em0', flags: 'LA' }),
    ]);
  });

  it('ndp -r: RFC 4861 6.3.4 default router list (router lifetime 1800 s, RFC 4191 preference)', async () => {
    const r = await kame(env.server(env.h), ['ndp', '-r']);
    expect(r.stdout).toMatch(/^fe80::ff:fe00:1%em0 if=em0, flags=, pref=medium, expire=29m\d+s\n$/);
    expect(r.stdout).toMatchSnapshot();
    const j = await kame(env.server(env.h), ['--json', 'ndp', '-r']);
    expect(JSON.parse(j.stdout)).toEqual([
      expect.objectContaining({ address: 'fe80::ff:fe00:1%em0', preference: 'medium', installed: true }),
    ]);
  });

  it('ndp -i em0: nd_ifinfo (RFC 4861 6.3.2 BaseReachableTime 30 s, RetransTimer 1 s); setting basereachable', async () => {
    const s = env.server(env.h);
    const r = await kame(s, ['ndp', '-i', 'em0']);
    expect(r.stdout).toMatch(
      /^linkmtu=0, maxmtu=1500, curhlim=64, basereachable=30s0ms, reachable=\d+s, retrans=1s0ms\nFlags: nud accept_rtadv\n$/,
    );
    expect(r.stdout).toMatchSnapshot();
    const set = await kame(s, ['ndp', '-i', 'em0', 'basereachable=20000', 'retrans=2500']);
    expect(set.stdout).toMatch(/basereachable=20s0ms, reachable=\d+s, retrans=2s500ms/);
    expect(env.h.mustIfnet('em0').nd.basereachable).toBe(20_000);
    const bad = await kame(s, ['ndp', '-i', 'em0', 'basereachable=x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^kame: ndp -i: basereachable: expected an integer/);
    const flags = await kame(s, ['ndp', '-i', 'em0', '--', '-nud']);
    expect(flags.code).toBe(1);
    expect(flags.stderr).toMatch(/^kame: EOPNOTSUPP: /);
  });

  it('ndp -I: show, set and delete the default interface', async () => {
    const s = env.server(env.h);
    expect((await kame(s, ['ndp', '-I'])).stdout).toBe("ND default interface isn't set\n");
    expect((await kame(s, ['ndp', '-I', 'em0'])).stdout).toBe('ND default interface = em0\n');
    expect(env.h.nd6.defaultInterface).toBe(env.h.mustIfnet('em0').index);
    expect(JSON.parse((await kame(s, ['--json', 'ndp', '-I'])).stdout)).toEqual({ interface: 'em0' });
    expect((await kame(s, ['ndp', '-I', 'delete'])).stdout).toBe("ND default interface isn't set\n");
    const bad = await kame(s, ['ndp', '-I', 'nosuch0']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^kame: E[A-Z]+: /);
  });

  it('ndp -d removes one entry; a second delete is ESRCH', async () => {
    const s = env.server(env.h);
    const d = await kame(s, ['ndp', '-d', 'fe80::ff:fe00:1%em0']);
    expect(d).toEqual({ code: 0, stdout: 'fe80::ff:fe00:1%em0 (fe80::ff:fe00:1%em0) deleted\n', stderr: '' });
    expect((await kame(s, ['ndp', '-a'])).stdout).not.toContain('fe80::ff:fe00:1%em0');
    const again = await kame(s, ['ndp', '-d', 'fe80::ff:fe00:1%em0']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^kame: ESRCH: /);
  });

  it('ndp -c flushes the cache and names what it deleted', async () => {
    const s = env.server(env.h);
    const c = await kame(s, ['ndp', '-c']);
    expect(c.stdout).toBe('fe80::ff:fe00:1%em0 (fe80::ff:fe00:1%em0) deleted\n');
    expect(env.h.mustIfnet('em0').neighbors?.size).toBe(0);
  });

  it('ndp HOST shows one entry; an unknown one is "-- no entry"', async () => {
    const s = env.server(env.h);
    const one = await kame(s, ['ndp', 'fe80::ff:fe00:1%em0']);
    expect(one.stdout.split('\n')[1]).toMatch(/^fe80::ff:fe00:1%em0 +02:00:00:00:00:01 +em0 /);
    expect(one.stdout.split('\n')).toHaveLength(3);
    const none = await kame(s, ['ndp', '-n', 'fe80::99%em0']);
    expect(none).toEqual({ code: 0, stdout: 'fe80::99%em0 (fe80::99%em0) -- no entry\n', stderr: '' });
  });

  it('ndp -R / -P flush the default router and prefix lists (the SLAAC address goes with its prefix)', async () => {
    const s = env.server(env.h);
    expect((await kame(s, ['ndp', '-r'])).stdout).not.toBe('');
    expect(await kame(s, ['ndp', '-R'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await kame(s, ['ndp', '-r'])).stdout).toBe('');
    expect(await kame(s, ['ndp', '-P'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await kame(s, ['--json', 'ndp', '-p'])).stdout).toBe('[]\n');
    expect((await kame(s, ['ifconfig', 'em0'])).stdout).not.toMatch(/inet6 2001:db8:/);
  });

  it('ndp -s: a permanent entry (link-local by zone, global by route); temp/proxy are refused', async () => {
    const s = env.server(env.h);
    expect(await kame(s, ['ndp', '-s', 'fe80::9%em0', '02:00:00:00:00:09'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    const one = await kame(s, ['ndp', '-n', 'fe80::9%em0']);
    expect(one.stdout.split('\n')[1]).toMatch(/^fe80::9%em0 +02:00:00:00:00:09 +em0 +permanent /);
    expect((await kame(s, ['ndp', '-s', '2001:db8:1::77', '02:00:00:00:00:77'])).code).toBe(0);
    expect((await kame(s, ['ndp', '-n', '2001:db8:1::77'])).stdout).toMatch(
      /02:00:00:00:00:77 +em0 +permanent/,
    );
    const t = await kame(s, ['ndp', '-s', 'fe80::8%em0', '02:00:00:00:00:08', 'temp']);
    expect(t.code).toBe(1);
    expect(t.stderr).toBe('kame: EOPNOTSUPP: ndp -s: temp entries are not supported\n');
  });

  it('usage errors exit 2 with a message', async () => {
    const s = env.server(env.h);
    for (const argv of [
      ['ndp'],
      ['ndp', '-x'],
      ['ndp', '-d'],
      ['ndp', '-d', 'zzz'],
      ['ndp', '-a', 'extra'],
      ['ndp', '-s', 'fe80::1%em0', 'not-a-mac'],
      ['ndp', '-s', 'fe80::1%em0'],
    ]) {
      const r = await kame(s, argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).toMatch(/^kame: ndp/);
    }
  });
});
