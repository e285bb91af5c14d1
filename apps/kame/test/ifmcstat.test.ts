import { a6, kame, lineLab } from './support/harness';

/** ifmcstat(8): groups joined per interface (RFC 4291 2.8 all-nodes, solicited-node; RFC 2464 7 MAC). */
describe('kame ifmcstat', () => {
  let env: ReturnType<typeof lineLab>;
  beforeEach(() => {
    env = lineLab();
  });
  afterEach(() => env.lab.close());

  it('RFC 4861 7.2.1: em0 has joined ff02::1 and the solicited-node group of each address', async () => {
    const r = await kame(env.server(env.a), ['ifmcstat', '-i', 'em0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^em0:\n\tinet6 fe80::ff:fe00:10a%em0\n/);
    expect(r.stdout).toContain(
      '\t\tgroup ff02::1%em0 refcnt 1\n\t\t\tmcast-macaddr 33:33:00:00:00:01 refcnt 1\n',
    );
    expect(r.stdout).toContain(
      '\t\tgroup ff02::1:ff00:a%em0 refcnt 1\n\t\t\tmcast-macaddr 33:33:ff:00:00:0a refcnt 1\n',
    );
    expect(r.stdout).toContain(
      '\t\tgroup ff02::1:ff00:10a%em0 refcnt 1\n\t\t\tmcast-macaddr 33:33:ff:00:01:0a refcnt 1\n',
    );
    expect(r.stdout).toMatchSnapshot();
  });

  it('every interface without -i; lo0 has no Ethernet group address (RFC 2464 7 is Ethernet only)', async () => {
    const r = await kame(env.server(env.r), ['ifmcstat']);
    expect(r.stdout.split('\n').filter((l) => /^\w+:$/.test(l))).toEqual(['lo0:', 'em0:', 'em1:']);
    expect(r.stdout).toMatch(
      /^lo0:\n\tinet6 fe80::1%lo0\n\t\tgroup ff01::1%lo0 refcnt 1\n\t\tgroup ff02::1%lo0 refcnt 1\nem0:\n/,
    );
    expect(r.stdout).toMatchSnapshot();
    const j = JSON.parse((await kame(env.server(env.r), ['--json', 'ifmcstat', '-i', 'em1'])).stdout) as {
      groups: { group: string; refcnt: number; mcastMacaddr: string; macRefcnt: number }[];
    }[];
    expect(j[0]!.groups).toContainEqual({
      group: 'ff02::1:ff00:1%em1',
      refcnt: 1,
      mcastMacaddr: '33:33:ff:00:00:01',
      macRefcnt: 1,
    });
  });

  it('a group joined later appears (link-scope with its zone, site-scope without); errors', async () => {
    const s = env.server(env.a);
    const before = await kame(s, ['ifmcstat', '-i', 'em0']);
    expect(before.stdout).not.toContain('ff02::1:2');
    const em0 = env.a.mustIfnet('em0');
    env.a.joinGroup(em0, a6('ff02::1:2'));
    env.a.joinGroup(em0, a6('ff05::1:3'));
    // Joined twice (two sockets); ff12::1:2 shares ff02::1:2's Ethernet group address (RFC 2464 7).
    env.a.joinGroup(em0, a6('ff02::1:2'));
    env.a.joinGroup(em0, a6('ff12::1:2'));
    const after = await kame(s, ['ifmcstat', '-i', 'em0']);
    expect(after.stdout).toContain(
      '\t\tgroup ff02::1:2%em0 refcnt 2\n\t\t\tmcast-macaddr 33:33:00:01:00:02 refcnt 2\n',
    );
    expect(after.stdout).toContain(
      '\t\tgroup ff05::1:3 refcnt 1\n\t\t\tmcast-macaddr 33:33:00:01:00:03 refcnt 1\n',
    );
    const none = await kame(s, ['ifmcstat', '-i', 'nosuch0']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^kame: E[A-Z]+: /);
    for (const argv of [['-i'], ['-x'], ['-f', 'inet'], ['em0']]) {
      const r = await kame(s, ['ifmcstat', ...argv]);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).toMatch(/^kame: ifmcstat: /);
    }
  });
});
