import {
  AddrParseError,
  type Ipv6Address,
  Ipv6Prefix,
  MacAddress,
  ScopedAddress,
  parseHostPort,
} from '@kame/addr';
import { familyOf, formatRemote, type UdpRemote } from '@kame/link';
import { Sysctl, SysctlError } from '@kame/stack';
import type { AddressConfig, LinkConfig } from './config';
import { FieldError } from './config-error';

// Value parsers shared by the node file and the command-line flags. Each
// throws a FieldError(key, "what was wrong; what was expected").

/** Node names: also used in log lines and pcap file names. */
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** BSD interface names as the stack accepts them (IFNAMSIZ 16). */
const IF_NAME = /^[A-Za-z][A-Za-z0-9.\-_]{0,14}$/;
const HUB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DECIMAL = /^\d+$/;

export const MIN_MTU = 1280; // RFC 8200 5
export const MAX_MTU = 65535;
export const MAX_VNI = 0xffffff; // RFC 7348 5: 24 bits

export function parseNodeName(key: string, text: string): string {
  if (!NODE_NAME.test(text))
    throw new FieldError(key, `bad node name '${text}'; expected letters, digits, '.', '_' or '-'`);
  return text;
}

export function parseIfName(key: string, text: string): string {
  if (!IF_NAME.test(text))
    throw new FieldError(key, `bad interface name '${text}'; expected a BSD name such as em0 (1-15 chars)`);
  if (text === 'lo0') throw new FieldError(key, 'lo0 is created by the kernel; expected an Ethernet name');
  return text;
}

export function parseHubName(key: string, text: string): string {
  if (!HUB_NAME.test(text))
    throw new FieldError(key, `bad hub name '${text}'; expected letters, digits, '.', '_' or '-'`);
  return text;
}

export function parseInteger(key: string, text: string, min: number, max: number, what: string): number {
  const v = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max)
    throw new FieldError(key, `${what} must be an integer ${min}..${max}, got '${text}'`);
  return v;
}

export function parseMtu(key: string, text: string): number {
  return parseInteger(key, text, MIN_MTU, MAX_MTU, 'MTU');
}

export function parseVni(key: string, text: string): number {
  return parseInteger(key, text, 0, MAX_VNI, 'VNI');
}

export function parseMac(key: string, text: string): MacAddress {
  let mac: MacAddress;
  try {
    mac = MacAddress.parse(text);
  } catch (e) {
    throw new FieldError(key, `${reason(e)}; expected a MAC such as 02:00:00:00:00:01`);
  }
  if (mac.bytes[0]! & 1) throw new FieldError(key, `${text} is a multicast MAC; expected a unicast one`);
  return mac;
}

/** "2001:db8::1/64": an interface address with its prefix length. */
export function parseInterfaceAddress(key: string, text: string): AddressConfig {
  let r: { address: Ipv6Address; length: number };
  try {
    r = Ipv6Prefix.parseCidr(text);
  } catch (e) {
    throw new FieldError(key, `${reason(e)}; expected ADDRESS/PREFIXLEN such as 2001:db8::1/64`);
  }
  if (r.address.isMulticast() || r.address.isUnspecified())
    throw new FieldError(key, `${text}: not a unicast address; expected an interface address`);
  return { address: r.address, prefixLength: r.length };
}

/** "ADDR:PORT" or "[V6ADDR]:PORT" (an IPv4 or IPv6 literal; a zone is kept as "%zone"). */
export function parseUdpEndpoint(key: string, text: string, allowPortZero: boolean): UdpRemote {
  let hp;
  try {
    hp = parseHostPort(text);
  } catch (e) {
    throw new FieldError(key, `${reason(e)}; expected ADDR:PORT or [ADDR]:PORT`);
  }
  if (hp.port === undefined)
    throw new FieldError(key, `${text}: missing port; expected ADDR:PORT or [ADDR]:PORT`);
  if (hp.port === 0 && !allowPortZero) throw new FieldError(key, `${text}: port must be 1..65535`);
  const address = hp.zone === undefined ? hp.address.toString() : `${hp.address.toString()}%${hp.zone}`;
  return { address, port: hp.port };
}

/** A route destination: "default" or PREFIX/LEN (host bits are cleared). */
export function parseRouteDestination(key: string, text: string): Ipv6Prefix {
  if (text === 'default') return Ipv6Prefix.parse('::/0');
  try {
    return Ipv6Prefix.parse(text);
  } catch (e) {
    throw new FieldError(key, `${reason(e)}; expected 'default' or PREFIX/LEN`);
  }
}

/** A gateway "2001:db8::1" or "fe80::1%em0" (a link-local one needs its interface). */
export function parseGateway(
  key: string,
  text: string,
): { address: Ipv6Address; ifname: string | undefined } {
  let s: ScopedAddress;
  try {
    s = ScopedAddress.parse(text);
  } catch (e) {
    throw new FieldError(key, `${reason(e)}; expected a gateway address such as fe80::1%em0`);
  }
  if (s.address.isMulticast() || s.address.isUnspecified())
    throw new FieldError(key, `${text}: not a unicast address; expected a gateway address`);
  if (typeof s.zone === 'number')
    throw new FieldError(key, `${text}: zone must be an interface name (fe80::1%em0)`);
  if (s.address.isLinkLocal() && s.zone === undefined)
    throw new FieldError(key, `${text}: a link-local gateway needs its interface (fe80::1%em0)`);
  return { address: s.address, ifname: s.zone };
}

/** "name=value", checked against the stack's MIB (unknown names, ranges, read-only nodes). */
export function parseSysctl(key: string, text: string): { name: string; value: number } {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1)
    throw new FieldError(key, `'${text}'; expected NAME=VALUE such as net.inet6.ip6.forwarding=1`);
  const name = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  try {
    const s = new Sysctl({ initial: { [name]: raw } });
    const canonical = s.describe(name).name;
    return { name: canonical, value: s.get(canonical) };
  } catch (e) {
    if (e instanceof SysctlError) throw new FieldError(key, e.message);
    throw e;
  }
}

function reason(e: unknown): string {
  if (e instanceof AddrParseError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** An IPv4 bind (udp4 socket) cannot reach IPv6 remotes; an IPv6 bind carries both (mapped). */
export function checkVxlanFamilies(key: string, bind: UdpRemote, remotes: readonly UdpRemote[]): void {
  if (familyOf(bind.address) === 'udp6') return;
  for (const r of remotes)
    if (familyOf(r.address) === 'udp6')
      throw new FieldError(
        key,
        `remote ${formatRemote(r)} is IPv6 but bind ${formatRemote(bind)} is IPv4; expected remotes of the bind's family`,
      );
}

/** Identifies one VXLAN segment of the process: its socket (bind) and VNI. */
export function vxlanKey(link: Extract<LinkConfig, { kind: 'vxlan' }>): string {
  return `${formatRemote(link.bind)} ${link.vni}`;
}
