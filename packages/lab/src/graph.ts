import type { Lab, LabInterface, LabLink, LabNode, LinkImpairment } from './model';
import { formatDuration, formatRate } from './schema/units';

/**
 * Pictures of a lab's topology: renderSvg (a self-contained, deterministic SVG) and renderDot
 * (Graphviz text). The layout is BFS layers from a host: each connected part of the lab is a
 * band of columns (layer = hops from its first host, or first node), so a line of routers
 * between two hosts reads left to right. Segments are vertical bus bars in their own column.
 */

export interface PlacedNode {
  readonly kind: 'node';
  readonly node: LabNode;
  readonly x: number;
  readonly y: number;
}

export interface PlacedSegment {
  readonly kind: 'segment';
  readonly link: LabLink;
  readonly x: number;
  /** The bar spans y1..y2. */
  readonly y1: number;
  readonly y2: number;
}

export interface LabLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyMap<string, PlacedNode>;
  readonly segments: ReadonlyMap<string, PlacedSegment>;
}

const MARGIN = 40;
const TITLE_HEIGHT = 56;
const LEGEND_HEIGHT = 40;
const NODE_COLUMN = 260;
const SEGMENT_COLUMN = 200;
const ROW = 150;
const ROUTER_RADIUS = 28;
const HOST_HALF_WIDTH = 30;
const HOST_HALF_HEIGHT = 22;
const BAR_HALF = 40;

type Vertex = { kind: 'node'; name: string } | { kind: 'segment'; id: string };
const vkey = (v: Vertex): string => (v.kind === 'node' ? `n:${v.name}` : `s:${v.id}`);

/** Positions for every node and segment; deterministic for a given lab. */
export function layoutLab(lab: Lab): LabLayout {
  // The graph: nodes and segments are vertices; a p2p link joins two nodes, a segment its members.
  const adj = new Map<string, Vertex[]>();
  const add = (a: Vertex, b: Vertex): void => {
    adj.get(vkey(a))!.push(b);
    adj.get(vkey(b))!.push(a);
  };
  for (const n of lab.nodes) adj.set(vkey({ kind: 'node', name: n.name }), []);
  for (const l of lab.links) {
    if (l.kind === 'segment') {
      const s: Vertex = { kind: 'segment', id: l.id };
      adj.set(vkey(s), []);
      for (const e of l.endpoints) add(s, { kind: 'node', name: e.node });
    } else if (l.endpoints.length === 2) {
      add({ kind: 'node', name: l.endpoints[0]!.node }, { kind: 'node', name: l.endpoints[1]!.node });
    }
  }

  // Components, each rooted at its first host (file order), else its first node.
  const layerOf = new Map<string, number>();
  const components: Vertex[][][] = [];
  const roots = [
    ...lab.nodes.filter((n) => n.role === 'host'),
    ...lab.nodes.filter((n) => n.role !== 'host'),
  ];
  for (const r of roots) {
    const root: Vertex = { kind: 'node', name: r.name };
    if (layerOf.has(vkey(root))) continue;
    const layers: Vertex[][] = [];
    const queue: Vertex[] = [root];
    layerOf.set(vkey(root), 0);
    while (queue.length > 0) {
      const v = queue.shift()!;
      const layer = layerOf.get(vkey(v))!;
      (layers[layer] ??= []).push(v);
      for (const w of adj.get(vkey(v)) ?? []) {
        if (layerOf.has(vkey(w))) continue;
        layerOf.set(vkey(w), layer + 1);
        queue.push(w);
      }
    }
    components.push(layers);
  }

  const nodes = new Map<string, PlacedNode>();
  const segmentCenters = new Map<string, { x: number; y: number }>();
  const byName = new Map(lab.nodes.map((n) => [n.name, n]));
  let top = MARGIN + TITLE_HEIGHT;
  let width = 0;
  for (const layers of components) {
    const rows = Math.max(...layers.map((l) => l.length));
    const bandHeight = rows * ROW;
    // Room for an impairment label written along a link between two columns.
    const extra: number[] = layers.map(() => 0);
    for (const l of lab.links) {
      const text = impairmentLabel(l.impair);
      if (l.kind !== 'p2p' || text === '') continue;
      const la = layerOf.get(vkey({ kind: 'node', name: l.endpoints[0]!.node }));
      const lb = layerOf.get(vkey({ kind: 'node', name: l.endpoints[1]!.node }));
      if (la === undefined || lb === undefined || la === lb || !layers[la]?.length) continue;
      const i = Math.min(la, lb);
      extra[i] = Math.max(extra[i]!, text.length * 5.5);
    }
    let x = MARGIN + NODE_COLUMN / 2;
    layers.forEach((layer, i) => {
      const isSegmentLayer = layer.every((v) => v.kind === 'segment');
      const column = isSegmentLayer ? SEGMENT_COLUMN : NODE_COLUMN;
      if (i > 0) {
        const prev = layers[i - 1]!.every((v) => v.kind === 'segment') ? SEGMENT_COLUMN : NODE_COLUMN;
        x += (prev + column) / 2 + extra[i - 1]!;
      }
      layer.forEach((v, j) => {
        const y = top + bandHeight / 2 + (j - (layer.length - 1) / 2) * ROW;
        if (v.kind === 'node') nodes.set(v.name, { kind: 'node', node: byName.get(v.name)!, x, y });
        else segmentCenters.set(v.id, { x, y });
      });
      width = Math.max(width, x + column / 2 + MARGIN);
    });
    top += bandHeight;
  }

  const segments = new Map<string, PlacedSegment>();
  for (const l of lab.links) {
    if (l.kind !== 'segment') continue;
    const c = segmentCenters.get(l.id)!;
    let y1 = c.y - BAR_HALF;
    let y2 = c.y + BAR_HALF;
    for (const e of l.endpoints) {
      const p = nodes.get(e.node)!;
      y1 = Math.min(y1, p.y - BAR_HALF / 2);
      y2 = Math.max(y2, p.y + BAR_HALF / 2);
    }
    segments.set(l.id, { kind: 'segment', link: l, x: c.x, y1, y2 });
  }
  return { width: Math.max(width, 480), height: top + LEGEND_HEIGHT + MARGIN / 2, nodes, segments };
}

// ---------------------------------------------------------------------------------------------
// SVG

function num(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`graph: coordinate ${n}`);
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The impairments as a short label: `5ms ±1ms 1% 10mbit mtu 1400`; '' when there are none. */
export function impairmentLabel(i: LinkImpairment): string {
  const parts: string[] = [];
  if (i.delaySeconds > 0) parts.push(formatDuration(Math.round(i.delaySeconds * 1e6) / 1e3));
  if (i.jitterSeconds > 0) parts.push(`±${formatDuration(Math.round(i.jitterSeconds * 1e6) / 1e3)}`);
  if (i.lossFraction > 0) parts.push(`${Math.round(i.lossFraction * 1e6) / 1e4}% loss`);
  if (i.rateBitsPerSecond !== undefined) parts.push(formatRate(i.rateBitsPerSecond));
  if (i.mtu !== undefined) parts.push(`mtu ${i.mtu}`);
  return parts.join(' ');
}

/** The edge of a node's shape in direction (dx, dy) from its centre. */
function shapeReach(n: LabNode, dx: number, dy: number): number {
  if (n.role === 'router') return ROUTER_RADIUS;
  const ax = Math.abs(dx) || 1e-9;
  const ay = Math.abs(dy) || 1e-9;
  return Math.min(HOST_HALF_WIDTH / ax, HOST_HALF_HEIGHT / ay);
}

/** Interface name and addresses, placed near the node end of a line from (x, y) towards (tx, ty). */
function interfaceLabel(
  out: string[],
  node: LabNode,
  iface: LabInterface | undefined,
  ifname: string,
  x: number,
  y: number,
  tx: number,
  ty: number,
  side: 1 | -1,
): void {
  const len = Math.hypot(tx - x, ty - y);
  const dx = len > 0 ? (tx - x) / len : 1;
  const dy = len > 0 ? (ty - y) / len : 0;
  const reach = shapeReach(node, dx, dy) + 8;
  const lines = [ifname, ...(iface?.addresses ?? []).map((a) => `${a.address.toString()}/${a.prefixLength}`)];
  let ax = x + dx * reach;
  let ay = y + dy * reach;
  let anchor: 'start' | 'end' | 'middle' = dx > 0.3 ? 'start' : dx < -0.3 ? 'end' : 'middle';
  // On a slanted line, write on its outer side (above a rising line, below a falling one),
  // away from the node's other lines; on a level line, `side` keeps the two ends apart.
  if (Math.abs(dy) > 0.08) side = dy < 0 ? -1 : 1;
  if (anchor === 'middle') {
    // A vertical line: write beside it.
    ax += 6;
    anchor = 'start';
    if (dy < 0) ay -= 12 * (lines.length - 1);
  } else if (side < 0) {
    ay -= 6 + 12 * (lines.length - 1);
  } else {
    ay += 14;
  }
  const spans = lines
    .map(
      (t, k) =>
        `<tspan x="${num(ax)}" dy="${k === 0 ? 0 : 12}"${k === 0 ? ' class="ifname"' : ''}>${esc(t)}</tspan>`,
    )
    .join('');
  out.push(`<text class="iface" x="${num(ax)}" y="${num(ay)}" text-anchor="${anchor}">${spans}</text>`);
}

/** The impairments written along the middle of a line, over a white halo. */
function impairmentText(text: string, x1: number, y1: number, x2: number, y2: number): string {
  const mx = (x1 + x2) / 2;
  const my = (y1 + y2) / 2;
  let angle = (Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI;
  if (angle > 90) angle -= 180;
  if (angle <= -90) angle += 180;
  const rotate = Math.abs(angle) < 0.05 ? '' : ` transform="rotate(${num(angle)} ${num(mx)} ${num(my)})"`;
  return `<text class="impair" x="${num(mx)}" y="${num(my + 3.5)}" text-anchor="middle"${rotate}>${esc(text)}</text>`;
}

/** A self-contained SVG picture of the lab: deterministic (same lab, same bytes), no scripts or fonts to fetch. */
export function renderSvg(lab: Lab): string {
  const L = layoutLab(lab);
  const out: string[] = [];
  const W = L.width;
  const H = L.height;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(W)}" height="${num(H)}" viewBox="0 0 ${num(W)} ${num(H)}" font-family="Helvetica, Arial, sans-serif">`,
  );
  out.push(`<title>${esc(`kame lab ${lab.name}`)}</title>`);
  out.push(
    '<style>' +
      '.link{stroke:#555;stroke-width:2;fill:none}' +
      '.bus{stroke:#333;stroke-width:6;stroke-linecap:round}' +
      '.router{fill:#dbe9f6;stroke:#1f4e79;stroke-width:2}' +
      '.host{fill:#e6f4dd;stroke:#386a1f;stroke-width:2}' +
      '.linux{stroke:#b35900;stroke-dasharray:5 3}' +
      '.name{font-size:14px;font-weight:bold;fill:#111}' +
      '.meta{font-size:10px;fill:#555}' +
      '.iface{font-size:10px;fill:#222}' +
      '.ifname{font-weight:bold}' +
      '.impair{font-size:10px;fill:#a00;font-style:italic;stroke:#fff;stroke-width:4px;paint-order:stroke}' +
      '.seg{font-size:11px;fill:#333;font-weight:bold}' +
      '.title{font-size:16px;font-weight:bold}' +
      '.desc{font-size:11px;fill:#444}' +
      '</style>',
  );
  out.push(`<rect x="0" y="0" width="${num(W)}" height="${num(H)}" fill="#fff"/>`);
  out.push(`<text class="title" x="${MARGIN}" y="${MARGIN}">${esc(lab.name)}</text>`);
  if (lab.description)
    out.push(`<text class="desc" x="${MARGIN}" y="${MARGIN + 18}">${esc(lab.description)}</text>`);

  const ifaceOf = (node: string, ifname: string): LabInterface | undefined =>
    lab.nodes.find((n) => n.name === node)?.interfaces.find((i) => i.name === ifname);

  // Links first, so that shapes and labels sit on top.
  const labels: string[] = [];
  for (const l of lab.links) {
    const imp = impairmentLabel(l.impair);
    if (l.kind === 'p2p') {
      const [a, b] = l.endpoints as [LabLink['endpoints'][0], LabLink['endpoints'][0]];
      const pa = L.nodes.get(a.node)!;
      const pb = L.nodes.get(b.node)!;
      out.push(
        `<line class="link" x1="${num(pa.x)}" y1="${num(pa.y)}" x2="${num(pb.x)}" y2="${num(pb.y)}"/>`,
      );
      interfaceLabel(labels, pa.node, ifaceOf(a.node, a.ifname), a.ifname, pa.x, pa.y, pb.x, pb.y, -1);
      interfaceLabel(labels, pb.node, ifaceOf(b.node, b.ifname), b.ifname, pb.x, pb.y, pa.x, pa.y, 1);
      if (imp) out.push(impairmentText(imp, pa.x, pa.y, pb.x, pb.y));
    } else {
      const s = L.segments.get(l.id)!;
      out.push(`<line class="bus" x1="${num(s.x)}" y1="${num(s.y1)}" x2="${num(s.x)}" y2="${num(s.y2)}"/>`);
      labels.push(
        `<text class="seg" x="${num(s.x)}" y="${num(s.y1 - 10)}" text-anchor="middle">${esc(l.id)}</text>`,
      );
      if (imp)
        out.push(
          `<text class="impair" x="${num(s.x)}" y="${num(s.y2 + 16)}" text-anchor="middle">${esc(imp)}</text>`,
        );
      for (const e of l.endpoints) {
        const p = L.nodes.get(e.node)!;
        const ty = Math.min(Math.max(p.y, s.y1), s.y2);
        out.push(`<line class="link" x1="${num(p.x)}" y1="${num(p.y)}" x2="${num(s.x)}" y2="${num(ty)}"/>`);
        interfaceLabel(labels, p.node, ifaceOf(e.node, e.ifname), e.ifname, p.x, p.y, s.x, ty, -1);
      }
    }
  }

  for (const p of L.nodes.values()) {
    const n = p.node;
    const cls = `${n.role}${n.kind === 'linux' ? ' linux' : ''}`;
    if (n.role === 'router') {
      out.push(`<circle class="${cls}" cx="${num(p.x)}" cy="${num(p.y)}" r="${ROUTER_RADIUS}"/>`);
      // Four arrows, the usual router symbol.
      const a = ROUTER_RADIUS * 0.55;
      out.push(
        `<path d="M${num(p.x - a)} ${num(p.y)}H${num(p.x + a)}M${num(p.x)} ${num(p.y - a)}V${num(p.y + a)}" stroke="#1f4e79" stroke-width="2"/>`,
      );
    } else {
      out.push(
        `<rect class="${cls}" x="${num(p.x - HOST_HALF_WIDTH)}" y="${num(p.y - HOST_HALF_HEIGHT)}" width="${2 * HOST_HALF_WIDTH}" height="${2 * HOST_HALF_HEIGHT}" rx="6"/>`,
      );
    }
    const below = n.role === 'router' ? ROUTER_RADIUS : HOST_HALF_HEIGHT;
    out.push(
      `<text class="name" x="${num(p.x)}" y="${num(p.y + below + 16)}" text-anchor="middle">${esc(n.name)}</text>`,
    );
    out.push(
      `<text class="meta" x="${num(p.x)}" y="${num(p.y + below + 29)}" text-anchor="middle">${esc(`${n.role} · ${n.kind}`)}</text>`,
    );
  }
  out.push(...labels);

  // Legend.
  const ly = H - LEGEND_HEIGHT / 2 - MARGIN / 4;
  out.push(`<g class="legend" font-size="10">`);
  out.push(`<circle class="router" cx="${MARGIN + 8}" cy="${num(ly)}" r="8"/>`);
  out.push(`<text x="${MARGIN + 22}" y="${num(ly + 4)}">router</text>`);
  out.push(`<rect class="host" x="${MARGIN + 70}" y="${num(ly - 7)}" width="20" height="14" rx="3"/>`);
  out.push(`<text x="${MARGIN + 96}" y="${num(ly + 4)}">host</text>`);
  out.push(`<rect class="host linux" x="${MARGIN + 136}" y="${num(ly - 7)}" width="20" height="14" rx="3"/>`);
  out.push(`<text x="${MARGIN + 162}" y="${num(ly + 4)}">dashed: Linux namespace</text>`);
  out.push(
    `<line class="bus" x1="${MARGIN + 300}" y1="${num(ly - 8)}" x2="${MARGIN + 300}" y2="${num(ly + 8)}"/>`,
  );
  out.push(`<text x="${MARGIN + 310}" y="${num(ly + 4)}">segment</text>`);
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Graphviz

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function dotIfLabel(lab: Lab, node: string, ifname: string): string {
  const i = lab.nodes.find((n) => n.name === node)?.interfaces.find((x) => x.name === ifname);
  return [ifname, ...(i?.addresses ?? []).map((a) => `${a.address.toString()}/${a.prefixLength}`)].join('\n');
}

/** The lab as Graphviz text (`dot -Tsvg`): routers as circles, hosts as boxes, Linux nodes dashed. */
export function renderDot(lab: Lab): string {
  const out: string[] = [];
  out.push(`graph ${dotString(lab.name)} {`);
  out.push(`  graph [label=${dotString(lab.name)}, labelloc=t, rankdir=LR, fontname="Helvetica"];`);
  out.push('  node [fontname="Helvetica"];');
  out.push('  edge [fontname="Helvetica", fontsize=9];');
  for (const n of lab.nodes) {
    const shape = n.role === 'router' ? 'shape=circle' : 'shape=box';
    const style = [n.role === 'host' ? 'rounded' : '', n.kind === 'linux' ? 'dashed' : '']
      .filter(Boolean)
      .join(',');
    out.push(
      `  ${dotString(n.name)} [${shape}${style ? `, style=${dotString(style)}` : ''}, label=${dotString(`${n.name}\n${n.role} · ${n.kind}`)}];`,
    );
  }
  for (const l of lab.links) {
    const imp = impairmentLabel(l.impair);
    const label = imp ? `, label=${dotString(imp)}` : '';
    if (l.kind === 'p2p') {
      const [a, b] = l.endpoints as [LabLink['endpoints'][0], LabLink['endpoints'][0]];
      out.push(
        `  ${dotString(a.node)} -- ${dotString(b.node)} [taillabel=${dotString(dotIfLabel(lab, a.node, a.ifname))}, headlabel=${dotString(dotIfLabel(lab, b.node, b.ifname))}${label}];`,
      );
    } else {
      const id = dotString(`segment:${l.id}`);
      out.push(
        `  ${id} [shape=box, style=filled, fillcolor="#333333", fontcolor=white, height=0.2, label=${dotString(l.id)}];`,
      );
      for (const e of l.endpoints)
        out.push(
          `  ${dotString(e.node)} -- ${id} [taillabel=${dotString(dotIfLabel(lab, e.node, e.ifname))}${label}];`,
        );
    }
  }
  out.push('}');
  return out.join('\n') + '\n';
}
