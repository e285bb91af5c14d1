import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layoutLab, loadLab, parseLab, renderDot, renderSvg, resolveLab, type Lab } from '../src';
import { xmlProblems } from './support/xml';

const LABS = join(__dirname, '..', '..', '..', 'labs');
const GOLDEN = join(__dirname, 'golden', 'quickstart.svg');
const lab = (name: string): Lab => resolveLab(loadLab(join(LABS, `${name}.yaml`)));

/** Every number in a coordinate-like attribute or path. */
function coordinates(svg: string): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(
    /\s(?:x|y|x1|y1|x2|y2|cx|cy|r|width|height|dy|viewBox|d|transform)="([^"]*)"/g,
  ))
    out.push(
      ...m[1]!
        .replace(/rotate|[MHVLZ]/g, ' ')
        .split(/[\s,()]+/)
        .filter((t) => t !== ''),
    );
  return out;
}

describe('renderSvg', () => {
  it('quick start: matches the golden picture (UPDATE_GOLDEN=1 rewrites it after a reviewed change)', () => {
    const svg = renderSvg(lab('quickstart'));
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, svg);
    expect(existsSync(GOLDEN)).toBe(true);
    expect(svg).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it.each(['quickstart', 'mixed-linux', 'ring'])(
    '%s: well-formed XML, finite coordinates, deterministic',
    (name) => {
      const svg = renderSvg(lab(name));
      expect(xmlProblems(svg)).toEqual([]);
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
      const nums = coordinates(svg);
      expect(nums.length).toBeGreaterThan(20);
      for (const n of nums) expect([n, Number.isFinite(Number(n))]).toEqual([n, true]);
      expect(renderSvg(lab(name))).toBe(svg);
    },
  );

  it('draws routers as circles and hosts as boxes, names, interface names and addresses, segments as bars', () => {
    const svg = renderSvg(lab('quickstart'));
    expect(svg.match(/<circle class="router"/g)).toHaveLength(3 + 1); // + the legend
    expect(svg.match(/<rect class="host"/g)).toHaveLength(2 + 1);
    expect(svg.match(/<line class="bus"/g)).toHaveLength(2 + 1);
    for (const n of ['h1', 'r1', 'r2', 'r3', 'h2']) expect(svg).toContain(`text-anchor="middle">${n}</text>`);
    for (const a of [
      '2001:db8:12::1/64',
      '2001:db8:12::2/64',
      '2001:db8:23::2/64',
      '2001:db8:23::3/64',
      '2001:db8:1::1/64',
      '2001:db8:3::1/64',
    ])
      expect(svg).toContain(`>${a}</tspan>`);
    expect(svg).toContain('>lan1</text>');
    expect(svg).toContain('>lan3</text>');
    expect(svg.match(/class="ifname">em[01]</g)).toHaveLength(8);
  });

  it('marks Linux nodes (dashed) and shows impairments', () => {
    expect(renderSvg(lab('mixed-linux')).match(/class="(router|host) linux"/g)).toEqual([
      'class="host linux"',
      'class="router linux"',
      'class="host linux"', // the legend
    ]);
    expect(renderSvg(lab('ring'))).toContain('>10ms ±1ms 1% loss 10mbit mtu 1400</text>');
  });

  it('the quick start reads left to right on one line: h1, r1, r2, r3, h2', () => {
    const L = layoutLab(lab('quickstart'));
    const p = ['h1', 'r1', 'r2', 'r3', 'h2'].map((n) => L.nodes.get(n)!);
    expect(new Set(p.map((n) => n.y)).size).toBe(1);
    for (let i = 1; i < p.length; i++) expect(p[i]!.x).toBeGreaterThan(p[i - 1]!.x);
    const lan1 = L.segments.get('lan1')!;
    expect(lan1.x).toBeGreaterThan(p[0]!.x);
    expect(lan1.x).toBeLessThan(p[1]!.x);
    expect(L.width).toBeGreaterThan(p[4]!.x);
  });

  it('escapes text and handles isolated nodes', () => {
    const l = resolveLab(
      parseLab('name: odd\ndescription: "a <b> & \\"c\\""\nnodes: { a: , b: { role: router } }\n', 'x.yaml'),
    );
    const svg = renderSvg(l);
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).not.toMatch(/NaN/);
  });
});

describe('renderDot', () => {
  it('quick start: nodes with shapes, p2p edges with interface labels, segments as nodes', () => {
    const dot = renderDot(lab('quickstart'));
    expect(dot.startsWith('graph "quickstart" {\n')).toBe(true);
    expect(dot.endsWith('}\n')).toBe(true);
    expect(dot).toContain('  "r1" [shape=circle, label="r1\\nrouter · kame"];');
    expect(dot).toContain('  "h1" [shape=box, style="rounded", label="h1\\nhost · kame"];');
    expect(dot).toContain(
      '  "r1" -- "r2" [taillabel="em0\\n2001:db8:12::1/64", headlabel="em0\\n2001:db8:12::2/64"];',
    );
    expect(dot).toContain('  "r1" -- "segment:lan1" [taillabel="em1\\n2001:db8:1::1/64"];');
    expect(dot).toContain('  "h1" -- "segment:lan1" [taillabel="em0"];');
    expect(dot.match(/ -- /g)).toHaveLength(6);
  });

  it('dashed Linux nodes, impairment labels, quoting', () => {
    expect(renderDot(lab('mixed-linux'))).toContain(
      '  "lr1" [shape=circle, style="dashed", label="lr1\\nrouter · linux"];',
    );
    expect(renderDot(lab('ring'))).toContain(', label="10ms ±1ms 1% loss 10mbit mtu 1400"];');
    const l = resolveLab(parseLab('name: q\ndescription: x\nnodes: { a: }\n', 'q.yaml'));
    expect(renderDot(l)).toBe(
      [
        'graph "q" {',
        '  graph [label="q", labelloc=t, rankdir=LR, fontname="Helvetica"];',
        '  node [fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=9];',
        '  "a" [shape=box, style="rounded", label="a\\nhost · kame"];',
        '}',
        '',
      ].join('\n'),
    );
  });
});
