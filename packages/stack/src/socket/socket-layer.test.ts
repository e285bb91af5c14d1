import { Ipv6Address } from '@kame/addr';
import { SeededRandom } from '@kame/time';
import { checksumValid, ipv6PseudoHeaderSum, udp } from '@kame/wire';
import { Sysctl } from '../sysctl/sysctl';
import { Icmp6Filter } from './icmp6-filter';
import { SocketLayer, type SocketLayerOptions, type Udp6InputPacket } from './socket-layer';
import { SocketError, type SocketErrno } from './socket-errno';
import type { SocketOutputRequest, SocketLayerPort } from './socket-port';

const A = (s: string): Ipv6Address => Ipv6Address.parse(s);
const GLOBAL = A('2001:db8::1');
const LL = A('fe80::1');
const PEER = A('2001:db8::99');
const LL_PEER = A('fe80::99');
const RIPNG = A('ff02::9');
const MDNS_LIKE = A('ff02::fb');
const IFNAMES: Record<number, string> = { 1: 'lo0', 2: 'ne0', 3: 'ne1' };

class FakePort implements SocketLayerPort {
  sent: SocketOutputRequest[] = [];
  joins: string[] = [];
  leaves: string[] = [];
  outputResult: SocketErrno | 'ok' = 'ok';
  output(req: SocketOutputRequest): SocketErrno | 'ok' {
    this.sent.push(req);
    return this.outputResult;
  }
  selectSource(dst: Ipv6Address): Ipv6Address | SocketErrno {
    if (dst.equals(A('2001:db9::1'))) return 'ENETUNREACH';
    return dst.isLinkLocal() || dst.isMulticast() ? LL : GLOBAL;
  }
  isLocalAddress(addr: Ipv6Address, ifindex: number): boolean {
    if (addr.equals(GLOBAL) || addr.isLoopback()) return true;
    return addr.equals(LL) && (ifindex === 2 || ifindex === 3);
  }
  joinGroup(ifindex: number, group: Ipv6Address): SocketErrno | 'ok' {
    this.joins.push(`${ifindex}/${group.toString()}`);
    return 'ok';
  }
  leaveGroup(ifindex: number, group: Ipv6Address): void {
    this.leaves.push(`${ifindex}/${group.toString()}`);
  }
  ifindexByName(name: string): number | undefined {
    const e = Object.entries(IFNAMES).find(([, n]) => n === name);
    return e === undefined ? undefined : Number(e[0]);
  }
  hasInterface(ifindex: number): boolean {
    return IFNAMES[ifindex] !== undefined;
  }
  ifnameByIndex(ifindex: number): string | undefined {
    return IFNAMES[ifindex];
  }
}

function setup(opts: Partial<SocketLayerOptions> = {}): { sl: SocketLayer; port: FakePort } {
  const port = new FakePort();
  const sl = new SocketLayer({ port, random: new SeededRandom(7), ...opts });
  return { sl, port };
}

function errnoOf(f: () => unknown): SocketErrno | 'no error' {
  try {
    f();
  } catch (e) {
    if (e instanceof SocketError) return e.errno;
    throw e;
  }
  return 'no error';
}

function udpIn(p: Partial<Udp6InputPacket> = {}): Udp6InputPacket {
  return {
    src: PEER,
    dst: GLOBAL,
    ifindex: 2,
    hopLimit: 64,
    srcPort: 5000,
    dstPort: 521,
    payload: Uint8Array.of(1, 2, 3),
    ...p,
  };
}

const PRIV = { privileged: true };

describe('SocketLayer: UDP bind (in6_pcbbind rules)', () => {
  it('refuses a second bind of the same address and port with EADDRINUSE', () => {
    const { sl } = setup();
    const a = sl.socket('udp', PRIV);
    const b = sl.socket('udp', PRIV);
    sl.bind(a, { address: GLOBAL, port: 521 });
    expect(errnoOf(() => sl.bind(b, { address: GLOBAL, port: 521 }))).toBe('EADDRINUSE');
  });

  it('lets wildcard and specific share a port only with SO_REUSEADDR on the binding socket', () => {
    const { sl } = setup();
    const w = sl.socket('udp', PRIV);
    sl.bind(w, { address: Ipv6Address.UNSPECIFIED, port: 521 });
    const s = sl.socket('udp', PRIV);
    expect(errnoOf(() => sl.bind(s, { address: GLOBAL, port: 521 }))).toBe('EADDRINUSE');
    sl.setsockopt(s, 'SO_REUSEADDR', true);
    sl.bind(s, { address: GLOBAL, port: 521 });
    expect(sl.getsockname(s)).toEqual({ address: GLOBAL, port: 521 });
  });

  it('shares a multicast address binding when both sockets set SO_REUSEADDR (or SO_REUSEPORT)', () => {
    const { sl } = setup();
    const a = sl.socket('udp', PRIV);
    const b = sl.socket('udp', PRIV);
    const c = sl.socket('udp', PRIV);
    sl.setsockopt(a, 'SO_REUSEADDR', true);
    sl.bind(a, { address: RIPNG, port: 521 });
    sl.setsockopt(b, 'SO_REUSEPORT', true);
    sl.bind(b, { address: RIPNG, port: 521 });
    expect(errnoOf(() => sl.bind(c, { address: RIPNG, port: 521 }))).toBe('EADDRINUSE');
  });

  it('shares a unicast binding only when both sockets set SO_REUSEPORT', () => {
    const { sl } = setup();
    const a = sl.socket('udp');
    const b = sl.socket('udp');
    const c = sl.socket('udp');
    sl.setsockopt(a, 'SO_REUSEPORT', true);
    sl.bind(a, { address: GLOBAL, port: 4000 });
    sl.setsockopt(b, 'SO_REUSEPORT', true);
    sl.bind(b, { address: GLOBAL, port: 4000 });
    sl.setsockopt(c, 'SO_REUSEADDR', true);
    expect(errnoOf(() => sl.bind(c, { address: GLOBAL, port: 4000 }))).toBe('EADDRINUSE');
  });

  it('refuses addresses that are not local (EADDRNOTAVAIL) and a second bind (EINVAL)', () => {
    const { sl } = setup();
    const s = sl.socket('udp');
    expect(errnoOf(() => sl.bind(s, { address: PEER, port: 4000 }))).toBe('EADDRNOTAVAIL');
    sl.bind(s, { address: GLOBAL, port: 4000 });
    expect(errnoOf(() => sl.bind(s, { address: GLOBAL, port: 4001 }))).toBe('EINVAL');
  });

  it('needs a zone for a link-local address, accepts a name or an index, and keeps zones apart', () => {
    const { sl } = setup();
    const a = sl.socket('udp');
    const b = sl.socket('udp');
    const c = sl.socket('udp');
    expect(errnoOf(() => sl.bind(a, { address: LL, port: 4000 }))).toBe('EINVAL');
    expect(errnoOf(() => sl.bind(a, { address: LL, port: 4000, zone: 'nosuch0' }))).toBe('ENXIO');
    sl.bind(a, { address: LL, port: 4000, zone: 'ne0' });
    expect(sl.getsockname(a)).toEqual({ address: LL, port: 4000, zone: 2 });
    sl.bind(b, { address: LL, port: 4000, zone: 3 }); // same address, other link
    expect(errnoOf(() => sl.bind(c, { address: LL, port: 4000, zone: 2 }))).toBe('EADDRINUSE');
  });

  it('reserves ports below 1024 to privileged sockets (EACCES)', () => {
    const { sl } = setup();
    const s = sl.socket('udp');
    expect(errnoOf(() => sl.bind(s, { address: Ipv6Address.UNSPECIFIED, port: 521 }))).toBe('EACCES');
    const p = sl.socket('udp', PRIV);
    sl.bind(p, { address: Ipv6Address.UNSPECIFIED, port: 521 });
  });
});

describe('SocketLayer: ephemeral ports (RFC 6335, RFC 6056)', () => {
  it('gives unique ports in 49152-65535', () => {
    const { sl } = setup();
    const ports = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const s = sl.socket('udp');
      sl.bind(s, { address: Ipv6Address.UNSPECIFIED });
      const { port } = sl.getsockname(s);
      expect(port).toBeGreaterThanOrEqual(49152);
      expect(port).toBeLessThanOrEqual(65535);
      ports.add(port);
    }
    expect(ports.size).toBe(200);
  });

  it('fails with EADDRNOTAVAIL when the range is used up, and skips explicitly bound ports', () => {
    const { sl } = setup({ ephemeralRange: { first: 50000, last: 50002 } });
    const fixed = sl.socket('udp');
    sl.bind(fixed, { address: GLOBAL, port: 50001 });
    const got = [0, 1].map(() => {
      const s = sl.socket('udp');
      sl.bind(s, { address: Ipv6Address.UNSPECIFIED, port: 0 });
      return sl.getsockname(s).port;
    });
    expect(got.sort()).toEqual([50000, 50002]);
    expect(errnoOf(() => sl.bind(sl.socket('udp'), { address: Ipv6Address.UNSPECIFIED }))).toBe(
      'EADDRNOTAVAIL',
    );
  });

  it('binds an ephemeral port implicitly on the first send', () => {
    const { sl, port } = setup();
    const s = sl.socket('udp');
    sl.sendto(s, Uint8Array.of(9), { address: PEER, port: 53 });
    const local = sl.getsockname(s);
    expect(local.address.isUnspecified()).toBe(true);
    expect(local.port).toBeGreaterThanOrEqual(49152);
    const d = udp.parse(port.sent[0]!.payload, { src: GLOBAL, dst: PEER });
    expect(d.srcPort).toBe(local.port);
  });
});

describe('SocketLayer: udp6 input demultiplexing', () => {
  it('prefers an exact connected match, then a specific address, then the wildcard', () => {
    const { sl } = setup();
    const wild = sl.socket('udp', PRIV);
    sl.bind(wild, { address: Ipv6Address.UNSPECIFIED, port: 521 });
    const spec = sl.socket('udp', PRIV);
    sl.setsockopt(spec, 'SO_REUSEADDR', true);
    sl.bind(spec, { address: GLOBAL, port: 521 });
    const conn = sl.socket('udp', PRIV);
    sl.setsockopt(conn, 'SO_REUSEADDR', true);
    sl.setsockopt(conn, 'SO_REUSEPORT', true);
    sl.setsockopt(spec, 'SO_REUSEPORT', true);
    sl.bind(conn, { address: GLOBAL, port: 521 });
    sl.connect(conn, { address: PEER, port: 5000 });

    expect(sl.udp6Input(udpIn())).toBe('delivered');
    expect(sl.pending(conn).datagrams).toBe(1);
    expect(sl.udp6Input(udpIn({ srcPort: 5001 }))).toBe('delivered'); // not the connected peer
    expect(sl.pending(spec).datagrams).toBe(1);
    expect(sl.udp6Input(udpIn({ dst: LL, src: LL_PEER }))).toBe('delivered'); // not the specific address
    expect(sl.pending(wild).datagrams).toBe(1);
    sl.close(conn);
    sl.close(spec);
    sl.udp6Input(udpIn());
    expect(sl.pending(wild).datagrams).toBe(2);
  });

  it('gives link-local peers their zone in `from`, global peers none', () => {
    const { sl } = setup();
    const s = sl.socket('udp', PRIV);
    sl.bind(s, { address: Ipv6Address.UNSPECIFIED, port: 521 });
    sl.udp6Input(udpIn({ src: LL_PEER, dst: LL, ifindex: 3 }));
    sl.udp6Input(udpIn());
    expect(sl.recvmsg(s)!.from).toEqual({ address: LL_PEER, port: 5000, zone: 3 });
    expect(sl.recvmsg(s)!.from).toEqual({ address: PEER, port: 5000 });
    expect(sl.recvmsg(s)).toBeUndefined();
  });

  it('adds IPV6_PKTINFO and IPV6_HOPLIMIT ancillary data only when asked (RFC 3542 6.1, 6.3)', () => {
    const { sl } = setup();
    const s = sl.socket('udp', PRIV);
    sl.bind(s, { address: Ipv6Address.UNSPECIFIED, port: 521 });
    sl.udp6Input(udpIn({ hopLimit: 255, dst: RIPNG, src: LL_PEER }));
    const plain = sl.recvmsg(s)!;
    expect(plain.pktinfo).toBeUndefined();
    expect(plain.hoplimit).toBeUndefined();
    sl.setsockopt(s, 'IPV6_RECVPKTINFO', true);
    sl.udp6Input(udpIn({ hopLimit: 255, dst: RIPNG, src: LL_PEER }));
    const withPkt = sl.recvmsg(s)!;
    expect(withPkt.pktinfo).toEqual({ address: RIPNG, ifindex: 2 });
    expect(withPkt.hoplimit).toBeUndefined();
    sl.setsockopt(s, 'IPV6_RECVHOPLIMIT', true);
    sl.udp6Input(udpIn({ hopLimit: 255 }));
    const both = sl.recvmsg(s)!;
    expect(both.pktinfo).toEqual({ address: GLOBAL, ifindex: 2 });
    expect(both.hoplimit).toBe(255);
    expect(both.data).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('drops datagrams beyond the receive buffer and counts udp6s_fullsock', () => {
    const { sl } = setup();
    const s = sl.socket('udp');
    sl.bind(s, { address: Ipv6Address.UNSPECIFIED, port: 4000 });
    sl.setsockopt(s, 'SO_RCVBUF', 10);
    const four = new Uint8Array(4);
    expect(sl.udp6Input(udpIn({ dstPort: 4000, payload: four }))).toBe('delivered');
    expect(sl.udp6Input(udpIn({ dstPort: 4000, payload: four }))).toBe('delivered');
    expect(sl.udp6Input(udpIn({ dstPort: 4000, payload: four }))).toBe('dropped');
    expect(sl.udp6stat.udp6s_fullsock).toBe(1);
    expect(sl.pending(s)).toEqual({ datagrams: 2, bytes: 8 });
    sl.recvmsg(s);
    expect(sl.udp6Input(udpIn({ dstPort: 4000, payload: four }))).toBe('delivered');
    expect(errnoOf(() => sl.setsockopt(s, 'SO_RCVBUF', 1 << 30))).toBe('ENOBUFS');
  });

  it('asks for port unreachable on unicast only, counting noport and noportmcast', () => {
    const { sl } = setup();
    expect(sl.udp6Input(udpIn({ dstPort: 9 }))).toBe('unreach');
    expect(sl.udp6Input(udpIn({ dstPort: 9, dst: RIPNG, src: LL_PEER }))).toBe('dropped');
    expect(sl.udp6stat.udp6s_noport).toBe(1);
    expect(sl.udp6stat.udp6s_noportmcast).toBe(1);
  });

  it('delivers multicast to every socket bound to the port that joined the group (or joined none)', () => {
    const { sl } = setup();
    const mk = (address: Ipv6Address): number => {
      const s = sl.socket('udp', PRIV);
      sl.setsockopt(s, 'SO_REUSEPORT', true);
      sl.bind(s, { address, port: 521 });
      return s;
    };
    const joined = mk(Ipv6Address.UNSPECIFIED);
    sl.setsockopt(joined, 'IPV6_JOIN_GROUP', { group: RIPNG, ifindex: 2 });
    const group = mk(RIPNG);
    const other = mk(Ipv6Address.UNSPECIFIED);
    sl.setsockopt(other, 'IPV6_JOIN_GROUP', { group: MDNS_LIKE, ifindex: 2 });
    const wrongIf = mk(Ipv6Address.UNSPECIFIED);
    sl.setsockopt(wrongIf, 'IPV6_JOIN_GROUP', { group: RIPNG, ifindex: 3 });
    const boundElsewhere = mk(MDNS_LIKE);

    expect(sl.udp6Input(udpIn({ dst: RIPNG, src: LL_PEER, ifindex: 2 }))).toBe('delivered');
    expect([joined, group, other, wrongIf, boundElsewhere].map((s) => sl.pending(s).datagrams)).toEqual([
      1, 1, 0, 0, 0,
    ]);
  });
});

describe('SocketLayer: sending', () => {
  it('builds a UDP datagram with a valid checksum and a selected source; hop limits per RFC 3493 5.1/5.2', () => {
    const { sl, port } = setup();
    const s = sl.socket('udp');
    sl.bind(s, { address: Ipv6Address.UNSPECIFIED, port: 4000 });
    expect(sl.sendto(s, Uint8Array.of(7, 7), { address: PEER, port: 53 })).toBe(2);
    const out = port.sent[0]!;
    expect(out.src).toEqual(GLOBAL);
    expect(out.nextHeader).toBe(17);
    expect(out.hopLimit).toBeUndefined(); // the kernel default
    const d = udp.parse(out.payload, { src: out.src, dst: out.dst });
    expect(d).toEqual({ srcPort: 4000, dstPort: 53, payload: Uint8Array.of(7, 7) });

    sl.sendto(s, Uint8Array.of(1), { address: RIPNG, port: 521, zone: 'ne1' });
    expect(port.sent[1]).toMatchObject({ hopLimit: 1, ifindex: 3, multicastLoop: true, src: LL });
    sl.setsockopt(s, 'IPV6_UNICAST_HOPS', 7);
    sl.setsockopt(s, 'IPV6_MULTICAST_HOPS', 255);
    sl.setsockopt(s, 'IPV6_MULTICAST_LOOP', false);
    sl.setsockopt(s, 'IPV6_MULTICAST_IF', 2);
    sl.sendto(s, Uint8Array.of(1), { address: PEER, port: 53 });
    sl.sendto(s, Uint8Array.of(1), { address: RIPNG, port: 521 });
    expect(port.sent[2]!.hopLimit).toBe(7);
    expect(port.sent[3]).toMatchObject({ hopLimit: 255, ifindex: 2, multicastLoop: false });
    sl.sendmsg(s, { data: Uint8Array.of(1), to: { address: PEER, port: 53 }, hoplimit: 3 });
    expect(port.sent[4]!.hopLimit).toBe(3);
    expect(sl.udp6stat.udp6s_opackets).toBe(5);
    expect(errnoOf(() => sl.setsockopt(s, 'IPV6_UNICAST_HOPS', 256))).toBe('EINVAL');
  });

  it('honours IPV6_PKTINFO source and interface, refusing foreign sources and unknown interfaces', () => {
    const { sl, port } = setup();
    const s = sl.socket('udp');
    sl.sendmsg(s, {
      data: Uint8Array.of(1),
      to: { address: LL_PEER, port: 547 },
      pktinfo: { address: LL, ifindex: 3 },
    });
    expect(port.sent[0]).toMatchObject({ src: LL, dst: LL_PEER, ifindex: 3 });
    const msg = { data: Uint8Array.of(1), to: { address: PEER, port: 53 } };
    expect(errnoOf(() => sl.sendmsg(s, { ...msg, pktinfo: { address: PEER } }))).toBe('EADDRNOTAVAIL');
    expect(errnoOf(() => sl.sendmsg(s, { ...msg, pktinfo: { ifindex: 42 } }))).toBe('ENXIO');
  });

  it('needs a zone (or an interface) for a link-local destination', () => {
    const { sl, port } = setup();
    const s = sl.socket('udp');
    expect(errnoOf(() => sl.sendto(s, Uint8Array.of(1), { address: LL_PEER, port: 547 }))).toBe('EINVAL');
    sl.sendto(s, Uint8Array.of(1), { address: LL_PEER, port: 547, zone: 'ne0' });
    expect(port.sent[0]!.ifindex).toBe(2);
  });

  it('applies the connected-socket rules: EISCONN, ENOTCONN, disconnect', () => {
    const { sl, port } = setup();
    const s = sl.socket('udp');
    expect(errnoOf(() => sl.sendto(s, Uint8Array.of(1)))).toBe('ENOTCONN');
    expect(errnoOf(() => sl.getpeername(s))).toBe('ENOTCONN');
    expect(errnoOf(() => sl.connect(s, { address: PEER, port: 0 }))).toBe('EADDRNOTAVAIL');
    sl.connect(s, { address: PEER, port: 53 });
    expect(sl.getsockname(s).address).toEqual(GLOBAL); // source chosen at connect
    expect(sl.getpeername(s)).toEqual({ address: PEER, port: 53 });
    expect(errnoOf(() => sl.connect(s, { address: PEER, port: 54 }))).toBe('EISCONN');
    expect(errnoOf(() => sl.sendto(s, Uint8Array.of(1), { address: PEER, port: 53 }))).toBe('EISCONN');
    sl.sendto(s, Uint8Array.of(1));
    expect(port.sent[0]!.dst).toEqual(PEER);
    sl.disconnect(s);
    expect(sl.getsockname(s).address.isUnspecified()).toBe(true);
    expect(errnoOf(() => sl.disconnect(s))).toBe('ENOTCONN');
  });

  it('refuses datagrams above SO_SNDBUF with EMSGSIZE and passes output errors through', () => {
    const { sl, port } = setup();
    const s = sl.socket('udp');
    expect(errnoOf(() => sl.sendto(s, new Uint8Array(9217), { address: PEER, port: 53 }))).toBe('EMSGSIZE');
    sl.setsockopt(s, 'SO_SNDBUF', 65535);
    sl.sendto(s, new Uint8Array(9217), { address: PEER, port: 53 });
    expect(errnoOf(() => sl.sendto(s, Uint8Array.of(1), { address: A('2001:db9::1'), port: 53 }))).toBe(
      'ENETUNREACH',
    );
    port.outputResult = 'EHOSTUNREACH';
    expect(errnoOf(() => sl.sendto(s, Uint8Array.of(1), { address: PEER, port: 53 }))).toBe('EHOSTUNREACH');
  });
});

describe('SocketLayer: raw sockets (RFC 3542 3)', () => {
  it('refuses raw sockets without privilege (EACCES)', () => {
    const { sl } = setup();
    expect(errnoOf(() => sl.socket('raw', { protocol: 58 }))).toBe('EACCES');
    expect(errnoOf(() => sl.socket('raw', { protocol: 300, privileged: true }))).toBe('EINVAL');
  });

  it('passes every ICMPv6 type by default and blocks what ICMP6_FILTER blocks (RFC 3542 3.2)', () => {
    const { sl } = setup();
    const s = sl.socket('raw', { protocol: 58, privileged: true });
    expect(sl.getsockopt(s, 'ICMP6_FILTER').passed()).toHaveLength(256);
    const echoReply = Uint8Array.of(129, 0, 0, 0, 0, 1, 0, 1);
    const ra = Uint8Array.of(134, 0, 0, 0);
    const pkt = { proto: 58, src: LL_PEER, dst: A('ff02::1'), ifindex: 2, hopLimit: 255 };
    expect(sl.rawInput({ ...pkt, payload: echoReply })).toBe(1);
    sl.setsockopt(s, 'ICMP6_FILTER', Icmp6Filter.passOnly([134]));
    expect(sl.rawInput({ ...pkt, payload: echoReply })).toBe(0);
    expect(sl.rawInput({ ...pkt, payload: ra })).toBe(1);
    expect(sl.rip6stat.rip6s_nosockmcast).toBe(1);
    expect(sl.getsockopt(s, 'ICMP6_FILTER').passed()).toEqual([134]);
    const u = sl.socket('udp');
    expect(errnoOf(() => sl.setsockopt(u, 'ICMP6_FILTER', Icmp6Filter.blockAll()))).toBe('ENOPROTOOPT');
  });

  it('enforces the IPV6_CHECKSUM rules (RFC 3542 3.1)', () => {
    const { sl } = setup();
    const icmp = sl.socket('raw', { protocol: 58, privileged: true });
    expect(sl.getsockopt(icmp, 'IPV6_CHECKSUM')).toBe(2);
    expect(errnoOf(() => sl.setsockopt(icmp, 'IPV6_CHECKSUM', 2))).toBe('EINVAL');
    expect(errnoOf(() => sl.setsockopt(icmp, 'IPV6_CHECKSUM', -1))).toBe('EINVAL');
    const ospf = sl.socket('raw', { protocol: 89, privileged: true });
    expect(sl.getsockopt(ospf, 'IPV6_CHECKSUM')).toBe(-1);
    expect(errnoOf(() => sl.setsockopt(ospf, 'IPV6_CHECKSUM', 3))).toBe('EINVAL');
    expect(errnoOf(() => sl.setsockopt(ospf, 'IPV6_CHECKSUM', -2))).toBe('EINVAL');
    sl.setsockopt(ospf, 'IPV6_CHECKSUM', 12);
    expect(sl.getsockopt(ospf, 'IPV6_CHECKSUM')).toBe(12);
    const u = sl.socket('udp');
    expect(errnoOf(() => sl.setsockopt(u, 'IPV6_CHECKSUM', 6))).toBe('ENOPROTOOPT');
  });

  it('computes the ICMPv6 checksum at offset 2 on send', () => {
    const { sl, port } = setup();
    const s = sl.socket('raw', { protocol: 58, privileged: true });
    const echo = Uint8Array.of(128, 0, 0xde, 0xad, 0, 1, 0, 1, 0x61);
    sl.sendmsg(s, { data: echo, to: { address: PEER }, hoplimit: 64 });
    const out = port.sent[0]!;
    expect(out).toMatchObject({ nextHeader: 58, hopLimit: 64, src: GLOBAL });
    expect(checksumValid(ipv6PseudoHeaderSum(out.src, out.dst, out.payload.length, 58), out.payload)).toBe(
      true,
    );
    expect(echo[2]).toBe(0xde); // caller's buffer untouched
    expect(errnoOf(() => sl.sendto(s, Uint8Array.of(128, 0, 0), { address: PEER }))).toBe('EINVAL');
  });

  it('computes and verifies an IPV6_CHECKSUM offset on other protocols (PIM at 2)', () => {
    const { sl, port } = setup();
    const pim = sl.socket('raw', { protocol: 103, privileged: true });
    sl.setsockopt(pim, 'IPV6_CHECKSUM', 2);
    sl.sendto(pim, Uint8Array.of(0x20, 0, 0, 0, 1, 2), { address: A('ff02::d'), zone: 2 });
    const out = port.sent[0]!;
    expect(checksumValid(ipv6PseudoHeaderSum(out.src, out.dst, out.payload.length, 103), out.payload)).toBe(
      true,
    );
    const good = { proto: 103, src: out.src, dst: out.dst, ifindex: 2, hopLimit: 1, payload: out.payload };
    expect(sl.rawInput(good)).toBe(1);
    const bad = out.payload.slice();
    bad[5] = bad[5]! ^ 0xff;
    expect(sl.rawInput({ ...good, payload: bad })).toBe(0);
    expect(sl.rip6stat.rip6s_badsum).toBe(1);
  });

  it('gives every matching raw socket of the protocol a copy, filtered by bound and connected addresses', () => {
    const { sl } = setup();
    const raw = (protocol: number): number => sl.socket('raw', { protocol, privileged: true });
    const a = raw(89);
    const b = raw(89);
    const boundLl = raw(89);
    sl.bind(boundLl, { address: LL, zone: 3 });
    const connected = raw(89);
    sl.connect(connected, { address: A('fe80::77'), zone: 2 });
    const pim = raw(103);
    const all = raw(0);
    const n = sl.rawInput({
      proto: 89,
      src: LL_PEER,
      dst: A('ff02::5'),
      ifindex: 2,
      hopLimit: 1,
      payload: Uint8Array.of(3, 1, 0, 40),
    });
    expect(n).toBe(3);
    expect([a, b, boundLl, connected, pim, all].map((s) => sl.pending(s).datagrams)).toEqual([
      1, 1, 0, 0, 0, 1,
    ]);
    expect(sl.recvmsg(a)!.from).toEqual({ address: LL_PEER, port: 0, zone: 2 });
    sl.rawInput({ proto: 89, src: LL_PEER, dst: LL, ifindex: 3, hopLimit: 1, payload: Uint8Array.of(3) });
    expect(sl.pending(boundLl).datagrams).toBe(1);
  });

  it('bounds raw receive queues too (rip6s_fullsock)', () => {
    const { sl } = setup();
    const s = sl.socket('raw', { protocol: 89, privileged: true });
    sl.setsockopt(s, 'SO_RCVBUF', 100);
    const p = { proto: 89, src: PEER, dst: GLOBAL, ifindex: 2, hopLimit: 64, payload: new Uint8Array(60) };
    expect(sl.rawInput(p)).toBe(1);
    expect(sl.rawInput(p)).toBe(0);
    expect(sl.rip6stat.rip6s_fullsock).toBe(1);
  });
});

describe('SocketLayer: multicast membership (RFC 3493 5.2)', () => {
  it('refcounts joins through the port: one MLD join per group and interface, one leave on the last', () => {
    const { sl, port } = setup();
    const a = sl.socket('udp');
    const b = sl.socket('udp');
    sl.setsockopt(a, 'IPV6_JOIN_GROUP', { group: RIPNG, ifindex: 2 });
    sl.setsockopt(b, 'IPV6_JOIN_GROUP', { group: RIPNG, ifindex: 2 });
    sl.setsockopt(b, 'IPV6_JOIN_GROUP', { group: RIPNG, ifindex: 3 });
    expect(port.joins).toEqual(['2/ff02::9', '3/ff02::9']);
    expect(sl.memberships.refs(2, RIPNG)).toBe(2);
    sl.setsockopt(a, 'IPV6_LEAVE_GROUP', { group: RIPNG, ifindex: 2 });
    expect(port.leaves).toEqual([]);
    sl.close(b);
    expect(port.leaves.sort()).toEqual(['2/ff02::9', '3/ff02::9']);
    expect(sl.memberships.list()).toEqual([]);
  });

  it('rejects duplicate joins, leaving a group not joined, non-multicast groups and unknown interfaces', () => {
    const { sl } = setup();
    const s = sl.socket('udp');
    const join = (group: Ipv6Address, ifindex: number): void =>
      sl.setsockopt(s, 'IPV6_JOIN_GROUP', { group, ifindex });
    join(RIPNG, 2);
    expect(errnoOf(() => join(RIPNG, 2))).toBe('EADDRINUSE');
    expect(errnoOf(() => join(GLOBAL, 2))).toBe('EINVAL');
    expect(errnoOf(() => join(RIPNG, 9))).toBe('ENXIO');
    expect(errnoOf(() => join(MDNS_LIKE, 0))).toBe('EADDRNOTAVAIL'); // no IPV6_MULTICAST_IF, no default
    sl.setsockopt(s, 'IPV6_MULTICAST_IF', 3);
    join(MDNS_LIKE, 0);
    expect(sl.memberships.refs(3, MDNS_LIKE)).toBe(1);
    expect(errnoOf(() => sl.setsockopt(s, 'IPV6_LEAVE_GROUP', { group: A('ff02::5'), ifindex: 2 }))).toBe(
      'EADDRNOTAVAIL',
    );
    sl.setsockopt(s, 'IPV6_LEAVE_GROUP', { group: MDNS_LIKE, ifindex: 0 });
    expect(sl.memberships.refs(3, MDNS_LIKE)).toBe(0);
  });
});

describe('SocketLayer: IPV6_V6ONLY and IPv4-mapped addresses (IMPLEMENTATION 1.12)', () => {
  it.each([
    ['freebsd3x', false],
    ['netbsd', true],
    ['bsdi4', false],
    ['openbsd', true],
    ['bsdi3', true],
  ] as const)('defaults IPV6_V6ONLY on %s to %s', (platform, v6only) => {
    const { sl } = setup({ platform });
    expect(sl.getsockopt(sl.socket('udp'), 'IPV6_V6ONLY')).toBe(v6only);
  });

  it('lets only configurable platforms change it, and only before bind', () => {
    const open = setup({ platform: 'openbsd' }).sl;
    expect(errnoOf(() => open.setsockopt(open.socket('udp'), 'IPV6_V6ONLY', false))).toBe('EINVAL');
    open.setsockopt(open.socket('udp'), 'IPV6_V6ONLY', true);
    const bsdi = setup({ platform: 'bsdi4' }).sl;
    expect(errnoOf(() => bsdi.setsockopt(bsdi.socket('udp'), 'IPV6_V6ONLY', true))).toBe('EINVAL');
    const nb = setup({ platform: 'netbsd' }).sl;
    const s = nb.socket('udp');
    nb.setsockopt(s, 'IPV6_V6ONLY', false);
    nb.bind(s, { address: Ipv6Address.UNSPECIFIED });
    expect(errnoOf(() => nb.setsockopt(s, 'IPV6_V6ONLY', true))).toBe('EINVAL');
  });

  it('copies net.inet6.ip6.v6only at socket creation only (1.12.3.1)', () => {
    const sysctl = new Sysctl({ platform: 'netbsd' });
    const { sl } = setup({ sysctl });
    const before = sl.socket('udp');
    sysctl.set('net.inet6.ip6.v6only', 0);
    const after = sl.socket('udp');
    expect(sl.getsockopt(before, 'IPV6_V6ONLY')).toBe(true);
    expect(sl.getsockopt(after, 'IPV6_V6ONLY')).toBe(false);
  });

  it('refuses mapped destinations: EINVAL when v6only or unsupported, EAFNOSUPPORT (no IPv4 stack) otherwise', () => {
    const mapped = { address: A('::ffff:10.1.1.1'), port: 53 };
    const fb = setup({ platform: 'freebsd3x' }).sl;
    const s = fb.socket('udp');
    expect(errnoOf(() => fb.connect(s, mapped))).toBe('EAFNOSUPPORT');
    expect(errnoOf(() => fb.bind(s, mapped))).toBe('EAFNOSUPPORT');
    fb.setsockopt(s, 'IPV6_V6ONLY', true);
    expect(errnoOf(() => fb.sendto(s, Uint8Array.of(1), mapped))).toBe('EINVAL');
    const ob = setup({ platform: 'openbsd' }).sl;
    expect(errnoOf(() => ob.connect(ob.socket('udp'), mapped))).toBe('EINVAL');
  });
});

describe('SocketLayer: close, limits, netstat, events', () => {
  it('close releases the port and later calls fail with EBADF', () => {
    const { sl } = setup();
    const a = sl.socket('udp');
    sl.bind(a, { address: GLOBAL, port: 4000 });
    sl.close(a);
    expect(errnoOf(() => sl.close(a))).toBe('EBADF');
    expect(errnoOf(() => sl.recvmsg(a))).toBe('EBADF');
    const b = sl.socket('udp');
    sl.bind(b, { address: GLOBAL, port: 4000 });
    expect(sl.udp6Input(udpIn({ dstPort: 4000 }))).toBe('delivered');
  });

  it('limits the number of sockets (ENOBUFS)', () => {
    const { sl } = setup({ maxSockets: 2 });
    const a = sl.socket('udp');
    sl.socket('udp');
    expect(errnoOf(() => sl.socket('udp'))).toBe('ENOBUFS');
    sl.close(a);
    sl.socket('udp');
  });

  it('lists netstat -an -f inet6 rows', () => {
    const { sl } = setup();
    const a = sl.socket('udp', PRIV);
    sl.bind(a, { address: LL, port: 521, zone: 2 });
    const b = sl.socket('udp');
    sl.connect(b, { address: PEER, port: 53 });
    sl.socket('raw', { protocol: 58, privileged: true });
    sl.udp6Input(udpIn({ dst: LL, src: LL_PEER, ifindex: 2 }));
    const rows = sl.list();
    expect(rows.map((r) => [r.proto, r.recvQ, r.local, r.foreign])).toEqual([
      ['udp6', 3, 'fe80::1%ne0.521', '*.*'],
      ['udp6', 0, `2001:db8::1.${sl.getsockname(b).port}`, '2001:db8::99.53'],
      ['raw6', 0, '*.*', '*.*'],
    ]);
  });

  it('emits a datagram event per queued datagram', () => {
    const { sl } = setup();
    const s = sl.socket('udp');
    sl.bind(s, { address: Ipv6Address.UNSPECIFIED, port: 4000 });
    const seen: number[] = [];
    const off = sl.onDatagram((fd) => seen.push(fd));
    sl.udp6Input(udpIn({ dstPort: 4000 }));
    off();
    sl.udp6Input(udpIn({ dstPort: 4000 }));
    expect(seen).toEqual([s]);
  });
});
