import type { IfVars } from './state';

/**
 * The SIGUSR1 dump (reference 2.4, K:rtsold/dump.c layout): one block per
 * interface, in the order rtsold watches them.
 */

export interface DumpEntry {
  readonly ifname: string;
  readonly vars: IfVars;
  /** The interval the running timer was armed with (ms), undefined when stopped. */
  readonly timerIntervalMs: number | undefined;
  /** The running timer's deadline (clock ms). */
  readonly timerExpire: number | undefined;
}

/** Seconds as "XdYhZmWs": larger units only once one is non-zero, seconds always. */
export function sec2str(total: number): string {
  const t = Math.max(0, Math.floor(total));
  const days = Math.floor(t / 86400);
  const hours = Math.floor((t % 86400) / 3600);
  const mins = Math.floor((t % 3600) / 60);
  const secs = t % 60;
  let out = '';
  let shown = false;
  if (days > 0) {
    out += `${days}d`;
    shown = true;
  }
  if (shown || hours > 0) {
    out += `${hours}h`;
    shown = true;
  }
  if (shown || mins > 0) out += `${mins}m`;
  return `${out}${secs}s`;
}

export function formatDump(entries: readonly DumpEntry[], now: number): string {
  const lines: string[] = [];
  for (const e of entries) {
    const v = e.vars;
    lines.push(`Interface ${e.ifname}`);
    if (v.probeinterval > 0) {
      lines.push(`  probe interval: ${v.probeinterval}`);
      lines.push(`  probe timer: ${v.probetimer}`);
    } else {
      lines.push('  probe interval: infinity');
      lines.push('  no probe timer');
    }
    lines.push(`  interface status: ${v.active ? 'active' : 'inactive'}`);
    lines.push(`  other config: ${v.otherconfig ? 'on' : 'off'}`);
    lines.push(`  rtsold status: ${v.state}`);
    lines.push(`  carrier detection: ${v.mediareqok ? 'available' : 'unavailable'}`);
    lines.push(`  probes: ${v.probes}, dadcount = ${v.dadcount}`);
    if (e.timerIntervalMs === undefined || e.timerExpire === undefined) {
      lines.push('  no timer');
    } else {
      const us = Math.round(e.timerIntervalMs * 1000);
      const sec = Math.floor(us / 1_000_000);
      const usec = us % 1_000_000;
      const expireSec = Math.floor(e.timerExpire / 1000);
      const nowSec = Math.floor(now / 1000);
      const expire = expireSec < nowSec ? 'expired' : sec2str(expireSec - nowSec);
      lines.push(`  timer: interval=${sec}:${usec}, expire=${expire}`);
    }
    lines.push(`  number of valid RAs: ${v.racnt}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
