import { Ipv6Address } from '@kame/addr';
import { SeededRandom } from '@kame/time';
import { stubPrefix } from './support/fabric';
import { response, rte, started } from './support/solo';

const GOOD = response(rte('2001:db8:77::/48', 1));
const P = '2001:db8:77::/48';

describe('hostile RIPng input is dropped and counted (RFC 2080 2.4.2)', () => {
  it('a well-formed response is accepted (control)', () => {
    const { x } = started();
    x.inject('eth0', { data: GOOD });
    expect(x.metric(P)).toBe(2);
  });

  it.each([
    ['source port not 521', { srcPort: 520 }, 'rxBadPort'],
    ['hop limit 254 to ff02::9', { hopLimit: 254 }, 'rxBadHopLimit'],
    [
      'hop limit 64 to a global address',
      { hopLimit: 64, dst: Ipv6Address.parse('2001:db8:1::1') },
      'rxBadHopLimit',
    ],
    ['no hop limit ancillary data', { hopLimit: undefined }, 'rxNoHopLimit'],
    ['global source address', { src: Ipv6Address.parse('2001:db8::99') }, 'rxNotLinkLocal'],
    ['our own link-local source', { src: Ipv6Address.parse('fe80::1:3') }, 'rxFromSelf'],
  ] as const)('%s', (_n, patch, counter) => {
    const { x } = started();
    x.inject('eth0', { data: GOOD, ...patch });
    expect(x.engine.route(P)).toBeUndefined();
    expect(x.engine.stats[counter]).toBe(1);
  });

  it('unicast to our link-local with a low hop limit is accepted (the source is on-link by scope)', () => {
    const { x } = started();
    x.inject('eth0', { data: GOOD, hopLimit: 3, dst: x.iface('eth0').linkLocal! });
    expect(x.metric(P)).toBe(2);
  });

  it('unknown interface index', () => {
    const { x } = started();
    x.engine.receive({
      ifindex: 99,
      src: Ipv6Address.parse('fe80::99'),
      srcPort: 521,
      dst: Ipv6Address.parse('ff02::9'),
      hopLimit: 255,
      data: GOOD,
    });
    expect(x.engine.route(P)).toBeUndefined();
    expect(x.engine.stats.rxUnknownInterface).toBe(1);
  });

  it.each([
    ['truncated RTE', GOOD.subarray(0, GOOD.length - 3)],
    ['truncated header', GOOD.subarray(0, 3)],
    ['empty datagram', new Uint8Array(0)],
    ['version 0', Uint8Array.from([2, 0, 0, 0, ...GOOD.subarray(4)])],
    ['version 2', Uint8Array.from([2, 2, 0, 0, ...GOOD.subarray(4)])],
    ['command 3', Uint8Array.from([3, 1, 0, 0, ...GOOD.subarray(4)])],
  ])('malformed: %s', (_n, data) => {
    const { x } = started();
    x.inject('eth0', { data });
    expect(x.engine.route(P)).toBeUndefined();
    expect(x.engine.stats.rxMalformed).toBe(1);
  });

  it('per-RTE checks drop the bad RTE only: metric 0, metric 17, prefix length 129, multicast, link-local, loopback, site-local', () => {
    const { x } = started();
    x.inject('eth0', {
      data: response(
        rte('2001:db8:a::/48', 0),
        rte('2001:db8:b::/48', 17),
        { prefix: Ipv6Address.parse('2001:db8:c::'), routeTag: 0, prefixLength: 129, metric: 1 },
        rte('ff05::/16', 1),
        rte('fe80::/64', 1),
        rte('::1/128', 1),
        rte('fec0:1::/32', 1),
        { prefix: Ipv6Address.parse('fe80::5'), routeTag: 0, prefixLength: 64, metric: 0xff },
        rte(P, 1),
      ),
    });
    const s = x.engine.stats;
    expect([s.rteBadMetric, s.rteBadPrefixLength, s.rteMulticast, s.rteLinkLocal, s.rteLoopback]).toEqual([
      2, 1, 1, 1, 1,
    ]);
    expect(s.rteSiteLocal).toBe(1);
    expect(s.rteBadNextHop).toBe(1);
    expect(
      x.engine
        .routes()
        .map((e) => e.prefix.toString())
        .sort(),
    ).toEqual([stubPrefix(1), P].sort());
  });

  it('10,000 RTEs in one datagram (larger than any UDP payload): dropped whole', () => {
    const { x } = started();
    const rtes = [];
    for (let i = 0; i < 10_000; i++) rtes.push(rte(`2001:${(0x1000 + i).toString(16)}::/32`, 1));
    x.inject('eth0', { data: response(...rtes) });
    expect(x.engine.stats.rxOversize).toBe(1);
    expect(x.engine.routes().length).toBe(1);
  });

  it('the routing table is bounded: routes beyond maxRoutes are dropped and counted', () => {
    const { x } = started({ maxRoutes: 1000 });
    const rtes = [];
    for (let i = 0; i < 3000; i++) rtes.push(rte(`2001:${(0x1000 + i).toString(16)}::/32`, 1));
    x.inject('eth0', { data: response(...rtes) });
    expect(x.engine.routes().length).toBe(1000);
    expect(x.engine.stats.rteTableFull).toBe(2001);
    expect(x.fib.size).toBe(999);
  });

  it('random garbage never throws and never adds routes', () => {
    const { x } = started();
    const rnd = new SeededRandom(77);
    for (let i = 0; i < 3000; i++) {
      const len = rnd.int(0, 120);
      const b = rnd.bytes(new Uint8Array(len));
      if (len >= 2 && rnd.next() < 0.5) {
        b[0] = 2;
        b[1] = 1;
      }
      // Invalid in every RTE: metric 0.
      for (let o = 23; o < len; o += 20) b[o] = 0;
      expect(() => x.inject('eth0', { data: b })).not.toThrow();
    }
    expect(x.engine.routes().length).toBe(1);
    const s = x.engine.stats;
    expect(s.rxPackets).toBe(3000);
    expect(s.rxMalformed + s.rxResponses + s.rxRequests).toBe(3000);
  });
});
