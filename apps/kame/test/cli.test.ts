import { MacAddress } from '@kame/addr';
import { memoryPair } from '@kame/kernel-api';
import { KernelServer } from '@kame/kernel-server';
import { KernelNode } from '@kame/stack';
import { SeededRandom, VirtualClock } from '@kame/time';
import { run } from '../src/cli';

function setup(privileged = true) {
  const clock = new VirtualClock();
  const node = new KernelNode({ name: 'r1', clock, random: new SeededRandom(7) });
  node.attachEthernet('em0', MacAddress.parse('02:00:00:00:00:0a'), { output: () => undefined });
  node.ifUp('em0');
  clock.advance(5000);
  const server = new KernelServer(node, { name: 'r1', privileged });
  return { node, server };
}

async function kame(server: KernelServer, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    channelFactory: () => {
      const [a, b] = memoryPair();
      server.accept(a);
      return Promise.resolve(b);
    },
  });
  return { code, stdout, stderr };
}

describe('kame', () => {
  it('ifconfig em0 prints the KAME form', async () => {
    const { server } = setup();
    const r = await kame(server, 'ifconfig', 'em0');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^em0: flags=8041<UP,RUNNING,MULTICAST> mtu 1500\n/);
    expect(r.stdout).toContain('\tether 02:00:00:00:00:0a\n');
    expect(r.stdout).toMatch(/\tinet6 fe80::[0-9a-f:]+%em0 prefixlen 64 scopeid 0x[0-9a-f]+\n/);
    expect(r.stdout).toMatchSnapshot();
  });

  it('ifconfig -a lists every interface; --json gives objects', async () => {
    const { server } = setup();
    const r = await kame(server, 'ifconfig', '-a');
    expect(r.stdout).toMatchSnapshot();
    const j = await kame(server, '--json', 'ifconfig', '-a');
    const parsed = JSON.parse(j.stdout) as { name: string; mtu: number; addresses: unknown[] }[];
    expect(parsed.map((i) => i.name)).toContain('em0');
    expect(parsed.find((i) => i.name === 'em0')).toMatchObject({ mtu: 1500, ether: '02:00:00:00:00:0a' });
  });

  it('ifconfig gif0 create / destroy (cloned interfaces); em0 cannot be destroyed', async () => {
    const { server } = setup();
    expect((await kame(server, 'ifconfig', 'gif0', 'create')).code).toBe(0);
    expect((await kame(server, 'ifconfig', '-a')).stdout).toMatch(
      /^gif0: flags=[0-9a-f]+<[A-Z,]*POINTOPOINT[A-Z,]*> mtu 1280$/m,
    );
    expect((await kame(server, 'ifconfig', 'gif0', 'destroy')).code).toBe(0);
    expect((await kame(server, 'ifconfig', '-a')).stdout).not.toContain('gif0');
    const bad = await kame(server, 'ifconfig', 'em0', 'destroy');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/EINVAL/);
    expect((await kame(server, 'ifconfig', 'em9', 'create')).code).toBe(2);
  });

  it('adds and deletes an inet6 address, sets mtu and down', async () => {
    const { server } = setup();
    expect((await kame(server, 'ifconfig', 'em0', 'inet6', '2001:db8::1', 'prefixlen', '64')).code).toBe(0);
    expect((await kame(server, 'ifconfig', 'em0')).stdout).toContain('inet6 2001:db8::1 prefixlen 64');
    expect((await kame(server, 'ifconfig', 'em0', 'inet6', '2001:db8::1', '-alias')).code).toBe(0);
    expect((await kame(server, 'ifconfig', 'em0')).stdout).not.toContain('2001:db8::1 ');
    expect((await kame(server, 'ifconfig', 'em0', 'mtu', '1400')).code).toBe(0);
    expect((await kame(server, 'ifconfig', 'em0')).stdout).toContain('mtu 1400');
    expect((await kame(server, 'ifconfig', 'em0', 'down')).code).toBe(0);
    expect((await kame(server, 'ifconfig', 'em0')).stdout).not.toMatch(/<UP/);
  });

  it('sysctl get, set, list and json', async () => {
    const { server } = setup();
    expect((await kame(server, 'sysctl', 'net.inet6.ip6.forwarding')).stdout).toBe(
      'net.inet6.ip6.forwarding: 0\n',
    );
    expect((await kame(server, 'sysctl', 'net.inet6.ip6.forwarding=1')).stdout).toBe(
      'net.inet6.ip6.forwarding: 0 -> 1\n',
    );
    const j = await kame(server, '--json', 'sysctl', 'net.inet6.ip6.forwarding');
    expect(JSON.parse(j.stdout)).toEqual([{ name: 'net.inet6.ip6.forwarding', value: 1 }]);
    const all = await kame(server, 'sysctl', '-a');
    expect(all.stdout).toContain('net.inet6.ip6.forwarding: 1\n');
    expect(all.stdout).toMatchSnapshot();
  });

  it('route add / show / delete', async () => {
    const { server } = setup();
    const add = await kame(server, 'route', 'add', '-inet6', '2001:db8::/64', 'fe80::1%em0');
    expect(add).toMatchObject({ code: 0, stderr: '' });
    const show = await kame(server, 'route', '-n', 'show');
    expect(show.stdout).toMatch(/2001:db8::\/64\s+fe80::1%em0\s+UG[A-Z]*\s+em0/);
    expect(show.stdout).toMatchSnapshot();
    const j = await kame(server, '--json', 'route', 'show');
    expect(JSON.parse(j.stdout)).toContainEqual(
      expect.objectContaining({ destination: '2001:db8::/64', gateway: 'fe80::1%em0', interface: 'em0' }),
    );
    expect((await kame(server, 'route', 'delete', '-inet6', '2001:db8::/64')).code).toBe(0);
    expect((await kame(server, 'route', 'show')).stdout).not.toContain('2001:db8::/64');
  });

  it('maps kernel errors to stderr with the errno, exit 1', async () => {
    const { server } = setup();
    const r = await kame(server, 'ifconfig', 'nosuch0');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kame: E[A-Z]+: /);
    const s = await kame(server, 'sysctl', 'no.such.name');
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/^kame: ENOENT: /);
    const d = await kame(server, 'route', 'delete', '2001:db8:9::/64');
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/^kame: ESRCH: /);
  });

  it('EPERM on the read-only server', async () => {
    const { server } = setup(false);
    const r = await kame(server, 'sysctl', 'net.inet6.ip6.forwarding=1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kame: EPERM: /);
  });

  it('usage errors exit 2', async () => {
    const { server } = setup();
    expect((await kame(server, 'frobnicate')).code).toBe(2);
    expect((await kame(server, 'ifconfig', 'em0', 'mtu', 'x')).code).toBe(2);
    expect((await kame(server, 'route', 'add', 'zzz', 'fe80::1%em0')).code).toBe(2);
    expect((await kame(server, 'ping6', '-c', '0', 'fe80::1')).code).toBe(2);
    expect((await kame(server)).code).toBe(2);
  });
});
