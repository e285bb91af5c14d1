import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLab, LabErrors, loadLab, resolveLab } from '../src';

const LABS = join(__dirname, '..', '..', '..', 'labs');

describe('the example labs in labs/', () => {
  const files = readdirSync(LABS).filter((f) => f.endsWith('.yaml'));

  it('include the quick start, a mixed kame/Linux lab and a ring', () => {
    expect(files).toEqual(expect.arrayContaining(['quickstart.yaml', 'mixed-linux.yaml', 'ring.yaml']));
  });

  it.each(files)('%s loads without errors or warnings and resolves', (f) => {
    const spec = loadLab(join(LABS, f));
    expect(spec.warnings.map((w) => w.message)).toEqual([]);
    const lab = resolveLab(spec);
    expect(lab.nodes.length).toBeGreaterThan(1);
    for (const n of lab.nodes) for (const i of n.interfaces) expect(i.link).toBeDefined();
    expect(lab.checks.length).toBeGreaterThan(0);
  });

  it('quickstart: h1 - r1 - r2 - r3 - h2, route6d everywhere on routers, rtadvd on the LANs, rtsold on hosts', () => {
    const lab = resolveLab(loadLab(join(LABS, 'quickstart.yaml')));
    expect(lab.nodes.map((n) => [n.name, n.role, n.kind])).toEqual([
      ['h1', 'host', 'kame'],
      ['r1', 'router', 'kame'],
      ['r2', 'router', 'kame'],
      ['r3', 'router', 'kame'],
      ['h2', 'host', 'kame'],
    ]);
    expect(lab.links.map((l) => l.id)).toEqual(['lan1', 'r1:em0-r2:em0', 'r2:em1-r3:em0', 'lan3']);
    const daemons = Object.fromEntries(
      lab.nodes.map((n) => [n.name, n.daemons.map((d) => d.argv.join(' '))]),
    );
    expect(daemons).toEqual({
      h1: ['rtsold em0'],
      r1: ['route6d', 'rtadvd -c rtadvd.conf em1'],
      r2: ['route6d'],
      r3: ['route6d', 'rtadvd -c rtadvd.conf em1'],
      h2: ['rtsold em0'],
    });
    const conf = (node: string): string | undefined =>
      lab.nodes.find((n) => n.name === node)!.daemons[1]!.files.find((f) => f.name === 'rtadvd.conf')!
        .content;
    expect(conf('r1')).toContain(':addr="2001:db8:1::":prefixlen#64:');
    expect(conf('r3')).toContain(':addr="2001:db8:3::":prefixlen#64:');
    const addrs = lab.nodes.flatMap((n) =>
      n.interfaces.flatMap((i) =>
        i.addresses.map((a) => `${n.name}:${i.name} ${a.address.toString()}/${a.prefixLength}`),
      ),
    );
    expect(addrs).toEqual([
      'r1:em0 2001:db8:12::1/64',
      'r1:em1 2001:db8:1::1/64',
      'r2:em0 2001:db8:12::2/64',
      'r2:em1 2001:db8:23::2/64',
      'r3:em0 2001:db8:23::3/64',
      'r3:em1 2001:db8:3::1/64',
    ]);
    expect(lab.checks.map((c) => [c.from, c.targetText, c.target.kind, c.withinMs])).toEqual([
      ['h1', 'h2', 'deferred', 90_000],
      ['h2', 'h1', 'deferred', 90_000],
    ]);
  });

  it('mixed-linux: Linux host and Linux router with radvd, static routes between the routers', () => {
    const lab = resolveLab(loadLab(join(LABS, 'mixed-linux.yaml')));
    const lr1 = lab.nodes.find((n) => n.name === 'lr1')!;
    expect(lr1.kind).toBe('linux');
    expect(lr1.sysctls.map((s) => `${s.name}=${s.value}`)).toEqual([
      'net.ipv6.conf.all.forwarding=1',
      'net.ipv6.conf.default.accept_ra=0',
    ]);
    expect(lr1.daemons[0]!.argv[0]).toBe('radvd');
    expect(lr1.daemons[0]!.files[0]!.content).toContain('prefix 2001:db8:2::/64');
    expect(
      lr1.routes.map((r) => `${r.to.address.toString()}/${r.to.prefixLength} via ${r.via?.toString()}`),
    ).toEqual(['2001:db8:1::/64 via 2001:db8:12::1']);
    expect(lab.nodes.find((n) => n.name === 'lh1')!.kind).toBe('linux');
  });
});

describe('loadLab: files on disk', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kame-lab-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads daemon files by path relative to the lab file', () => {
    writeFileSync(join(dir, 'r.conf'), 'em0:\\\n\t:addr="2001:db8::":\n');
    writeFileSync(
      join(dir, 'lab.yaml'),
      'name: disk\nnodes:\n  r:\n    role: router\n    daemons:\n      - argv: rtadvd -c r.conf em0\n        files:\n          r.conf: { path: r.conf }\n',
    );
    const spec = loadLab(join(dir, 'lab.yaml'));
    expect(spec.nodes[0]!.daemons[0]!.files[0]).toMatchObject({
      name: 'r.conf',
      source: 'path',
      path: join(dir, 'r.conf'),
      content: 'em0:\\\n\t:addr="2001:db8::":\n',
    });
  });

  it('a missing file is an error at its path: line, with the other errors', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'name: disk\nnodes:\n  r:\n    role: ruoter\n    daemons:\n      - argv: x\n        files:\n          r.conf: { path: nothere.conf }\n',
    );
    expect(() => loadLab(file)).toThrow(LabErrors);
    try {
      loadLab(file);
    } catch (e) {
      expect((e as LabErrors).errors.map((x) => x.message)).toEqual([
        `${file}:4:11: nodes.r.role: must be router or host (got "ruoter")`,
        `${file}:8:27: nodes.r.daemons[0].files["r.conf"].path: cannot read ${join(dir, 'nothere.conf')}: no such file`,
      ]);
    }
  });

  it('a missing lab file', () => {
    expect(() => loadLab(join(dir, 'none.yaml'))).toThrow(
      `${join(dir, 'none.yaml')}:0:0: cannot read the lab file: no such file`,
    );
  });

  it('checkLab never throws on hostile input', () => {
    for (const text of [
      '\0\0\0',
      '[[[[[[',
      'a: *nope',
      '!!binary x',
      '? [a]\n: b',
      `name: t\nnodes: {${'a'.repeat(5000)}: }`,
      '{'.repeat(500),
    ])
      expect(() => checkLab(text, 'h.yaml')).not.toThrow();
    expect(checkLab('x'.repeat(1 << 21), 'big.yaml').errors.map((e) => e.message)).toEqual([
      'big.yaml:1:1: lab file too large (at most 1048576 bytes)',
    ]);
  });
});

describe('README.md', () => {
  it('the format example is a valid lab', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const example = /## The format\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const r = checkLab(example!, 'README.yaml');
    expect([...r.errors, ...r.warnings].map((e) => e.message)).toEqual([]);
    const lab = resolveLab(r.spec!);
    expect(lab.nodes.map((n) => n.name)).toEqual(['r1', 'r2', 'r3', 'h1']);
    expect(lab.nodes[0]!.daemons.map((d) => d.name)).toEqual(['route6d', 'rtadvd']);
    expect(lab.links.map((l) => l.kind)).toEqual(['p2p', 'p2p', 'segment']);
  });
});
