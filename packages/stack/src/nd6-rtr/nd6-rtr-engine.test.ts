import { Ipv6Address, Ipv6Prefix, MacAddress, eui64FromMac } from '@kame/addr';
import { VirtualClock } from '@kame/time';
import {
  ND6_INFINITE_LIFETIME,
  type NdOption,
  type PrefixInfoOption,
  type RouterAdvertRepr,
  type RouterPreference,
} from '@kame/wire';
import { Sysctl } from '../sysctl/index';
import { Nd6RtrEngine, type Nd6Route, type Nd6RtrPort } from './nd6-rtr-engine';
import type { Nd6RtrParams } from './params';
import { TWO_HOURS } from './lifetime';
import { prefixInfo, routerAdvert } from '../../test/support/frames';

const MAC = MacAddress.parse('00:11:22:33:44:55');
const IID = eui64FromMac(MAC);
const R1 = Ipv6Address.parse('fe80::1');
const R2 = Ipv6Address.parse('fe80::2');
const R3 = Ipv6Address.parse('fe80::3');
const P1 = Ipv6Address.parse('2001:db8:1::');
const SLAAC1 = Ipv6Address.parse('2001:db8:1::211:22ff:fe33:4455');
const H = 3600;

/** An RA whose Cur Hop Limit is unspecified (0) unless given. */
const ra = (o: Partial<RouterAdvertRepr> = {}): RouterAdvertRepr => routerAdvert({ curHopLimit: 0, ...o });

/** A PIO for P1, valid 30 days, preferred 7 days, unless given. */
const pio = (o: Partial<PrefixInfoOption> = {}): PrefixInfoOption =>
  prefixInfo({ prefix: P1, validLifetime: 30 * 24 * H, preferredLifetime: 7 * 24 * H, ...o });

type Call = [string, ...unknown[]];

function setup(opts: { acceptRtadv?: number; forwarding?: number; params?: Partial<Nd6RtrParams> } = {}) {
  const clock = new VirtualClock();
  const sysctl = new Sysctl({
    initial: {
      'net.inet6.ip6.accept_rtadv': opts.acceptRtadv ?? 1,
      'net.inet6.ip6.forwarding': opts.forwarding ?? 0,
    },
  });
  const calls: Call[] = [];
  const reachable = new Set<string>();
  const routes: Nd6Route[] = [];
  const str = (r: Nd6Route) => `${r.prefix.toString()} via ${r.gateway?.toString() ?? 'link'}%${r.ifindex}`;
  const port: Nd6RtrPort = {
    isReachable: (r) => reachable.has(r.toString()),
    routerNeighbor: (i, r, ll) => calls.push(['routerNeighbor', i, r.toString(), ll?.toString()]),
    setCurHopLimit: (i, n) => calls.push(['hlim', i, n]),
    setBaseReachableTime: (i, ms) => calls.push(['reachable', i, ms]),
    setRetransTimer: (i, ms) => calls.push(['retrans', i, ms]),
    setLinkMtu: (i, mtu) => calls.push(['mtu', i, mtu]),
    addAddress: (i, a, len, o) => {
      calls.push(['addAddress', i, a.toString(), len, o]);
    },
    setAddressLifetimes: (i, a, l) => calls.push(['lifetimes', i, a.toString(), l]),
    setAddressFlags: (i, a, f) => calls.push(['flags', clock.now(), a.toString(), f.deprecated]),
    deleteAddress: (i, a) => calls.push(['deleteAddress', clock.now(), a.toString()]),
    addRoute: (r) => {
      routes.push(r);
      calls.push(['addRoute', str(r)]);
    },
    deleteRoute: (r) => {
      const i = routes.findIndex((x) => str(x) === str(r));
      if (i >= 0) routes.splice(i, 1);
      calls.push(['deleteRoute', str(r)]);
    },
    log: (level, msg) => calls.push(['log', level, msg]),
  };
  const eng = new Nd6RtrEngine({ clock, sysctl, port, params: opts.params });
  eng.addInterface(1, { name: 'ne0', maxMtu: 1500, interfaceId: IID });
  eng.addInterface(2, { name: 'gif0', maxMtu: 1280 });
  const defaultRoute = () =>
    routes.filter((r) => r.prefix.length === 0).map((r) => `${r.gateway?.toString()}%${r.ifindex}`);
  const of = (name: string) => calls.filter((c) => c[0] === name);
  return { clock, sysctl, eng, calls, reachable, routes, defaultRoute, of };
}

const send = (
  env: ReturnType<typeof setup>,
  src: Ipv6Address,
  r: Partial<RouterAdvertRepr> = {},
  options: NdOption[] = [],
  ifindex = 1,
) => env.eng.onRouterAdvertisement(ifindex, src, ra({ ...r, options }), options);

describe('RFC 4861 6.3.4: Default Router List', () => {
  it('RFC 4861 6.3.4: an RA with a non-zero lifetime adds the router and installs ::/0 (owner nd6)', () => {
    const env = setup();
    expect(send(env, R1, { routerLifetime: 600 })).toBe('accepted');
    expect(env.eng.routers()).toEqual([
      {
        address: R1,
        ifindex: 1,
        ifname: 'ne0',
        flags: '',
        preference: 'medium',
        expire: 600_000,
        installed: true,
      },
    ]);
    expect(env.defaultRoute()).toEqual(['fe80::1%1']);
    expect(env.routes[0]?.owner).toBe('nd6');
  });

  it('RFC 4861 6.3.4: router lifetime 0 times the entry out immediately and removes the route', () => {
    const env = setup();
    send(env, R1);
    send(env, R1, { routerLifetime: 0 });
    expect(env.eng.routers()).toEqual([]);
    expect(env.defaultRoute()).toEqual([]);
  });

  it('RFC 4861 6.3.4: lifetime 0 from an unknown router adds nothing', () => {
    const env = setup();
    send(env, R1, { routerLifetime: 0 });
    expect(env.eng.routers()).toEqual([]);
    expect(env.of('addRoute')).toEqual([]);
  });

  it('RFC 4861 6.3.5: the router expires after its lifetime; a refresh extends it', () => {
    const env = setup();
    send(env, R1, { routerLifetime: 100 });
    env.clock.advance(90_000);
    send(env, R1, { routerLifetime: 100 });
    env.clock.advance(90_000);
    expect(env.eng.routers()).toHaveLength(1);
    env.clock.advance(10_000);
    expect(env.eng.routers()).toEqual([]);
    expect(env.defaultRoute()).toEqual([]);
    expect(env.eng.stats.routersExpired).toBe(1);
  });

  it('RFC 4861 6.3.4: ndp -r shows the M and O flags', () => {
    const env = setup();
    send(env, R1, { managed: true, other: true });
    expect(env.eng.routers()[0]?.flags).toBe('MO');
  });

  it('RFC 4861 6.3.4: the Source Link-Layer Address option reaches the Neighbor Cache', () => {
    const env = setup();
    send(env, R1, {}, [{ kind: 'sourceLinkAddr', linkAddr: MAC }]);
    expect(env.of('routerNeighbor')).toEqual([['routerNeighbor', 1, 'fe80::1', '00:11:22:33:44:55']]);
  });

  it('RFC 4861 6.1.2: an RA whose source is not link-local is dropped', () => {
    const env = setup();
    expect(send(env, Ipv6Address.parse('2001:db8::1'))).toBe('bad-source');
    expect(env.eng.routers()).toEqual([]);
  });
});

describe('ndp -R / ndp -P (SIOCSRTRFLUSH_IN6, SIOCSPFXFLUSH_IN6)', () => {
  it('flushRouters empties the Default Router List and takes the default route away', () => {
    const env = setup();
    send(env, R1, { routerLifetime: 600 });
    send(env, R2, { routerLifetime: 600 });
    expect(env.eng.flushRouters()).toBe(2);
    expect(env.eng.routers()).toEqual([]);
    expect(env.defaultRoute()).toEqual([]);
  });

  it('flushPrefixes empties the Prefix List, with its on-link routes and autoconfigured addresses', () => {
    const env = setup();
    send(env, R1, { routerLifetime: 600 }, [pio()]);
    expect(env.eng.prefixes()).toHaveLength(1);
    expect(env.of('addAddress').map((c) => c[2])).toEqual([SLAAC1.toString()]);
    expect(env.eng.flushPrefixes()).toBe(1);
    expect(env.eng.prefixes()).toEqual([]);
    expect(env.eng.autoconfAddresses()).toEqual([]);
    expect(env.of('deleteAddress').map((c) => c[2])).toEqual([SLAAC1.toString()]);
    expect(env.routes.filter((r) => r.prefix.length === 64)).toEqual([]);
  });
});

describe('RFC 4861 6.3.6 / RFC 4191 2.2: default router selection', () => {
  it('RFC 4191 2.2: among reachable routers the highest preference wins', () => {
    const env = setup();
    env.reachable.add('fe80::1').add('fe80::2').add('fe80::3');
    send(env, R1, { preference: 'low' });
    send(env, R2, { preference: 'medium' });
    send(env, R3, { preference: 'high' });
    expect(env.defaultRoute()).toEqual(['fe80::3%1']);
    expect(env.eng.routers().map((r) => r.preference)).toEqual(['low', 'medium', 'high']);
  });

  it('RFC 4191 2.2: a reserved preference is treated as medium', () => {
    const env = setup();
    send(env, R1, { preference: 'reserved' as RouterPreference });
    expect(env.eng.routers()[0]?.preference).toBe('medium');
  });

  it('RFC 4861 6.3.6: a reachable router is preferred to an unreachable one of higher preference', () => {
    const env = setup();
    env.reachable.add('fe80::2');
    send(env, R1, { preference: 'high' });
    send(env, R2, { preference: 'low' });
    expect(env.defaultRoute()).toEqual(['fe80::2%1']);
  });

  it('RFC 4861 6.3.6: with no router reachable, selection goes round-robin', () => {
    const env = setup();
    send(env, R1);
    send(env, R2);
    send(env, R3);
    expect(env.defaultRoute()).toEqual(['fe80::1%1']);
    expect(env.eng.reselectDefaultRouter()?.address).toEqual(R2);
    expect(env.eng.reselectDefaultRouter()?.address).toEqual(R3);
    expect(env.eng.reselectDefaultRouter()?.address).toEqual(R1);
    expect(env.defaultRoute()).toEqual(['fe80::1%1']);
  });

  it('RFC 4861 6.3.6: a router becoming reachable is selected on reselection', () => {
    const env = setup();
    send(env, R1);
    send(env, R2);
    env.reachable.add('fe80::2');
    env.eng.reselectDefaultRouter();
    expect(env.defaultRoute()).toEqual(['fe80::2%1']);
    // stable while it stays the best
    env.eng.reselectDefaultRouter();
    expect(env.defaultRoute()).toEqual(['fe80::2%1']);
  });

  it('RFC 4861 6.3.6: removing the installed router switches the default route to the next', () => {
    const env = setup();
    send(env, R1);
    send(env, R2);
    send(env, R1, { routerLifetime: 0 });
    expect(env.defaultRoute()).toEqual(['fe80::2%1']);
    expect(env.of('deleteRoute')).toEqual([['deleteRoute', '::/0 via fe80::1%1']]);
  });

  it('RFC 4191 2.2: a preference change in a later RA triggers reselection', () => {
    const env = setup();
    env.reachable.add('fe80::1').add('fe80::2');
    send(env, R1);
    send(env, R2);
    expect(env.defaultRoute()).toEqual(['fe80::1%1']);
    send(env, R2, { preference: 'high' });
    expect(env.defaultRoute()).toEqual(['fe80::2%1']);
  });

  it('RFC 4861 7.2.5: routerGone() removes a router whose IsRouter flag cleared', () => {
    const env = setup();
    send(env, R1);
    expect(env.eng.routerGone(1, R1)).toBe(true);
    expect(env.defaultRoute()).toEqual([]);
  });
});

describe('RFC 4861 6.3.4: ND variables and the MTU option', () => {
  it('RFC 4861 6.3.4: CurHopLimit, BaseReachableTime and RetransTimer are taken when non-zero', () => {
    const env = setup();
    send(env, R1, { curHopLimit: 64, reachableTime: 20_000, retransTimer: 2000 });
    expect(env.calls.filter((c) => ['hlim', 'reachable', 'retrans'].includes(c[0]))).toEqual([
      ['hlim', 1, 64],
      ['reachable', 1, 20_000],
      ['retrans', 1, 2000],
    ]);
    expect(env.eng.interfaceNdState(1)).toEqual({
      curHopLimit: 64,
      baseReachableTime: 20_000,
      retransTimer: 2000,
      linkMtu: 1500,
    });
  });

  it('RFC 4861 6.3.4: zero means unspecified; an unchanged ReachableTime does not re-randomize', () => {
    const env = setup();
    send(env, R1, { curHopLimit: 64, reachableTime: 20_000 });
    send(env, R1, { curHopLimit: 0, reachableTime: 20_000, retransTimer: 0 });
    expect(env.of('reachable')).toHaveLength(1);
    expect(env.of('hlim')).toHaveLength(1);
    expect(env.of('retrans')).toHaveLength(0);
    send(env, R1, { reachableTime: 40_000 });
    expect(env.of('reachable')).toEqual([
      ['reachable', 1, 20_000],
      ['reachable', 1, 40_000],
    ]);
  });

  it('RFC 4861 6.3.4: an MTU option within [1280, link maximum] sets LinkMTU', () => {
    const env = setup();
    send(env, R1, {}, [{ kind: 'mtu', mtu: 1400 }]);
    expect(env.of('mtu')).toEqual([['mtu', 1, 1400]]);
    send(env, R1, {}, [{ kind: 'mtu', mtu: 1500 }]);
    expect(env.eng.interfaceNdState(1)?.linkMtu).toBe(1500);
  });

  it('RFC 4861 6.3.4: an MTU option below 1280 or above the link maximum is ignored', () => {
    const env = setup();
    send(env, R1, {}, [
      { kind: 'mtu', mtu: 1279 },
      { kind: 'mtu', mtu: 9000 },
    ]);
    expect(env.of('mtu')).toEqual([]);
    expect(env.eng.stats.optionsIgnored).toBe(2);
    expect(env.of('log')).toHaveLength(2);
  });
});

describe('IMPLEMENTATION 1.4.2: the accept_rtadv x forwarding role table', () => {
  it('IMPLEMENTATION 1.4.2: accept_rtadv=0 ignores RAs entirely', () => {
    const env = setup({ acceptRtadv: 0 });
    expect(send(env, R1, { curHopLimit: 64 }, [pio()])).toBe('not-accepting');
    expect(env.calls).toEqual([]);
    expect(env.eng.routers()).toEqual([]);
    expect(env.eng.stats.notAccepting).toBe(1);
  });

  it('IMPLEMENTATION 1.4.2: accept_rtadv=0 with forwarding=1 (router) ignores RAs', () => {
    const env = setup({ acceptRtadv: 0, forwarding: 1 });
    expect(send(env, R1)).toBe('not-accepting');
  });

  it('IMPLEMENTATION 1.4.2: accept_rtadv=1 with forwarding=1 takes RAs as "experimental"', () => {
    const env = setup({ acceptRtadv: 1, forwarding: 1 });
    expect(send(env, R1)).toBe('accepted');
    expect(env.eng.stats.experimental).toBe(1);
  });

  it('IMPLEMENTATION 1.4.2: the knob is read per RA, so switching accept_rtadv off stops processing', () => {
    const env = setup();
    send(env, R1);
    env.sysctl.set('net.inet6.ip6.accept_rtadv', 0);
    expect(send(env, R2)).toBe('not-accepting');
    expect(env.eng.routers()).toHaveLength(1);
  });
});

describe('RFC 4861 6.3.4: Prefix List and on-link determination', () => {
  it('RFC 4861 6.3.4: an L prefix is listed (ndp -p) and gets an interface route', () => {
    const env = setup();
    send(env, R1, {}, [pio({ autonomous: false, validLifetime: 3600, preferredLifetime: 1800 })]);
    expect(env.eng.prefixes()).toEqual([
      {
        prefix: Ipv6Prefix.parse('2001:db8:1::/64'),
        ifindex: 1,
        ifname: 'ne0',
        flags: 'L',
        onLink: true,
        autonomous: false,
        validLifetime: 3600,
        preferredLifetime: 1800,
        expire: 3_600_000,
        advertisedBy: [{ address: R1, ifindex: 1, reachable: false }],
      },
    ]);
    expect(env.of('addRoute')).toContainEqual(['addRoute', '2001:db8:1::/64 via link%1']);
    expect(env.eng.isOnLink(Ipv6Address.parse('2001:db8:1::99'), 1)).toBe(true);
    expect(env.eng.isOnLink(Ipv6Address.parse('2001:db8:1::99'), 2)).toBe(false);
  });

  it('RFC 4861 6.3.4: the prefix expires with its valid lifetime; valid 0 removes it at once', () => {
    const env = setup();
    send(env, R1, {}, [pio({ autonomous: false, validLifetime: 60, preferredLifetime: 60 })]);
    env.clock.advance(60_000);
    expect(env.eng.prefixes()).toEqual([]);
    expect(env.of('deleteRoute')).toContainEqual(['deleteRoute', '2001:db8:1::/64 via link%1']);
    send(env, R1, {}, [pio({ autonomous: false })]);
    send(env, R1, {}, [pio({ autonomous: false, validLifetime: 0, preferredLifetime: 0 })]);
    expect(env.eng.prefixes()).toEqual([]);
  });

  it('RFC 4861 6.3.4: L=0 does not make a listed on-link prefix off-link', () => {
    const env = setup();
    send(env, R1, {}, [pio({ autonomous: false })]);
    send(env, R2, {}, [pio({ onLink: false, validLifetime: 0, preferredLifetime: 0 })]);
    expect(env.eng.prefixes()[0]?.onLink).toBe(true);
    expect(env.eng.prefixes()[0]?.advertisedBy.map((a) => a.address.toString())).toEqual([
      'fe80::1',
      'fe80::2',
    ]);
  });

  it('RFC 4861 6.3.4: the link-local prefix is ignored', () => {
    const env = setup();
    send(env, R1, {}, [pio({ prefix: Ipv6Address.parse('fe80::') })]);
    expect(env.eng.prefixes()).toEqual([]);
    expect(env.of('addAddress')).toEqual([]);
  });

  it('RFC 4861 5.2 (KAME, ndp -I): with no default router, the default interface is on-link', () => {
    const env = setup();
    const dst = Ipv6Address.parse('2001:db8:77::1');
    expect(env.eng.isOnLink(dst, 1)).toBe(false);
    env.eng.setDefaultInterface(1);
    expect(env.eng.isOnLink(dst, 1)).toBe(true);
    expect(env.eng.isOnLink(dst, 2)).toBe(false);
    send(env, R1);
    expect(env.eng.isOnLink(dst, 1)).toBe(false);
    send(env, R1, { routerLifetime: 0 });
    expect(env.eng.isOnLink(dst, 1)).toBe(true);
    env.eng.setDefaultInterface(0);
    expect(env.eng.isOnLink(dst, 1)).toBe(false);
    expect(env.eng.isOnLink(Ipv6Address.parse('fe80::9'), 1)).toBe(true);
  });
});

describe('RFC 4862 5.5.3: stateless address autoconfiguration', () => {
  it('RFC 4862 5.5.3 d: an A-flag /64 forms prefix + modified EUI-64 and hands it over for DAD', () => {
    const env = setup();
    send(env, R1, {}, [pio({ validLifetime: 7200 * 4, preferredLifetime: 3600 })]);
    expect(env.of('addAddress')).toEqual([
      [
        'addAddress',
        1,
        SLAAC1.toString(),
        64,
        { autoconf: true, validLifetime: 28_800, preferredLifetime: 3600 },
      ],
    ]);
  });

  it('RFC 4862 5.5.3 d: infinite lifetimes are passed as Infinity and never expire', () => {
    const env = setup();
    send(env, R1, {}, [
      pio({ validLifetime: ND6_INFINITE_LIFETIME, preferredLifetime: ND6_INFINITE_LIFETIME }),
    ]);
    expect(env.of('addAddress')[0]?.[4]).toEqual({
      autoconf: true,
      validLifetime: Infinity,
      preferredLifetime: Infinity,
    });
    env.clock.advance(10 * 365 * 24 * H * 1000);
    expect(env.of('deleteAddress')).toEqual([]);
    expect(env.eng.prefixes()[0]?.expire).toBeUndefined();
  });

  it('RFC 4862 5.5.3 d: a prefix length other than 64 is not autoconfigured', () => {
    const env = setup();
    send(env, R1, {}, [pio({ prefixLength: 48 })]);
    expect(env.of('addAddress')).toEqual([]);
    expect(env.of('log')).toHaveLength(1);
    expect(env.eng.prefixes()).toHaveLength(1);
  });

  it('RFC 4862 5.5.3 d: an interface without a 64-bit interface id does not autoconfigure', () => {
    const env = setup();
    send(env, R1, {}, [pio()], 2);
    expect(env.of('addAddress')).toEqual([]);
  });

  it('RFC 4862 5.5.3 a: without the A flag no address is formed', () => {
    const env = setup();
    send(env, R1, {}, [pio({ autonomous: false })]);
    expect(env.of('addAddress')).toEqual([]);
  });

  it('RFC 4862 5.5.3 c: preferred lifetime > valid lifetime: the option is ignored', () => {
    const env = setup();
    send(env, R1, {}, [pio({ validLifetime: 100, preferredLifetime: 200 })]);
    expect(env.of('addAddress')).toEqual([]);
    expect(env.eng.prefixes()).toEqual([]);
    expect(env.eng.stats.optionsIgnored).toBe(1);
  });

  it('RFC 4862 5.5.3 d: valid lifetime 0 for a new prefix forms no address', () => {
    const env = setup();
    send(env, R1, {}, [pio({ validLifetime: 0, preferredLifetime: 0 })]);
    expect(env.of('addAddress')).toEqual([]);
  });

  it('RFC 4862 5.5.4: deprecated when the preferred lifetime ends, deleted when the valid one does', () => {
    const env = setup();
    send(env, R1, {}, [pio({ validLifetime: 600, preferredLifetime: 300 })]);
    env.clock.advance(299_999);
    expect(env.of('flags')).toEqual([]);
    env.clock.advance(1);
    expect(env.of('flags')).toEqual([['flags', 300_000, SLAAC1.toString(), true]]);
    expect(env.eng.autoconfAddresses()[0]?.deprecated).toBe(true);
    env.clock.advance(300_000);
    expect(env.of('deleteAddress')).toEqual([['deleteAddress', 600_000, SLAAC1.toString()]]);
    expect(env.eng.autoconfAddresses()).toEqual([]);
  });

  it('RFC 4862 5.5.4: a renewed preferred lifetime un-deprecates the address', () => {
    const env = setup();
    send(env, R1, {}, [pio({ validLifetime: 3 * H, preferredLifetime: 60 })]);
    env.clock.advance(61_000);
    send(env, R1, {}, [pio({ validLifetime: 3 * H, preferredLifetime: H })]);
    expect(env.of('flags').map((c) => c[3])).toEqual([true, false]);
  });

  it('RFC 4862 5.5.3 d: preferred lifetime 0 forms a deprecated address', () => {
    const env = setup();
    send(env, R1, {}, [pio({ validLifetime: H, preferredLifetime: 0 })]);
    expect(env.of('flags')).toEqual([['flags', 0, SLAAC1.toString(), true]]);
  });
});

describe('RFC 4862 5.5.3 e: the two-hour rule for existing autoconfigured addresses', () => {
  /** An address with `remaining` seconds of valid lifetime left. */
  function withRemaining(remaining: number) {
    const env = setup();
    send(env, R1, {}, [pio({ validLifetime: remaining + 1000, preferredLifetime: 0 })]);
    env.clock.advance(1000 * 1000);
    expect(env.eng.autoconfAddresses()[0]?.validLifetime).toBe(remaining);
    return env;
  }
  const update = (env: ReturnType<typeof setup>, valid: number, preferred = 0, authenticated = false) =>
    env.eng.onRouterAdvertisement(
      1,
      R1,
      ra(),
      [pio({ validLifetime: valid, preferredLifetime: preferred })],
      {
        authenticated,
      },
    );
  const addr = (env: ReturnType<typeof setup>) => env.eng.autoconfAddresses()[0]!;

  it('RFC 4862 5.5.3 e (1): received valid lifetime > 2 hours is taken, even if shorter than remaining', () => {
    const env = withRemaining(10 * H);
    update(env, 3 * H);
    expect(addr(env)).toMatchObject({ validLifetime: 3 * H, lastRule: 'advertised' });
    expect(env.of('lifetimes').at(-1)).toEqual([
      'lifetimes',
      1,
      SLAAC1.toString(),
      { validLifetime: 3 * H, preferredLifetime: 0 },
    ]);
  });

  it('RFC 4862 5.5.3 e (1): received valid lifetime > remaining is taken, even if under 2 hours', () => {
    const env = withRemaining(600);
    update(env, 1800);
    expect(addr(env)).toMatchObject({ validLifetime: 1800, lastRule: 'advertised' });
  });

  it('RFC 4862 5.5.3 e (2): remaining <= 2 hours: a shorter received lifetime is ignored', () => {
    const env = withRemaining(TWO_HOURS);
    update(env, 60);
    expect(addr(env)).toMatchObject({ validLifetime: TWO_HOURS, lastRule: 'ignored' });
    env.clock.advance(60_000 + 1);
    expect(env.of('deleteAddress')).toEqual([]);
  });

  it('RFC 4862 5.5.3 e (2): remaining <= 2 hours but the RA is authenticated: the received value is used', () => {
    const env = withRemaining(H);
    update(env, 60, 0, true);
    expect(addr(env)).toMatchObject({ validLifetime: 60, lastRule: 'authenticated' });
  });

  it('RFC 4862 5.5.3 e (3): remaining > 2 hours and received <= 2 hours: reset to 2 hours', () => {
    const env = withRemaining(5 * H);
    update(env, 0);
    expect(addr(env)).toMatchObject({ validLifetime: TWO_HOURS, lastRule: 'two-hours' });
    env.clock.advance(TWO_HOURS * 1000);
    expect(env.of('deleteAddress')).toHaveLength(1);
  });

  it('RFC 4862 5.5.3 e (3): an infinite remaining lifetime with a finite short one is cut to 2 hours', () => {
    const env = setup();
    send(env, R1, {}, [
      pio({ validLifetime: ND6_INFINITE_LIFETIME, preferredLifetime: ND6_INFINITE_LIFETIME }),
    ]);
    update(env, 30, 30);
    expect(addr(env)).toMatchObject({
      validLifetime: TWO_HOURS,
      preferredLifetime: 30,
      lastRule: 'two-hours',
    });
  });

  it('RFC 4862 5.5.3 e: the preferred lifetime is reset to the advertised one, bounded by the valid lifetime', () => {
    const env = withRemaining(H);
    update(env, 60, 60);
    // valid ignored (e.2) stays 1 hour; preferred takes the advertised 60 s
    expect(addr(env)).toMatchObject({ validLifetime: H, preferredLifetime: 60, deprecated: false });
  });
});

describe('RFC 4191 3: Route Information options (type C host)', () => {
  const rio = (
    prefix: string,
    len: number,
    preference: RouterPreference,
    routeLifetime: number,
  ): NdOption => ({
    kind: 'routeInfo',
    prefix: Ipv6Address.parse(prefix),
    prefixLength: len,
    preference,
    routeLifetime,
  });

  it('RFC 4191 3.1: a more-specific route is installed via the router and expires', () => {
    const env = setup();
    send(env, R1, {}, [rio('2001:db8:100::', 48, 'high', 60)]);
    expect(env.of('addRoute')).toContainEqual(['addRoute', '2001:db8:100::/48 via fe80::1%1']);
    env.clock.advance(60_000);
    expect(env.of('deleteRoute')).toContainEqual(['deleteRoute', '2001:db8:100::/48 via fe80::1%1']);
    expect(env.eng.routeInfos()).toEqual([]);
  });

  it('RFC 4191 3.1: the better-preference router carries the route; reserved preference is ignored', () => {
    const env = setup();
    send(env, R1, {}, [rio('2001:db8:100::', 48, 'low', 600)]);
    send(env, R2, {}, [rio('2001:db8:100::', 48, 'high', 600)]);
    send(env, R3, {}, [rio('2001:db8:100::', 48, 'reserved', 600)]);
    expect(
      env.eng
        .routeInfos()
        .filter((r) => r.installed)
        .map((r) => r.router.toString()),
    ).toEqual(['fe80::2']);
    expect(env.eng.routeInfos()).toHaveLength(2);
    send(env, R2, {}, [rio('2001:db8:100::', 48, 'high', 0)]);
    expect(
      env.eng
        .routeInfos()
        .filter((r) => r.installed)
        .map((r) => r.router.toString()),
    ).toEqual(['fe80::1']);
  });

  it('RFC 4191 3: maxRouteInfo 0 makes a type A/B host that ignores the option', () => {
    const env = setup({ params: { maxRouteInfo: 0 } });
    send(env, R1, {}, [rio('2001:db8:100::', 48, 'high', 60)]);
    expect(env.eng.routeInfos()).toEqual([]);
  });
});

describe('bounds under a flood', () => {
  it('10,000 distinct RAs keep routers, prefixes, addresses, routes and timers bounded', () => {
    const env = setup({ params: { maxDefaultRouters: 8, maxPrefixes: 16, maxRouteInfo: 4 } });
    for (let i = 0; i < 10_000; i++) {
      const src = Ipv6Address.fromGroups([0xfe80, 0, 0, 0, 0, 0, i >> 16, i & 0xffff]);
      const prefix = Ipv6Address.fromGroups([0x2001, 0xdb8, i >> 16, i & 0xffff, 0, 0, 0, 0]);
      send(env, src, { routerLifetime: 9000 }, [
        pio({ prefix }),
        {
          kind: 'routeInfo',
          prefix: Ipv6Address.fromGroups([0x2001, 0xdb9, i & 0xffff, 0, 0, 0, 0, 0]),
          prefixLength: 48,
          preference: 'medium',
          routeLifetime: 9000,
        },
      ]);
    }
    expect(env.eng.routers()).toHaveLength(8);
    expect(env.eng.prefixes()).toHaveLength(16);
    expect(env.eng.autoconfAddresses()).toHaveLength(16);
    expect(env.eng.routeInfos()).toHaveLength(4);
    expect(env.of('addAddress')).toHaveLength(16);
    expect(env.defaultRoute()).toHaveLength(1);
    expect(env.clock.pendingTimers).toBeLessThanOrEqual(8 + 16 + 2 * 16 + 4);
    expect(env.eng.stats.routerListFull).toBe(10_000 - 8);
    expect(env.eng.stats.prefixListFull).toBe(10_000 - 16);
  });

  it('a prefix remembers a bounded number of advertising routers', () => {
    const env = setup({ params: { maxAdvertisingRouters: 4 } });
    for (let i = 1; i <= 50; i++)
      send(env, Ipv6Address.fromGroups([0xfe80, 0, 0, 0, 0, 0, 0, i]), {}, [pio()]);
    expect(env.eng.prefixes()[0]?.advertisedBy).toHaveLength(4);
  });

  it('removeInterface() forgets everything learned on it and withdraws its routes', () => {
    const env = setup();
    send(env, R1, {}, [pio()]);
    env.eng.removeInterface(1);
    expect(env.eng.routers()).toEqual([]);
    expect(env.eng.prefixes()).toEqual([]);
    expect(env.routes).toEqual([]);
    expect(env.clock.pendingTimers).toBe(0);
  });
});
