import type { MacAddress } from '@kame/addr';
import { ND6_INFINITE_LIFETIME } from './constants';
import type { HostInterface } from './host';
import type { RaInterface } from './rtadvd-engine';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime(3) without the newline, in UTC: "Thu Nov 26 12:15:03 2026". */
export function ctime(epochMs: number): string {
  const d = new Date(Math.floor(epochMs / 1000) * 1000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`
  );
}

/** Preference names indexed by (flags >> 3) & 3, as KAME's dump.c. */
const RTPREF_STR = ['medium', 'high', 'rsv', 'low'];

function lifetime(v: number): string {
  return v === ND6_INFINITE_LIFETIME ? 'infinity' : String(v);
}

/** "%x:%x:%x:%x:%x:%x": KAME prints each byte without zero padding. */
function lladdrText(mac: MacAddress): string {
  return [...mac.bytes].map((b) => b.toString(16)).join(':');
}

export interface DumpContext {
  /** The engine clock (ms) for timer deadlines. */
  readonly nowMs: number;
  /** Wall-clock epoch ms matching nowMs. */
  readonly wallMs: number;
  /** Engine seconds (prefix expiry times are in these). */
  readonly nowSec: number;
  iface(name: string): HostInterface | undefined;
}

/** KAME dump.c's rtadvd_dump() text (reference 1.7), one block per interface. */
export function formatDump(ifs: readonly RaInterface[], ctx: DumpContext): string {
  const wallOf = (clockMs: number): string => ctime(ctx.wallMs + (clockMs - ctx.nowMs));
  let out = '';
  for (const ri of ifs) {
    const c = ri.config;
    const ifp = ctx.iface(ri.ifname);
    out += `${ri.ifname}:\n`;
    out += `  Status: ${ifp?.up ? 'UP' : 'DOWN'}\n`;
    if (ri.lastSent !== undefined) out += `  Last RA sent: ${wallOf(ri.lastSent)}\n`;
    // KAME omits the newline after "RA timer is stopped" (the next line is
    // glued to it); this port ends the line.
    if (ri.timer?.pending) out += `  Next RA will be sent: ${wallOf(ri.timer.deadline)}\n`;
    else out += `  RA timer is stopped\n`;
    out += `  waits: ${ri.waiting}, initcount: ${ri.initcounter}\n`;
    const s = ri.stats;
    out += `  statistics: RA(out/in/inconsistent): ${s.raOutput}/${s.raInput}/${s.raInconsistent}, RS(input): ${s.rsInput}\n`;
    if (c.advertiseLinkAddress) {
      const mac = ifp?.isEthernet ? ifp.lladdr : undefined;
      out += `  Link-layer address: ${mac ? lladdrText(mac) : 'NONE'}\n`;
    }
    out += `  MTU: ${ifp?.mtu ?? 0}\n`;
    out += `  DefaultLifetime: ${c.routerLifetime}, MaxAdvInterval: ${c.maxInterval}, MinAdvInterval: ${c.minInterval}\n`;
    const flags = `${c.managed ? 'M' : ''}${c.other ? 'O' : ''}${c.homeAgent ? 'H' : ''}`;
    const linkMtu = c.linkMtu === 'auto' ? (ifp?.mtu ?? 0) : c.linkMtu;
    out += `  Flags: ${flags}, Preference: ${RTPREF_STR[c.preference & 3]}, MTU: ${linkMtu}\n`;
    out += `  ReachableTime: ${c.reachableTimeMs}, RetransTimer: ${c.retransTimerMs}, CurHopLimit: ${c.curHopLimit}\n`;
    if (c.clockSkew !== 0) out += `  Clock skew: ${c.clockSkew}sec\n`;
    if (ri.prefixes.length > 0) out += `  Prefixes:\n`;
    for (const p of ri.prefixes) {
      out += `    ${p.prefix}/${p.prefixLength}(${p.origin}, `;
      out += `vltime: ${lifetime(p.validLifetime)}`;
      out +=
        p.vltimeExpire !== undefined ? `(decr,expire ${Math.max(0, p.vltimeExpire - ctx.nowSec)}), ` : ', ';
      out += `pltime: ${lifetime(p.preferredLifetime)}`;
      out +=
        p.pltimeExpire !== undefined ? `(decr,expire ${Math.max(0, p.pltimeExpire - ctx.nowSec)}), ` : ', ';
      out += `flags: ${p.onLink ? 'L' : ''}${p.autonomous ? 'A' : ''}${p.routerAddress ? 'R' : ''}`;
      if (p.invalidation?.pending) {
        out += `, expire in: ${Math.max(0, Math.floor((p.invalidation.deadline - ctx.nowMs) / 1000))}`;
      }
      out += ')\n';
    }
    if (c.routes.length > 0) out += `  Route Information:\n`;
    for (const r of c.routes) {
      out += `    ${r.prefix.mask(r.prefixLength)}/${r.prefixLength} `;
      out += `(preference: ${RTPREF_STR[r.preference & 3]}, lifetime: ${lifetime(r.lifetime)})\n`;
    }
  }
  return out;
}
