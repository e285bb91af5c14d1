import { checkLab, LabErrors, parseLab, type ParseOptions } from './index';

/** A lab file from lines (line numbers in the expectations count from 1 here). */
const y = (...lines: string[]): string => lines.join('\n') + '\n';

const noFiles: ParseOptions = {
  readFile: (p) => {
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
  },
};

const errors = (text: string, options: ParseOptions = {}): string[] =>
  checkLab(text, 'lab.yaml', options).errors.map((e) => e.message);
const warnings = (text: string): string[] => checkLab(text, 'lab.yaml').warnings.map((e) => e.message);

/** Two linked kame nodes; tests add the lines they need. */
const pair = (...more: string[]): string => y('name: t', 'nodes:', '  a: {}', '  b: {}', ...more);
/** The same with b's mapping left open for more lines. */
const pairOpen = (...more: string[]): string => y('name: t', 'nodes:', '  a: {}', '  b:', ...more);

describe('parseLab: the document', () => {
  it('a minimal lab parses: one node, defaults kame and host', () => {
    const spec = parseLab(y('name: tiny', 'nodes:', '  h1:'), 'tiny.yaml');
    expect(spec.name).toBe('tiny');
    expect(spec.nodes).toHaveLength(1);
    expect(spec.nodes[0]).toMatchObject({
      name: 'h1',
      kind: 'kame',
      role: 'host',
      pos: { line: 3, column: 3 },
    });
    expect(spec.links).toEqual([]);
    expect(spec.checks).toEqual([]);
  });

  it('empty file', () => {
    expect(errors('')).toEqual(['lab.yaml:1:1: empty lab file (expected a mapping with name and nodes)']);
  });

  it('YAML syntax errors carry the YAML position', () => {
    expect(errors(y('name: t', 'nodes: [a', '  b: c'))).toEqual([
      'lab.yaml:2:9: YAML: Implicit keys of flow sequence pairs need to be on a single line',
      'lab.yaml:4:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('the top level must be a mapping', () => {
    expect(errors('- a\n- b\n')).toEqual(['lab.yaml:1:1: must be a mapping (got a sequence)']);
  });

  it('missing required keys name and nodes', () => {
    expect(errors(y('description: x'))).toEqual([
      'lab.yaml:1:1: missing required key "name"',
      'lab.yaml:1:1: missing required key "nodes"',
    ]);
  });

  it('unknown key with a did-you-mean (transposed letters count as one edit)', () => {
    expect(errors(y('name: t', 'nodse:', '  a: {}'))).toEqual([
      'lab.yaml:1:1: missing required key "nodes"',
      'lab.yaml:2:1: nodse: unknown key (did you mean "nodes"?)',
    ]);
  });

  it('unknown key without a close match lists the keys', () => {
    expect(errors(y('name: t', 'nodes: { a: {} }', 'zzz: 1'))).toEqual([
      'lab.yaml:3:1: zzz: unknown key (expected one of: version, name, description, nodes, links, checks)',
    ]);
  });

  it('YAML duplicate keys are errors at the second one', () => {
    expect(errors(y('name: t', 'nodes:', '  r1: {}', '  r1: { role: router }'))).toEqual([
      'lab.yaml:4:3: nodes.r1: duplicate key (first at line 3)',
    ]);
  });

  it('version must be 1', () => {
    expect(errors(y('version: 2', 'name: t', 'nodes: { a: }'))).toEqual([
      'lab.yaml:1:10: version: must be an integer 1..1 (got 2)',
    ]);
  });

  it('lab name pattern', () => {
    expect(errors(y('name: Quick Start', 'nodes: { a: }'))).toEqual([
      'lab.yaml:1:7: name: the lab name must match [a-z0-9-]{1,32} (got "Quick Start")',
    ]);
  });

  it('nodes must be a non-empty mapping', () => {
    expect(errors(y('name: t', 'nodes: [a, b]'))).toEqual([
      'lab.yaml:2:8: nodes: must be a mapping (got a sequence)',
    ]);
    expect(errors(y('name: t', 'nodes:'))).toEqual(['lab.yaml:2:7: nodes: must name at least one node']);
  });

  it('too many nodes (the table is bounded)', () => {
    const nodes = Array.from({ length: 251 }, (_, i) => `  n${i}: {}`);
    expect(errors(y('name: t', 'nodes:', ...nodes))).toEqual([
      'lab.yaml:3:3: nodes: too many nodes (251; at most 250)',
    ]);
  });

  it('too many aliases (nested aliases would grow exponentially)', () => {
    const nodes = Array.from({ length: 101 }, (_, i) => `  n${i}: *x`);
    expect(errors(y('name: t', 'nodes:', '  a: &x { role: host }', ...nodes))).toEqual([
      'lab.yaml:104:9: nodes.n100: too many aliases (at most 100)',
    ]);
  });

  it('all errors are reported, sorted by line, and parseLab throws them together', () => {
    const text = y(
      'name: t',
      'nodes:',
      '  a:',
      '    interfaces: { em0: { addresses: [2001:db8::1/64] } }',
      '  b:',
      '    role: hots',
      '    interfaces: { em0: { addresses: [2001:db8::1/64] } }',
      'links: [[a:em0, b:em0], [a:em1, c:em0]]',
    );
    const want = [
      'lab.yaml:6:11: nodes.b.role: must be router or host (got "hots")',
      'lab.yaml:7:38: nodes.b.interfaces.em0.addresses[0]: 2001:db8::1 is also on a:em0 (line 4)',
      'lab.yaml:8:33: links[1][1]: unknown node "c" (did you mean "a"?)',
    ];
    expect(errors(text)).toEqual(want);
    let thrown: unknown;
    try {
      parseLab(text, 'lab.yaml');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(LabErrors);
    const le = thrown as LabErrors;
    expect(le.message).toBe(want.join('\n'));
    expect(le.errors.map((e) => [e.file, e.line, e.column, e.path])).toEqual([
      ['lab.yaml', 6, 11, 'nodes.b.role'],
      ['lab.yaml', 7, 38, 'nodes.b.interfaces.em0.addresses[0]'],
      ['lab.yaml', 8, 33, 'links[1][1]'],
    ]);
  });
});

describe('parseLab: nodes', () => {
  it('node name pattern', () => {
    expect(errors(y('name: t', 'nodes:', '  R1: {}', '  a-very-long-node-name: {}'))).toEqual([
      'lab.yaml:3:3: nodes.R1: node name must match [a-z][a-z0-9-]{0,14}',
      'lab.yaml:4:3: nodes.a-very-long-node-name: node name must match [a-z][a-z0-9-]{0,14}',
    ]);
  });

  it('role must be router or host', () => {
    expect(errors(y('name: quickstart', 'nodes:', '  r1:', '    role: routr'))).toEqual([
      'lab.yaml:4:11: nodes.r1.role: must be router or host (got "routr")',
    ]);
  });

  it('kind must be kame or linux', () => {
    expect(errors(y('name: t', 'nodes:', '  r1: { kind: bsd }'))).toEqual([
      'lab.yaml:3:15: nodes.r1.kind: must be kame or linux (got "bsd")',
    ]);
  });

  it('unknown node key with a did-you-mean', () => {
    expect(errors(y('name: t', 'nodes:', '  r1:', '    rol: router'))).toEqual([
      'lab.yaml:4:5: nodes.r1.rol: unknown key (did you mean "role"?)',
    ]);
  });

  it('a node must be a mapping', () => {
    expect(errors(y('name: t', 'nodes:', '  r1: router'))).toEqual([
      'lab.yaml:3:7: nodes.r1: must be a mapping (got "router")',
    ]);
  });

  it('sysctl names and values', () => {
    expect(
      errors(
        y(
          'name: t',
          'nodes:',
          '  a:',
          '    sysctl: { "Net Inet6": 1, net.inet6.ip6.hlim: [64], kern.x: true }',
        ),
      ),
    ).toEqual([
      'lab.yaml:4:15: nodes.a.sysctl["Net Inet6"]: must be a sysctl name like net.inet6.ip6.forwarding',
      'lab.yaml:4:51: nodes.a.sysctl["net.inet6.ip6.hlim"]: must be a number or a string (got a sequence)',
    ]);
    const spec = parseLab(
      y('name: t', 'nodes:', '  a:', '    sysctl: { net.inet6.ip6.hlim: 32, kern.x: true }'),
      'l',
    );
    expect(spec.nodes[0]!.sysctl.map((s) => [s.name, s.value])).toEqual([
      ['net.inet6.ip6.hlim', 32],
      ['kern.x', 1],
    ]);
  });

  it('kame interface names are BSD names; lo0 cannot be listed', () => {
    expect(errors(y('name: t', 'nodes:', '  a:', '    interfaces: { eth0: {}, em: {}, lo0: {} }'))).toEqual([
      'lab.yaml:4:29: nodes.a.interfaces.em: kame interface name must be a BSD interface name like em0 (letters then a unit number)',
      'lab.yaml:4:37: nodes.a.interfaces.lo0: kame interface name lo0 is the loopback interface',
    ]);
  });

  it('linux interface names: 1..15 bytes, no / or :, not lo', () => {
    expect(
      errors(
        y(
          'name: t',
          'nodes:',
          '  a:',
          '    kind: linux',
          '    interfaces: { eth0: {}, averyverylongname0: {}, lo: {}, "a/b": {} }',
        ),
      ),
    ).toEqual([
      'lab.yaml:5:29: nodes.a.interfaces.averyverylongname0: linux interface name must be 1..15 bytes (Linux IFNAMSIZ)',
      'lab.yaml:5:53: nodes.a.interfaces.lo: linux interface name lo is the loopback interface',
      'lab.yaml:5:61: nodes.a.interfaces["a/b"]: linux interface name must not contain /, : or white space',
    ]);
  });

  it('addresses: prefix length required, valid IPv6, unicast', () => {
    expect(
      errors(
        y(
          'name: t',
          'nodes:',
          '  a:',
          '    interfaces:',
          "      em0: { addresses: [2001:db8::1, 'zz::1/64', ff02::1/64, 2001:db8::1/129] }",
        ),
      ),
    ).toEqual([
      `lab.yaml:5:26: nodes.a.interfaces.em0.addresses[0]: must be an IPv6 address/prefix length like 2001:db8::1/64 (got "2001:db8::1": missing '/' and prefix length)`,
      `lab.yaml:5:39: nodes.a.interfaces.em0.addresses[1]: must be an IPv6 address/prefix length like 2001:db8::1/64 (got "zz::1/64": unexpected character 'z')`,
      'lab.yaml:5:51: nodes.a.interfaces.em0.addresses[2]: must be a unicast address (got "ff02::1/64")',
      expect.stringMatching(
        /^lab\.yaml:5:63: nodes\.a\.interfaces\.em0\.addresses\[3\]: must be an IPv6 address\/prefix length like 2001:db8::1\/64 \(got "2001:db8::1\/129": .+\)$/,
      ),
    ]);
  });

  it('an address is configured once in the lab; the same link-local on two nodes is fine', () => {
    expect(
      errors(
        pair(
          '  c:',
          '    interfaces:',
          '      em0: { addresses: [fe80::1/64, 2001:db8::1/64] }',
          '      em1: { addresses: [fe80::1/64, "2001:db8:0::1/64"] }',
          '  d:',
          '    interfaces: { em0: { addresses: [fe80::1/64] } }',
        ),
      ),
    ).toEqual([
      'lab.yaml:8:26: nodes.c.interfaces.em1.addresses[0]: fe80::1 is also on c:em0 (line 7)',
      'lab.yaml:8:38: nodes.c.interfaces.em1.addresses[1]: 2001:db8::1 is also on c:em0 (line 7)',
    ]);
  });

  it('interface mtu 1280..65535 and its type', () => {
    expect(
      errors(
        y(
          'name: t',
          'nodes:',
          '  a:',
          '    interfaces: { em0: { mtu: 1279 }, em1: { mtu: 65536 }, em2: { mtu: big } }',
        ),
      ),
    ).toEqual([
      'lab.yaml:4:31: nodes.a.interfaces.em0.mtu: must be an integer 1280..65535 (got 1279)',
      'lab.yaml:4:51: nodes.a.interfaces.em1.mtu: must be an integer 1280..65535 (got 65536)',
      'lab.yaml:4:72: nodes.a.interfaces.em2.mtu: must be an integer 1280..65535 (got "big")',
    ]);
  });

  it('MACs: syntax, unicast, unique, and not an automatic one', () => {
    expect(
      errors(
        y(
          'name: t',
          'nodes:',
          '  a:',
          "    interfaces: { em0: { mac: '03:00:00:00:00:01' }, em1: { mac: zz }, em2: { mac: '02:00:00:00:00:09' } }",
          '  b:',
          "    interfaces: { em0: { mac: '02:00:00:00:00:09' }, em1: { mac: '02:00:00:63:01:01' } }",
          'links: [[a:em0, b:em0], [a:em1, b:em1], [a:em2, b:em2]]',
        ),
      ),
    ).toEqual([
      'lab.yaml:4:31: nodes.a.interfaces.em0.mac: must be a unicast MAC address (got "03:00:00:00:00:01": the group bit is set)',
      `lab.yaml:4:66: nodes.a.interfaces.em1.mac: must be a MAC address like 02:00:00:00:01:01 (got "zz": 1 parts, need 6)`,
      "lab.yaml:6:31: nodes.b.interfaces.em0.mac: MAC 02:00:00:00:00:09 is also a:em2's (line 4)",
      "lab.yaml:6:66: nodes.b.interfaces.em1.mac: MAC 02:00:00:63:01:01 is also a:em0's (automatic)",
    ]);
  });

  it('routes: prefix, next hop, link-local needs dev, dev must exist', () => {
    expect(
      errors(
        pairOpen(
          '    routes:',
          '      - { to: 2001:db8:3::1/64, via: 2001:db8:12::2 }',
          '      - { to: default, via: fe80::1 }',
          '      - { to: default, via: fe80::1, dev: em7 }',
          '      - { to: 2001:db8::/32 }',
          '      - { to: default, via: ff02::2 }',
          'links: [[a:em0, b:em0]]',
        ),
      ),
    ).toEqual([
      `lab.yaml:6:15: nodes.b.routes[0].to: must be a prefix like 2001:db8:3::/64 or default (got "2001:db8:3::1/64": host bits after /64 are not zero)`,
      'lab.yaml:7:29: nodes.b.routes[1].via: a link-local next hop needs dev (the interface)',
      'lab.yaml:8:43: nodes.b.routes[2].dev: node b has no interface "em7" (did you mean "em0"?)',
      'lab.yaml:9:9: nodes.b.routes[3]: needs via (a next hop), dev (an interface) or both',
      'lab.yaml:10:29: nodes.b.routes[4].via: must be a unicast IPv6 address (got "ff02::2")',
    ]);
  });
});

describe('parseLab: daemons', () => {
  const daemons = (...lines: string[]): string =>
    y('name: t', 'nodes:', '  a:', '    role: router', '    daemons:', ...lines);

  it('a command line string is split like a shell; the name defaults to the base name of argv[0]', () => {
    const spec = parseLab(
      daemons(`      - "/usr/sbin/rtadvd -c 'my conf' em0"`, '      - argv: [route6d, -t, 5]'),
      'l',
    );
    expect(spec.nodes[0]!.daemons.map((d) => [d.name, d.argv])).toEqual([
      ['rtadvd', ['/usr/sbin/rtadvd', '-c', 'my conf', 'em0']],
      ['route6d', ['route6d', '-t', '5']],
    ]);
  });

  it('unterminated quote in a command line', () => {
    expect(errors(daemons(`      - "rtadvd 'em0"`))).toEqual([
      `lab.yaml:6:9: nodes.a.daemons[0]: unterminated ' quote at offset 7 (got "rtadvd 'em0")`,
    ]);
  });

  it('argv required, not empty, words are strings', () => {
    expect(
      errors(
        daemons(
          '      - { name: x }',
          '      - { argv: [] }',
          '      - { argv: [a, { b: 1 }] }',
          '      - 42',
        ),
      ),
    ).toEqual([
      'lab.yaml:6:9: nodes.a.daemons[0]: missing required key "argv"',
      'lab.yaml:7:17: nodes.a.daemons[1].argv: must name a program',
      'lab.yaml:8:21: nodes.a.daemons[2].argv[1]: must be a string (got a mapping)',
      'lab.yaml:9:9: nodes.a.daemons[3]: must be a command line or a mapping with argv (got 42)',
    ]);
  });

  it('duplicate daemon names', () => {
    expect(errors(daemons('      - route6d', '      - route6d -s'))).toEqual([
      'lab.yaml:7:9: nodes.a.daemons[1]: duplicate daemon name "route6d" (first at line 6); give one a name:',
    ]);
    expect(errors(daemons('      - route6d', '      - { name: route6d, argv: x }'))).toEqual([
      'lab.yaml:7:17: nodes.a.daemons[1].name: duplicate daemon name "route6d" (first at line 6); give one a name:',
    ]);
  });

  it('daemon name pattern', () => {
    expect(errors(daemons('      - { name: "two words", argv: x }'))).toEqual([
      'lab.yaml:6:17: nodes.a.daemons[0].name: a daemon name must match [A-Za-z0-9_][A-Za-z0-9_.+-]{0,31} (got "two words")',
    ]);
  });

  it('after: unknown daemon (did you mean), itself', () => {
    expect(
      errors(
        daemons(
          '      - route6d',
          '      - { argv: rtadvd, after: [zebra] }',
          '      - { argv: x, after: x }',
        ),
      ),
    ).toEqual([
      'lab.yaml:7:32: nodes.a.daemons[1].after: unknown daemon "zebra" on node a',
      'lab.yaml:8:27: nodes.a.daemons[2].after: "x" cannot start after itself',
    ]);
    expect(errors(daemons('      - route6d', '      - { argv: rtadvd, after: [route6] }'))).toEqual([
      'lab.yaml:7:32: nodes.a.daemons[1].after: unknown daemon "route6" on node a (did you mean "route6d"?)',
    ]);
  });

  it('after: a start order cycle is reported once, at the first daemon of the cycle', () => {
    expect(
      errors(
        daemons(
          '      - { argv: p, after: [r] }',
          '      - { argv: q, after: [p] }',
          '      - { argv: r, after: [q] }',
          '      - { argv: s, after: [p] }',
        ),
      ),
    ).toEqual(['lab.yaml:6:27: nodes.a.daemons[0].after: start order cycle: p after r after q after p']);
  });

  it('ready: log must be a regular expression, within a duration', () => {
    expect(
      errors(
        daemons(
          "      - { argv: x, ready: { log: '(', within: 5 } }",
          '      - { argv: y, ready: { within: 5s } }',
        ),
      ),
    ).toEqual([
      'lab.yaml:6:34: nodes.a.daemons[0].ready.log: not a valid regular expression: Invalid regular expression: /(/: Unterminated group',
      'lab.yaml:6:47: nodes.a.daemons[0].ready.within: needs a unit, like 10s (got 5)',
      'lab.yaml:7:27: nodes.a.daemons[1].ready: missing required key "log"',
    ]);
  });

  it('env names and values', () => {
    expect(errors(daemons('      - { argv: x, env: { "1X": a, OK: [b] } }'))).toEqual([
      'lab.yaml:6:27: nodes.a.daemons[0].env["1X"]: must be an environment variable name like KAME_NODE',
      'lab.yaml:6:40: nodes.a.daemons[0].env.OK: must be a string (got a sequence)',
    ]);
  });

  it('files: names are one path component; a missing file by path is an error at its path: line', () => {
    const text = daemons(
      '      - argv: rtadvd -c rtadvd.conf em0',
      '        files:',
      '          rtadvd.conf: { path: conf/rtadvd.conf }',
      '          b/c: x',
      '          d.conf: 42',
    );
    expect(checkLab(text, 'labs/lab.yaml', noFiles).errors.map((e) => e.message)).toEqual([
      'labs/lab.yaml:8:32: nodes.a.daemons[0].files["rtadvd.conf"].path: cannot read labs/conf/rtadvd.conf: no such file',
      'labs/lab.yaml:9:11: nodes.a.daemons[0].files["b/c"]: must be a file name like rtadvd.conf (no directory)',
      'labs/lab.yaml:10:19: nodes.a.daemons[0].files["d.conf"]: must be the file\'s text or { path: FILE } (got 42)',
    ]);
  });

  it('files: inline text is kept; paths resolve against the lab file and are read by the reader', () => {
    const text = daemons(
      '      - argv: rtadvd -c rtadvd.conf em0',
      '        files:',
      '          rtadvd.conf: |',
      '            em0:\\',
      '              :addr="2001:db8:1::":',
      '          other.conf: { path: ../etc/other.conf }',
      '          abs.conf: { path: /etc/abs.conf }',
    );
    const read: string[] = [];
    const spec = parseLab(text, 'labs/x/lab.yaml', {
      readFile: (p) => {
        read.push(p);
        return `text of ${p}`;
      },
    });
    expect(read).toEqual(['labs/etc/other.conf', '/etc/abs.conf']);
    expect(spec.nodes[0]!.daemons[0]!.files).toEqual([
      {
        name: 'rtadvd.conf',
        source: 'inline',
        content: 'em0:\\\n  :addr="2001:db8:1::":\n',
        pos: { line: 8, column: 11 },
      },
      {
        name: 'other.conf',
        source: 'path',
        path: 'labs/etc/other.conf',
        content: 'text of labs/etc/other.conf',
        pos: { line: 11, column: 11 },
      },
      {
        name: 'abs.conf',
        source: 'path',
        path: '/etc/abs.conf',
        content: 'text of /etc/abs.conf',
        pos: { line: 12, column: 11 },
      },
    ]);
    // Without a reader (parseLab on text alone) the path is kept and nothing is read.
    expect(parseLab(text, 'lab.yaml').nodes[0]!.daemons[0]!.files[1]).toEqual({
      name: 'other.conf',
      source: 'path',
      path: '../etc/other.conf',
      pos: { line: 11, column: 11 },
    });
  });
});

describe('parseLab: links', () => {
  it('point-to-point shorthand and mapping, segments', () => {
    const spec = parseLab(
      pair(
        '  c: {}',
        'links:',
        '  - [a:em0, b:em0]',
        '  - segment: lan1',
        '    endpoints: [a:em1, b:em1, c:em0]',
      ),
      'l',
    );
    expect(
      spec.links.map((l) => [l.kind, l.segment, l.endpoints.map((e) => `${e.node}:${e.ifname}`)]),
    ).toEqual([
      ['p2p', undefined, ['a:em0', 'b:em0']],
      ['segment', 'lan1', ['a:em1', 'b:em1', 'c:em0']],
    ]);
  });

  it('unknown node in an endpoint (did you mean)', () => {
    expect(errors(pair('links:', '  - [a:em0, bb:em0]'))).toEqual([
      'lab.yaml:6:13: links[0][1]: unknown node "bb" (did you mean "b"?)',
    ]);
  });

  it('an interface in two links', () => {
    expect(
      errors(pair('links:', '  - [a:em0, b:em0]', '  - segment: s', '    endpoints: [b:em1, a:em0]')),
    ).toEqual(['lab.yaml:8:24: links[1].endpoints[1]: a:em0 is already on links[0] (line 6)']);
  });

  it('the same interface twice in one segment', () => {
    expect(errors(pair('links:', '  - { segment: s, endpoints: [a:em0, b:em0, a:em0] }'))).toEqual([
      'lab.yaml:6:45: links[0].endpoints[2]: a:em0 is already on links[0] (line 6)',
    ]);
  });

  it('a segment needs at least 2 endpoints', () => {
    expect(errors(pair('links:', '  - segment: lan1', '    endpoints: [a:em0]'))).toEqual([
      'lab.yaml:7:16: links[0].endpoints: a segment needs at least 2 endpoints (got 1)',
    ]);
  });

  it('a point-to-point link needs exactly 2 endpoints', () => {
    expect(errors(pair('  c: {}', 'links:', '  - [a:em0, b:em0, c:em0]', '  - endpoints: [a:em1]'))).toEqual([
      'lab.yaml:7:5: links[0]: a point-to-point link needs exactly 2 endpoints (got 3); name a segment: for a shared one',
      'lab.yaml:8:16: links[1].endpoints: a point-to-point link needs exactly 2 endpoints (got 1); name a segment: for a shared one',
    ]);
  });

  it('endpoint syntax and interface names per node kind', () => {
    expect(
      errors(
        pair(
          '  c: { kind: linux }',
          'links:',
          '  - [a, b:em0]',
          '  - [a:em, c:eth0]',
          '  - [c:averyverylongname0, b:em1]',
          '  - [a:lo0, b:em2]',
        ),
      ),
    ).toEqual([
      'lab.yaml:7:6: links[0][0]: must be node:interface like r1:em0 (got "a")',
      'lab.yaml:8:6: links[1][0]: kame interface name must be a BSD interface name like em0 (letters then a unit number) (got "em")',
      'lab.yaml:9:6: links[2][0]: linux interface name must be 1..15 bytes (Linux IFNAMSIZ) (got "averyverylongname0")',
      'lab.yaml:10:6: links[3][0]: kame interface name lo0 is the loopback interface (got "lo0")',
    ]);
  });

  it('segment names: pattern and unique', () => {
    expect(
      errors(
        pair(
          'links:',
          '  - { segment: lan1, endpoints: [a:em0, b:em0] }',
          '  - { segment: lan1, endpoints: [a:em1, b:em1] }',
          '  - { segment: LAN, endpoints: [a:em2, b:em2] }',
        ),
      ),
    ).toEqual([
      'lab.yaml:7:16: links[1].segment: duplicate segment "lan1" (first at line 6)',
      'lab.yaml:8:16: links[2].segment: a segment name must match [a-z][a-z0-9-]{0,14} (got "LAN")',
    ]);
  });

  it('a link is a pair or a mapping', () => {
    expect(errors(pair('links:', '  - a:em0 b:em0'))).toEqual([
      'lab.yaml:6:5: links[0]: must be [node:if, node:if] or a mapping with endpoints (got "a:em0 b:em0")',
    ]);
  });

  it('impairments: units, ranges and keys', () => {
    expect(
      errors(
        pair(
          'links:',
          '  - endpoints: [a:em0, b:em0]',
          '    impair: { delay: 10, loss: 101%, rate: 10mbps, mtu: 1000, jiter: 1ms }',
        ),
      ),
    ).toEqual([
      'lab.yaml:7:22: links[0].impair.delay: needs a unit, like 10s (got 10)',
      'lab.yaml:7:32: links[0].impair.loss: must be 0..100% (got "101%")',
      'lab.yaml:7:44: links[0].impair.rate: must be a rate like 64kbit, 10mbit or 1gbit (got "10mbps")',
      'lab.yaml:7:57: links[0].impair.mtu: must be an integer 1280..65535 (got 1000)',
      'lab.yaml:7:63: links[0].impair.jiter: unknown key (did you mean "jitter"?)',
    ]);
    expect(
      errors(pair('links:', '  - endpoints: [a:em0, b:em0]', '    impair: { delay: 1y, loss: 0.5 }')),
    ).toEqual([
      'lab.yaml:7:22: links[0].impair.delay: must be a duration like 500ms, 10s, 2m or 1h (got "1y")',
      'lab.yaml:7:32: links[0].impair.loss: needs a unit, like 1% (got 0.5)',
    ]);
  });

  it('impairments are parsed to numbers', () => {
    const spec = parseLab(
      pair(
        'links:',
        '  - endpoints: [a:em0, b:em0]',
        '    impair: { delay: 10ms, jitter: 1ms, loss: 1%, rate: 10mbit, mtu: 1400 }',
      ),
      'l',
    );
    expect(spec.links[0]!.impair).toEqual({
      delayMs: 10,
      jitterMs: 1,
      lossPercent: 1,
      rateBitsPerSecond: 1e7,
      mtu: 1400,
    });
  });
});

describe('parseLab: checks', () => {
  const checks = (...lines: string[]): string => pair('links: [[a:em0, b:em0]]', 'checks:', ...lines);

  it('targets: node, node:interface, address; name and within default', () => {
    const spec = parseLab(
      checks(
        '  - { from: a, ping: b }',
        '  - { from: a, ping: b:em0, within: 2m }',
        "  - { name: lit, from: a, ping: '2001:db8::9' }",
      ),
      'l',
    );
    expect(spec.checks.map((c) => [c.name, c.from, c.target.kind, c.targetText, c.withinMs])).toEqual([
      ['a-ping-b', 'a', 'node', 'b', 60_000],
      ['a-ping-b:em0', 'a', 'interface', 'b:em0', 120_000],
      ['lit', 'a', 'address', '2001:db8::9', 60_000],
    ]);
  });

  it('unknown from, unknown target node and interface, multicast target, bad duration, missing ping', () => {
    expect(
      errors(
        checks(
          '  - { from: x, ping: b }',
          '  - { from: a, ping: c }',
          '  - { from: a, ping: b:em9 }',
          "  - { from: a, ping: 'ff02::1' }",
          "  - { from: a, ping: '2001:db8::zz' }",
          '  - { from: a, ping: b, within: 1y }',
          '  - { from: a }',
        ),
      ),
    ).toEqual([
      'lab.yaml:7:13: checks[0].from: unknown node "x" (did you mean "a"?)',
      'lab.yaml:8:22: checks[1].ping: unknown node "c" (did you mean "a"?)',
      'lab.yaml:9:22: checks[2].ping: node b has no interface "em9" (did you mean "em0"?)',
      'lab.yaml:10:22: checks[3].ping: must be a unicast address (got "ff02::1")',
      'lab.yaml:11:22: checks[4].ping: must be a node, node:interface or an IPv6 address (got "2001:db8::zz")',
      'lab.yaml:12:33: checks[5].within: must be a duration like 500ms, 10s, 2m or 1h (got "1y")',
      'lab.yaml:13:5: checks[6]: missing required key "ping"',
    ]);
  });

  it('duplicate check names', () => {
    expect(errors(checks('  - { from: a, ping: b }', '  - { from: a, ping: b }'))).toEqual([
      'lab.yaml:8:5: checks[1]: duplicate check name "a-ping-b" (first at line 7)',
    ]);
  });
});

describe('parseLab: role and sysctl (IMPLEMENTATION 1.4.2) give warnings, not errors', () => {
  it('router with forwarding 0 or accept_rtadv 1; host with forwarding 1', () => {
    const text = y(
      'name: t',
      'nodes:',
      '  a:',
      '    role: router',
      '    sysctl: { net.inet6.ip6.forwarding: 0, net.inet6.ip6.accept_rtadv: 1 }',
      '  b:',
      '    sysctl: { net.inet6.ip6.forwarding: 1 }',
    );
    expect(checkLab(text, 'lab.yaml').errors).toEqual([]);
    expect(parseLab(text, 'lab.yaml').warnings.map((w) => w.message)).toEqual([
      'lab.yaml:5:15: warning: nodes.a.sysctl["net.inet6.ip6.forwarding"]: forwarding 0 contradicts role router (IMPLEMENTATION 1.4.2: a router forwards)',
      'lab.yaml:5:44: warning: nodes.a.sysctl["net.inet6.ip6.accept_rtadv"]: accepting RAs on a router is unwise (IMPLEMENTATION 1.4.2: only hosts listen to RAs)',
      'lab.yaml:7:15: warning: nodes.b.sysctl["net.inet6.ip6.forwarding"]: forwarding 1 contradicts role host (IMPLEMENTATION 1.4.2: a host does not forward)',
    ]);
  });

  it('the Linux names on Linux nodes', () => {
    expect(
      warnings(
        y(
          'name: t',
          'nodes:',
          '  a:',
          '    kind: linux',
          '    role: router',
          '    sysctl: { net.ipv6.conf.all.forwarding: 0 }',
        ),
      ),
    ).toEqual([
      'lab.yaml:6:15: warning: nodes.a.sysctl["net.ipv6.conf.all.forwarding"]: forwarding 0 contradicts role router (IMPLEMENTATION 1.4.2: a router forwards)',
    ]);
  });

  it('rtadvd on a host, rtsold where RAs are ignored', () => {
    expect(
      warnings(
        y(
          'name: t',
          'nodes:',
          '  a:',
          '    daemons: [rtadvd em0]',
          '  b:',
          '    role: router',
          '    daemons: [rtsold em0]',
        ),
      ),
    ).toEqual([
      'lab.yaml:4:15: warning: nodes.a.daemons[0]: rtadvd on a node that does not forward: routers send RAs (RFC 4861 6.2.3), set role: router',
      'lab.yaml:7:15: warning: nodes.b.daemons[0]: rtsold on a node that ignores RAs (accept_rtadv 0): the solicited RAs are not used',
    ]);
  });

  it('an interface on no link; an interface mtu above the link mtu', () => {
    expect(
      warnings(
        pairOpen(
          '    interfaces: { em0: { mtu: 1500 }, em5: {} }',
          'links:',
          '  - { endpoints: [a:em0, b:em0], impair: { mtu: 1400 } }',
        ),
      ),
    ).toEqual([
      "lab.yaml:5:19: warning: nodes.b.interfaces.em0.mtu: mtu 1500 is above the link's mtu 1400: larger packets are dropped on the wire",
      'lab.yaml:5:39: warning: nodes.b.interfaces.em5: not on any link (the interface stays unconnected)',
    ]);
  });

  it('no role guesses when the role itself is wrong', () => {
    expect(warnings(y('name: t', 'nodes:', '  a:', '    role: routr', '    daemons: [rtadvd em0]'))).toEqual(
      [],
    );
  });
});

describe('parseLab: bounds and odd shapes', () => {
  const words = (n: number, w: string): string => Array.from({ length: n }, (_, i) => `${w}${i}`).join(', ');

  it('keys must be plain names', () => {
    expect(errors(y('name: t', 'nodes:', '  ? [a, b]', '  : {}', '  c: {}'))).toEqual([
      'lab.yaml:3:5: nodes: keys must be plain names (got a sequence)',
    ]);
  });

  it('too many addresses on an interface', () => {
    const addrs = Array.from({ length: 33 }, (_, i) => `2001:db8::${i + 1}/64`).join(', ');
    expect(
      errors(y('name: t', 'nodes:', '  a:', `    interfaces: { em0: { addresses: [${addrs}] } }`)),
    ).toEqual(['lab.yaml:4:37: nodes.a.interfaces.em0.addresses: too many items (33; at most 32)']);
  });

  it('too many sysctls, argv words, env variables, files', () => {
    const sysctls = Array.from({ length: 129 }, (_, i) => `kern.x${i}: 1`).join(', ');
    expect(errors(y('name: t', 'nodes:', '  a:', `    sysctl: { ${sysctls} }`))).toEqual([
      'lab.yaml:4:13: nodes.a.sysctl: too many sysctls (129; at most 128)',
    ]);
    expect(errors(y('name: t', 'nodes:', '  a:', `    daemons: ['x ${words(256, 'w')}']`))).toEqual([
      'lab.yaml:4:15: nodes.a.daemons[0]: too many words (257; at most 256)',
    ]);
    const env = Array.from({ length: 65 }, (_, i) => `V${i}: x`).join(', ');
    expect(errors(y('name: t', 'nodes:', '  a:', `    daemons: [{ argv: x, env: { ${env} } }]`))).toEqual([
      'lab.yaml:4:31: nodes.a.daemons[0].env: too many variables (65; at most 64)',
    ]);
    const files = Array.from({ length: 17 }, (_, i) => `f${i}: x`).join(', ');
    expect(errors(y('name: t', 'nodes:', '  a:', `    daemons: [{ argv: x, files: { ${files} } }]`))).toEqual(
      ['lab.yaml:4:33: nodes.a.daemons[0].files: too many files (17; at most 16)'],
    );
  });

  it('too many interfaces on a node', () => {
    const ifs = Array.from({ length: 65 }, (_, i) => `em${i}: {}`).join(', ');
    expect(errors(y('name: t', 'nodes:', '  a:', `    interfaces: { ${ifs} }`))).toEqual([
      'lab.yaml:3:3: nodes.a: too many interfaces (65; at most 64)',
    ]);
  });

  it('an inline file or a file read by path over 1 MiB', () => {
    const big = 'x'.repeat((1 << 20) + 1);
    expect(
      errors(
        y(
          'name: t',
          'nodes:',
          '  a:',
          '    daemons:',
          '      - argv: x',
          '        files: { a.conf: { path: a.conf } }',
        ),
        { readFile: () => big },
      ),
    ).toEqual([
      'lab.yaml:6:34: nodes.a.daemons[0].files["a.conf"].path: file too large (at most 1048576 bytes)',
    ]);
  });

  it('an empty path, a daemon without a usable default name, a bad check name, a bad route dev', () => {
    expect(
      errors(
        y(
          'name: t',
          'nodes:',
          '  a:',
          '    routes: [{ to: default, dev: "e 0" }]',
          '    daemons:',
          "      - { argv: x, files: { a.conf: { path: '' } } }",
          "      - { argv: ['/'] }",
          'checks: [{ name: "a b", from: a, ping: a }]',
        ),
      ),
    ).toEqual([
      'lab.yaml:4:34: nodes.a.routes[0].dev: kame interface name must be a BSD interface name like em0 (letters then a unit number)',
      'lab.yaml:6:45: nodes.a.daemons[0].files["a.conf"].path: must not be empty',
      'lab.yaml:7:17: nodes.a.daemons[1].argv: cannot name the daemon after "/"; give it a name:',
      'lab.yaml:8:18: checks[0].name: a check name must match [A-Za-z0-9][A-Za-z0-9_.:-]{0,63} (got "a b")',
    ]);
  });

  it('a segment with a bad name still has its endpoints checked', () => {
    expect(errors(pair('links:', '  - { segment: LAN, endpoints: [a:em0, x:em0] }'))).toEqual([
      'lab.yaml:6:16: links[0].segment: a segment name must match [a-z][a-z0-9-]{0,14} (got "LAN")',
      'lab.yaml:6:40: links[0].endpoints[1]: unknown node "x" (did you mean "a"?)',
    ]);
  });
});
