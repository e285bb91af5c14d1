import { isIP } from 'node:net';

/** A remote VXLAN tunnel endpoint (VTEP): an IP literal and a UDP port. */
export interface UdpRemote {
  readonly address: string;
  readonly port: number;
}

export type UdpFamily = 'udp4' | 'udp6';

/** The socket type a bind address asks for: udp6 for an IPv6 literal, else udp4. */
export function familyOf(address: string): UdpFamily {
  return isIP(stripZone(address)) === 6 ? 'udp6' : 'udp4';
}

function stripZone(address: string): string {
  const i = address.indexOf('%');
  return i < 0 ? address : address.slice(0, i);
}

/**
 * Checks a remote for a socket of `family` and returns it in the form the
 * socket sends to: IP literals only (no per-datagram DNS lookups); an IPv4
 * remote on a udp6 socket becomes IPv4-mapped.
 */
export function normalizeRemote(remote: UdpRemote, family: UdpFamily): UdpRemote {
  const { address, port } = remote;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`VXLAN remote ${address}:${port}: port must be 1..65535`);
  }
  const v = isIP(stripZone(address));
  if (v === 0) throw new TypeError(`VXLAN remote ${address}: not an IP literal`);
  if (family === 'udp4') {
    if (v !== 4) throw new TypeError(`VXLAN remote ${address}: an IPv4 literal is needed on a udp4 socket`);
    return { address, port };
  }
  return { address: v === 4 ? `::ffff:${address}` : address.toLowerCase(), port };
}

/** Address comparison key: lower case, IPv4-mapped IPv6 folded to IPv4. */
export function addressKey(address: string): string {
  const a = address.toLowerCase();
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

export function sameRemote(a: UdpRemote, b: UdpRemote): boolean {
  return a.port === b.port && addressKey(a.address) === addressKey(b.address);
}

export function formatRemote(r: UdpRemote): string {
  return r.address.includes(':') ? `[${r.address}]:${r.port}` : `${r.address}:${r.port}`;
}
