import { Ipv6Prefix, MacAddress } from '@kame/addr';
import { a6, kame, lineLab, routeVia } from './support/harness';

/** route(8) get / change / flush / monitor and the gateway forms of IMPLEMENTATION 1.3.3. */
describe('kame route', () => {
  let env: ReturnType<typeof lineLab>;
  beforeEach(() => {
    env = lineLab();
  });
  afterEach(() => env.lab.close());

  it('IMPLEMENTATION 1.3.3: the embedded gateway fe80:2::1 is fe80::1 on interface 2', async () => {
    const s = env.server(env.a);
    const add = await kame(s, ['route', 'add', '-inet6', '2001:db8:5::/64', 'fe80:2::1']);
    expect(add).toEqual({ code: 0, stdout: 'add net 2001:db8:5::/64: gateway fe80:2::1\n', stderr: '' });
    const add2 = await kame(s, ['route', 'add', '-inet6', '2001:db8:6::/64', 'fe80::1%em0']);
    expect(add2.code).toBe(0);
    const show = await kame(s, ['--json', 'route', 'show']);
    const rows = JSON.parse(show.stdout) as { destination: string; gateway: string; interface: string }[];
    expect(
      rows.filter(
        (r) => r.destination.startsWith('2001:db8:5::') || r.destination.startsWith('2001:db8:6::'),
      ),
    ).toEqual([
      expect.objectContaining({ destination: '2001:db8:5::/64', gateway: 'fe80::1%em0', interface: 'em0' }),
      expect.objectContaining({ destination: '2001:db8:6::/64', gateway: 'fe80::1%em0', interface: 'em0' }),
    ]);
    // The kernel keeps both in kernel form, fe80:2::1.
    expect(env.a.routes.get(Ipv6Prefix.parse('2001:db8:5::/64'))?.gateway).toMatchObject({
      kind: 'inet6',
      address: a6('fe80:2::1'),
    });
  });

  it('an embedded index no interface has is ENXIO; a link-local gateway without a zone is EINVAL', async () => {
    const s = env.server(env.a);
    const r = await kame(s, ['route', 'add', '2001:db8:6::/64', 'fe80:9::1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kame: ENXIO: /);
    const z = await kame(s, ['route', 'add', '2001:db8:7::/64', 'fe80::1']);
    expect(z.code).toBe(1);
    expect(z.stderr).toMatch(/^kame: EINVAL: /);
    const both = await kame(s, ['route', 'add', '2001:db8:7::/64', 'fe80:3::1%em0']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^kame: route add: fe80:3::1%em0: embedded index 3 differs from the zone/);
  });

  it('route change replaces the gateway (RTM_CHANGE)', async () => {
    const s = env.server(env.a);
    await kame(s, ['route', 'add', '2001:db8:5::/64', 'fe80::1%em0']);
    const c = await kame(s, ['route', 'change', '2001:db8:5::/64', 'fe80::2%em0']);
    expect(c).toEqual({ code: 0, stdout: 'change net 2001:db8:5::/64: gateway fe80::2%em0\n', stderr: '' });
    expect((await kame(s, ['route', 'show'])).stdout).toMatch(/2001:db8:5::\/64 +fe80::2%em0 +UGS +em0\n/);
    const none = await kame(s, ['route', 'change', '2001:db8:99::/64', 'fe80::2%em0']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^kame: ESRCH: /);
    expect((await kame(s, ['route', 'change', '2001:db8:5::/64'])).code).toBe(2);
  });

  it('route get: the longest match (RTM_GET), BSD layout', async () => {
    const s = env.server(env.a);
    const g = await kame(s, ['route', 'get', '2001:db8:2::b']);
    expect(g.stdout).toBe(
      [
        '   route to: 2001:db8:2::b',
        'destination: default',
        '       mask: default',
        '    gateway: 2001:db8:1::1',
        '  interface: em0',
        '      flags: <UP,GATEWAY>',
        '      owner: kernel',
        '     expire: 0',
        '',
      ].join('\n'),
    );
    const ll = await kame(s, ['route', 'get', 'fe80::1234%em0']);
    expect(ll.stdout).toContain(
      'destination: fe80::%em0\n       mask: ffff:ffff:ffff:ffff::\n    gateway: link#2\n',
    );
    expect(ll.stdout).toMatchSnapshot();
    const j = JSON.parse((await kame(s, ['--json', 'route', 'get', '2001:db8:1::77'])).stdout) as object;
    expect(j).toMatchObject({
      destination: '2001:db8:1::',
      prefixLength: 64,
      gateway: 'link#2',
      interface: 'em0',
    });
    const none = await kame(env.server(env.r), ['route', 'get', '2001:db8:99::1']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^kame: ESRCH: /);
    expect((await kame(s, ['route', 'get'])).code).toBe(2);
    expect((await kame(s, ['route', 'get', 'zzz'])).code).toBe(2);
  });

  it('route flush removes the gateway routes of route(8) only (owner static)', async () => {
    const s = env.server(env.a);
    await kame(s, ['route', 'add', '2001:db8:5::/64', 'fe80::1%em0']);
    await kame(s, ['route', 'add', '2001:db8:8::/64', '-interface', 'em0']);
    const f = await kame(s, ['route', 'flush']);
    expect(f).toEqual({ code: 0, stdout: '2001:db8:5::/64 fe80::1%em0 done\n', stderr: '' });
    const show = (await kame(s, ['route', 'show'])).stdout;
    expect(show).not.toContain('2001:db8:5::/64');
    expect(show).toMatch(/2001:db8:8::\/64 +link#2 +US +em0/); // not a gateway route
    expect(show).toMatch(/default +2001:db8:1::1 +UG +em0/); // not route(8)'s
    expect((await kame(s, ['route', 'flush', 'extra'])).code).toBe(2);
  });

  it('route monitor prints RTM_ADD, RTM_NEWADDR, RTM_IFANNOUNCE, RTM_IFINFO as they happen (--count)', async () => {
    const a = env.a;
    let stop: (() => void) | undefined;
    const r = await kame(env.server(a), ['route', 'monitor', '--count', '4'], {
      ready: () => {
        routeVia(a, '2001:db8:9::/64', '2001:db8:1::1', 2);
        a.addAddress('em0', a6('2001:db8:1::99'), 64);
        a.attachEthernet('em1', MacAddress.parse('02:00:00:00:09:09'), { output: () => undefined });
        a.ifUp('em1');
      },
      onInterrupt: (f) => {
        stop = f;
        return () => undefined;
      },
    });
    expect(r.code).toBe(0);
    expect(stop).toBeDefined();
    const heads = r.stdout.split('\n').filter((l) => l.startsWith('RTM_'));
    expect(heads.map((l) => l.split(':')[0])).toEqual([
      'RTM_ADD',
      'RTM_NEWADDR',
      'RTM_IFANNOUNCE',
      'RTM_IFINFO',
    ]);
    expect(r.stdout).toContain(
      'sockaddrs: <DST,GATEWAY,NETMASK>\n 2001:db8:9:: 2001:db8:1::1 ffff:ffff:ffff:ffff::\n',
    );
    expect(r.stdout).toMatchSnapshot();
  });

  it('route monitor --json prints one object per line; SIGINT (the interrupt hook) ends it with 0', async () => {
    const a = env.a;
    let stop: (() => void) | undefined;
    const r = await kame(env.server(a), ['--json', 'route', 'monitor'], {
      ready: () => {
        routeVia(a, '2001:db8:9::/64', '2001:db8:1::1', 2);
        setImmediate(() => setImmediate(() => setImmediate(() => stop?.())));
      },
      onInterrupt: (f) => {
        stop = f;
        return () => undefined;
      },
    });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as object)).toEqual([
      expect.objectContaining({ type: 'RTM_ADD', destination: '2001:db8:9::/64', gateway: '2001:db8:1::1' }),
    ]);
  });

  it('usage: unknown verb, bad --count, missing destination exit 2', async () => {
    const s = env.server(env.a);
    for (const argv of [
      ['route'],
      ['route', 'frob'],
      ['route', 'monitor', '--count', '0'],
      ['route', 'monitor', 'x'],
      ['route', 'add'],
      ['route', 'add', '2001:db8::/64', 'fe80::1%em0', 'extra'],
      ['route', 'add', '2001:db8::/64', 'not-an-address'],
    ]) {
      const r = await kame(s, argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).toMatch(/^kame: route/);
    }
  });
});
