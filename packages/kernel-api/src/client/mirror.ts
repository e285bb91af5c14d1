import { Ipv4Address, Ipv6Address, MacAddress } from '@kame/addr';
import { v1 } from '../proto';
import { TypedEmitter } from './emitter';

/** One interface as the mirror holds it (addresses are kept apart, see MirrorAddress). */
export interface MirrorInterface {
  readonly index: number;
  readonly name: string;
  readonly type: v1.LinkType;
  /** IFF_* */
  readonly flags: number;
  readonly mtu: number;
  /** The MAC of an Ethernet interface; undefined for loopback, gif, faith. */
  readonly lladdr: MacAddress | undefined;
  readonly linkState: v1.LinkState;
}

/** One address of an interface (struct in6_ifaddr). */
export interface MirrorAddress {
  readonly address: Ipv6Address | Ipv4Address;
  readonly prefixLength: number;
  readonly ifindex: number;
  /** Name of the interface when the address was recorded. */
  readonly ifname: string;
  /** IN6_IFF_* */
  readonly flags: number;
  /** Seconds left when the kernel reported it; 0xffffffff = infinite. */
  readonly vltime: number;
  readonly pltime: number;
  /** Clock time (ms) of that report: the lifetimes count down from here. */
  readonly updatedAt: number;
}

/** One difference applied to the mirror. */
export type MirrorChange =
  | { readonly kind: 'interface'; readonly op: 'add'; readonly iface: MirrorInterface }
  | {
      readonly kind: 'interface';
      readonly op: 'change';
      readonly iface: MirrorInterface;
      readonly previous: MirrorInterface;
    }
  | { readonly kind: 'interface'; readonly op: 'delete'; readonly iface: MirrorInterface }
  | { readonly kind: 'address'; readonly op: 'add'; readonly address: MirrorAddress }
  | {
      readonly kind: 'address';
      readonly op: 'change';
      readonly address: MirrorAddress;
      readonly previous: MirrorAddress;
    }
  | { readonly kind: 'address'; readonly op: 'delete'; readonly address: MirrorAddress };

export type MirrorEvents = {
  change: (change: MirrorChange) => void;
};

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function lladdrOf(b: Uint8Array | null | undefined): MacAddress | undefined {
  return b && b.length === 6 ? MacAddress.fromBytes(b) : undefined;
}

function sameIface(a: MirrorInterface, b: MirrorInterface): boolean {
  const macSame = a.lladdr === undefined ? b.lladdr === undefined : !!b.lladdr && a.lladdr.equals(b.lladdr);
  return (
    a.name === b.name &&
    a.type === b.type &&
    a.flags === b.flags &&
    a.mtu === b.mtu &&
    a.linkState === b.linkState &&
    macSame
  );
}

/** Lifetimes count down, so a resync compares them only as finite/infinite. */
function sameAddress(a: MirrorAddress, b: MirrorAddress): boolean {
  const inf = (t: number): boolean => t === 0xffffffff;
  return (
    a.prefixLength === b.prefixLength &&
    a.flags === b.flags &&
    inf(a.vltime) === inf(b.vltime) &&
    inf(a.pltime) === inf(b.pltime)
  );
}

/**
 * The client's copy of the kernel's interfaces and addresses (ARCHITECTURE
 * contract 3: hello -> full dump -> deltas). Applying a dump diffs it against
 * what is held, so a resync after a reconnect reports only what changed.
 */
export class InterfaceMirror extends TypedEmitter<MirrorEvents> {
  private readonly byIndex = new Map<number, MirrorInterface>();
  /** ifindex -> address key -> address, in arrival order. */
  private readonly addrs = new Map<number, Map<string, MirrorAddress>>();

  constructor(private readonly now: () => number = () => 0) {
    super();
  }

  /** Every interface, by ascending index. */
  interfaces(): MirrorInterface[] {
    return [...this.byIndex.values()].sort((a, b) => a.index - b.index);
  }

  /** An interface by name ("ne0") or index. */
  interface(nameOrIndex: string | number): MirrorInterface | undefined {
    if (typeof nameOrIndex === 'number') return this.byIndex.get(nameOrIndex);
    for (const i of this.byIndex.values()) if (i.name === nameOrIndex) return i;
    return undefined;
  }

  /** Addresses of one interface (by name or index), or of all, by interface index. */
  addresses(iface?: string | number): MirrorAddress[] {
    if (iface !== undefined) {
      const i = this.interface(iface);
      return i ? [...(this.addrs.get(i.index)?.values() ?? [])] : [];
    }
    const out: MirrorAddress[] = [];
    for (const i of this.interfaces()) out.push(...(this.addrs.get(i.index)?.values() ?? []));
    return out;
  }

  /** Drops everything without events. */
  clear(): void {
    this.byIndex.clear();
    this.addrs.clear();
  }

  /**
   * Replaces the content with a full dump (SubscribeReply.interfaces),
   * emitting each difference: deletions first (addresses before their
   * interface), then additions and changes in index order.
   */
  applyDump(dump: readonly v1.Interface.$Properties[]): void {
    const fresh = new Map<number, { iface: MirrorInterface; addrs: Map<string, MirrorAddress> }>();
    for (const p of dump) {
      const iface = this.toIface(p);
      const addrs = new Map<string, MirrorAddress>();
      for (const a of p.addresses ?? []) {
        const m = this.toAddress({ ...a, ifindex: a.ifindex || iface.index }, iface.name);
        if (m) addrs.set(this.key(m), m);
      }
      fresh.set(iface.index, { iface, addrs });
    }
    // Deletions.
    for (const index of [...this.byIndex.keys()]) {
      const next = fresh.get(index);
      if (!next) {
        this.removeIface(index);
        continue;
      }
      for (const [k, a] of [...(this.addrs.get(index) ?? [])]) {
        if (!next.addrs.has(k)) {
          this.addrs.get(index)?.delete(k);
          this.emit('change', { kind: 'address', op: 'delete', address: a });
        }
      }
    }
    // Additions and changes.
    for (const index of [...fresh.keys()].sort((a, b) => a - b)) {
      const { iface, addrs } = fresh.get(index)!;
      const previous = this.byIndex.get(index);
      this.byIndex.set(index, iface);
      if (!previous) this.emit('change', { kind: 'interface', op: 'add', iface });
      else if (!sameIface(previous, iface))
        this.emit('change', { kind: 'interface', op: 'change', iface, previous });
      let held = this.addrs.get(index);
      if (!held) {
        held = new Map();
        this.addrs.set(index, held);
      }
      for (const [k, a] of addrs) {
        const prev = held.get(k);
        held.set(k, a);
        if (!prev) this.emit('change', { kind: 'address', op: 'add', address: a });
        else if (!sameAddress(prev, a))
          this.emit('change', { kind: 'address', op: 'change', address: a, previous: prev });
      }
    }
  }

  /** An Event.iface delta. */
  applyIfDelta(delta: v1.IfDelta.$Properties): void {
    const p = delta.iface;
    if (!p) return;
    const index = p.index ?? 0;
    if (delta.kind === v1.DeltaKind.DELTA_DELETE) {
      this.removeIface(index);
      return;
    }
    const iface = this.toIface(p);
    const previous = this.byIndex.get(index);
    this.byIndex.set(index, iface);
    if (!this.addrs.has(index)) this.addrs.set(index, new Map());
    if (!previous) this.emit('change', { kind: 'interface', op: 'add', iface });
    else if (!sameIface(previous, iface))
      this.emit('change', { kind: 'interface', op: 'change', iface, previous });
    // Addresses travel as AddrDelta; any carried here are applied too.
    for (const a of p.addresses ?? []) {
      this.applyAddrDelta({ kind: v1.DeltaKind.DELTA_ADD, address: { ...a, ifindex: a.ifindex || index } });
    }
  }

  /** An Event.addr delta. */
  applyAddrDelta(delta: v1.AddrDelta.$Properties): void {
    const p = delta.address;
    if (!p) return;
    const ifname = this.byIndex.get(p.ifindex ?? 0)?.name ?? '';
    const a = this.toAddress(p, ifname);
    if (!a) return;
    const k = this.key(a);
    let held = this.addrs.get(a.ifindex);
    if (delta.kind === v1.DeltaKind.DELTA_DELETE) {
      const prev = held?.get(k);
      if (prev) {
        held!.delete(k);
        this.emit('change', { kind: 'address', op: 'delete', address: prev });
      }
      return;
    }
    if (!held) {
      held = new Map();
      this.addrs.set(a.ifindex, held);
    }
    const prev = held.get(k);
    held.set(k, a);
    if (!prev) this.emit('change', { kind: 'address', op: 'add', address: a });
    else this.emit('change', { kind: 'address', op: 'change', address: a, previous: prev });
  }

  private removeIface(index: number): void {
    const iface = this.byIndex.get(index);
    for (const a of this.addrs.get(index)?.values() ?? []) {
      this.emit('change', { kind: 'address', op: 'delete', address: a });
    }
    this.addrs.delete(index);
    if (iface) {
      this.byIndex.delete(index);
      this.emit('change', { kind: 'interface', op: 'delete', iface });
    }
  }

  private key(a: MirrorAddress): string {
    return hex(a.address.bytes);
  }

  private toIface(p: v1.Interface.$Properties): MirrorInterface {
    return {
      index: p.index ?? 0,
      name: p.name ?? '',
      type: p.type ?? v1.LinkType.LINK_TYPE_UNSPECIFIED,
      flags: p.flags ?? 0,
      mtu: p.mtu ?? 0,
      lladdr: lladdrOf(p.lladdr),
      linkState: p.linkState ?? v1.LinkState.LINK_STATE_UNKNOWN,
    };
  }

  /** undefined for an address of a length the ABI does not define (ignored). */
  private toAddress(p: v1.InterfaceAddress.$Properties, ifname: string): MirrorAddress | undefined {
    const b = p.address;
    let address: Ipv6Address | Ipv4Address;
    if (b && b.length === 16) address = Ipv6Address.fromBytes(b);
    else if (b && b.length === 4) address = Ipv4Address.fromBytes(b);
    else return undefined;
    return {
      address,
      prefixLength: p.prefixLength ?? 0,
      ifindex: p.ifindex ?? 0,
      ifname,
      flags: p.flags ?? 0,
      vltime: p.vltime ?? 0,
      pltime: p.pltime ?? 0,
      updatedAt: this.now(),
    };
  }
}
