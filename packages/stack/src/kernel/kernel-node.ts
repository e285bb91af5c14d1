import {
  Ipv6Address,
  Ipv6Prefix,
  MacAddress,
  embedScope,
  eui64FromMac,
  addressFromInterfaceId,
  needsScope,
  solicitedNodeMulticast,
} from '@kame/addr';
import { createHash } from 'node:crypto';
import type { Clock, Random, Timer } from '@kame/time';
import {
  ETHERTYPE_IPV6,
  ICMP6_PARAM_PROB,
  ICMP6_TIME_EXCEEDED,
  ICMP6_TIME_EXCEED_REASSEMBLY,
  IPPROTO_HOPOPTS,
  IPPROTO_ICMPV6,
  IPPROTO_UDP,
  ethernet,
  icmpv6,
  ipv6,
  type Icmpv6Repr,
  type NdOption,
  type RedirectRepr,
  type RouterAdvertRepr,
} from '@kame/wire';
import { NeighborCache } from '../nd6/neighbor-cache';
import { RoutingTable } from '../route/routing-table';
import { Reassembler } from '../frag6/reassembler';
import { Sysctl, type SysctlOptions } from '../sysctl/sysctl';
import { newIp6Stat, type Ip6Stat } from '../stats/ip6stat';
import { newIcmp6Stat, type Icmp6Stat } from '../stats/icmp6stat';
import { selectSourceAddress } from '../in6-src/kame-policy';
import { DadEngine } from '../nd6-dad/dad-engine';
import { Nd6RtrEngine, type Nd6Route } from '../nd6-rtr/nd6-rtr-engine';
import { Mld6Listener } from '../mld6/listener';
import { SocketLayer } from '../socket/socket-layer';
import { newUdp6Stat, type Udp6Stat } from '../stats/udp6stat';
import { udp6Input } from './udp6-input';
import { nd6RedirectInput } from './nd6-redirect';
import { icmp6Error } from './icmp6-error';
import { formatIfmcstat } from '../mld6/ifmcstat';
import { Icmp6RateLimiter } from '../icmp6/rate-limiter';
import { PathMtuCache } from '../icmp6/path-mtu-cache';
import type { SourceCandidate } from '../in6-src/candidate';
import {
  IFF_LOOPBACK,
  IFF_MULTICAST,
  IFF_POINTOPOINT,
  IFF_RUNNING,
  IFF_UP,
  Ifnet,
  type IfnetDriver,
  type LinkType,
} from './ifnet';
import {
  IN6_IFF_ANYCAST,
  IN6_IFF_AUTOCONF,
  IN6_IFF_DEPRECATED,
  IN6_IFF_DETACHED,
  IN6_IFF_DUPLICATED,
  IN6_IFF_TENTATIVE,
  type In6Ifaddr,
} from './in6-ifaddr';
import { ip6Input, type Ip6InputContext } from './ip6-input';
import { icmp6Send } from './icmp6-output';
import { sendNeighborSolicitation } from './nd6-nbr';
import { ifOutput, ip6Output } from './ip6-output';
import { KernelError } from './kernel-error';

/** RFC 4861 10: unsolicited NAs sent after a link-layer address change. */
const MAX_NEIGHBOR_ADVERTISEMENT = 3;

export interface KernelNodeOptions {
  name: string;
  clock: Clock;
  random: Random;
  sysctl?: SysctlOptions;
  /** Bound on routes (every table has a bound). */
  maxRoutes?: number;
  /** A log sink (syslog-like levels). */
  log?: (level: 'err' | 'warning' | 'notice' | 'info' | 'debug', message: string) => void;
}

export interface AddAddressOptions {
  flags?: number;
  /** Seconds; undefined = infinite. */
  validLifetime?: number;
  preferredLifetime?: number;
}

/**
 * One emulated KAME kernel (a "node"): interfaces and their addresses, the
 * routing table, per-interface neighbor caches, reassembly, sysctl and
 * statistics. Sans-I/O: frames arrive through `input()` and leave through
 * each interface's driver; time and randomness are injected.
 */
export class KernelNode {
  readonly name: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly sysctl: Sysctl;
  readonly routes: RoutingTable;
  readonly reassembler: Reassembler;
  /** ICMPv6 error (and Redirect) rate limit, net.inet6.icmp6.errppslimit (RFC 4443 2.4 f). */
  readonly icmp6RateLimiter: Icmp6RateLimiter;
  /** Path MTUs learned from Packet Too Big (RFC 8201). */
  readonly pmtu: PathMtuCache;
  readonly ip6stat: Ip6Stat = newIp6Stat();
  readonly icmp6stat: Icmp6Stat = newIcmp6Stat();
  readonly udp6stat: Udp6Stat = newUdp6Stat();
  /** UDP and raw sockets (the in-kernel half of the socket API). */
  readonly sockets: SocketLayer;
  readonly log: NonNullable<KernelNodeOptions['log']>;
  private readonly ifnets: Ifnet[] = [];
  private readonly byName = new Map<string, Ifnet>();
  private readonly byIndex = new Map<number, Ifnet>();
  /** if_index of the next interface: never reused, so a stale scope id cannot name a new interface. */
  private nextIfindex = 1;
  readonly lo0: Ifnet;
  /** Host routes created by Redirects (bounded by MAX_REDIRECT_ROUTES). */
  readonly redirectRoutes = new Set<string>();
  /** Host-side router discovery, prefix list and SLAAC (nd6_rtr.c). */
  readonly nd6: Nd6RtrEngine;

  constructor(options: KernelNodeOptions) {
    this.name = options.name;
    this.clock = options.clock;
    this.random = options.random;
    this.sysctl = new Sysctl(options.sysctl);
    this.log = options.log ?? (() => undefined);
    this.routes = new RoutingTable({ clock: this.clock, maxEntries: options.maxRoutes ?? 1_000_000 });
    this.reassembler = new Reassembler({
      clock: this.clock,
      limits: { maxFragPackets: this.sysctl.get('net.inet6.ip6.maxfragpackets') },
      // RFC 8200 4.5: Time Exceeded code 1 when reassembly gives up after fragment 0 came.
      timeExceeded: (first) =>
        this.icmp6ErrorFor(
          first,
          this.fragmentArrival(first),
          ICMP6_TIME_EXCEEDED,
          ICMP6_TIME_EXCEED_REASSEMBLY,
          0,
        ),
      parameterProblem: (packet, pointer, code) =>
        this.icmp6ErrorFor(packet, this.fragmentArrival(packet), ICMP6_PARAM_PROB, code, pointer),
    });
    this.icmp6RateLimiter = new Icmp6RateLimiter({
      clock: this.clock,
      limit: () => this.sysctl.get('net.inet6.icmp6.errppslimit'),
      stats: this.icmp6stat,
    });
    this.pmtu = new PathMtuCache({ clock: this.clock, stats: this.icmp6stat });
    this.nd6 = this.newNd6RtrEngine();
    this.sockets = this.newSocketLayer();
    this.registerProtocol(IPPROTO_UDP, (ctx) => udp6Input(this, ctx));
    // Raw ICMPv6 sockets get a copy of every valid ICMPv6 message (ICMP6_FILTER applies).
    this.tapIcmp6((ctx, m) => {
      void m;
      this.sockets.rawInput({
        proto: IPPROTO_ICMPV6,
        src: ctx.hdr.src,
        dst: ctx.hdr.dst,
        ifindex: ctx.ifp.index,
        hopLimit: ctx.hdr.hopLimit,
        payload: ctx.packet.subarray(ctx.offset),
        icmpType: ctx.packet[ctx.offset]!,
      });
    });
    this.lo0 = this.createLoopback();
    this.raHandler = (ifp, src, ra) => void this.nd6.onRouterAdvertisement(ifp.index, src, ra);
    this.redirectHandler = (ifp, src, rd) => nd6RedirectInput(this, ifp, src, rd);
    this.mldHandler = (ifp, src, _dst, m) => ifp.mld?.input(m, src);
    this.dadHandler = (ifp, target, kind, srcUnspecified, options) => {
      if (!ifp.dad) return;
      if (kind === 'na') ifp.dad.onNeighborAdvertisement(target);
      else {
        const nonce = options.find((o) => o.kind === 'nonce');
        ifp.dad.onNeighborSolicitation(
          target,
          srcUnspecified,
          nonce?.kind === 'nonce' ? nonce.nonce : undefined,
        );
      }
    };
  }

  // ---- interfaces ----------------------------------------------------------

  interfaces(): readonly Ifnet[] {
    return this.ifnets;
  }

  ifnet(nameOrIndex: string | number): Ifnet | undefined {
    return typeof nameOrIndex === 'number' ? this.byIndex.get(nameOrIndex) : this.byName.get(nameOrIndex);
  }

  /** Attaches an Ethernet interface (down until `ifUp`). */
  attachEthernet(name: string, mac: MacAddress, driver: IfnetDriver, mtu = 1500): Ifnet {
    const ifp = this.newIfnet(name, 'ether', mac, mtu, IFF_MULTICAST, driver);
    ifp.neighbors = this.newNeighborCache(ifp);
    ifp.dad = this.newDadEngine(ifp);
    ifp.mld = this.newMldListener(ifp);
    this.nd6.addInterface(ifp.index, { name, maxMtu: mtu, interfaceId: eui64FromMac(mac) });
    this.announce(ifp, 'arrival');
    return ifp;
  }

  /**
   * ifconfig up (IMPLEMENTATION 1.4.1): marks the interface UP and RUNNING,
   * assigns the EUI-64 link-local address with its fe80::/64 connected
   * route, and joins ff02::1 (and each address's solicited-node group).
   */
  ifUp(name: string): void {
    const ifp = this.mustIfnet(name);
    if (ifp.up) return;
    ifp.flags |= IFF_UP | IFF_RUNNING;
    this.announceIfinfo(ifp);
    if (ifp.isLoopback) return;
    ifp.dad?.interfaceUp();
    this.joinGroup(ifp, Ipv6Address.parse('ff02::1'));
    const iid = ifp.lladdr ? eui64FromMac(ifp.lladdr) : ifp.pseudoIid;
    if (iid && !ifp.addresses.some((a) => a.address.isLinkLocal())) {
      this.addAddress(ifp.name, addressFromInterfaceId(Ipv6Address.parse('fe80::'), iid), 64);
    }
    // Addresses configured while down run DAD now (RFC 4862 5.4).
    for (const ia of ifp.addresses) if (ia.flags & IN6_IFF_TENTATIVE) ifp.dad?.start(ia.address);
  }

  ifDown(name: string): void {
    const ifp = this.mustIfnet(name);
    if (!ifp.up) return;
    ifp.flags &= ~(IFF_UP | IFF_RUNNING);
    this.announceIfinfo(ifp);
  }

  /** SIOCSIFMTU. Lo0 may go above 65535 (IMPLEMENTATION 1.7, KAME's LARGE_LOMTU). */
  setMtu(name: string, mtu: number): void {
    const ifp = this.mustIfnet(name);
    const max = ifp.isLoopback ? 0x7fffffff : 65535;
    if (!Number.isInteger(mtu) || mtu < 1280 || mtu > max)
      throw new KernelError('EINVAL', `MTU ${mtu} out of range 1280..${max}`);
    ifp.mtu = mtu;
    this.announceIfinfo(ifp);
  }

  /**
   * A new link-layer address (SIOCSIFLLADDR): neighbors are told with
   * unsolicited, overriding NAs for every address, MAX_NEIGHBOR_ADVERTISEMENT
   * (3) times RetransTimer apart (RFC 4861 7.2.6).
   */
  setLladdr(name: string, mac: MacAddress): void {
    const ifp = this.mustIfnet(name);
    if (ifp.linkType !== 'ether')
      throw new KernelError('EINVAL', `${name} has no settable link-layer address`);
    ifp.lladdr = mac;
    this.announceIfinfo(ifp);
    if (!ifp.running) return;
    const announce = (left: number) => {
      for (const ia of ifp.addresses) {
        if (ia.flags & (IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED)) continue;
        icmp6Send(this, {
          src: ia.address,
          dst: Ipv6Address.parse('ff02::1'),
          ifindex: ifp.index,
          hopLimit: 255,
          message: {
            kind: 'neighborAdvert',
            code: 0,
            router: this.sysctl.get('net.inet6.ip6.forwarding') === 1,
            solicited: false,
            override: !(ia.flags & IN6_IFF_ANYCAST),
            target: ia.address,
            options: [{ kind: 'targetLinkAddr', linkAddr: mac }],
          },
        });
      }
      if (left > 1) this.clock.setTimer(ifp.nd.retrans, () => announce(left - 1));
    };
    announce(MAX_NEIGHBOR_ADVERTISEMENT);
  }

  /**
   * A pseudo-interface (gif, faith): no link-layer address of its own, so its
   * link-local interface id is borrowed from the first Ethernet interface, or
   * made from MD5(hostname) when there is none (IMPLEMENTATION 1.4.1).
   */
  attachPseudo(name: string, type: 'gif' | 'faith', mtu = 1280): Ifnet {
    const ifp = this.newIfnet(name, type, undefined, mtu, IFF_MULTICAST | IFF_POINTOPOINT, undefined);
    ifp.pseudoIid = this.borrowedInterfaceId();
    this.announce(ifp, 'arrival');
    return ifp;
  }

  /**
   * ifconfig NAME destroy (SIOCIFDESTROY): only cloned pseudo-interfaces
   * (gif, faith) can go. The interface is taken down, its addresses, the
   * routes through it and its multicast memberships are removed, and
   * RTM_IFANNOUNCE tells routing sockets it departed.
   */
  destroyInterface(name: string): void {
    const ifp = this.mustIfnet(name);
    if (ifp.linkType !== 'gif' && ifp.linkType !== 'faith')
      throw new KernelError('EINVAL', `${name} is not a cloned interface`);
    this.ifDown(name);
    for (const ia of [...ifp.addresses]) this.deleteAddress(name, ia.address);
    for (const rt of this.routes.list()) {
      if (rt.ifindex !== ifp.index) continue;
      try {
        this.routes.delete(rt.dst);
      } catch {
        // Already gone with an address.
      }
    }
    ifp.multicast.clear();
    this.ifnets.splice(this.ifnets.indexOf(ifp), 1);
    this.byName.delete(name);
    this.byIndex.delete(ifp.index);
    this.announce(ifp, 'departure');
  }

  private announce(ifp: Ifnet, what: 'arrival' | 'departure'): void {
    this.routes.bus.publish({
      type: 'RTM_IFANNOUNCE',
      pid: 0,
      owner: 'kernel',
      ifindex: ifp.index,
      ifname: ifp.name,
      what,
      flags: 0,
    });
  }

  private borrowedInterfaceId(): Uint8Array {
    const ether = this.ifnets.find((i) => i.linkType === 'ether' && i.lladdr);
    if (ether?.lladdr) return eui64FromMac(ether.lladdr);
    // MD5(hostname): take 8 bytes and clear the U/L bit (a local id, RFC 4291 App. A).
    const id = createHash('md5').update(this.name).digest().subarray(0, 8);
    id[0]! &= ~0x02;
    return Uint8Array.from(id);
  }

  private announceIfinfo(ifp: Ifnet): void {
    this.routes.bus.publish({
      type: 'RTM_IFINFO',
      pid: 0,
      owner: 'kernel',
      ifindex: ifp.index,
      flags: ifp.flags,
      linkState: ifp.running ? 'up' : 'down',
      mtu: ifp.mtu,
    });
  }

  // ---- addresses (SIOCAIFADDR_IN6 / SIOCDIFADDR_IN6) ----------------------

  addAddress(
    ifname: string,
    address: Ipv6Address,
    prefixLength: number,
    opts: AddAddressOptions = {},
  ): In6Ifaddr {
    const ifp = this.mustIfnet(ifname);
    if (prefixLength < 0 || prefixLength > 128)
      throw new KernelError('EINVAL', `bad prefix length ${prefixLength}`);
    if (address.isMulticast() || address.isUnspecified()) {
      throw new KernelError('EINVAL', `${address} cannot be an interface address`);
    }
    if (ifp.addresses.some((a) => a.address.equals(address))) {
      throw new KernelError('EEXIST', `${address} already on ${ifname}`);
    }
    const now = this.clock.now();
    const ia: In6Ifaddr = {
      address,
      prefixLength,
      ifindex: ifp.index,
      flags: opts.flags ?? 0,
      validUntil: opts.validLifetime === undefined ? undefined : now + opts.validLifetime * 1000,
      preferredUntil: opts.preferredLifetime === undefined ? undefined : now + opts.preferredLifetime * 1000,
    };
    // RFC 4862 5.4: a new unicast address is tentative until DAD says it is unique
    // (not anycast, and not when DupAddrDetectTransmits is 0).
    const dad =
      ifp.dad !== undefined &&
      !(ia.flags & IN6_IFF_ANYCAST) &&
      this.sysctl.get('net.inet6.ip6.dad_count') > 0;
    if (dad) ia.flags |= IN6_IFF_TENTATIVE;
    ifp.addresses.push(ia);
    // RFC 4862 5.4.2: join the solicited-node group before the first probe.
    if (!ifp.isLoopback) this.joinGroup(ifp, solicitedNodeMulticast(address));
    if (dad && ifp.up) ifp.dad!.start(address);
    if (!(ia.flags & IN6_IFF_AUTOCONF)) this.armLifetimes(ifp, ia);
    if (prefixLength < 128 && !ifp.isLoopback) {
      const dst = Ipv6Prefix.of(this.routeKey(address, ifp.index), prefixLength);
      if (!this.routes.get(dst)) {
        this.routes.add({ dst, gateway: { kind: 'link', ifindex: ifp.index }, ifindex: ifp.index });
      }
    }
    this.routes.bus.publish({
      type: 'RTM_NEWADDR',
      pid: 0,
      owner: 'kernel',
      ifindex: ifp.index,
      address: this.routeKey(address, ifp.index),
      prefixLength,
      flags: ia.flags,
      metric: 0,
    });
    return ia;
  }

  deleteAddress(ifname: string, address: Ipv6Address): void {
    const ifp = this.mustIfnet(ifname);
    const i = ifp.addresses.findIndex((a) => a.address.equals(address));
    if (i < 0) throw new KernelError('EADDRNOTAVAIL', `${address} not on ${ifname}`);
    const [ia] = ifp.addresses.splice(i, 1);
    ifp.dad?.stop(address);
    if (ia) {
      this.lifetimeTimers.get(ia)?.forEach((t) => t.cancel());
      this.lifetimeTimers.delete(ia);
      this.routes.bus.publish({
        type: 'RTM_DELADDR',
        pid: 0,
        owner: 'kernel',
        ifindex: ifp.index,
        address: this.routeKey(address, ifp.index),
        prefixLength: ia.prefixLength,
        flags: ia.flags,
        metric: 0,
      });
    }
    if (!ifp.isLoopback) this.leaveGroup(ifp, solicitedNodeMulticast(address));
    if (ia && ia.prefixLength < 128) {
      const dst = Ipv6Prefix.of(this.routeKey(address, ifp.index), ia.prefixLength);
      const other = ifp.addresses.some(
        (a) => a.prefixLength === ia.prefixLength && dst.contains(this.routeKey(a.address, ifp.index)),
      );
      if (!other && this.routes.get(dst)) this.routes.delete(dst);
    }
  }

  /** The interface address equal to `addr` (on `ifp` for link-local), if any. */
  findAddress(addr: Ipv6Address, ifp?: Ifnet): In6Ifaddr | undefined {
    const scoped = addr.isLinkLocal() || addr.isLoopback();
    const list = scoped && ifp ? [ifp] : this.ifnets;
    for (const i of list) for (const a of i.addresses) if (a.address.equals(addr)) return a;
    return undefined;
  }

  // ---- multicast membership ------------------------------------------------

  joinGroup(ifp: Ifnet, group: Ipv6Address): void {
    const k = group.toString();
    ifp.multicast.set(k, (ifp.multicast.get(k) ?? 0) + 1);
    ifp.mld?.join(group);
  }

  leaveGroup(ifp: Ifnet, group: Ipv6Address): void {
    const k = group.toString();
    const n = (ifp.multicast.get(k) ?? 0) - 1;
    if (n < 0) return;
    if (n > 0) ifp.multicast.set(k, n);
    else ifp.multicast.delete(k);
    ifp.mld?.leave(group);
  }

  isMember(ifp: Ifnet, group: Ipv6Address): boolean {
    return ifp.multicast.has(group.toString());
  }

  // ---- input ---------------------------------------------------------------

  /** A frame arrives on interface `ifindex` from its driver. */
  input(ifindex: number, frame: Uint8Array): void {
    const ifp = this.ifnet(ifindex);
    if (!ifp || !ifp.running) return;
    ifp.counters.ipackets++;
    ifp.counters.ibytes += frame.length;
    let eth;
    try {
      eth = ethernet.parse(frame);
    } catch {
      ifp.counters.ierrors++;
      return;
    }
    const toUs = ifp.lladdr !== undefined && eth.dst.equals(ifp.lladdr);
    if (!toUs && !eth.dst.isMulticast()) {
      ifp.counters.iqdrops++;
      return;
    }
    if (eth.etherType !== ETHERTYPE_IPV6) {
      ifp.counters.iqdrops++;
      return;
    }
    ip6Input(this, ifp, eth.payload, eth.dst.isMulticast(), eth.src);
  }

  // ---- protocol hooks (ip6protosw and the ND/MLD engines attach here) ------

  private readonly protosw = new Map<number, (ctx: Ip6InputContext) => void>();
  private readonly icmp6Taps = new Set<(ctx: Ip6InputContext, m: Icmpv6Repr) => void>();
  /** Host RA processing (nd6_ra_input), set by the router-discovery engine. */
  raHandler: ((ifp: Ifnet, src: Ipv6Address, ra: RouterAdvertRepr) => void) | undefined;
  /** Redirect processing (icmp6_redirect_input). */
  redirectHandler: ((ifp: Ifnet, src: Ipv6Address, rd: RedirectRepr) => void) | undefined;
  /** MLD processing (mld6_input). */
  mldHandler: ((ifp: Ifnet, src: Ipv6Address, dst: Ipv6Address, m: Icmpv6Repr) => void) | undefined;
  /** DAD input: a message about a tentative address (nd6_dad_ns_input / nd6_dad_na_input). */
  dadHandler:
    | ((
        ifp: Ifnet,
        target: Ipv6Address,
        kind: 'ns' | 'na',
        srcUnspecified: boolean,
        options: readonly NdOption[],
      ) => void)
    | undefined;

  /** Registers an upper-layer input routine for a Next Header value (ip6protosw). */
  registerProtocol(nextHeader: number, input: (ctx: Ip6InputContext) => void): void {
    this.protosw.set(nextHeader, input);
  }

  /**
   * Delivers to a registered protocol, else to raw sockets bound to that
   * protocol (rip6_input); false when nobody takes it.
   */
  protocolInput(nextHeader: number, ctx: Ip6InputContext): boolean {
    const f = this.protosw.get(nextHeader);
    if (f) {
      f(ctx);
      return true;
    }
    const copies = this.sockets.rawInput({
      proto: nextHeader,
      src: ctx.hdr.src,
      dst: ctx.hdr.dst,
      ifindex: ctx.ifp.index,
      hopLimit: ctx.hdr.hopLimit,
      payload: ctx.packet.subarray(ctx.offset),
    });
    return copies > 0;
  }

  /** Every valid ICMPv6 message is offered here (raw ICMPv6 sockets). */
  tapIcmp6(listener: (ctx: Ip6InputContext, m: Icmpv6Repr) => void): () => void {
    this.icmp6Taps.add(listener);
    return () => this.icmp6Taps.delete(listener);
  }

  rawIcmp6Input(ctx: Ip6InputContext, m: Icmpv6Repr): void {
    for (const t of this.icmp6Taps) t(ctx, m);
  }

  routerAdvertInput(ifp: Ifnet, src: Ipv6Address, ra: RouterAdvertRepr): void {
    this.raHandler?.(ifp, src, ra);
  }

  redirectInput(ifp: Ifnet, src: Ipv6Address, rd: RedirectRepr): void {
    this.redirectHandler?.(ifp, src, rd);
  }

  mldInput(ifp: Ifnet, src: Ipv6Address, dst: Ipv6Address, m: Icmpv6Repr): void {
    this.mldHandler?.(ifp, src, dst, m);
  }

  /**
   * A NS or NA about one of our tentative addresses. Without a DAD engine
   * attached, any such message from another node marks it duplicated
   * (IMPLEMENTATION 1.2: marked and logged).
   */
  dadInput(
    ifp: Ifnet,
    target: Ipv6Address,
    kind: 'ns' | 'na',
    srcUnspecified: boolean,
    options: readonly NdOption[],
  ): void {
    if (this.dadHandler) return this.dadHandler(ifp, target, kind, srcUnspecified, options);
    const ia = ifp.addresses.find((a) => a.address.equals(target));
    if (!ia) return;
    this.setAddressFlags(ifp, ia, (ia.flags & ~IN6_IFF_TENTATIVE) | IN6_IFF_DUPLICATED);
    this.log('err', `${ifp.name}: DAD detected duplicate IPv6 address ${target}`);
  }

  /**
   * RFC 4861 8.2: a router forwarding a packet back out of the interface it
   * came in on tells the on-link source about the better first hop.
   */
  sendRedirect(ifp: Ifnet, ctx: Ip6InputContext, nexthop: Ipv6Address): void {
    const { hdr } = ctx;
    // Only to a neighbor that sent from an address we can identify on-link.
    if (hdr.src.isUnspecified() || hdr.src.isMulticast()) return;
    const srcRoute = this.routes.lookup(hdr.src.isLinkLocal() ? this.routeKey(hdr.src, ifp.index) : hdr.src);
    if (
      !hdr.src.isLinkLocal() &&
      (!srcRoute || srcRoute.gateway.kind !== 'link' || srcRoute.ifindex !== ifp.index)
    )
      return;
    if (!this.icmp6RateLimiter.allow()) return;
    const target = nexthop;
    const options: NdOption[] = [];
    const known = ifp.neighbors?.lookup(target);
    if (known?.lladdr) options.push({ kind: 'targetLinkAddr', linkAddr: known.lladdr });
    // The redirected header quotes the packet so the whole redirect fits in 1280 bytes.
    const room = 1280 - 40 - 40 - (options.length ? 8 : 0) - 8;
    const quoted = ctx.packet.subarray(0, Math.max(0, Math.min(ctx.packet.length, room - (room % 8))));
    options.push({ kind: 'redirectedHeader', packet: quoted });
    // RFC 4861 8.2: from the router's link-local address, so hosts can match it to their first hop.
    const ll = ifp.addresses.find(
      (a) => a.address.isLinkLocal() && !(a.flags & (IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED)),
    );
    if (!ll) return;
    const err = icmp6Send(this, {
      src: ll.address,
      dst: hdr.src,
      ifindex: ifp.index,
      hopLimit: 255,
      message: { kind: 'redirect', code: 0, target, destination: hdr.dst, options },
    });
    if (!err) this.ip6stat.ip6s_redirectsent++;
  }

  /** Where fragments from a source arrived (for errors about them); bounded. */
  private readonly fragmentIfs = new Map<string, Ifnet>();

  /** Notes the arrival interface of a fragment (ip6_input calls this before frag6). */
  noteFragmentArrival(ifp: Ifnet, packet: Uint8Array): void {
    const k = fragmentKey(packet);
    this.fragmentIfs.delete(k);
    this.fragmentIfs.set(k, ifp);
    if (this.fragmentIfs.size > 1024) this.fragmentIfs.delete(this.fragmentIfs.keys().next().value!);
  }

  private fragmentArrival(packet: Uint8Array): Ifnet | undefined {
    return this.fragmentIfs.get(fragmentKey(packet));
  }

  /** An ICMPv6 error about a packet outside the input loop (frag6 callbacks). */
  private icmp6ErrorFor(
    packet: Uint8Array,
    ifp: Ifnet | undefined,
    type: number,
    code: number,
    param: number,
  ): void {
    if (!ifp || packet.length < 40) return;
    let hdr;
    try {
      hdr = ipv6.parse(packet);
    } catch {
      return;
    }
    icmp6Error(
      this,
      { ifp, packet, hdr, offset: 40, linkMulticast: false, srcMac: undefined },
      type,
      code,
      param,
    );
  }

  /** ifmcstat(8): each interface's addresses and joined groups with reference counts. */
  ifmcstat(): string {
    return formatIfmcstat(
      this.ifnets
        .filter((i) => i.mld !== undefined)
        .map((i) => ({
          name: i.name,
          addresses: i.addresses.map((a) => a.address),
          memberships: i.mld!.memberships(),
        })),
    );
  }

  // ---- helpers used by the protocol files ----------------------------------

  /** Routing-table key: scoped addresses carry the interface index (IMPLEMENTATION 1.3.1). */
  routeKey(addr: Ipv6Address, ifindex: number): Ipv6Address {
    return needsScope(addr) ? embedScope(addr, ifindex) : addr;
  }

  /** Source address selection (IMPLEMENTATION 1.6) over this node's addresses. */
  selectSource(dst: Ipv6Address, outgoingIfindex: number | undefined): Ipv6Address | undefined {
    const candidates: SourceCandidate[] = [];
    for (const ifp of this.ifnets) {
      for (const a of ifp.addresses) {
        candidates.push({
          address: this.routeKey(a.address, ifp.index),
          ifindex: ifp.index,
          prefixLength: a.prefixLength,
          flags: {
            tentative: (a.flags & IN6_IFF_TENTATIVE) !== 0,
            duplicated: (a.flags & IN6_IFF_DUPLICATED) !== 0,
            deprecated: (a.flags & IN6_IFF_DEPRECATED) !== 0,
            anycast: (a.flags & IN6_IFF_ANYCAST) !== 0,
            detached: (a.flags & IN6_IFF_DETACHED) !== 0,
          },
        });
      }
    }
    const r = selectSourceAddress({
      destination: outgoingIfindex !== undefined ? this.routeKey(dst, outgoingIfindex) : dst,
      ...(outgoingIfindex !== undefined ? { outgoingIfindex } : {}),
      candidates,
      useDeprecated: this.sysctl.get('net.inet6.ip6.use_deprecated'),
    });
    if (!r.ok) return undefined;
    // Candidates are in kernel form; hand back the wire form.
    return this.findAddressByKey(r.address);
  }

  private findAddressByKey(key: Ipv6Address): Ipv6Address | undefined {
    for (const ifp of this.ifnets) {
      for (const a of ifp.addresses) if (this.routeKey(a.address, ifp.index).equals(key)) return a.address;
    }
    return undefined;
  }

  mustIfnet(name: string | number): Ifnet {
    const ifp = this.ifnet(name);
    if (!ifp) throw new KernelError('ENXIO', `no such interface: ${name}`);
    return ifp;
  }

  private newIfnet(
    name: string,
    type: LinkType,
    mac: MacAddress | undefined,
    mtu: number,
    flags: number,
    driver: IfnetDriver | undefined,
  ): Ifnet {
    if (this.byName.has(name)) throw new KernelError('EEXIST', `interface ${name} exists`);
    if (!/^[A-Za-z][A-Za-z0-9.\-_]{0,14}$/.test(name))
      throw new KernelError('EINVAL', `bad interface name ${name}`);
    const ifp = new Ifnet(name, this.nextIfindex++, type, mac, mtu, flags, driver);
    this.ifnets.push(ifp);
    this.byName.set(name, ifp);
    this.byIndex.set(ifp.index, ifp);
    return ifp;
  }

  /** lo0 (IMPLEMENTATION 1.4.1): ::1/128, fe80::1, routes ::1/128 and ff01::/32, joined to ff01::1. */
  private createLoopback(): Ifnet {
    const lo = this.newIfnet('lo0', 'loop', undefined, 16384, IFF_LOOPBACK | IFF_MULTICAST, undefined);
    lo.flags |= IFF_UP | IFF_RUNNING;
    this.addAddress('lo0', Ipv6Address.LOOPBACK, 128);
    this.addAddress('lo0', Ipv6Address.parse('fe80::1'), 64);
    this.routes.add({
      dst: Ipv6Prefix.parse('::1/128'),
      gateway: { kind: 'link', ifindex: lo.index },
      ifindex: lo.index,
    });
    this.routes.add({
      dst: Ipv6Prefix.parse('ff01::/32'),
      gateway: { kind: 'link', ifindex: lo.index },
      ifindex: lo.index,
    });
    this.routes.add({
      dst: Ipv6Prefix.of(embedScope(Ipv6Address.parse('fe80::'), lo.index), 64),
      gateway: { kind: 'link', ifindex: lo.index },
      ifindex: lo.index,
    });
    this.joinGroup(lo, Ipv6Address.parse('ff01::1'));
    this.joinGroup(lo, Ipv6Address.parse('ff02::1'));
    return lo;
  }

  private readonly lifetimeTimers = new Map<In6Ifaddr, Timer[]>();

  /**
   * Sets an address's IN6_IFF_* flags; a change is announced with RTM_NEWADDR
   * (as FreeBSD does when DAD completes), so routing sockets and IPC mirrors
   * see tentative -> ready, duplicated and deprecated without polling.
   */
  private setAddressFlags(ifp: Ifnet, ia: In6Ifaddr, flags: number): void {
    if (ia.flags === flags) return;
    ia.flags = flags;
    if (!ifp.addresses.includes(ia)) return;
    this.routes.bus.publish({
      type: 'RTM_NEWADDR',
      pid: 0,
      owner: 'kernel',
      ifindex: ifp.index,
      address: this.routeKey(ia.address, ifp.index),
      prefixLength: ia.prefixLength,
      flags: ia.flags,
      metric: 0,
    });
  }

  /** Address lifetimes count down on the clock: deprecated, then removed (RFC 4862 5.5.4). */
  private armLifetimes(ifp: Ifnet, ia: In6Ifaddr): void {
    const now = this.clock.now();
    const timers: Timer[] = [];
    if (ia.preferredUntil !== undefined) {
      timers.push(
        this.clock.setTimer(Math.max(0, ia.preferredUntil - now), () => {
          this.setAddressFlags(ifp, ia, ia.flags | IN6_IFF_DEPRECATED);
        }),
      );
    }
    if (ia.validUntil !== undefined) {
      timers.push(
        this.clock.setTimer(Math.max(0, ia.validUntil - now), () => {
          if (ifp.addresses.includes(ia)) this.deleteAddress(ifp.name, ia.address);
        }),
      );
    }
    if (timers.length) this.lifetimeTimers.set(ia, timers);
  }

  private newDadEngine(ifp: Ifnet): DadEngine {
    return new DadEngine({
      clock: this.clock,
      random: this.random,
      ifname: ifp.name,
      sysctl: this.sysctl,
      retransTimer: () => ifp.neighbors?.retransTimer ?? ifp.nd.retrans,
      interfaceComingUp: true,
      port: {
        sendSolicitation: (target, _dst, nonce) =>
          sendNeighborSolicitation(this, ifp, target, undefined, true, nonce),
        dadSucceeded: (address) => {
          const ia = ifp.addresses.find((a) => a.address.equals(address));
          if (ia) this.setAddressFlags(ifp, ia, ia.flags & ~IN6_IFF_TENTATIVE);
        },
        dadFailed: (address) => {
          const ia = ifp.addresses.find((a) => a.address.equals(address));
          if (ia) this.setAddressFlags(ifp, ia, (ia.flags & ~IN6_IFF_TENTATIVE) | IN6_IFF_DUPLICATED);
        },
        log: (level, message) => this.log(level, message),
      },
    });
  }

  /**
   * The MLD host part of one interface. Reports go out with hop limit 1 and a
   * Router Alert (RFC 2710 3, RFC 3810 5), from the link-local address, or
   * from :: while none is usable yet (RFC 3590).
   */
  private newMldListener(ifp: Ifnet): Mld6Listener {
    return new Mld6Listener({
      clock: this.clock,
      random: this.random,
      joinAllNodes: false,
      output: {
        send: (message, destination) => {
          const ll = ifp.addresses.find(
            (a) => a.address.isLinkLocal() && !(a.flags & (IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED)),
          );
          const src = ll?.address ?? Ipv6Address.UNSPECIFIED;
          ip6Output(this, {
            src,
            dst: destination,
            ifindex: ifp.index,
            hopLimit: 1,
            nextHeader: IPPROTO_HOPOPTS,
            multicastLoop: false,
            payload: (s, d) => withRouterAlert(icmpv6.encode(message, { src: s, dst: d })),
          });
        },
      },
    });
  }

  private newNd6RtrEngine(): Nd6RtrEngine {
    const routeOf = (r: Nd6Route) => ({
      dst: r.prefix,
      gateway: r.gateway
        ? ({ kind: 'inet6', address: embedScope(r.gateway, r.ifindex) } as const)
        : ({ kind: 'link', ifindex: r.ifindex } as const),
      ifindex: r.ifindex,
      owner: r.owner,
    });
    return new Nd6RtrEngine({
      clock: this.clock,
      sysctl: this.sysctl,
      port: {
        isReachable: (router, ifindex) => {
          const e = this.ifnet(ifindex)?.neighbors?.lookup(router);
          return e !== undefined && e.state !== 'INCOMPLETE';
        },
        setCurHopLimit: (i, n) => void (this.mustIfnet(i).nd.chlim = n),
        setBaseReachableTime: (i, ms) => {
          const ifp = this.mustIfnet(i);
          ifp.nd.basereachable = ms;
          ifp.neighbors?.setBaseReachableTime(ms);
        },
        setRetransTimer: (i, ms) => {
          const ifp = this.mustIfnet(i);
          ifp.nd.retrans = ms;
          ifp.neighbors?.setRetransTimer(ms);
        },
        setLinkMtu: (i, mtu) => void (this.mustIfnet(i).nd.linkmtu = mtu),
        addAddress: (i, address, plen, o) => {
          const ifp = this.mustIfnet(i);
          if (ifp.addresses.some((a) => a.address.equals(address))) return false;
          this.addAddress(ifp.name, address, plen, {
            flags: IN6_IFF_AUTOCONF,
            ...(Number.isFinite(o.validLifetime) ? { validLifetime: o.validLifetime } : {}),
            ...(Number.isFinite(o.preferredLifetime) ? { preferredLifetime: o.preferredLifetime } : {}),
          });
          return true;
        },
        setAddressLifetimes: (i, address, l) => {
          const ia = this.mustIfnet(i).addresses.find((a) => a.address.equals(address));
          if (!ia) return;
          const now = this.clock.now();
          ia.validUntil = Number.isFinite(l.validLifetime) ? now + l.validLifetime * 1000 : undefined;
          ia.preferredUntil = Number.isFinite(l.preferredLifetime)
            ? now + l.preferredLifetime * 1000
            : undefined;
        },
        setAddressFlags: (i, address, f) => {
          const ifp = this.mustIfnet(i);
          const ia = ifp.addresses.find((a) => a.address.equals(address));
          if (ia)
            this.setAddressFlags(
              ifp,
              ia,
              f.deprecated ? ia.flags | IN6_IFF_DEPRECATED : ia.flags & ~IN6_IFF_DEPRECATED,
            );
        },
        deleteAddress: (i, address) => {
          const ifp = this.mustIfnet(i);
          if (ifp.addresses.some((a) => a.address.equals(address))) this.deleteAddress(ifp.name, address);
        },
        addRoute: (r) => {
          const spec = routeOf(r);
          if (this.routes.get(r.prefix)) this.routes.change(r.prefix, spec);
          else this.routes.add(spec);
        },
        deleteRoute: (r) => {
          const cur = this.routes.get(r.prefix);
          if (cur && cur.owner === r.owner) this.routes.delete(r.prefix);
        },
        log: (level, message) => this.log(level, `${message}`),
      },
    });
  }

  private newSocketLayer(): SocketLayer {
    return new SocketLayer({
      random: this.random,
      sysctl: this.sysctl,
      udp6stat: this.udp6stat,
      port: {
        output: (req) => {
          const r =
            ip6Output(this, {
              src: req.src,
              dst: req.dst,
              ...(req.ifindex !== undefined ? { ifindex: req.ifindex } : {}),
              ...(req.hopLimit !== undefined ? { hopLimit: req.hopLimit } : {}),
              ...(req.multicastLoop !== undefined ? { multicastLoop: req.multicastLoop } : {}),
              ...(req.trafficClass !== undefined ? { trafficClass: req.trafficClass } : {}),
              nextHeader: req.nextHeader,
              payload: req.payload,
            }) ?? 'ok';
          // Raw ICMPv6 output counts in the icmp6 output histogram (KAME rip6_output).
          if (r === 'ok' && req.nextHeader === IPPROTO_ICMPV6 && req.payload.length > 0)
            this.icmp6stat.icp6s_outhist[req.payload[0]!]!++;
          return r;
        },
        selectSource: (dst, ifindex) =>
          this.selectSource(dst, ifindex ?? this.outgoingIfindex(dst)) ?? 'EADDRNOTAVAIL',
        isLocalAddress: (addr, ifindex) =>
          this.findAddress(addr, ifindex ? this.ifnet(ifindex) : undefined) !== undefined,
        joinGroup: (ifindex, group) => {
          const ifp = this.ifnet(ifindex);
          if (!ifp) return 'ENXIO';
          this.joinGroup(ifp, group);
          return 'ok';
        },
        leaveGroup: (ifindex, group) => {
          const ifp = this.ifnet(ifindex);
          if (ifp) this.leaveGroup(ifp, group);
        },
        ifindexByName: (name) => this.ifnet(name)?.index,
        hasInterface: (ifindex) => this.ifnet(ifindex) !== undefined,
        ifnameByIndex: (ifindex) => this.ifnet(ifindex)?.name,
        defaultMulticastInterface: (group) => this.outgoingIfindex(group),
      },
    });
  }

  /** The interface a route lookup picks for `dst` (unscoped destinations only). */
  outgoingIfindex(dst: Ipv6Address): number | undefined {
    if (dst.isLinkLocal()) return undefined;
    const rt = this.routes.lookup(dst);
    if (rt) return rt.ifindex;
    if (dst.isMulticast()) return this.ifnets.find((i) => !i.isLoopback && i.running)?.index;
    return undefined;
  }

  private newNeighborCache(ifp: Ifnet): NeighborCache<Uint8Array> {
    return new NeighborCache<Uint8Array>({
      clock: this.clock,
      random: this.random,
      params: {
        maxQueuedPerEntry: Math.max(1, this.sysctl.get('net.inet6.icmp6.nd6_maxqueuelen')),
        maxMulticastSolicit: this.sysctl.get('net.inet6.icmp6.nd6_mmaxtries'),
        maxUnicastSolicit: this.sysctl.get('net.inet6.icmp6.nd6_umaxtries'),
      },
      output: {
        sendNeighborSolicitation: (target, dest) =>
          sendNeighborSolicitation(this, ifp, target, dest.unicastTo),
        transmit: (packet, lladdr) => ifOutput(this, ifp, packet, lladdr),
        resolutionFailed: (_target, dropped) => {
          this.ip6stat.ip6s_odropped += dropped.length;
        },
        isRouterChanged: (target, wasRouter) => {
          if (wasRouter) this.nd6.routerGone(ifp.index, target);
        },
      },
    });
  }
}

/**
 * A Hop-by-Hop header with the Router Alert option (RFC 2711; value 0: MLD)
 * in front of an ICMPv6 message: next header 58, length 0, Router Alert
 * (type 5, length 2, value 0), PadN of 2 octets.
 */
function withRouterAlert(icmp: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + icmp.length);
  out.set([58, 0, 5, 2, 0, 0, 1, 0]);
  out.set(icmp, 8);
  return out;
}

/** Source address and fragment identification bytes of a fragment packet, as a key. */
function fragmentKey(packet: Uint8Array): string {
  let k = '';
  for (let i = 8; i < 24 && i < packet.length; i++) k += String.fromCharCode(packet[i]!);
  return k;
}
