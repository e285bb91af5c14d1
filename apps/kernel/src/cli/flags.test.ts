import { join } from 'node:path';
import { buildProgram, parseCommandLine, type CliResult, type Invocation } from './flags';

const FIXTURE = join(__dirname, '../../test/fixtures/two-routers.node');
const VX = 'em0,vni=4242,bind=127.0.0.1:0,remote=127.0.0.1:4790';

function parse(argv: string[], env: NodeJS.ProcessEnv = {}): { r: CliResult; out: string; err: string } {
  let out = '';
  let err = '';
  const r = parseCommandLine(argv, { out: (s) => (out += s), err: (s) => (err += s) }, env);
  return { r, out, err };
}

function run(argv: string[], env: NodeJS.ProcessEnv = {}): Invocation {
  const { r, err } = parse(argv, env);
  if (r.kind !== 'run') throw new Error(`exit ${r.code}: ${err}`);
  return r.invocation;
}

describe('kame-kernel flags', () => {
  it('--help prints the synopsis to stdout and exits 0', () => {
    const { r, out } = parse(['--help']);
    expect(r).toEqual({ kind: 'exit', code: 0 });
    expect(out).toContain('Usage: kame-kernel [options]');
    for (const f of [
      '--node-file',
      '--node',
      '--if',
      '--sysctl',
      '--seed',
      '--pcap',
      '--log-level',
      '--foreground',
      '--ping',
      '--rundir',
      '--no-ipc',
    ])
      expect(out).toContain(f);
    expect(buildProgram().name()).toBe('kame-kernel');
  });

  it('one node from flags alone: --if with every key, --sysctl, --route, --seed, --pcap, --log-level', () => {
    const inv = run([
      '--node',
      'r1',
      '--if',
      'em0,vni=7,bind=[::1]:4789,remote=[::1]:4790,remote=127.0.0.1:4791,mac=02:00:00:00:00:01,mtu=9000,addr=2001:db8::1/64,addr=2001:db8:1::1/48',
      '--if',
      'em1,hub=lan,down,delay=5ms,loss=0.5%,rate=1mbit',
      '--sysctl',
      'net.inet6.ip6.forwarding=1',
      '--route',
      'default,fe80::1%em0',
      '--route',
      '2001:db8:9::/64,interface=em1',
      '--seed',
      '42',
      '--pcap',
      '/tmp/caps',
      '--log-level',
      'debug',
      '--foreground',
    ]);
    expect(inv.config.nodes).toHaveLength(1);
    const n = inv.config.nodes[0]!;
    expect(n.name).toBe('r1');
    expect(n.sysctl).toEqual({ 'net.inet6.ip6.forwarding': 1 });
    expect(n.interfaces[0]).toMatchObject({ name: 'em0', mtu: 9000, up: true });
    expect(n.interfaces[0]!.mac?.toString()).toBe('02:00:00:00:00:01');
    expect(n.interfaces[0]!.addresses.map((a) => a.prefixLength)).toEqual([64, 48]);
    expect(n.interfaces[0]!.link).toEqual({
      kind: 'vxlan',
      vni: 7,
      bind: { address: '::1', port: 4789 },
      remotes: [
        { address: '::1', port: 4790 },
        { address: '127.0.0.1', port: 4791 },
      ],
    });
    expect(n.interfaces[1]).toMatchObject({ name: 'em1', up: false, link: { kind: 'hub', name: 'lan' } });
    expect(n.interfaces[1]?.impair).toEqual({ delayMs: 5, loss: 0.005, rateBitsPerSecond: 1e6 });
    expect(n.routes.map((r) => r.gateway)).toEqual([
      { kind: 'inet6', address: expect.anything(), ifname: 'em0' },
      { kind: 'link', ifname: 'em1' },
    ]);
    expect(inv).toMatchObject({
      seed: 42,
      pcapDir: '/tmp/caps',
      logLevel: 'debug',
      foreground: true,
      ping: undefined,
    });
  });

  it('the node name defaults to $KAME_NODE, then "kame"', () => {
    expect(run(['--if', VX], { KAME_NODE: 'envnode' }).config.nodes[0]!.name).toBe('envnode');
    expect(run(['--if', VX]).config.nodes[0]!.name).toBe('kame');
  });

  it('--rundir defaults to $KAME_RUNDIR, then /tmp/kame-UID; --no-ipc turns the sockets off', () => {
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    expect(run(['--if', VX])).toMatchObject({ rundir: `/tmp/kame-${uid}`, ipc: true });
    expect(run(['--if', VX], { KAME_RUNDIR: '/run/k' })).toMatchObject({ rundir: '/run/k', ipc: true });
    expect(run(['--if', VX, '--rundir', '/var/k', '--no-ipc'], { KAME_RUNDIR: '/run/k' })).toMatchObject({
      rundir: '/var/k',
      ipc: false,
    });
  });

  it('--node-file runs every node; --node picks one; --if, --sysctl add to it', () => {
    expect(run(['--node-file', FIXTURE]).config.nodes.map((n) => n.name)).toEqual(['r1', 'h1']);
    const inv = run([
      '--node-file',
      FIXTURE,
      '--node',
      'h1',
      '--if',
      'em5,hub=other',
      '--sysctl',
      'net.inet6.ip6.dad_count=0',
    ]);
    expect(inv.config.nodes.map((n) => n.name)).toEqual(['h1']);
    expect(inv.config.nodes[0]!.interfaces.map((i) => i.name)).toEqual(['em0', 'em5']);
    expect(inv.config.nodes[0]!.sysctl).toEqual({ 'net.inet6.ip6.dad_count': 0 });
  });

  it('--ping with --count, --interval, --wait and --then-run', () => {
    const inv = run([
      '--if',
      VX,
      '--ping',
      'fe80::1%em0',
      '--count',
      '5',
      '--interval',
      '100',
      '--wait',
      '300',
      '--then-run',
    ]);
    expect(inv.ping).toMatchObject({ node: 'kame', count: 5, intervalMs: 100, waitMs: 300, thenRun: true });
    expect(inv.ping!.target.toString()).toBe('fe80::1%em0');
    expect(run(['--if', VX, '--ping', '2001:db8::1']).ping).toMatchObject({
      count: 3,
      intervalMs: 1000,
      waitMs: 2000,
    });
  });

  /** [name, argv, stderr fragment] — every one exits 2 with a message on stderr. */
  const BAD: [string, string[], string][] = [
    ['unknown option', ['--bogus'], "unknown option '--bogus'"],
    ['excess argument', ['--if', VX, 'extra'], 'too many arguments'],
    ['missing option value', ['--if'], "option '--if <spec>' argument missing"],
    ['nothing to run', [], 'nothing to run; expected --node-file FILE or at least one --if'],
    ['bad --if name', ['--if', '0em,hub=x'], "bad interface name '0em'"],
    ['--if unknown key', ['--if', 'em0,colour=red'], 'colour: unknown key'],
    ['--if bare word', ['--if', 'em0,sideways'], 'expected KEY=VALUE or up/down'],
    ['--if missing vni', ['--if', 'em0,bind=127.0.0.1:1,remote=127.0.0.1:2'], 'vni: missing'],
    ['--if missing bind', ['--if', 'em0,vni=1,remote=127.0.0.1:2'], 'bind: missing'],
    ['--if missing remote', ['--if', 'em0,vni=1,bind=127.0.0.1:1'], 'remote: missing'],
    ['--if hub plus vni', ['--if', 'em0,hub=x,vni=1'], 'a hub interface takes no vni'],
    ['--if vni twice', ['--if', 'em0,vni=1,vni=2'], 'vni: given twice'],
    ['--if bad mtu', ['--if', 'em0,hub=x,mtu=100'], 'mtu: MTU must be an integer 1280..65535'],
    ['--if bad mac', ['--if', 'em0,hub=x,mac=zz'], 'mac: invalid MAC address'],
    ['--if bad loss', ['--if', 'em0,hub=x,loss=2'], 'impair: bad probability "2"'],
    ['--if bad addr', ['--if', 'em0,hub=x,addr=2001:db8::1'], 'addr: invalid IPv6 prefix'],
    [
      '--if bad remote',
      ['--if', 'em0,vni=1,bind=127.0.0.1:1,remote=127.0.0.1'],
      'remote: 127.0.0.1: missing port',
    ],
    ['--if family mismatch', ['--if', 'em0,vni=1,bind=127.0.0.1:1,remote=[::1]:2'], 'is IPv6 but bind'],
    ['--if duplicate name', ['--if', 'em0,hub=x', '--if', 'em0,hub=y'], 'already has em0'],
    [
      '--if same socket and vni',
      ['--if', `${VX}`, '--if', VX.replace('em0', 'em1')],
      'is also used by kame:em0',
    ],
    ['bad --sysctl', ['--if', VX, '--sysctl', 'net.inet6.ip6.nope=1'], 'ENOENT'],
    ['--sysctl without value', ['--if', VX, '--sysctl', 'net.inet6.ip6.forwarding'], 'expected NAME=VALUE'],
    ['bad --seed', ['--if', VX, '--seed', '-1'], 'seed must be an integer'],
    [
      'bad --log-level',
      ['--if', VX, '--log-level', 'loud'],
      'Allowed choices are err, warning, notice, info, debug',
    ],
    ['bad --node', ['--node', 'a/b', '--if', VX], "--node: bad node name 'a/b'"],
    ['empty --rundir', ['--if', VX, '--rundir', ''], '--rundir: empty; expected a directory'],
    ['bad --route', ['--if', VX, '--route', 'default'], 'expected DEST,GATEWAY'],
    [
      '--route to a missing interface',
      ['--if', VX, '--route', 'default,fe80::1%em7'],
      'has no interface em7',
    ],
    ['bad --ping address', ['--if', VX, '--ping', 'nowhere'], 'expected an IPv6 address'],
    ['--ping link-local without zone', ['--if', VX, '--ping', 'fe80::1'], 'needs its interface'],
    ['--ping zone not an interface', ['--if', VX, '--ping', 'fe80::1%em3'], 'has no interface em3'],
    ['bad --count', ['--if', VX, '--ping', '::1', '--count', '0'], 'count must be an integer 1..1000'],
    [
      'missing node file',
      ['--node-file', '/nonexistent.node'],
      '/nonexistent.node:0: file: cannot read (ENOENT)',
    ],
    ['--node not in the file', ['--node-file', FIXTURE, '--node', 'zz'], 'no node zz in'],
    ['--if with a multi-node file', ['--node-file', FIXTURE, '--if', 'em9,hub=x'], '--if needs --node NAME'],
  ];

  it.each(BAD)('%s: exit 2 and a message on stderr', (_name, argv, fragment) => {
    const { r, err, out } = parse(argv);
    expect(r).toEqual({ kind: 'exit', code: 2 });
    expect(err).toContain(fragment);
    expect(out).toBe('');
  });

  it('a node-file error is reported as FILE:LINE: KEY: on stderr', () => {
    const { r, err } = parse(['--node-file', join(__dirname, '../../test/fixtures/bad.node')]);
    expect(r).toEqual({ kind: 'exit', code: 2 });
    expect(err).toMatch(/bad\.node:4: mtu: MTU must be an integer 1280\.\.65535, got '99'/);
  });
});
