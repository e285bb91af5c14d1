import type { Ipv6Address } from '@kame/addr';
import type { SocketErrno } from './socket-errno';
import type { SocketLayerPort } from './socket-port';

/** The key of one (interface, group) membership. */
export function membershipKey(ifindex: number, group: Ipv6Address): string {
  return `${ifindex}/${group.toString()}`;
}

export interface MembershipInfo {
  readonly ifindex: number;
  readonly group: Ipv6Address;
  /** Sockets holding the membership. */
  readonly refs: number;
}

/**
 * Node-wide multicast memberships requested by sockets (IPV6_JOIN_GROUP,
 * RFC 3493 5.2), reference-counted so that MLD (RFC 2710) hears one join per
 * interface and group, on the first socket, and one leave, on the last.
 */
export class MulticastMemberships {
  private readonly table = new Map<string, { ifindex: number; group: Ipv6Address; refs: number }>();

  constructor(private readonly port: Pick<SocketLayerPort, 'joinGroup' | 'leaveGroup'>) {}

  /** One more socket in the group; the port hears only the first. */
  join(ifindex: number, group: Ipv6Address): SocketErrno | undefined {
    const key = membershipKey(ifindex, group);
    const e = this.table.get(key);
    if (e !== undefined) {
      e.refs++;
      return undefined;
    }
    const r = this.port.joinGroup(ifindex, group);
    if (r !== 'ok') return r;
    this.table.set(key, { ifindex, group, refs: 1 });
    return undefined;
  }

  /** One socket fewer; the port hears the last. */
  leave(ifindex: number, group: Ipv6Address): void {
    const key = membershipKey(ifindex, group);
    const e = this.table.get(key);
    if (e === undefined) return;
    if (--e.refs > 0) return;
    this.table.delete(key);
    this.port.leaveGroup(ifindex, group);
  }

  refs(ifindex: number, group: Ipv6Address): number {
    return this.table.get(membershipKey(ifindex, group))?.refs ?? 0;
  }

  list(): MembershipInfo[] {
    return [...this.table.values()].map((e) => ({ ...e }));
  }
}
