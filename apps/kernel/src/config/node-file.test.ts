import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { deriveMac } from './derive-mac';
import { parseNodeFile, readNodeFile } from './node-file';

const FIXTURE = join(__dirname, '../../test/fixtures/two-routers.node');

describe('node file: golden', () => {
  it('parses two nodes with sysctl, vxlan and hub links, addresses, up/down and routes', () => {
    const cfg = readNodeFile(FIXTURE);
    expect(cfg.nodes.map((n) => n.name)).toEqual(['r1', 'h1']);
    const [r1, h1] = cfg.nodes;
    expect(r1!.sysctl).toEqual({ 'net.inet6.ip6.forwarding': 1 });
    const [em0, em1] = r1!.interfaces;
    expect(em0!.mac?.toString()).toBe('02:00:00:00:01:01');
    expect(em0!.mtu).toBe(9000);
    expect(em0!.up).toBe(true);
    expect(em0!.addresses.map((a) => `${a.address.toString()}/${a.prefixLength}`)).toEqual([
      '2001:db8:1::1/64',
      '2001:db8:1::99/64',
    ]);
    expect(em0!.link).toEqual({
      kind: 'vxlan',
      vni: 4242,
      bind: { address: '127.0.0.1', port: 4789 },
      remotes: [
        { address: '127.0.0.1', port: 4790 },
        { address: '127.0.0.2', port: 4790 },
      ],
    });
    expect(em1).toMatchObject({ name: 'em1', mac: undefined, mtu: undefined, up: false });
    expect(em1!.link).toEqual({ kind: 'hub', name: 'lan0' });
    expect(
      r1!.routes.map((r) => [
        r.dst.toString(),
        r.gateway.kind === 'link'
          ? `-interface ${r.gateway.ifname}`
          : `${r.gateway.address.toString()}%${r.gateway.ifname ?? ''}`,
      ]),
    ).toEqual([
      ['2001:db8:9::/64', 'fe80::2%em0'],
      ['::/0', '2001:db8:1::fe%'],
      ['2001:db8:8::/64', '-interface em1'],
    ]);
    expect(h1!.interfaces.map((i) => i.name)).toEqual(['em0']);
    expect(h1!.routes).toEqual([]);
  });

  it('is indentation and comment insensitive (same config from a flattened copy)', () => {
    const flat = readFileSync(FIXTURE, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .join('\n');
    expect(parseNodeFile(flat, 'flat')).toEqual(readNodeFile(FIXTURE));
  });

  it('sysctl aliases are stored under the canonical name', () => {
    const cfg = parseNodeFile('node a\nsysctl net.inet6.ip6.bindv6only=0\ninterface em0\nlink hub h\n');
    expect(cfg.nodes[0]!.sysctl).toEqual({ 'net.inet6.ip6.v6only': 0 });
  });

  it('derived MACs are locally administered unicast and stable per node/ifname', () => {
    const m = deriveMac('r1', 'em0');
    expect(m.bytes[0]).toBe(0x02);
    expect(deriveMac('r1', 'em0').toString()).toBe(m.toString());
    expect(deriveMac('r1', 'em1').toString()).not.toBe(m.toString());
    expect(deriveMac('r2', 'em0').toString()).not.toBe(m.toString());
  });
});

/** [name, text, line, key, message fragment] */
const ERRORS: [string, string, number, string, string][] = [
  ['unknown keyword', 'node a\nfoo bar\n', 2, 'foo', 'unknown keyword; expected one of node'],
  ['statement before any node', 'interface em0\n', 1, 'interface', "outside a node; expected 'node NAME'"],
  ['interface statement outside an interface', 'node a\nmtu 1500\n', 2, 'mtu', "expected 'interface IFNAME'"],
  ['node without a name', 'node\n', 1, 'node', 'expected: node NAME'],
  ['bad node name', 'node -x\n', 1, 'node', "bad node name '-x'"],
  ['duplicate node', 'node a\ninterface em0\nlink hub h\nnode a\n', 4, 'node', 'already defined at line 1'],
  ['no nodes at all', '# empty\n', 2, 'node', 'no nodes'],
  ['bad interface name', 'node a\ninterface 0em\n', 2, 'interface', "bad interface name '0em'"],
  ['lo0 is reserved', 'node a\ninterface lo0\n', 2, 'interface', 'lo0 is created by the kernel'],
  [
    'duplicate interface',
    'node a\ninterface em0\nlink hub h\ninterface em0\n',
    4,
    'interface',
    'already defined at line 2',
  ],
  ['interface without link', 'node a\ninterface em0\nmtu 1500\n', 2, 'link', 'has no link'],
  ['bad mac', 'node a\ninterface em0\nmac 02:00:00\n', 3, 'mac', 'expected a MAC'],
  ['multicast mac', 'node a\ninterface em0\nmac 01:00:5e:00:00:01\n', 3, 'mac', 'multicast MAC'],
  ['mtu too small', 'node a\ninterface em0\nmtu 1000\n', 3, 'mtu', 'MTU must be an integer 1280..65535'],
  ['mtu not a number', 'node a\ninterface em0\nmtu big\n', 3, 'mtu', "got 'big'"],
  ['mtu with two values', 'node a\ninterface em0\nmtu 1500 1500\n', 3, 'mtu', 'expected: mtu N'],
  [
    'address without prefix length',
    'node a\ninterface em0\naddress 2001:db8::1\n',
    3,
    'address',
    'ADDRESS/PREFIXLEN',
  ],
  ['bad address', 'node a\ninterface em0\naddress 2001:zz::1/64\n', 3, 'address', 'invalid IPv6 prefix'],
  ['multicast address', 'node a\ninterface em0\naddress ff02::1/64\n', 3, 'address', 'not a unicast address'],
  ['up with an argument', 'node a\ninterface em0\nup now\n', 3, 'up', "expected 'up' alone"],
  ['unknown link type', 'node a\ninterface em0\nlink gre 1\n', 3, 'link', "unknown link type 'gre'"],
  ['hub without name', 'node a\ninterface em0\nlink hub\n', 3, 'link', 'expected: link hub NAME'],
  ['bad hub name', 'node a\ninterface em0\nlink hub /x\n', 3, 'link', "bad hub name '/x'"],
  ['two links', 'node a\ninterface em0\nlink hub h\nlink hub g\n', 4, 'link', 'already has a link'],
  ['vxlan without vni', 'node a\ninterface em0\nlink vxlan\n', 3, 'link', 'expected: link vxlan VNI'],
  [
    'vni too big',
    'node a\ninterface em0\nlink vxlan 16777216 bind 127.0.0.1:1 remote 127.0.0.1:2\n',
    3,
    'link',
    'VNI must be an integer 0..16777215',
  ],
  [
    'vxlan without bind',
    'node a\ninterface em0\nlink vxlan 1 remote 127.0.0.1:2\n',
    3,
    'link',
    'missing bind',
  ],
  [
    'vxlan without remote',
    'node a\ninterface em0\nlink vxlan 1 bind 127.0.0.1:2\n',
    3,
    'link',
    'missing remote',
  ],
  [
    'vxlan word without value',
    'node a\ninterface em0\nlink vxlan 1 bind\n',
    3,
    'link',
    "'bind' needs a value",
  ],
  [
    'vxlan unknown word',
    'node a\ninterface em0\nlink vxlan 1 bind 127.0.0.1:1 peer 127.0.0.1:2\n',
    3,
    'link',
    "unknown word 'peer'",
  ],
  [
    'vxlan bind twice',
    'node a\ninterface em0\nlink vxlan 1 bind 127.0.0.1:1 bind 127.0.0.1:2\n',
    3,
    'link',
    'bind given twice',
  ],
  [
    'bind without port',
    'node a\ninterface em0\nlink vxlan 1 bind 127.0.0.1 remote 127.0.0.1:2\n',
    3,
    'link',
    'missing port',
  ],
  [
    'remote port 0',
    'node a\ninterface em0\nlink vxlan 1 bind 127.0.0.1:1 remote 127.0.0.1:0\n',
    3,
    'link',
    'port must be 1..65535',
  ],
  [
    'remote hostname',
    'node a\ninterface em0\nlink vxlan 1 bind 127.0.0.1:1 remote localhost:2\n',
    3,
    'link',
    'expected ADDR:PORT',
  ],
  [
    'IPv6 remote on an IPv4 bind',
    'node a\ninterface em0\nlink vxlan 1 bind 127.0.0.1:1 remote [::1]:2\n',
    3,
    'link',
    'is IPv6 but bind',
  ],
  [
    'same VNI on the same socket twice',
    'node a\ninterface em0\nlink vxlan 1 bind 127.0.0.1:1 remote 127.0.0.1:2\nnode b\ninterface em0\nlink vxlan 1 bind 127.0.0.1:1 remote 127.0.0.1:3\n',
    6,
    'link',
    'already used at line 3',
  ],
  ['sysctl without =', 'node a\nsysctl net.inet6.ip6.forwarding\n', 2, 'sysctl', 'expected NAME=VALUE'],
  ['unknown sysctl', 'node a\nsysctl net.inet6.ip6.nope=1\n', 2, 'sysctl', 'ENOENT'],
  ['sysctl out of range', 'node a\nsysctl net.inet6.ip6.forwarding=7\n', 2, 'sysctl', 'EINVAL'],
  ['route with one word', 'node a\nroute default\n', 2, 'route', 'expected: route DEST GATEWAY'],
  [
    'route bad destination',
    'node a\nroute 2001:db8::/129 2001:db8::1\n',
    2,
    'route',
    "expected 'default' or PREFIX/LEN",
  ],
  [
    'route link-local gateway without zone',
    'node a\nroute default fe80::1\n',
    2,
    'route',
    'needs its interface',
  ],
  ['route multicast gateway', 'node a\nroute default ff02::1\n', 2, 'route', 'not a unicast address'],
  [
    'route -interface without name',
    'node a\nroute default -interface\n',
    2,
    'route',
    'expected: route DEST -interface IFNAME',
  ],
  [
    'route to a missing interface',
    'node a\ninterface em0\nlink hub h\nroute default fe80::1%em9\n',
    4,
    'route',
    'no interface em9 on node a',
  ],
];

describe('node file: errors say FILE:LINE: KEY: what was expected', () => {
  it.each(ERRORS)('%s', (_name, text, line, key, fragment) => {
    let err: unknown;
    try {
      parseNodeFile(text, 'lab.node');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const ce = err as ConfigError;
    expect({ line: ce.line, key: ce.key }).toEqual({ line, key });
    expect(ce.message.startsWith(`lab.node:${line}: ${key}: `)).toBe(true);
    expect(ce.message).toContain(fragment);
  });

  it('an unreadable file is reported at line 0 with the errno', () => {
    expect(() => readNodeFile('/nonexistent/x.node')).toThrow(
      '/nonexistent/x.node:0: file: cannot read (ENOENT)',
    );
  });
});

describe('impair (netem-style words on an interface)', () => {
  it('parses the words into the interface egress impairment', () => {
    const c = parseNodeFile(
      'node a\n  interface em0\n    link hub lan\n    impair delay 10ms jitter 2ms loss 1% rate 10mbit\n',
    );
    expect(c.nodes[0]!.interfaces[0]!.impair).toEqual({
      delayMs: 10,
      jitterMs: 2,
      loss: 0.01,
      rateBitsPerSecond: 10e6,
    });
  });

  it('names file, line and key for a bad impair line', () => {
    expect(() =>
      parseNodeFile('node a\n  interface em0\n    link hub lan\n    impair latency 5ms\n', 'x.node'),
    ).toThrow(/x\.node:4: impair: .*unknown key "latency"/);
    expect(() =>
      parseNodeFile('node a\n  interface em0\n    link hub lan\n    impair loss 120%\n', 'x.node'),
    ).toThrow(/x\.node:4: impair: .*bad probability/);
  });
});
