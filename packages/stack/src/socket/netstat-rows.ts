import type { Pcb } from './pcb';
import { isZoneScoped, type ZonedAddress } from './sockaddr-in6';

/** One line of `netstat -an -f inet6` for a datagram socket. */
export interface NetstatRow {
  readonly fd: number;
  /** 'udp6', or for raw sockets 'raw6' (the protocol number is in `protocol`). */
  readonly proto: 'udp6' | 'raw6';
  readonly protocol: number;
  /** Bytes waiting in the receive queue. */
  readonly recvQ: number;
  /** Always 0: datagrams go to ip6_output synchronously. */
  readonly sendQ: number;
  /** BSD form `address.port`, `*` for the wildcard address or port, `%zone` on scoped addresses. */
  readonly local: string;
  readonly foreign: string;
}

/** `fe80::1%ne0.521`, `*.521`, `*.*` (netstat's inet6print). */
export function formatEndpoint(a: ZonedAddress, port: number, ifname: (ifindex: number) => string): string {
  let host: string;
  if (a.address.isUnspecified()) host = '*';
  else if (a.zone !== 0 && isZoneScoped(a.address)) host = `${a.address.toString()}%${ifname(a.zone)}`;
  else host = a.address.toString();
  return `${host}.${port === 0 ? '*' : String(port)}`;
}

export function netstatRow(pcb: Pcb, ifname: (ifindex: number) => string): NetstatRow {
  return {
    fd: pcb.fd,
    proto: pcb.type === 'udp' ? 'udp6' : 'raw6',
    protocol: pcb.protocol,
    recvQ: pcb.queue.bytes,
    sendQ: 0,
    local: formatEndpoint(pcb.local, pcb.lport, ifname),
    foreign: formatEndpoint(pcb.foreign, pcb.fport, ifname),
  };
}

/** The text netstat prints for `rows` (datagram sockets have no state column). */
export function renderNetstatRows(rows: readonly NetstatRow[]): string {
  const lines = ['Active Internet connections (including servers)'];
  const fmt = (p: string, r: string, s: string, l: string, f: string): string =>
    `${p.padEnd(5)} ${r.padStart(6)} ${s.padStart(6)}  ${l.padEnd(22)} ${f}`.trimEnd();
  lines.push(fmt('Proto', 'Recv-Q', 'Send-Q', 'Local Address', 'Foreign Address'));
  for (const r of rows) lines.push(fmt(r.proto, String(r.recvQ), String(r.sendQ), r.local, r.foreign));
  return `${lines.join('\n')}\n`;
}
