import {
  autoMac,
  effectiveSysctls,
  labHash,
  naturalCompare,
  parseLab,
  resolveLab,
  roleSysctls,
  startOrder,
  type Lab,
} from './index';

const y = (...lines: string[]): string => lines.join('\n') + '\n';
const resolve = (...lines: string[]): Lab => resolveLab(parseLab(y(...lines), 'lab.yaml'));

describe('IMPLEMENTATION 1.4.2: the role table', () => {
  it('router = forwarding 1, accept_rtadv 0; host = forwarding 0, accept_rtadv 1', () => {
    expect(roleSysctls('kame', 'router')).toEqual([
      { name: 'net.inet6.ip6.forwarding', value: 1, source: 'role' },
      { name: 'net.inet6.ip6.accept_rtadv', value: 0, source: 'role' },
    ]);
    expect(roleSysctls('kame', 'host')).toEqual([
      { name: 'net.inet6.ip6.forwarding', value: 0, source: 'role' },
      { name: 'net.inet6.ip6.accept_rtadv', value: 1, source: 'role' },
    ]);
  });

  it('Linux nodes get the Linux names for the same two switches', () => {
    expect(roleSysctls('linux', 'router')).toEqual([
      { name: 'net.ipv6.conf.all.forwarding', value: 1, source: 'role' },
      { name: 'net.ipv6.conf.default.accept_ra', value: 0, source: 'role' },
    ]);
    expect(roleSysctls('linux', 'host').map((s) => s.value)).toEqual([0, 1]);
  });

  it('the file overrides the role table in place and adds its own settings after it', () => {
    const eff = effectiveSysctls({
      kind: 'kame',
      role: 'router',
      sysctl: [
        { name: 'net.inet6.ip6.hlim', value: 32, pos: { line: 1, column: 1 } },
        { name: 'net.inet6.ip6.accept_rtadv', value: 1, pos: { line: 2, column: 1 } },
      ],
    });
    expect(eff).toEqual([
      { name: 'net.inet6.ip6.forwarding', value: 1, source: 'role' },
      { name: 'net.inet6.ip6.accept_rtadv', value: 1, source: 'lab' },
      { name: 'net.inet6.ip6.hlim', value: 32, source: 'lab' },
    ]);
  });

  it('resolveLab applies the table per node (default role host)', () => {
    const lab = resolve('name: t', 'nodes:', '  r: { role: router }', '  h:');
    expect(lab.nodes.map((n) => [n.name, n.sysctls.map((s) => `${s.name}=${s.value}`)])).toEqual([
      ['r', ['net.inet6.ip6.forwarding=1', 'net.inet6.ip6.accept_rtadv=0']],
      ['h', ['net.inet6.ip6.forwarding=0', 'net.inet6.ip6.accept_rtadv=1']],
    ]);
  });
});

describe('automatic MACs', () => {
  it('02:00:00:<lab hash>:<node index + 1>:<interface index + 1>, locally administered unicast', () => {
    const m = autoMac('quickstart', 2, 0);
    expect(m.toString()).toBe(`02:00:00:${labHash('quickstart').toString(16).padStart(2, '0')}:03:01`);
    expect(m.isLocal()).toBe(true);
    expect(m.isMulticast()).toBe(false);
  });

  it('the lab hash is FNV-1a folded to a byte: fixed values, different labs differ', () => {
    // FNV-1a 32 of "t" is 0xf10c3da3 (of "a", the published 0xe40c292c) -> fold f1^0c^3d^a3 = 0x63.
    expect(labHash('a')).toBe(0xe4 ^ 0x0c ^ 0x29 ^ 0x2c);
    expect(labHash('t')).toBe(0x63);
    expect(labHash('quickstart')).not.toBe(labHash('ring'));
  });

  it('are deterministic: the same file gives the same MACs; explicit ones are kept', () => {
    const text = y(
      'name: macs',
      'nodes:',
      '  a: { interfaces: { em1: { mac: "02:aa:bb:cc:dd:ee" } } }',
      '  b:',
      'links: [[a:em0, b:em0], [a:em1, b:em1]]',
    );
    const one = resolveLab(parseLab(text, 'x.yaml'));
    const two = resolveLab(parseLab(text, 'y.yaml'));
    const macs = (lab: Lab): string[][] =>
      lab.nodes.flatMap((n) =>
        n.interfaces.map((i) => [`${n.name}:${i.name}`, i.mac.toString(), i.macSource]),
      );
    const h = labHash('macs').toString(16).padStart(2, '0');
    expect(macs(one)).toEqual([
      ['a:em0', `02:00:00:${h}:01:01`, 'auto'],
      ['a:em1', '02:aa:bb:cc:dd:ee', 'lab'],
      ['b:em0', `02:00:00:${h}:02:01`, 'auto'],
      ['b:em1', `02:00:00:${h}:02:02`, 'auto'],
    ]);
    expect(macs(two)).toEqual(macs(one));
  });
});

describe('daemon start order', () => {
  const d = (name: string, ...after: string[]): { name: string; after: string[] } => ({ name, after });

  it('topological by after, file order among daemons that are free to start', () => {
    expect(startOrder([d('c', 'b'), d('a'), d('b', 'a'), d('x')]).map((x) => x.name)).toEqual([
      'a',
      'b',
      'c',
      'x',
    ]);
    expect(startOrder([d('p'), d('q'), d('r')]).map((x) => x.name)).toEqual(['p', 'q', 'r']);
    expect(startOrder([d('r', 'p', 'q'), d('q'), d('p', 'q')]).map((x) => x.name)).toEqual(['q', 'p', 'r']);
  });

  it('terminates on a cycle (the parser refuses those; the model must not hang)', () => {
    expect(startOrder([d('a', 'b'), d('b', 'a')]).map((x) => x.name)).toEqual(['a', 'b']);
  });

  it('resolveLab lists each node’s daemons in start order', () => {
    const lab = resolve(
      'name: t',
      'nodes:',
      '  r:',
      '    role: router',
      '    daemons:',
      '      - { argv: rtadvd em0, after: [route6d] }',
      '      - route6d',
      '      - { name: late, argv: sleep 1, after: [rtadvd, route6d] }',
    );
    expect(lab.nodes[0]!.daemons.map((x) => x.name)).toEqual(['route6d', 'rtadvd', 'late']);
  });
});

describe('interfaces, links and checks', () => {
  it('natural order: em2 before em10', () => {
    expect(['em10', 'em2', 'em1', 'gif0', 'em0'].sort(naturalCompare)).toEqual([
      'em0',
      'em1',
      'em2',
      'em10',
      'gif0',
    ]);
  });

  it('every node gets the interfaces of its links and of interfaces:, MTU from interface, link, or 1500', () => {
    const lab = resolve(
      'name: t',
      'nodes:',
      '  a:',
      '    interfaces:',
      '      em10: { mtu: 9000 }',
      '      em2: { addresses: [2001:db8::1/64] }',
      '  b:',
      'links:',
      '  - [a:em2, b:em0]',
      '  - { endpoints: [a:em10, b:em1], impair: { mtu: 1400 } }',
      '  - { endpoints: [a:em1, b:em2], impair: { mtu: 1280 } }',
    );
    const a = lab.nodes[0]!;
    expect(a.interfaces.map((i) => [i.name, i.index, i.mtu, i.mtuSource, i.link])).toEqual([
      ['em1', 0, 1280, 'link', 'a:em1-b:em2'],
      ['em2', 1, 1500, 'default', 'a:em2-b:em0'],
      ['em10', 2, 9000, 'lab', 'a:em10-b:em1'],
    ]);
    expect(a.interfaces[1]!.addresses.map((x) => `${x.address.toString()}/${x.prefixLength}`)).toEqual([
      '2001:db8::1/64',
    ]);
    expect(lab.nodes[1]!.interfaces.map((i) => i.name)).toEqual(['em0', 'em1', 'em2']);
  });

  it('links: ids and impairments in SI units (seconds, fraction, bits per second)', () => {
    const lab = resolve(
      'name: t',
      'nodes: { a: , b: , c: }',
      'links:',
      '  - endpoints: [a:em0, b:em0]',
      '    impair: { delay: 10ms, jitter: 1.5ms, loss: 2.5%, rate: 10mbit, mtu: 1400 }',
      '  - { segment: lan1, endpoints: [a:em1, b:em1, c:em0] }',
    );
    expect(lab.links.map((l) => [l.id, l.kind, l.endpoints.length])).toEqual([
      ['a:em0-b:em0', 'p2p', 2],
      ['lan1', 'segment', 3],
    ]);
    expect(lab.links[0]!.impair).toEqual({
      delaySeconds: 0.01,
      jitterSeconds: 0.0015,
      lossFraction: 0.025,
      rateBitsPerSecond: 10_000_000,
      mtu: 1400,
    });
    expect(lab.links[1]!.impair).toEqual({ delaySeconds: 0, jitterSeconds: 0, lossFraction: 0 });
  });

  it('check targets: static where the file fixes the address, deferred otherwise', () => {
    const lab = resolve(
      'name: t',
      'nodes:',
      '  r:',
      '    role: router',
      '    interfaces:',
      '      em0: { addresses: [fe80::1/64, 2001:db8:1::1/64] }',
      '      em1: { addresses: [2001:db8:2::1/64] }',
      '  h:',
      'links: [[r:em0, h:em0]]',
      'checks:',
      '  - { from: h, ping: r }',
      '  - { from: h, ping: r:em1 }',
      '  - { from: r, ping: h }',
      '  - { from: r, ping: h:em0 }',
      "  - { from: r, ping: '2001:db8:2::1' }",
      "  - { from: r, ping: '2001:db8:99::1', within: 5s }",
    );
    const t = lab.checks.map((c) =>
      c.target.kind === 'static'
        ? ['static', c.target.address.toString(), c.target.node, c.target.ifname]
        : ['deferred', c.target.node, c.target.ifname, c.target.description],
    );
    expect(t).toEqual([
      ['static', '2001:db8:1::1', 'r', 'em0'],
      ['static', '2001:db8:2::1', 'r', 'em1'],
      ['deferred', 'h', undefined, 'first global address of h at run time'],
      ['deferred', 'h', 'em0', 'first global address of h:em0 at run time'],
      ['static', '2001:db8:2::1', 'r', 'em1'],
      ['static', '2001:db8:99::1', undefined, undefined],
    ]);
    expect(lab.checks.map((c) => c.withinMs)).toEqual([60_000, 60_000, 60_000, 60_000, 60_000, 5000]);
  });
});
