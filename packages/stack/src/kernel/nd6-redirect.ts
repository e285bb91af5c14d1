import { type Ipv6Address, Ipv6Prefix } from '@kame/addr';
import type { RedirectRepr } from '@kame/wire';
import { RTF_DYNAMIC } from '../route/rtflags';
import type { Ifnet } from './ifnet';
import type { KernelNode } from './kernel-node';
import { linkAddrOption } from './nd6-nbr';

/** Host routes learned from Redirects at most (every table has a bound). */
export const MAX_REDIRECT_ROUTES = 1024;

/**
 * icmp6_redirect_input (RFC 4861 8.1, 8.3): a host accepts a Redirect only
 * from the router it currently uses for the destination; the destination
 * then gets a dynamic host route to the target (a router, or the
 * destination itself on-link) that expires after net.inet6.icmp6.redirtimeout,
 * and the target's link-layer address goes into the neighbor cache.
 */
export function nd6RedirectInput(node: KernelNode, ifp: Ifnet, src: Ipv6Address, rd: RedirectRepr): void {
  const st = node.icmp6stat;
  if (
    node.sysctl.get('net.inet6.ip6.forwarding') === 1 ||
    node.sysctl.get('net.inet6.icmp6.rediraccept') === 0
  )
    return;
  const { target, destination } = rd;
  const onLink = target.equals(destination);
  // RFC 4861 8.1: the target is link-local unless it is the destination itself.
  if (destination.isMulticast() || (!onLink && !target.isLinkLocal())) {
    st.icp6s_badredirect++;
    return;
  }
  const key = destination.isLinkLocal() ? node.routeKey(destination, ifp.index) : destination;
  const current = node.routes.lookup(key);
  const firstHop = current?.gateway.kind === 'inet6' ? current.gateway.address : undefined;
  if (!firstHop || !firstHop.equals(node.routeKey(src, ifp.index)) || current!.ifindex !== ifp.index) {
    st.icp6s_badredirect++;
    return;
  }
  const host = Ipv6Prefix.of(key, 128);
  if (!node.routes.get(host) && redirectRouteCount(node) >= MAX_REDIRECT_ROUTES) {
    st.icp6s_badredirect++;
    return;
  }
  const tlla = linkAddrOption(rd.options, 'targetLinkAddr');
  ifp.neighbors?.onSolicitationOrRouterMessage(target, tlla, { kind: 'REDIRECT', isRouter: !onLink });
  const timeout = node.sysctl.get('net.inet6.icmp6.redirtimeout');
  try {
    node.redirectRoutes.add(host.toString());
    node.routes.redirect(
      key,
      onLink
        ? { kind: 'link', ifindex: ifp.index }
        : { kind: 'inet6', address: node.routeKey(target, ifp.index) },
      {
        ifindex: ifp.index,
        author: src,
        ...(timeout > 0 ? { expire: node.clock.now() + timeout * 1000 } : {}),
      },
    );
  } catch {
    // A static host route is never overridden (EEXIST), a full table refuses (ENOBUFS).
    st.icp6s_badredirect++;
  }
}

/** Live redirect routes; the set forgets routes that expired or were deleted. */
function redirectRouteCount(node: KernelNode): number {
  for (const k of node.redirectRoutes) {
    const r = node.routes.get(Ipv6Prefix.parse(k));
    if (!r || !(r.flags & RTF_DYNAMIC)) node.redirectRoutes.delete(k);
  }
  return node.redirectRoutes.size;
}
