import { type Ipv6Address, multicastMac } from '@kame/addr';
import type { MldMembership } from './listener';

/** What ifmcstat needs of one interface. */
export interface IfmcstatInterface {
  readonly name: string;
  /** Unicast addresses, printed as `inet6` lines before the groups (optional). */
  readonly addresses?: readonly Ipv6Address[];
  readonly memberships: readonly Pick<MldMembership, 'group' | 'refcount'>[];
}

/**
 * `ifmcstat` in KAME's shape, one block per interface:
 *
 *     em0:
 *     \tinet6 fe80::1%em0
 *     \tgroup ff02::1:ff01:6317 refcnt 1
 *     \t\tmcast-macaddr 33:33:ff:01:63:17 refcnt 1
 *
 * The `inet6` lines list the interface's addresses (link-local ones with
 * their `%zone`); each group line gives the IPv6 group and its reference
 * count (sockets plus the kernel's own joins); the indented line under it
 * gives the Ethernet group the IPv6 group maps to (RFC 2464 7) and how many
 * IPv6 groups of the interface share that Ethernet group. Groups are listed
 * in the order given. The text ends with a newline (empty for no interfaces).
 */
export function formatIfmcstat(interfaces: readonly IfmcstatInterface[]): string {
  const lines: string[] = [];
  for (const ifp of interfaces) {
    lines.push(`${ifp.name}:`);
    for (const a of ifp.addresses ?? []) {
      lines.push(`\tinet6 ${a.toString()}${a.isLinkLocal() ? `%${ifp.name}` : ''}`);
    }
    const macRefs = new Map<string, number>();
    for (const m of ifp.memberships) {
      const mac = multicastMac(m.group).toString();
      macRefs.set(mac, (macRefs.get(mac) ?? 0) + 1);
    }
    for (const m of ifp.memberships) {
      const mac = multicastMac(m.group).toString();
      lines.push(`\tgroup ${m.group.toString()} refcnt ${m.refcount}`);
      lines.push(`\t\tmcast-macaddr ${mac} refcnt ${macRefs.get(mac) ?? 0}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
