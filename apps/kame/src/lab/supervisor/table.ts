import type { CheckResult, DaemonStatus, LabStatus } from '../types';

/**
 * The status table of `kame lab up` and `kame lab status`: one row per
 * interface (node, role and kind on the node's first row), every address of
 * an interface on its own line, route count and daemons on the first row.
 *
 *   NODE  ROLE    KIND  INTERFACE  ADDRESSES                  ROUTES  DAEMONS
 *   r1    router  kame  em0        2001:db8:12::1/64          7       route6d running (1234)
 *                                  fe80::ff:fe00:101%em0/64           rtadvd running (1240)
 */

const HEAD = ['NODE', 'ROLE', 'KIND', 'INTERFACE', 'ADDRESSES', 'ROUTES', 'DAEMONS'] as const;

function daemonCell(d: DaemonStatus): string {
  const pid = d.pid !== undefined ? ` (${d.pid})` : '';
  const code =
    d.exitCode !== undefined && d.state !== 'running' && d.state !== 'ready' ? ` ${d.exitCode}` : '';
  const detail = d.detail !== undefined ? `, ${d.detail}` : '';
  return `${d.name} ${d.state}${code}${pid}${detail}`;
}

function upTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatStatus(st: LabStatus): string {
  const rows: string[][] = [];
  for (const n of st.nodes) {
    const ds = n.daemons.map(daemonCell);
    const lines: string[][] = [];
    const ifs = n.interfaces.length ? n.interfaces : [{ name: '-', up: false, mtu: 0, addresses: [] }];
    for (const i of ifs) {
      const addrs = i.addresses.length ? i.addresses : [i.name === '-' ? '' : '-'];
      addrs.forEach((a, k) =>
        lines.push(['', '', '', k === 0 ? (i.up || i.name === '-' ? i.name : `${i.name} (down)`) : '', a]),
      );
    }
    const height = Math.max(lines.length, ds.length, 1);
    for (let k = 0; k < height; k++) {
      const l = lines[k] ?? ['', '', '', '', ''];
      rows.push([
        k === 0 ? n.name : '',
        k === 0 ? n.role : '',
        k === 0 ? n.kind : '',
        l[3]!,
        l[4]!,
        k === 0 ? String(n.routes) : '',
        ds[k] ?? (k === 0 ? '-' : ''),
      ]);
    }
  }
  const widths = HEAD.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const nodes = st.nodes.length;
  const daemons = st.nodes.reduce((s, n) => s + n.daemons.length, 0);
  const head = `lab ${st.name} (${st.mode}), up ${upTime(st.uptimeMs)}: ${nodes} nodes, ${daemons} daemons`;
  return [head, line(HEAD), ...rows.map(line)].join('\n') + '\n';
}

export function formatChecks(results: readonly CheckResult[]): string {
  if (!results.length) return '';
  const w = Math.max(...results.map((r) => r.name.length));
  const lines = results.map((r) => {
    const at = r.ok && r.atMs !== undefined ? ` (after ${(r.atMs / 1000).toFixed(1)} s)` : '';
    return `  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(w)}  ${r.detail}${at}`;
  });
  const passed = results.filter((r) => r.ok).length;
  return `checks: ${passed} of ${results.length} passed\n${lines.join('\n')}\n`;
}
