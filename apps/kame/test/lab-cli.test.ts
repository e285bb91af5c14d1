import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNodeFile } from '@kame/kernel-app';
import { loadLab, resolveLab } from '@kame/lab';
import { LINKTYPE_ETHERNET, PcapngWriter, readPcapng } from '@kame/wire';
import { pcapngFilter } from '../src/lab/live/pcapng-follow';
import { planLive } from '../src/lab/live/plan';
import { formatChecks, formatStatus } from '../src/lab/supervisor/table';
import type { LabStatus } from '../src/lab/types';
import { runCli } from './support/run-cli';

const LABS = join(__dirname, '..', '..', '..', 'labs');

const kame = (...argv: string[]) => runCli(argv, dir);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kame-lab-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A minimal XML well-formedness check: every tag closed in order, attributes quoted. */
function wellFormed(xml: string): string | undefined {
  const body = xml.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let at = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    if (body.slice(at, m.index).includes('<')) return `stray '<' before offset ${m.index}`;
    at = m.index + m[0].length;
    const [, close, name, , selfClose] = m;
    if (close) {
      if (stack.pop() !== name) return `</${name!}> closes the wrong element`;
    } else if (!selfClose) stack.push(name!);
  }
  if (body.slice(at).includes('<')) return 'stray < at the end';
  return stack.length ? `unclosed <${stack.join('>, <')}>` : undefined;
}

describe('kame lab: lab-file errors (issue 8: schema errors exit 2 with file:line:col)', () => {
  it('lists every error as file:line:col: path: message and exits 2', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      [
        'name: bad',
        'nodes:',
        '  r1:',
        '    role: routr',
        '  h1:',
        '    rol: host',
        'links:',
        '  - [r1:em0, r9:em0]',
        '',
      ].join('\n'),
    );
    const r = await kame('lab', 'up', bad, '--rundir', dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines)
      expect(l).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
    expect(r.stderr).toMatch(/:4:\d+: nodes\.r1\.role: /);
    expect(r.stderr).toMatch(/:6:\d+: nodes\.h1\.rol: unknown key/);
    expect(r.stderr).toMatch(/:8:\d+: links\[0\]\[1\]: unknown node "r9"/);
    expect(r.stdout).toBe('');
  });

  it('a missing lab file is exit 2', async () => {
    const r = await kame('lab', 'up', join(dir, 'none.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read the lab file');
  });

  it('usage errors are exit 2: unknown verb, bad mode, bad --for, exec without a command', async () => {
    const q = join(LABS, 'quickstart.yaml');
    expect((await kame('lab', 'frobnicate')).code).toBe(2);
    expect((await kame('lab', 'up', q, '--mode', 'fast')).code).toBe(2);
    expect((await kame('lab', 'up', q, '--for', '10')).code).toBe(2);
    expect((await kame('lab', 'up', q, '--seed', '-3')).code).toBe(2);
    expect((await kame('lab', 'exec', 'h1')).code).toBe(2);
    expect((await kame('lab', 'exec', '--', 'h1', '--')).code).toBe(2);
    expect((await kame('lab', 'capture', 'h1')).code).toBe(2);
    expect((await kame('lab')).code).toBe(2);
  });

  it('status, exec and down with no lab up say so and exit 1', async () => {
    for (const argv of [
      ['lab', 'status', '--rundir', dir],
      ['lab', 'down', '--rundir', dir],
      ['lab', 'exec', '--rundir', dir, 'h1', '--', 'true'],
    ]) {
      const r = await kame(...argv);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('no lab is up');
    }
  });
});

describe('kame lab graph', () => {
  it('writes a well-formed SVG naming every node and link end', async () => {
    const out = join(dir, 'topo.svg');
    const r = await kame('lab', 'graph', join(LABS, 'quickstart.yaml'), '-o', out);
    expect(r.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg.trimStart()).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    expect(wellFormed(svg)).toBeUndefined();
    for (const n of ['h1', 'r1', 'r2', 'r3', 'h2']) expect(svg).toContain(`>${n}<`);
    expect(svg).toContain('2001:db8:12::1/64');
  });

  it('the well-formedness check itself rejects a broken SVG', () => {
    expect(wellFormed('<svg><g></svg>')).toBeDefined();
    expect(wellFormed('<svg><text x=1>a</text></svg>')).toBeDefined();
    expect(wellFormed('<svg><g/><text x="1">a</text></svg>')).toBeUndefined();
  });

  it('-o x.dot writes Graphviz, -o - prints', async () => {
    const out = join(dir, 'topo.dot');
    expect((await kame('lab', 'graph', join(LABS, 'ring.yaml'), '-o', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^(graph|digraph) /m);
    const r = await kame('lab', 'graph', join(LABS, 'quickstart.yaml'), '-o', '-');
    expect(r.stdout).toContain('<svg');
  });
});

describe('live plan: the kame-kernel node file', () => {
  it('quickstart: every kame node, hubs per link, addresses, role sysctls; kame-kernel parses it', () => {
    const lab = resolveLab(loadLab(join(LABS, 'quickstart.yaml')));
    const plan = planLive(lab);
    expect(plan.linuxInterfaces).toEqual([]);
    const cfg = parseNodeFile(plan.nodeFile, 'lab.node');
    expect(cfg.nodes.map((n) => n.name)).toEqual(['h1', 'r1', 'r2', 'r3', 'h2']);
    const r1 = cfg.nodes.find((n) => n.name === 'r1')!;
    expect(r1.sysctl['net.inet6.ip6.forwarding']).toBe(1);
    expect(r1.interfaces.map((i) => i.name)).toEqual(['em0', 'em1']);
    expect(r1.interfaces[0]!.addresses.map((a) => `${a.address.toString()}/${a.prefixLength}`)).toEqual([
      '2001:db8:12::1/64',
    ]);
    // h1:em0 and r1:em1 share lan1's hub; r1:em0 is on another.
    const hub = (node: string, ifname: string) => {
      const link = cfg.nodes.find((n) => n.name === node)!.interfaces.find((i) => i.name === ifname)!.link;
      return link.kind === 'hub' ? link.name : `vxlan`;
    };
    expect(hub('h1', 'em0')).toBe(hub('r1', 'em1'));
    expect(hub('r1', 'em0')).not.toBe(hub('r1', 'em1'));
    expect(hub('r1', 'em0')).toBe(hub('r2', 'em0'));
  });

  it('ring: impairments on both ends of the impaired link', () => {
    const lab = resolveLab(loadLab(join(LABS, 'ring.yaml')));
    const impaired = lab.links.find((l) => l.impair.delaySeconds > 0)!;
    const cfg = parseNodeFile(planLive(lab).nodeFile);
    for (const e of impaired.endpoints) {
      const ifc = cfg.nodes.find((n) => n.name === e.node)!.interfaces.find((i) => i.name === e.ifname)!;
      expect(ifc.impair?.delayMs).toBeCloseTo(impaired.impair.delaySeconds * 1000, 6);
    }
  });

  it('mixed-linux: kame ends of linux links are VXLAN to the underlay; linux ends flood back', () => {
    const lab = resolveLab(loadLab(join(LABS, 'mixed-linux.yaml')));
    const plan = planLive(lab, { root: '169.254.9.1', underlay: '169.254.9.2' });
    const cfg = parseNodeFile(plan.nodeFile);
    expect(cfg.nodes.map((n) => n.name)).toEqual(['r1', 'h2']);
    const em1 = cfg.nodes[0]!.interfaces.find((i) => i.name === 'em1')!;
    expect(em1.link.kind).toBe('vxlan');
    const lh1 = plan.linuxInterfaces.find((i) => i.node === 'lh1')!;
    if (em1.link.kind !== 'vxlan') throw new Error('not vxlan');
    expect(em1.link.vni).toBe(lh1.vni);
    expect(em1.link.remotes.map((r) => r.port)).toEqual([lh1.kport]);
    expect(lh1.peers).toEqual([{ address: '169.254.9.1', port: em1.link.bind.port }]);
    expect(plan.linuxInterfaces.map((i) => `${i.node}:${i.ifname}`).sort()).toEqual([
      'lh1:eth0',
      'lr1:eth0',
      'lr1:eth1',
    ]);
    expect(new Set(plan.linuxInterfaces.map((i) => i.kport)).size).toBe(3);
  });
});

describe('live capture: following a kame-kernel pcapng file', () => {
  it('keeps only the wanted endpoint, both directions, and only frames after it started', () => {
    const chunks: Uint8Array[] = [];
    const w = new PcapngWriter((c) => chunks.push(c));
    const r1out = w.addInterface('r1:em0/out', LINKTYPE_ETHERNET, 0);
    const r1in = w.addInterface('r1:em0/in', LINKTYPE_ETHERNET, 0);
    const r1em1 = w.addInterface('r1:em1/out', LINKTYPE_ETHERNET, 0);
    w.writePacket(r1out, 1000, Uint8Array.of(1, 1, 1)); // before the follower went live
    const head = chunks.length;
    w.writePacket(r1out, 2000, Uint8Array.of(2, 2, 2, 2));
    w.writePacket(r1em1, 2500, Uint8Array.of(9));
    w.writePacket(r1in, 3000, Uint8Array.of(3, 3));
    const got: { ns: bigint; data: number[] }[] = [];
    let live = false;
    const f = pcapngFilter(
      'r1:em0',
      (ns, data) => got.push({ ns, data: [...data] }),
      () => live,
    );
    for (const c of chunks.slice(0, head)) f.push(c);
    live = true;
    // Split the rest at odd places: blocks arrive in pieces from a file being written.
    const rest = Buffer.concat(chunks.slice(head));
    for (let i = 0; i < rest.length; i += 7) f.push(rest.subarray(i, i + 7));
    expect(got).toEqual([
      { ns: 2_000_000_000n, data: [2, 2, 2, 2] },
      { ns: 3_000_000_000n, data: [3, 3] },
    ]);
  });

  it('the re-emitted stream reads back (SHB + IDB + EPBs)', () => {
    const out: Uint8Array[] = [];
    const w = new PcapngWriter((c) => out.push(c));
    const id = w.addInterface('r1:em0', LINKTYPE_ETHERNET, 0);
    const src: Uint8Array[] = [];
    const sw = new PcapngWriter((c) => src.push(c));
    const a = sw.addInterface('r1:em0/in', LINKTYPE_ETHERNET, 0);
    const f = pcapngFilter(
      'r1:em0',
      (ns, d, o) => w.writePacket(id, ns, d, o),
      () => true,
    );
    sw.writePacket(a, 5, new Uint8Array(60).fill(7));
    for (const c of src) f.push(c);
    const pkts = readPcapng(Buffer.concat(out));
    expect(pkts).toHaveLength(1);
    expect(pkts[0]!.data).toEqual(new Uint8Array(60).fill(7));
    expect(pkts[0]!.timestamp).toBe(5_000_000n);
  });
});

describe('status table', () => {
  const st: LabStatus = {
    name: 'quickstart',
    mode: 'live',
    uptimeMs: 65_000,
    nodes: [
      {
        name: 'r1',
        kind: 'kame',
        role: 'router',
        routes: 9,
        interfaces: [
          { name: 'em0', up: true, mtu: 1500, addresses: ['fe80::1%em0/64', '2001:db8:12::1/64'] },
          { name: 'em1', up: false, mtu: 1500, addresses: [] },
        ],
        daemons: [
          { name: 'route6d', argv: ['route6d'], state: 'running', pid: 10 },
          { name: 'rtadvd', argv: ['rtadvd'], state: 'failed', exitCode: 1 },
        ],
      },
      { name: 'h1', kind: 'linux', role: 'host', routes: 3, interfaces: [], daemons: [] },
    ],
  };

  it('has the columns, a row per address, daemons beside them, uptime in the header', () => {
    const t = formatStatus(st).split('\n');
    expect(t[0]).toBe('lab quickstart (live), up 1m05s: 2 nodes, 2 daemons');
    expect(t[1]).toMatch(/^NODE\s+ROLE\s+KIND\s+INTERFACE\s+ADDRESSES\s+ROUTES\s+DAEMONS$/);
    expect(t[2]).toMatch(/^r1\s+router\s+kame\s+em0\s+fe80::1%em0\/64\s+9\s+route6d running \(10\)$/);
    expect(t[3]).toMatch(/^\s+2001:db8:12::1\/64\s+rtadvd failed 1$/);
    expect(t[4]).toMatch(/^\s+em1 \(down\)\s+-$/);
    expect(t[5]).toMatch(/^h1\s+host\s+linux\s+-\s+3\s+-$/);
    // Columns line up: ADDRESSES starts at the same offset on every row that has one.
    const col = t[1]!.indexOf('ADDRESSES');
    expect(t[2]!.indexOf('fe80::1')).toBe(col);
    expect(t[3]!.indexOf('2001:db8:12::1')).toBe(col);
  });

  it('check results: PASS/FAIL lines and a count', () => {
    const text = formatChecks([
      { name: 'a', ok: true, detail: 'x', atMs: 1500 },
      { name: 'bb', ok: false, detail: 'no echo reply within 60 s' },
    ]);
    expect(text).toBe(
      'checks: 1 of 2 passed\n  PASS  a   x (after 1.5 s)\n  FAIL  bb  no echo reply within 60 s\n',
    );
  });
});
