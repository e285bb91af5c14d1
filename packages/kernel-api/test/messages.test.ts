import { Ipv6Address, Ipv6Prefix, MacAddress } from '@kame/addr';
import fc from 'fast-check';
import {
  encodeFrame,
  errnoFrame,
  errorFrame,
  eventFrame,
  FrameDecoder,
  helloFrame,
  icmp6FilterPassing,
  KernelApiError,
  prefixToProto,
  replyFrame,
  requestFrame,
  requestOp,
  resultResponse,
  RESULT_OF,
  sockaddrToProto,
  unwrapResponse,
  v1,
  welcomeFrame,
  type EventBody,
  type EventKind,
  type OpArgs,
  type RequestOp,
  type ResultKind,
  type ResultValue,
} from '../src';

const a6 = (s: string): Uint8Array => Ipv6Address.parse(s).bytes.slice();
const ifp = { ifname: 'ne0' };
const mac = MacAddress.parse('00:00:5e:00:53:01').bytes.slice();
const route: v1.Route.$Properties = {
  dst: prefixToProto(Ipv6Prefix.parse('2001:db8:1::/48')),
  gateway: { address: a6('fe80:1::1') },
  ifindex: 1,
  flags: 0x1 | 0x2 | 0x800,
  owner: 'route6d',
  metric: 2,
  expireMs: 180_000,
};
const iface: v1.Interface.$Properties = {
  index: 1,
  name: 'ne0',
  type: v1.LinkType.LINK_ETHER,
  flags: 0x8043,
  mtu: 1500,
  lladdr: mac,
  linkState: v1.LinkState.LINK_STATE_UP,
  addresses: [
    {
      address: a6('fe80::200:5eff:fe00:5301'),
      prefixLength: 64,
      ifindex: 1,
      flags: 0,
      vltime: 0xffffffff,
      pltime: 0xffffffff,
    },
  ],
  counters: { ipackets: 2 ** 40, opackets: 7 },
  nd: { ifindex: 1, linkmtu: 1500, basereachableMs: 30000, retransMs: 1000, chlim: 64 },
  multicast: [a6('ff02::1')],
};
const sockaddr = sockaddrToProto({ address: Ipv6Address.parse('ff02::9'), port: 521, zone: 1 });
const entry: v1.SysctlEntry.$Properties = {
  name: 'net.inet6.ip6.forwarding',
  value: 1,
  min: 0,
  max: 1,
  writable: true,
};

/** One sample per operation: the type forces a new op to get a sample here. */
const OPS: { [K in RequestOp]: OpArgs<K> } = {
  ifList: {},
  ifGet: { ifp },
  ifSetFlags: { ifp, set: 0x1 },
  ifSetMtu: { ifp: { ifindex: 2 }, mtu: 1280 },
  ifSetLladdr: { ifp, lladdr: mac },
  ifCreate: { name: 'gif0', type: v1.LinkType.LINK_GIF, mtu: 1280 },
  ifDestroy: { ifp: { ifname: 'gif0' } },
  ifSetTunnel: {
    ifp: { ifname: 'gif0' },
    tunnel: { src: a6('2001:db8::1'), dst: new Uint8Array([192, 0, 2, 1]) },
  },
  addrAdd: { ifp, address: a6('2001:db8::1'), prefixLength: 64, flags: 0x01, vltime: 3600, pltime: 1800 },
  addrDelete: { ifp, address: a6('2001:db8::1') },
  addrList: {},
  routeAdd: { route },
  routeDelete: { dst: route.dst!, owner: 'route6d' },
  routeChange: { dst: route.dst!, gateway: { link: { ifindex: 2, mac } }, metric: 0, expireMs: 0 },
  routeGet: { dst: { addr: a6('2001:db8:1::5') } },
  routeList: { family: 6 },
  routeFlush: { owner: 'route6d' },
  subscribe: { topics: [v1.Topic.TOPIC_ROUTE, v1.Topic.TOPIC_IFACE] },
  unsubscribe: { topics: [v1.Topic.TOPIC_ROUTE] },
  sockOpen: { type: v1.SocketType.SOCK_RAW, protocol: 58 },
  sockBind: { fd: 3, addr: sockaddrToProto({ address: Ipv6Address.UNSPECIFIED, port: 521 }) },
  sockConnect: {
    fd: 3,
    addr: sockaddrToProto({ address: Ipv6Address.parse('fe80::1'), port: 521, zone: 'ne0' }),
  },
  sockSetOpt: { fd: 3, opt: { icmp6Filter: icmp6FilterPassing([133, 134]) } },
  sockGetOpt: { fd: 3, name: v1.SockOptName.IPV6_V6ONLY },
  sockSendmsg: {
    fd: 3,
    data: new Uint8Array([133, 0, 0, 0]),
    to: sockaddr,
    pktinfo: { ifindex: 1 },
    hoplimit: 255,
  },
  sockClose: { fd: 3 },
  sockGetName: { fd: 3, peer: true },
  sockList: {},
  ndNeighbors: { ifp },
  ndRouters: {},
  ndPrefixes: {},
  ndGetDefaultIf: {},
  ndSetDefaultIf: { ifindex: 1 },
  ndFlush: { target: v1.NdFlushTarget.ND_FLUSH_NEIGHBORS },
  ndDeleteNeighbor: { address: a6('fe80::1'), ifindex: 1 },
  ndSetNeighbor: { address: a6('fe80::1'), ifindex: 1, lladdr: mac, router: true },
  ndGetIfinfo: { ifp },
  ndSetIfinfo: { ifp, chlim: 0, basereachableMs: 30000 },
  sysctlGet: { name: 'net.inet6.ip6.forwarding' },
  sysctlSet: { name: 'net.inet6.ip6.forwarding', numberValue: 0 },
  sysctlList: { prefix: 'net.inet6.icmp6' },
  statsGet: { groups: ['ip6', 'icmp6'] },
};

const RESULTS: { [K in ResultKind]: ResultValue<K> } = {
  ok: {},
  ifList: { interfaces: [iface] },
  ifGet: iface,
  addrList: { addresses: iface.addresses! },
  routeGet: { type: v1.RtmType.RTM_GET, seq: 4, pid: 77, ...route, dst: route.dst!, gateway: route.gateway! },
  routeList: { routes: [route, { ...route, gateway: { link: { ifindex: 1 } }, owner: 'kernel' }] },
  routeFlush: { count: 3 },
  subscribe: { interfaces: [iface] },
  sockOpen: { fd: 3 },
  sockGetOpt: { ipv6V6only: false },
  sockSendmsg: { bytes: 4 },
  sockGetName: sockaddr,
  sockList: {
    sockets: [{ fd: 3, type: v1.SocketType.SOCK_DGRAM, protocol: 17, local: sockaddr, recvQ: 0, pid: 77 }],
  },
  ndNeighbors: {
    neighbors: [
      { address: a6('fe80::1'), ifindex: 1, lladdr: mac, state: v1.NeighborState.ND_STALE, isRouter: true },
    ],
  },
  ndRouters: {
    routers: [
      {
        address: a6('fe80::1'),
        ifindex: 1,
        ifname: 'ne0',
        raFlags: 0x40,
        preference: v1.RouterPreference.PREF_HIGH,
        expireMs: 1800e3,
        installed: true,
      },
    ],
  },
  ndPrefixes: {
    prefixes: [
      {
        prefix: prefixToProto(Ipv6Prefix.parse('2001:db8::/64')),
        ifindex: 1,
        ifname: 'ne0',
        onLink: true,
        autonomous: true,
        vltime: 2592000,
        pltime: 604800,
        advertisedBy: [{ address: a6('fe80::1'), ifindex: 1, reachable: true }],
      },
    ],
  },
  ndGetDefaultIf: { ifindex: 1 },
  ndFlush: { count: 2 },
  ndGetIfinfo: {
    ifindex: 1,
    linkmtu: 1500,
    basereachableMs: 30000,
    reachableMs: 28000,
    retransMs: 1000,
    chlim: 64,
    flags: 1,
  },
  sysctlGet: entry,
  sysctlSet: { name: entry.name!, oldValue: 1, newValue: 0 },
  sysctlList: { entries: [entry, { ...entry, name: 'net.inet6.ip6.hlim', value: 64, max: 255 }] },
  statsGet: {
    groups: [
      {
        name: 'ip6',
        counters: { ip6s_total: 12, ip6s_forward: 2 ** 35 },
        histograms: { ip6s_nxthist: { buckets: { 58: 10, 17: 2 } } },
      },
    ],
  },
};

const EVENTS: { [K in EventKind]: EventBody<K> } = {
  rtm: { type: v1.RtmType.RTM_ADD, seq: 1, pid: 0, owner: 'kernel', flags: 0x1 | 0x400, ifindex: 1, dst: route.dst!, gateway: { link: { ifindex: 1, mac } } },
  iface: { kind: v1.DeltaKind.DELTA_CHANGE, iface: { ...iface, addresses: [] } },
  addr: { kind: v1.DeltaKind.DELTA_ADD, address: { address: a6('2001:db8::1'), prefixLength: 64, ifindex: 1, flags: 0x02 } },
  datagram: { fd: 3, data: new Uint8Array([134, 0, 1, 2]), from: { addr: a6('fe80::1'), port: 0, scopeId: 1 }, pktinfo: { addr: a6('ff02::1'), ifindex: 1 }, hoplimit: 255 },
  sockError: { fd: 4, errno: v1.Errno.EHOSTUNREACH, message: 'port unreachable from 2001:db8::9' },
  sysctl: { name: 'net.inet6.ip6.forwarding', value: 1, oldValue: 0 },
}; // prettier-ignore

/** Encode, decode through a FrameDecoder, and compare as plain objects. */
function roundTrip(frame: v1.Frame.$Properties): v1.Frame {
  const out = new FrameDecoder().push(encodeFrame(frame));
  expect(out).toHaveLength(1);
  const decoded = out[0]!;
  const opts = { oneofs: true, bytes: Array, defaults: false } as const;
  expect(v1.Frame.toObject(decoded, opts)).toEqual(v1.Frame.toObject(v1.Frame.fromObject(frame), opts));
  // Re-encoding what was decoded gives the same bytes.
  expect(encodeFrame(decoded)).toEqual(encodeFrame(frame));
  return decoded;
}

describe('handshake frames', () => {
  it('Hello carries ABI version, name and pid', () => {
    const f = roundTrip(helloFrame({ name: 'route6d', pid: 4242, uid: 0 }));
    expect(f.body).toBe('hello');
    expect(f.hello).toMatchObject({ abiVersion: 1, name: 'route6d', pid: 4242 });
  });

  it('Welcome carries ABI version, node name and capabilities', () => {
    const f = roundTrip(
      welcomeFrame({ node: 'r1', capabilities: ['inet6', 'route', 'udp', 'raw'], privileged: true }),
    );
    expect(f.welcome).toMatchObject({
      abiVersion: 1,
      node: 'r1',
      capabilities: ['inet6', 'route', 'udp', 'raw'],
    });
  });

  it('ErrorFrame carries an errno name and message', () => {
    const f = roundTrip(errorFrame('EPROTO', 'ABI version mismatch', 7));
    expect(f.error).toMatchObject({ errno: 92, message: 'ABI version mismatch', requestId: 7 });
  });
});

describe('every request kind round-trips', () => {
  it.each(Object.keys(OPS) as RequestOp[])('%s', (op) => {
    const f = roundTrip(requestFrame(17, op, OPS[op] as OpArgs<typeof op>));
    expect(f.request?.id).toBe(17);
    const got = requestOp(f.request!);
    expect(got?.op).toBe(op);
  });
});

describe('every response kind round-trips', () => {
  it.each(Object.keys(RESULTS) as ResultKind[])('%s', (kind) => {
    const f = roundTrip({ response: resultResponse(99, kind, RESULTS[kind] as ResultValue<typeof kind>) });
    expect(f.response?.id).toBe(99);
    expect(f.response?.result).toBe(kind);
    expect(f.response?.errno ?? 0).toBe(0);
  });

  it('every operation has a sample result of its kind', () => {
    for (const op of Object.keys(OPS) as RequestOp[]) expect(RESULTS[RESULT_OF[op]]).toBeDefined();
  });
});

describe('every event kind round-trips', () => {
  it.each(Object.keys(EVENTS) as EventKind[])('%s', (kind) => {
    const f = roundTrip(eventFrame(kind, EVENTS[kind] as EventBody<typeof kind>));
    expect(f.event?.body).toBe(kind);
  });

  it('a datagram event keeps fd, data, from, pktinfo and hoplimit', () => {
    const f = roundTrip(eventFrame('datagram', EVENTS.datagram));
    const d = f.event!.datagram!;
    expect(d.fd).toBe(3);
    expect(Array.from(d.data!)).toEqual([134, 0, 1, 2]);
    expect(Ipv6Address.fromBytes(d.from!.addr!).toString()).toBe('fe80::1');
    expect(d.from!.scopeId).toBe(1);
    expect(Ipv6Address.fromBytes(d.pktinfo!.addr!).toString()).toBe('ff02::1');
    expect(d.hoplimit).toBe(255);
  });
});

describe('responses', () => {
  it('unwrapResponse gives the typed result', () => {
    const f = roundTrip(replyFrame(5, 'sockOpen', { fd: 9 }));
    expect(unwrapResponse('sockOpen', f.response!).fd).toBe(9);
    const ok = roundTrip(replyFrame(6, 'addrAdd', {}));
    expect(unwrapResponse('addrAdd', ok.response!)).toBeDefined();
  });

  it('an errno response becomes a KernelApiError with the name and message', () => {
    const f = roundTrip(errnoFrame(5, 'EADDRINUSE', 'bind [::]:521'));
    expect(f.response?.result).toBeUndefined();
    expect(() => unwrapResponse('sockBind', f.response!)).toThrow(
      new KernelApiError('EADDRINUSE', 'bind [::]:521'),
    );
  });

  it('an unknown errno number or the wrong result kind is EPROTO', () => {
    const unknown = v1.Response.decode(
      v1.Response.encode({ id: 1, errno: 200 as v1.Errno, message: 'x' }).finish(),
    );
    expect(() => unwrapResponse('ifList', unknown)).toThrow(/EPROTO: unknown errno 200/);
    const wrong = v1.Response.decode(v1.Response.encode(resultResponse(1, 'ok', {})).finish());
    expect(() => unwrapResponse('ifList', wrong)).toThrow(
      /EPROTO: ifList: expected a "ifList" result, got ok/,
    );
  });
});

describe('optional fields keep presence (proto3 optional)', () => {
  it('AddrAdd without lifetimes decodes them as absent (infinite), with 0 as 0', () => {
    const none = roundTrip(requestFrame(1, 'addrAdd', { ifp, address: a6('2001:db8::1'), prefixLength: 64 }));
    expect(none.request!.addrAdd!.vltime ?? undefined).toBeUndefined();
    const zero = roundTrip(
      requestFrame(1, 'addrAdd', { ifp, address: a6('2001:db8::1'), prefixLength: 64, vltime: 0 }),
    );
    expect(zero.request!.addrAdd!.vltime).toBe(0);
  });

  it('setsockopt of a false boolean is still a chosen option', () => {
    const f = roundTrip(requestFrame(1, 'sockSetOpt', { fd: 3, opt: { ipv6MulticastLoop: false } }));
    expect(f.request!.sockSetOpt!.opt!.value).toBe('ipv6MulticastLoop');
    expect(f.request!.sockSetOpt!.opt!.ipv6MulticastLoop).toBe(false);
  });
});

describe('properties (fast-check)', () => {
  const bytes16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
  const u32 = fc.integer({ min: 0, max: 0xffffffff });

  it('Hello round-trips for any name, pid and version', () => {
    fc.assert(
      fc.property(fc.string(), u32, u32, (name, pid, abiVersion) => {
        const f = roundTrip(helloFrame({ name, pid, abiVersion }));
        expect(f.hello).toMatchObject({ name, pid, abiVersion });
      }),
    );
  });

  it('SIOCAIFADDR_IN6-style AddrAdd round-trips', () => {
    fc.assert(
      fc.property(bytes16, fc.integer({ min: 0, max: 128 }), u32, fc.option(u32, { nil: undefined }), (address, len, flags, vltime) => {
        roundTrip(requestFrame(1, 'addrAdd', { ifp: { ifindex: 1 }, address, prefixLength: len, flags, ...(vltime === undefined ? {} : { vltime }) }));
      }),
    ); // prettier-ignore
  });

  it('SockDatagram events round-trip', () => {
    fc.assert(
      fc.property(u32, fc.uint8Array({ maxLength: 2000 }), bytes16, fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 255 }), (fd, data, addr, port, hoplimit) => {
        const f = roundTrip(eventFrame('datagram', { fd, data, from: { addr, port, scopeId: 0 }, hoplimit }));
        expect(f.event!.datagram!.hoplimit).toBe(hoplimit);
      }),
    ); // prettier-ignore
  });

  it('RTM messages round-trip, counters and expiries up to 2^53 stay numbers', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 17), u32, fc.maxSafeNat(), bytes16, (type, flags, expireMs, addr) => {
        const f = roundTrip(eventFrame('rtm', { type: type as v1.RtmType, flags, expireMs, dst: { addr, length: 64 }, address: addr }));
        expect(typeof f.event!.rtm!.expireMs).toBe('number');
        expect(f.event!.rtm!.expireMs).toBe(expireMs);
      }),
    ); // prettier-ignore
  });
});
