/**
 * IMPLEMENTATION 1.4.2 "To summarize the sysctl knob": the role of the node
 * for each (net.inet6.ip6.accept_rtadv, net.inet6.ip6.forwarding) pair.
 *
 *   accept_rtadv forwarding role of the node
 *   0            0          host (to be manually configured)
 *   0            1          router
 *   1            0          autoconfigured host (single interface assumed)
 *   1            1          invalid, or experimental (out of scope of spec)
 *
 * The booleans are what each role implies in the rest of 1.4 / 1.4.2:
 * forwarding=1 makes the node a router that forwards; accept_rtadv=1 makes the
 * kernel take RAs and autoconfigure (KAME "allows nonconforming configuration"
 * for 1/1, so RAs are still taken there); RS output belongs to hosts that
 * autoconfigure (rtsol/rtsold); RA output (rtadvd) only to routers.
 */
export type NodeRoleName = 'host' | 'router' | 'autoconfigured-host' | 'invalid';

export interface NodeRole {
  role: NodeRoleName;
  /** The seed table's wording for the row. */
  description: string;
  /** Identifies as a router (forwarding=1): IsRouter in NA, may run rtadvd. */
  isRouter: boolean;
  /** Forwards packets addressed to others. */
  forwards: boolean;
  /** The kernel processes incoming Router Advertisements. */
  acceptsRA: boolean;
  /** Prefixes and default routes are learned from RAs (stateless autoconf). */
  autoconfigures: boolean;
  /** Router Solicitations are expected from this node (rtsol/rtsold). */
  sendsRS: boolean;
  /** The node may advertise (rtadvd): RFC 2461 6.2.3, hosts MUST NOT send RA. */
  mayAdvertise: boolean;
  /** Addresses and routes beyond link-local must be configured by hand. */
  manualConfiguration: boolean;
  /** False for the 1/1 row: out of scope of the spec, experimental. */
  withinSpec: boolean;
  /** What rtsold says about the kernel settings without -F (kame-daemons 2.1). */
  rtsoldWarnings: string[];
}

/** Row of the 1.4.2 table for a pair of sysctl values (any non-zero counts as 1). */
export function nodeRoleFor(acceptRtadv: number, forwarding: number): NodeRole {
  const accept = acceptRtadv !== 0;
  const fwd = forwarding !== 0;
  const warnings: string[] = [];
  if (!accept) warnings.push('kernel is configured not to accept RAs');
  if (fwd) warnings.push('kernel is configured as a router, not a host');
  const common = {
    isRouter: fwd,
    forwards: fwd,
    acceptsRA: accept,
    autoconfigures: accept,
    sendsRS: accept,
    mayAdvertise: fwd,
    manualConfiguration: !accept,
    rtsoldWarnings: warnings,
  };
  if (!accept && !fwd)
    return { role: 'host', description: 'host (to be manually configured)', withinSpec: true, ...common };
  if (!accept && fwd) return { role: 'router', description: 'router', withinSpec: true, ...common };
  if (accept && !fwd) {
    return {
      role: 'autoconfigured-host',
      description: 'autoconfigured host (spec assumes that host has single interface only)',
      withinSpec: true,
      ...common,
    };
  }
  return {
    role: 'invalid',
    description: 'invalid, or experimental (out-of-scope of spec)',
    withinSpec: false,
    ...common,
  };
}
