import { Ipv6Address, MacAddress } from '@kame/addr';
import {
  ETHERTYPE_IPV6,
  IPPROTO_ICMPV6,
  ethernet,
  icmpv6,
  ipv6,
  type EchoRepr,
  type Icmpv6Repr,
  type PrefixInfoOption,
  type RouterAdvertRepr,
} from '@kame/wire';

/** A MAC or IPv6 address as text or already parsed. */
type Mac = string | MacAddress;
type Addr = string | Ipv6Address;

const mac = (m: Mac): MacAddress => (typeof m === 'string' ? MacAddress.parse(m) : m);
const addr = (a: Addr): Ipv6Address => (typeof a === 'string' ? Ipv6Address.parse(a) : a);

/** The Ethernet addresses of a hand-built frame. */
export interface FrameMacs {
  dstMac: Mac;
  srcMac: Mac;
}

/** An IPv6 packet's fields; traffic class and flow label are always 0. */
export interface PacketFields {
  src: Addr;
  dst: Addr;
  nextHeader: number;
  /** Default 64. */
  hopLimit?: number;
  /** Default empty. */
  payload?: Uint8Array;
}

/** `ipv6.encode` with traffic class and flow label 0, hop limit 64 and an empty payload unless given. */
export function ipv6Packet(p: PacketFields): Uint8Array {
  return ipv6.encode({
    trafficClass: 0,
    flowLabel: 0,
    nextHeader: p.nextHeader,
    hopLimit: p.hopLimit ?? 64,
    src: addr(p.src),
    dst: addr(p.dst),
    payload: p.payload ?? new Uint8Array(0),
  });
}

/** An Ethernet frame of EtherType IPv6 around already encoded (possibly cut or mangled) bytes. */
export function etherFrame(payload: Uint8Array, macs: FrameMacs): Uint8Array {
  return ethernet.encode({
    dst: mac(macs.dstMac),
    src: mac(macs.srcMac),
    etherType: ETHERTYPE_IPV6,
    payload,
  });
}

/** A raw IPv6 packet (see ipv6Packet for the defaults) in an Ethernet frame. */
export function ipv6Frame(p: PacketFields & FrameMacs): Uint8Array {
  return etherFrame(ipv6Packet(p), p);
}

/** An ICMPv6 message, checksummed for src/dst, in IPv6 (hop limit 255 unless given) in Ethernet. */
export function icmp6Frame(
  message: Icmpv6Repr,
  opts: { src: Addr; dst: Addr; hopLimit?: number } & FrameMacs,
): Uint8Array {
  const src = addr(opts.src);
  const dst = addr(opts.dst);
  return ipv6Frame({
    ...opts,
    nextHeader: IPPROTO_ICMPV6,
    hopLimit: opts.hopLimit ?? 255,
    payload: icmpv6.encode(message, { src, dst }),
  });
}

/**
 * A Router Advertisement with every field at its plain value (hop limit 64,
 * no flags, medium preference, lifetime 1800 s, no timers, no options)
 * unless overridden.
 */
export function routerAdvert(o: Partial<RouterAdvertRepr> = {}): RouterAdvertRepr {
  return {
    kind: 'routerAdvert',
    code: 0,
    curHopLimit: 64,
    managed: false,
    other: false,
    homeAgent: false,
    preference: 'medium',
    proxy: false,
    routerLifetime: 1800,
    reachableTime: 0,
    retransTimer: 0,
    options: [],
    ...o,
  };
}

/** An Echo Request (identifier 1, sequence 1, no data unless overridden). */
export function echoRequest(o: Partial<Omit<EchoRepr, 'kind'>> = {}): EchoRepr {
  return { kind: 'echoRequest', code: 0, identifier: 1, sequence: 1, data: new Uint8Array(0), ...o };
}

/** A Prefix Information option for a /64, on-link and autonomous, R clear, unless overridden. */
export function prefixInfo(
  o: Pick<PrefixInfoOption, 'prefix' | 'validLifetime' | 'preferredLifetime'> & Partial<PrefixInfoOption>,
): PrefixInfoOption {
  return { kind: 'prefixInfo', prefixLength: 64, onLink: true, autonomous: true, routerAddr: false, ...o };
}
