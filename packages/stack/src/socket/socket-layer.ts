import { Ipv6Address } from '@kame/addr';
import type { Random } from '@kame/time';
import { IPPROTO_ICMPV6, IPPROTO_UDP, udp } from '@kame/wire';
import type { KamePlatform } from '../sysctl/platform';
import type { Sysctl } from '../sysctl/sysctl';
import { SYSCTL_V6ONLY } from '../sysctl/variables';
import { newUdp6Stat, type Udp6Stat } from '../stats/udp6stat';
import { selectEphemeralPort, IANA_EPHEMERAL_RANGE, type PortRange } from './ephemeral-port';
import { Icmp6Filter } from './icmp6-filter';
import { isV4Mapped, MappedAddressPolicy } from './mapped-address-policy';
import { membershipKey, MulticastMemberships } from './multicast-membership';
import { netstatRow, type NetstatRow } from './netstat-rows';
import { Pcb, type ReceivedDatagram, type SocketType } from './pcb';
import { checkChecksumOffset, defaultChecksumOffset, fillChecksum, verifyChecksum } from './raw-checksum';
import { newRip6Stat, type Rip6Stat } from './rip6stat';
import {
  isZoneScoped,
  resolveZone,
  toSockaddr,
  validPort,
  zoneOnArrival,
  zonedEquals,
  zonedMatches,
  UNSPECIFIED_ZONED,
  type SockaddrIn6,
  type SockaddrIn6Input,
  type ZonedAddress,
} from './sockaddr-in6';
import { throwSocketError, SocketError } from './socket-errno';
import {
  DEFAULT_MULTICAST_HOPS,
  IPV6_MAX_MEMBERSHIPS,
  RIP6_RECVSPACE,
  RIP6_SENDSPACE,
  SB_MAX,
  UDP6_RECVSPACE,
  UDP6_SENDSPACE,
  validHopValue,
  type GettableSocketOption,
  type Ipv6Mreq,
  type SocketOptionName,
  type SocketOptionValues,
} from './socket-options';
import type { SocketLayerPort } from './socket-port';

/** IPPORT_RESERVED: binding below it needs privilege (EACCES). */
export const IPPORT_RESERVED = 1024;
/** RFC 768: the UDP header; the payload of one datagram is at most 65535 - 8 octets (no jumbograms here). */
const UDP_MAX_PAYLOAD = 0xffff - 8;

export interface SocketLayerOptions {
  readonly port: SocketLayerPort;
  /** Ephemeral port choice (RFC 6056 3.3.1). */
  readonly random: Random;
  /** IPV6_V6ONLY of new sockets comes from net.inet6.ip6.v6only, the platform from `sysctl.platform`. */
  readonly sysctl?: Sysctl;
  /** Without a sysctl: the IMPLEMENTATION 1.12 platform (default 'freebsd3x'). */
  readonly platform?: KamePlatform;
  /** Open sockets allowed at once (ENOBUFS beyond); default 1024. */
  readonly maxSockets?: number;
  /** The kernel's udp6stat, shared; a fresh one otherwise. */
  readonly udp6stat?: Udp6Stat;
  /** Ephemeral port range; default RFC 6335 49152-65535. */
  readonly ephemeralRange?: PortRange;
}

export interface SocketCreateOptions {
  /** Raw sockets: the IPv6 Next Header value to send and receive (0 = receive every protocol). */
  readonly protocol?: number;
  /** The caller may open raw sockets and bind ports below 1024 (the IPC layer decides: root). */
  readonly privileged?: boolean;
}

/** sendmsg(2): the data, the destination unless connected, and RFC 3542 ancillary data. */
export interface SendMessage {
  readonly data: Uint8Array;
  readonly to?: SockaddrIn6Input;
  /** IPV6_PKTINFO (RFC 3542 6.1): source address and/or outgoing interface for this datagram. */
  readonly pktinfo?: { readonly address?: Ipv6Address; readonly ifindex?: number };
  /** IPV6_HOPLIMIT (RFC 3542 6.3): -1..255, -1 = the socket's default. */
  readonly hoplimit?: number;
  /** IPV6_TCLASS (RFC 3542 6.5): -1..255. */
  readonly tclass?: number;
}

/** A UDP datagram handed up by udp6_input (header parsed, checksum verified, counted in udp6s_ipackets). */
export interface Udp6InputPacket {
  readonly src: Ipv6Address;
  readonly dst: Ipv6Address;
  /** Arrival interface. */
  readonly ifindex: number;
  readonly hopLimit: number;
  readonly srcPort: number;
  readonly dstPort: number;
  /** The UDP payload. */
  readonly payload: Uint8Array;
  /** Defaults to dst being multicast. */
  readonly isMulticast?: boolean;
}

/**
 * What udp6_input should do next: 'delivered' (at least one socket queued
 * it), 'unreach' (unicast, no socket: send ICMPv6 Destination Unreachable,
 * port unreachable, RFC 4443 3.1 code 4), 'dropped' (multicast nobody wanted,
 * RFC 4443 2.4 (e) forbids the error; or every receive buffer was full).
 */
export type Udp6InputResult = 'delivered' | 'unreach' | 'dropped';

/** An upper-layer message for raw sockets (rip6_input). */
export interface RawInputPacket {
  /** The Next Header value of the upper-layer message. */
  readonly proto: number;
  readonly src: Ipv6Address;
  readonly dst: Ipv6Address;
  readonly ifindex: number;
  readonly hopLimit: number;
  /** The message from the upper-layer header on (no IPv6 header). */
  readonly payload: Uint8Array;
  /** ICMPv6 type (defaults to payload[0]) for ICMP6_FILTER. */
  readonly icmpType?: number;
}

export type DatagramListener = (fd: number) => void;

/**
 * The in-kernel socket layer for UDP over IPv6 (udp6 pcb table) and raw IPv6
 * sockets (raw ICMPv6 with ICMP6_FILTER, raw by protocol), sans-I/O: packets
 * leave through `port.output`, arrive through `udp6Input` / `rawInput`, and
 * every failure is a SocketError carrying an errno name.
 */
export class SocketLayer {
  readonly udp6stat: Udp6Stat;
  readonly rip6stat: Rip6Stat = newRip6Stat();
  readonly policy: MappedAddressPolicy;
  readonly memberships: MulticastMemberships;

  private readonly port: SocketLayerPort;
  private readonly random: Random;
  private readonly sysctl: Sysctl | undefined;
  private readonly maxSockets: number;
  private readonly ephemeralRange: PortRange;
  private readonly sockets = new Map<number, Pcb>();
  private readonly listeners = new Set<DatagramListener>();
  private nextFd = 3;

  constructor(opts: SocketLayerOptions) {
    this.port = opts.port;
    this.random = opts.random;
    this.sysctl = opts.sysctl;
    this.policy = new MappedAddressPolicy(opts.sysctl?.platform ?? opts.platform ?? 'freebsd3x');
    this.maxSockets = opts.maxSockets ?? 1024;
    this.udp6stat = opts.udp6stat ?? newUdp6Stat();
    this.ephemeralRange = opts.ephemeralRange ?? IANA_EPHEMERAL_RANGE;
    this.memberships = new MulticastMemberships(opts.port);
  }

  // ---- socket lifecycle -------------------------------------------------

  /**
   * socket(AF_INET6, SOCK_DGRAM | SOCK_RAW, protocol): a descriptor. EACCES
   * for a raw socket without privilege, EINVAL for a bad protocol, ENOBUFS
   * when `maxSockets` are open.
   */
  socket(type: SocketType, opts: SocketCreateOptions = {}): number {
    const privileged = opts.privileged === true;
    let protocol: number;
    if (type === 'udp') {
      if (opts.protocol !== undefined && opts.protocol !== 0 && opts.protocol !== IPPROTO_UDP)
        throwSocketError('EINVAL', `protocol ${opts.protocol} on a UDP socket`);
      protocol = IPPROTO_UDP;
    } else {
      protocol = opts.protocol ?? 0;
      if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255)
        throwSocketError('EINVAL', `protocol ${protocol}`);
      if (!privileged) throwSocketError('EACCES', 'raw sockets need privilege');
    }
    if (this.sockets.size >= this.maxSockets) throwSocketError('ENOBUFS', `${this.maxSockets} sockets open`);
    const v6only = this.policy.initialV6only(this.sysctl?.get(SYSCTL_V6ONLY));
    const raw = type === 'raw';
    const fd = this.nextFd++;
    const pcb = new Pcb(
      fd,
      type,
      protocol,
      privileged,
      {
        reuseaddr: false,
        reuseport: false,
        sndbuf: raw ? RIP6_SENDSPACE : UDP6_SENDSPACE,
        v6only,
        unicastHops: -1,
        multicastIf: 0,
        multicastHops: DEFAULT_MULTICAST_HOPS,
        multicastLoop: true,
        recvPktinfo: false,
        recvHoplimit: false,
        tclass: -1,
      },
      raw ? RIP6_RECVSPACE : UDP6_RECVSPACE,
      raw ? defaultChecksumOffset(protocol) : -1,
      raw && protocol === IPPROTO_ICMPV6 ? Icmp6Filter.passAll() : undefined,
    );
    this.sockets.set(fd, pcb);
    return fd;
  }

  /** close(2): leaves the socket's groups (through the refcount), frees its port, drops its queue. */
  close(fd: number): void {
    const pcb = this.pcb(fd);
    for (const m of pcb.memberships.values()) this.memberships.leave(m.ifindex, m.group);
    pcb.memberships.clear();
    pcb.queue.clear();
    this.sockets.delete(fd);
  }

  /** Number of open sockets. */
  get size(): number {
    return this.sockets.size;
  }

  /** Called with the descriptor each time a datagram is queued (the IPC layer's datagram event). */
  onDatagram(listener: DatagramListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- bind / connect ----------------------------------------------------

  /**
   * bind(2). UDP: address (:: wildcard, a local unicast address - link-local
   * ones with their zone - or a multicast group) and port (0: ephemeral,
   * RFC 6335 range, RFC 6056 3.3.1). Raw: the address only.
   */
  bind(fd: number, addr: SockaddrIn6Input): void {
    const pcb = this.pcb(fd);
    if (pcb.type === 'udp' && pcb.isBound) throwSocketError('EINVAL', 'socket already bound');
    const local = this.checkLocalAddress(pcb, addr);
    if (pcb.type === 'raw') {
      pcb.local = local;
      pcb.boundLocal = local;
      return;
    }
    const port = addr.port ?? 0;
    if (!validPort(port)) throwSocketError('EINVAL', `port ${port}`);
    if (port !== 0 && port < IPPORT_RESERVED && !pcb.privileged)
      throwSocketError('EACCES', `port ${port} is reserved to privileged sockets`);
    const lport = port === 0 ? this.ephemeralPort() : port;
    if (port !== 0) this.checkPortConflict(pcb, local, lport);
    pcb.local = local;
    pcb.boundLocal = local;
    pcb.lport = lport;
  }

  /**
   * connect(2). UDP: fixes the peer (EISCONN when already connected, ENOTCONN
   * semantics for send follow), picks the source now when unbound (RFC 6724
   * via the port) and an ephemeral port. Raw: only filters input by source.
   * A destination of :: means the loopback address.
   */
  connect(fd: number, addr: SockaddrIn6Input): void {
    const pcb = this.pcb(fd);
    if (pcb.type === 'udp' && pcb.connected) throwSocketError('EISCONN', 'already connected');
    const dst = this.checkDestination(pcb, addr.address, addr.zone);
    const fport = pcb.type === 'udp' ? (addr.port ?? 0) : 0;
    if (!validPort(fport)) throwSocketError('EINVAL', `port ${fport}`);
    if (pcb.type === 'udp' && fport === 0) throwSocketError('EADDRNOTAVAIL', 'connect to port 0');
    const ifindex = this.outgoingInterface(pcb, dst, undefined);
    let local = pcb.local;
    if (pcb.type === 'udp' && (local.address.isUnspecified() || local.address.isMulticast())) {
      const src = this.port.selectSource(dst.address, ifindex);
      if (typeof src === 'string') throwSocketError(src, `no source address for ${dst.address.toString()}`);
      local = { address: src, zone: isZoneScoped(src) ? (ifindex ?? 0) : 0 };
    }
    if (pcb.type === 'udp') {
      const lport = pcb.lport === 0 ? this.ephemeralPort() : pcb.lport;
      for (const o of this.sockets.values()) {
        if (o === pcb || o.type !== 'udp' || !o.connected || o.lport !== lport || o.fport !== fport) continue;
        if (zonedEquals(o.local, local) && zonedEquals(o.foreign, dst))
          throwSocketError('EADDRINUSE', 'the same 4-tuple is in use');
      }
      pcb.lport = lport;
      pcb.local = local;
    }
    pcb.foreign = dst;
    pcb.fport = fport;
    pcb.connected = true;
  }

  /** connect(AF_UNSPEC): forgets the peer and the source connect chose (ENOTCONN if not connected). */
  disconnect(fd: number): void {
    const pcb = this.pcb(fd);
    if (!pcb.connected) throwSocketError('ENOTCONN', 'not connected');
    pcb.foreign = UNSPECIFIED_ZONED;
    pcb.fport = 0;
    pcb.connected = false;
    pcb.local = pcb.boundLocal;
  }

  getsockname(fd: number): SockaddrIn6 {
    const pcb = this.pcb(fd);
    return toSockaddr(pcb.local, pcb.lport);
  }

  getpeername(fd: number): SockaddrIn6 {
    const pcb = this.pcb(fd);
    if (!pcb.connected) throwSocketError('ENOTCONN', 'not connected');
    return toSockaddr(pcb.foreign, pcb.fport);
  }

  // ---- options -------------------------------------------------------------

  setsockopt<K extends SocketOptionName>(fd: number, name: K, value: SocketOptionValues[K]): void {
    const pcb = this.pcb(fd);
    const o = pcb.options;
    const v = value as SocketOptionValues[SocketOptionName];
    switch (name) {
      case 'SO_REUSEADDR':
        o.reuseaddr = bool(name, v);
        return;
      case 'SO_REUSEPORT':
        o.reuseport = bool(name, v);
        return;
      case 'SO_RCVBUF':
        pcb.queue.limit = bufSize(name, v);
        return;
      case 'SO_SNDBUF':
        o.sndbuf = bufSize(name, v);
        return;
      case 'IPV6_V6ONLY': {
        const b = bool(name, v);
        if (pcb.isBound) throwSocketError('EINVAL', 'IPV6_V6ONLY after bind');
        const err = this.policy.checkSetV6only(b);
        if (err !== undefined) throwSocketError(err, `IPV6_V6ONLY is fixed on ${this.policy.platform}`);
        o.v6only = b;
        return;
      }
      case 'IPV6_UNICAST_HOPS':
        o.unicastHops = hops(name, v);
        return;
      case 'IPV6_MULTICAST_HOPS': {
        const h = hops(name, v);
        o.multicastHops = h === -1 ? DEFAULT_MULTICAST_HOPS : h;
        return;
      }
      case 'IPV6_MULTICAST_LOOP':
        o.multicastLoop = bool(name, v);
        return;
      case 'IPV6_MULTICAST_IF': {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
          throwSocketError('EINVAL', `${name} ${String(v)}`);
        if (v !== 0 && !this.port.hasInterface(v)) throwSocketError('ENXIO', `no interface ${v}`);
        o.multicastIf = v;
        return;
      }
      case 'IPV6_JOIN_GROUP':
        this.join(pcb, v as Ipv6Mreq);
        return;
      case 'IPV6_LEAVE_GROUP':
        this.leave(pcb, v as Ipv6Mreq);
        return;
      case 'IPV6_RECVPKTINFO':
        o.recvPktinfo = bool(name, v);
        return;
      case 'IPV6_RECVHOPLIMIT':
        o.recvHoplimit = bool(name, v);
        return;
      case 'IPV6_TCLASS':
        o.tclass = hops(name, v);
        return;
      case 'IPV6_CHECKSUM': {
        if (pcb.type !== 'raw') throwSocketError('ENOPROTOOPT', `${name} on a UDP socket`);
        if (typeof v !== 'number') throwSocketError('EINVAL', `${name} ${String(v)}`);
        const err = checkChecksumOffset(pcb.protocol, v);
        if (err !== undefined)
          throwSocketError(
            err,
            pcb.protocol === IPPROTO_ICMPV6
              ? 'the ICMPv6 checksum offset is fixed at 2 (RFC 3542 3.1)'
              : `bad checksum offset ${v}`,
          );
        pcb.checksumOffset = v;
        return;
      }
      case 'ICMP6_FILTER': {
        if (pcb.filter === undefined) throwSocketError('ENOPROTOOPT', `${name} needs a raw ICMPv6 socket`);
        if (!(v instanceof Icmp6Filter)) throwSocketError('EINVAL', `${name} value`);
        pcb.filter = v.clone();
        return;
      }
    }
    throwSocketError('ENOPROTOOPT', `unknown option ${String(name)}`);
  }

  getsockopt<K extends GettableSocketOption>(fd: number, name: K): SocketOptionValues[K] {
    const pcb = this.pcb(fd);
    const o = pcb.options;
    const values: { [N in GettableSocketOption]: () => SocketOptionValues[N] } = {
      SO_REUSEADDR: () => o.reuseaddr,
      SO_REUSEPORT: () => o.reuseport,
      SO_RCVBUF: () => pcb.queue.limit,
      SO_SNDBUF: () => o.sndbuf,
      IPV6_V6ONLY: () => o.v6only,
      IPV6_UNICAST_HOPS: () => o.unicastHops,
      IPV6_MULTICAST_IF: () => o.multicastIf,
      IPV6_MULTICAST_HOPS: () => o.multicastHops,
      IPV6_MULTICAST_LOOP: () => o.multicastLoop,
      IPV6_RECVPKTINFO: () => o.recvPktinfo,
      IPV6_RECVHOPLIMIT: () => o.recvHoplimit,
      IPV6_TCLASS: () => o.tclass,
      IPV6_CHECKSUM: () => (pcb.type === 'raw' ? pcb.checksumOffset : throwSocketError('ENOPROTOOPT', name)),
      ICMP6_FILTER: () =>
        pcb.filter?.clone() ?? throwSocketError('ENOPROTOOPT', `${name} needs a raw ICMPv6 socket`),
    };
    const get = values[name] as (() => SocketOptionValues[K]) | undefined;
    if (get === undefined) throwSocketError('ENOPROTOOPT', `${String(name)} cannot be read`);
    return get();
  }

  // ---- data ----------------------------------------------------------------

  /** sendto(2) without ancillary data. */
  sendto(fd: number, data: Uint8Array, to?: SockaddrIn6Input): number {
    return this.sendmsg(fd, to === undefined ? { data } : { data, to });
  }

  /**
   * sendmsg(2): builds the UDP datagram (checksum over the RFC 8200 8.1
   * pseudo-header) or the raw message (ICMPv6 checksum at 2, or IPV6_CHECKSUM)
   * and hands it to `port.output`. Returns the bytes sent.
   */
  sendmsg(fd: number, msg: SendMessage): number {
    const pcb = this.pcb(fd);
    const { data } = msg;
    if (data.length > pcb.options.sndbuf)
      throwSocketError('EMSGSIZE', `${data.length} bytes > SO_SNDBUF ${pcb.options.sndbuf}`);
    if (pcb.type === 'udp' && data.length > UDP_MAX_PAYLOAD)
      throwSocketError('EMSGSIZE', `${data.length} bytes`);
    let dst: ZonedAddress;
    let fport: number;
    if (msg.to !== undefined) {
      if (pcb.connected) throwSocketError('EISCONN', 'destination given on a connected socket');
      dst = this.checkDestination(pcb, msg.to.address, msg.to.zone);
      fport = pcb.type === 'udp' ? (msg.to.port ?? 0) : 0;
      if (!validPort(fport)) throwSocketError('EINVAL', `port ${fport}`);
      if (pcb.type === 'udp' && fport === 0) throwSocketError('EADDRNOTAVAIL', 'send to port 0');
    } else {
      if (!pcb.connected) throwSocketError('ENOTCONN', 'no destination and not connected');
      dst = pcb.foreign;
      fport = pcb.fport;
    }
    if (msg.hoplimit !== undefined && !validHopValue(msg.hoplimit))
      throwSocketError('EINVAL', `hop limit ${msg.hoplimit}`);
    if (msg.tclass !== undefined && !validHopValue(msg.tclass))
      throwSocketError('EINVAL', `traffic class ${msg.tclass}`);
    const pktIf = msg.pktinfo?.ifindex ?? 0;
    if (!Number.isInteger(pktIf) || pktIf < 0) throwSocketError('EINVAL', `ipi6_ifindex ${pktIf}`);
    if (pktIf !== 0 && !this.port.hasInterface(pktIf)) throwSocketError('ENXIO', `no interface ${pktIf}`);
    const ifindex = this.outgoingInterface(pcb, dst, pktIf === 0 ? undefined : pktIf);

    const src = this.sourceFor(pcb, dst.address, ifindex, msg.pktinfo?.address);
    const hopLimit = this.hopLimitFor(pcb, dst.address, msg.hoplimit);
    const tclass = msg.tclass !== undefined && msg.tclass !== -1 ? msg.tclass : pcb.options.tclass;

    let payload: Uint8Array;
    let nextHeader: number;
    if (pcb.type === 'udp') {
      if (pcb.lport === 0) pcb.lport = this.ephemeralPort();
      payload = udp.encode({ srcPort: pcb.lport, dstPort: fport, payload: data }, { src, dst: dst.address });
      nextHeader = IPPROTO_UDP;
    } else {
      nextHeader = pcb.protocol;
      if (nextHeader === 0) throwSocketError('EINVAL', 'a raw socket of protocol 0 cannot send');
      const offset = pcb.checksumOffset;
      if (offset >= 0) {
        const filled = fillChecksum(src, dst.address, nextHeader, data, offset);
        if (typeof filled === 'string')
          throwSocketError(filled, `${data.length} bytes hold no checksum at ${offset}`);
        payload = filled;
      } else {
        payload = data.slice();
      }
    }
    const r = this.port.output({
      src,
      dst: dst.address,
      ...(ifindex !== undefined ? { ifindex } : {}),
      nextHeader,
      ...(hopLimit !== undefined ? { hopLimit } : {}),
      payload,
      ...(dst.address.isMulticast() ? { multicastLoop: pcb.options.multicastLoop } : {}),
      ...(tclass !== -1 ? { trafficClass: tclass } : {}),
    });
    if (r !== 'ok') throwSocketError(r, `output to ${dst.address.toString()}`);
    // KAME rip6_output: ICMPv6 goes to the icmp6 output histogram (the kernel counts it), other raw to rip6.
    if (pcb.type === 'udp') this.udp6stat.udp6s_opackets++;
    else if (nextHeader !== IPPROTO_ICMPV6) this.rip6stat.rip6s_opackets++;
    return data.length;
  }

  /** recvmsg(2): the oldest queued datagram, or undefined when none (EWOULDBLOCK). */
  recvmsg(fd: number): ReceivedDatagram | undefined {
    return this.pcb(fd).queue.shift();
  }

  /** Queued datagrams and bytes (FIONREAD, netstat Recv-Q). */
  pending(fd: number): { datagrams: number; bytes: number } {
    const q = this.pcb(fd).queue;
    return { datagrams: q.length, bytes: q.bytes };
  }

  // ---- input ---------------------------------------------------------------

  /**
   * The udp6_input demultiplexer. Unicast: one socket, the best of exact
   * connected match, then bound to the destination, then wildcard. Multicast:
   * every socket bound to the port (wildcard or the group address, connected
   * ones only to their peer) - as in FreeBSD, a socket that joined groups
   * gets only the groups it joined on the arrival interface, one that joined
   * none gets everything its binding matches.
   */
  udp6Input(pkt: Udp6InputPacket): Udp6InputResult {
    const mcast = pkt.isMulticast ?? pkt.dst.isMulticast();
    const dstZone = zoneOnArrival(pkt.dst, pkt.ifindex);
    const srcZone = zoneOnArrival(pkt.src, pkt.ifindex);
    if (mcast) {
      let matched = 0;
      let delivered = 0;
      for (const pcb of this.sockets.values()) {
        if (pcb.type !== 'udp' || pcb.lport !== pkt.dstPort) continue;
        if (!pcb.local.address.isUnspecified() && !zonedMatches(pcb.local, pkt.dst, dstZone)) continue;
        if (pcb.connected && (pcb.fport !== pkt.srcPort || !zonedMatches(pcb.foreign, pkt.src, srcZone)))
          continue;
        if (pcb.memberships.size > 0 && !pcb.memberships.has(membershipKey(pkt.ifindex, pkt.dst))) continue;
        matched++;
        if (this.enqueueUdp(pcb, pkt)) delivered++;
      }
      if (matched === 0) {
        this.udp6stat.udp6s_noportmcast++;
        return 'dropped';
      }
      return delivered > 0 ? 'delivered' : 'dropped';
    }
    let best: Pcb | undefined;
    let bestScore = 0;
    for (const pcb of this.sockets.values()) {
      if (pcb.type !== 'udp' || pcb.lport !== pkt.dstPort) continue;
      let score: number;
      if (pcb.connected) {
        if (pcb.fport !== pkt.srcPort || !zonedMatches(pcb.foreign, pkt.src, srcZone)) continue;
        if (!pcb.local.address.isUnspecified() && !zonedMatches(pcb.local, pkt.dst, dstZone)) continue;
        score = 3;
      } else if (pcb.local.address.isUnspecified()) {
        score = 1;
      } else if (zonedMatches(pcb.local, pkt.dst, dstZone)) {
        score = 2;
      } else {
        continue;
      }
      if (score > bestScore) {
        best = pcb;
        bestScore = score;
      }
    }
    if (best === undefined) {
      this.udp6stat.udp6s_noport++;
      return 'unreach';
    }
    return this.enqueueUdp(best, pkt) ? 'delivered' : 'dropped';
  }

  /**
   * rip6_input: a copy to every raw socket of the protocol (or of protocol
   * 0) whose bound address matches the destination and connected address the
   * source, passing ICMP6_FILTER on ICMPv6 sockets and IPV6_CHECKSUM
   * verification on others. Returns the number of copies queued.
   */
  rawInput(pkt: RawInputPacket): number {
    this.rip6stat.rip6s_ipackets++;
    const dstZone = zoneOnArrival(pkt.dst, pkt.ifindex);
    const srcZone = zoneOnArrival(pkt.src, pkt.ifindex);
    const icmpType = pkt.icmpType ?? pkt.payload[0];
    let matched = 0;
    let delivered = 0;
    const verified = new Map<number, boolean>(); // by checksum offset
    for (const pcb of this.sockets.values()) {
      if (pcb.type !== 'raw') continue;
      if (pcb.protocol !== 0 && pcb.protocol !== pkt.proto) continue;
      if (!pcb.local.address.isUnspecified() && !zonedMatches(pcb.local, pkt.dst, dstZone)) continue;
      if (pcb.connected && !zonedMatches(pcb.foreign, pkt.src, srcZone)) continue;
      if (pcb.filter !== undefined && pkt.proto === IPPROTO_ICMPV6) {
        if (icmpType === undefined || pcb.filter.willBlock(icmpType)) continue;
      }
      if (pcb.protocol !== IPPROTO_ICMPV6 && pcb.checksumOffset >= 0) {
        let ok = verified.get(pcb.checksumOffset);
        if (ok === undefined) {
          ok = verifyChecksum(pkt.src, pkt.dst, pkt.proto, pkt.payload, pcb.checksumOffset);
          verified.set(pcb.checksumOffset, ok);
          this.rip6stat.rip6s_isum++;
        }
        if (!ok) {
          this.rip6stat.rip6s_badsum++;
          continue;
        }
      }
      matched++;
      const d = this.datagram(pcb, pkt.payload, pkt.src, srcZone, 0, pkt.dst, pkt.ifindex, pkt.hopLimit);
      if (this.enqueue(pcb, d)) delivered++;
      else this.rip6stat.rip6s_fullsock++;
    }
    if (matched === 0) {
      if (pkt.dst.isMulticast()) this.rip6stat.rip6s_nosockmcast++;
      else this.rip6stat.rip6s_nosock++;
    }
    return delivered;
  }

  // ---- netstat -------------------------------------------------------------

  /** `netstat -an -f inet6` rows, by descriptor. */
  list(): NetstatRow[] {
    const name = (i: number): string => this.port.ifnameByIndex?.(i) ?? String(i);
    return [...this.sockets.values()].map((pcb) => netstatRow(pcb, name));
  }

  // ---- internals -------------------------------------------------------------

  private pcb(fd: number): Pcb {
    return this.sockets.get(fd) ?? throwSocketError('EBADF', `no socket ${fd}`);
  }

  private resolve(zone: SockaddrIn6Input['zone']): number {
    const z = resolveZone(
      zone,
      (n) => this.port.ifindexByName(n),
      (i) => this.port.hasInterface(i),
    );
    if (typeof z === 'string') throwSocketError(z, `unknown zone ${String(zone)}`);
    return z;
  }

  /** bind's address checks: zone, mapped policy, locality. */
  private checkLocalAddress(pcb: Pcb, addr: SockaddrIn6Input): ZonedAddress {
    const a = addr.address;
    if (isV4Mapped(a))
      throwSocketError(this.policy.checkMappedBind(pcb.options.v6only), 'bind to an IPv4-mapped address');
    const zone = isZoneScoped(a) ? this.resolve(addr.zone) : 0;
    if (a.isUnspecified() || a.isMulticast()) return { address: a, zone };
    if (a.isLinkLocal() && zone === 0) throwSocketError('EINVAL', `${a.toString()} needs a zone`);
    if (!this.port.isLocalAddress(a, zone))
      throwSocketError('EADDRNOTAVAIL', `${a.toString()} is not a local address`);
    return { address: a, zone };
  }

  /** connect/sendto destination checks: mapped policy, zone; :: becomes ::1. */
  private checkDestination(pcb: Pcb, address: Ipv6Address, zoneIn: SockaddrIn6Input['zone']): ZonedAddress {
    if (isV4Mapped(address))
      throwSocketError(this.policy.checkMappedDestination(pcb.options.v6only), 'IPv4-mapped destination');
    const a = address.isUnspecified() ? Ipv6Address.LOOPBACK : address;
    return { address: a, zone: isZoneScoped(a) ? this.resolve(zoneIn) : 0 };
  }

  /**
   * RFC 3542 6.7 order: IPV6_PKTINFO ifindex, IPV6_MULTICAST_IF (multicast),
   * the destination's zone, the zone of a bound link-local source.
   * EINVAL for a link-local unicast destination with no zone at all.
   */
  private outgoingInterface(pcb: Pcb, dst: ZonedAddress, pktIf: number | undefined): number | undefined {
    if (pktIf !== undefined) return pktIf;
    if (dst.address.isMulticast() && pcb.options.multicastIf !== 0) return pcb.options.multicastIf;
    if (dst.zone !== 0) return dst.zone;
    if (isZoneScoped(dst.address) && pcb.local.zone !== 0) return pcb.local.zone;
    if (isZoneScoped(dst.address) && !dst.address.isMulticast())
      throwSocketError('EINVAL', `${dst.address.toString()} needs a zone`);
    return undefined;
  }

  private sourceFor(
    pcb: Pcb,
    dst: Ipv6Address,
    ifindex: number | undefined,
    pktSrc: Ipv6Address | undefined,
  ): Ipv6Address {
    if (pktSrc !== undefined && !pktSrc.isUnspecified()) {
      if (
        pktSrc.isMulticast() ||
        !this.port.isLocalAddress(pktSrc, isZoneScoped(pktSrc) ? (ifindex ?? 0) : 0)
      )
        throwSocketError('EADDRNOTAVAIL', `${pktSrc.toString()} is not a local address`);
      return pktSrc;
    }
    const bound = pcb.local.address;
    if (!bound.isUnspecified() && !bound.isMulticast()) return bound;
    const src = this.port.selectSource(dst, ifindex);
    if (typeof src === 'string') throwSocketError(src, `no source address for ${dst.toString()}`);
    return src;
  }

  private hopLimitFor(pcb: Pcb, dst: Ipv6Address, anc: number | undefined): number | undefined {
    if (anc !== undefined && anc !== -1) return anc;
    if (dst.isMulticast()) return pcb.options.multicastHops;
    return pcb.options.unicastHops === -1 ? undefined : pcb.options.unicastHops;
  }

  private ephemeralPort(): number {
    const inUse = new Set<number>();
    for (const p of this.sockets.values()) if (p.type === 'udp' && p.lport !== 0) inUse.add(p.lport);
    const port = selectEphemeralPort(this.random, (p) => inUse.has(p), this.ephemeralRange);
    return port ?? throwSocketError('EADDRNOTAVAIL', 'no ephemeral port left');
  }

  /**
   * The BSD bind rules: a port is shared when both sockets set SO_REUSEPORT,
   * or, for a multicast address, when both set SO_REUSEADDR or SO_REUSEPORT;
   * a wildcard and a specific address on one port coexist when the binding
   * socket sets SO_REUSEADDR; anything else overlapping is EADDRINUSE.
   */
  private checkPortConflict(pcb: Pcb, local: ZonedAddress, lport: number): void {
    const mine = pcb.options;
    const mcast = local.address.isMulticast();
    for (const o of this.sockets.values()) {
      if (o === pcb || o.type !== 'udp' || o.lport !== lport) continue;
      const theirs = o.options;
      const oWild = o.local.address.isUnspecified();
      const myWild = local.address.isUnspecified();
      const same =
        zonedEquals(o.local, local) ||
        (o.local.address.equals(local.address) && (o.local.zone === 0 || local.zone === 0));
      if (!oWild && !myWild && !same) continue;
      if (mine.reuseport && theirs.reuseport) continue;
      if (mcast && (mine.reuseaddr || mine.reuseport) && (theirs.reuseaddr || theirs.reuseport)) continue;
      if (!same && mine.reuseaddr) continue;
      throwSocketError('EADDRINUSE', `port ${lport} in use`);
    }
  }

  private join(pcb: Pcb, mreq: Ipv6Mreq): void {
    if (!mreq.group.isMulticast()) throwSocketError('EINVAL', `${mreq.group.toString()} is not multicast`);
    let ifindex = mreq.ifindex;
    if (!Number.isInteger(ifindex) || ifindex < 0) throwSocketError('EINVAL', `ifindex ${ifindex}`);
    if (ifindex === 0) {
      ifindex =
        (pcb.options.multicastIf || this.port.defaultMulticastInterface?.(mreq.group)) ??
        throwSocketError('EADDRNOTAVAIL', `no interface for ${mreq.group.toString()}`);
    } else if (!this.port.hasInterface(ifindex)) {
      throwSocketError('ENXIO', `no interface ${ifindex}`);
    }
    const key = membershipKey(ifindex, mreq.group);
    if (pcb.memberships.has(key))
      throwSocketError('EADDRINUSE', `already a member of ${mreq.group.toString()}`);
    if (pcb.memberships.size >= IPV6_MAX_MEMBERSHIPS) throwSocketError('ENOBUFS', 'too many memberships');
    const err = this.memberships.join(ifindex, mreq.group);
    if (err !== undefined) throwSocketError(err, `join ${mreq.group.toString()} on ${ifindex}`);
    pcb.memberships.set(key, { ifindex, group: mreq.group });
  }

  private leave(pcb: Pcb, mreq: Ipv6Mreq): void {
    if (!mreq.group.isMulticast()) throwSocketError('EINVAL', `${mreq.group.toString()} is not multicast`);
    let key: string | undefined;
    if (mreq.ifindex === 0) {
      for (const [k, m] of pcb.memberships) if (m.group.equals(mreq.group)) key ??= k;
    } else {
      key = membershipKey(mreq.ifindex, mreq.group);
    }
    const m = key === undefined ? undefined : pcb.memberships.get(key);
    if (key === undefined || m === undefined)
      throwSocketError('EADDRNOTAVAIL', `not a member of ${mreq.group.toString()}`);
    pcb.memberships.delete(key);
    this.memberships.leave(m.ifindex, m.group);
  }

  private enqueueUdp(pcb: Pcb, pkt: Udp6InputPacket): boolean {
    const srcZone = zoneOnArrival(pkt.src, pkt.ifindex);
    const d = this.datagram(
      pcb,
      pkt.payload,
      pkt.src,
      srcZone,
      pkt.srcPort,
      pkt.dst,
      pkt.ifindex,
      pkt.hopLimit,
    );
    if (this.enqueue(pcb, d)) return true;
    this.udp6stat.udp6s_fullsock++;
    return false;
  }

  /** Ancillary data is decided at arrival, from the options set then (as BSD builds its control mbufs). */
  private datagram(
    pcb: Pcb,
    payload: Uint8Array,
    src: Ipv6Address,
    srcZone: number,
    srcPort: number,
    dst: Ipv6Address,
    ifindex: number,
    hopLimit: number,
  ): ReceivedDatagram {
    return {
      data: payload.slice(),
      from: toSockaddr({ address: src, zone: srcZone }, srcPort),
      ...(pcb.options.recvPktinfo ? { pktinfo: { address: dst, ifindex } } : {}),
      ...(pcb.options.recvHoplimit ? { hoplimit: hopLimit } : {}),
    };
  }

  private enqueue(pcb: Pcb, d: ReceivedDatagram): boolean {
    if (!pcb.queue.push(d, d.data.length)) return false;
    for (const l of [...this.listeners]) l(pcb.fd);
    return true;
  }
}

function bool(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new SocketError('EINVAL', `${name} takes a boolean`);
  return v;
}

function hops(name: string, v: unknown): number {
  if (typeof v !== 'number' || !validHopValue(v)) throw new SocketError('EINVAL', `${name} ${String(v)}`);
  return v;
}

function bufSize(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new SocketError('EINVAL', `${name} ${String(v)}`);
  if (v > SB_MAX) throw new SocketError('ENOBUFS', `${name} ${v} > ${SB_MAX}`);
  return v;
}
