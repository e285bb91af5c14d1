import { ipv6FromBytes, macFromBytes, v1 } from '@kame/kernel-api';
import type { DefaultRouterPreference, NeighborState } from '@kame/stack';
import type { OpContext } from './context';
import { msLeft, ndIfinfoToProto, secondsLeft } from './convert';
import { resolveIfRef, selectIfnets } from './ifref';
import { fail } from './op-error';

/** Neighbor Discovery operations (ndp(8)): tables, the default interface, flush, delete, nd_ifinfo. */

const STATES: Record<NeighborState, v1.NeighborState> = {
  INCOMPLETE: v1.NeighborState.ND_INCOMPLETE,
  REACHABLE: v1.NeighborState.ND_REACHABLE,
  STALE: v1.NeighborState.ND_STALE,
  DELAY: v1.NeighborState.ND_DELAY,
  PROBE: v1.NeighborState.ND_PROBE,
};

const PREFERENCES: Record<DefaultRouterPreference, v1.RouterPreference> = {
  high: v1.RouterPreference.PREF_HIGH,
  medium: v1.RouterPreference.PREF_MEDIUM,
  low: v1.RouterPreference.PREF_LOW,
};

export function ndNeighbors(
  ctx: OpContext,
  args: v1.NdNeighbors.$Properties,
): v1.NdNeighborsReply.$Properties {
  const now = ctx.node.clock.now();
  const neighbors: v1.Neighbor.$Properties[] = [];
  for (const ifp of selectIfnets(ctx.node, args.ifp)) {
    for (const e of ifp.neighbors?.entries() ?? []) {
      neighbors.push({
        address: e.address.bytes.slice(),
        ifindex: ifp.index,
        lladdr: e.lladdr ? e.lladdr.bytes.slice() : new Uint8Array(0),
        state: STATES[e.state],
        expireMs: msLeft(e.expire, now),
        isRouter: e.isRouter,
        probes: e.probes,
        queued: e.queued,
        permanent: e.permanent,
      });
    }
  }
  return { neighbors };
}

/** RFC 4191 2.2: Prf in bits 0x18 of the RA flags (01 high, 00 medium, 11 low). */
const PRF_BITS = { high: 0x08, medium: 0x00, low: 0x18 } as const;

export function ndRouters(ctx: OpContext): v1.NdRoutersReply.$Properties {
  const now = ctx.node.clock.now();
  return {
    routers: ctx.node.nd6.routers().map((r) => ({
      address: r.address.bytes.slice(),
      ifindex: r.ifindex,
      ifname: r.ifname,
      // The RA flag byte as KAME's ndp -r keeps it: M, O and the RFC 4191 Prf bits.
      raFlags:
        (r.flags.includes('M') ? 0x80 : 0) | (r.flags.includes('O') ? 0x40 : 0) | PRF_BITS[r.preference],
      preference: PREFERENCES[r.preference],
      expireMs: msLeft(r.expire, now),
      installed: r.installed,
    })),
  };
}

function lifetimeSeconds(s: number): number {
  return Number.isFinite(s) ? Math.max(0, Math.ceil(s)) : secondsLeft(undefined, 0);
}

export function ndPrefixes(ctx: OpContext): v1.NdPrefixesReply.$Properties {
  const now = ctx.node.clock.now();
  return {
    prefixes: ctx.node.nd6.prefixes().map((p) => ({
      prefix: { addr: p.prefix.address.bytes.slice(), length: p.prefix.length },
      ifindex: p.ifindex,
      ifname: p.ifname,
      onLink: p.onLink,
      autonomous: p.autonomous,
      vltime: lifetimeSeconds(p.validLifetime),
      pltime: lifetimeSeconds(p.preferredLifetime),
      expireMs: msLeft(p.expire, now),
      advertisedBy: p.advertisedBy.map((a) => ({
        address: a.address.bytes.slice(),
        ifindex: a.ifindex,
        reachable: a.reachable,
      })),
    })),
  };
}

export function ndGetDefaultIf(ctx: OpContext): v1.IfIndex.$Properties {
  return { ifindex: ctx.node.nd6.defaultInterface };
}

/** ndp -I (0 = ndp -I delete). */
export function ndSetDefaultIf(ctx: OpContext, args: v1.NdSetDefaultIf.$Properties): void {
  const ifindex = args.ifindex ?? 0;
  if (ifindex !== 0 && !ctx.node.ifnet(ifindex)) fail('ENXIO', `no interface ${ifindex}`);
  try {
    ctx.node.nd6.setDefaultInterface(ifindex);
  } catch (e) {
    fail('EINVAL', e instanceof Error ? e.message : String(e));
  }
}

/** ndp -c (neighbors). ndp -R / -P have no stack counterpart yet: EOPNOTSUPP. */
export function ndFlush(ctx: OpContext, args: v1.NdFlush.$Properties): v1.CountReply.$Properties {
  // ndp -R / ndp -P: the lists are node-wide, as in KAME.
  if (args.target === v1.NdFlushTarget.ND_FLUSH_ROUTERS) return { count: ctx.node.nd6.flushRouters() };
  if (args.target === v1.NdFlushTarget.ND_FLUSH_PREFIXES) return { count: ctx.node.nd6.flushPrefixes() };
  if (args.target !== v1.NdFlushTarget.ND_FLUSH_NEIGHBORS) fail('EINVAL', `flush target ${args.target ?? 0}`);
  let count = 0;
  for (const ifp of selectIfnets(ctx.node, args.ifp)) {
    if (!ifp.neighbors) continue;
    count += ifp.neighbors.size;
    ifp.neighbors.flush();
  }
  return { count };
}

/** ndp -s: a permanent entry on an interface that resolves neighbors. */
export function ndSetNeighbor(ctx: OpContext, args: v1.NdSetNeighbor.$Properties): void {
  const address = ipv6FromBytes(args.address, 'address');
  const ifp = resolveIfRef(ctx.node, { ifindex: args.ifindex ?? 0 });
  if (!ifp.neighbors) fail('EOPNOTSUPP', `${ifp.name} has no neighbor cache`);
  if (address.isMulticast() || address.isUnspecified())
    fail('EINVAL', `${address.toString()} cannot be a neighbor`);
  const mac = macFromBytes(args.lladdr, 'lladdr');
  if (!mac) fail('EINVAL', 'lladdr: a link-layer address is required');
  ifp.neighbors.setPermanent(address, mac, args.router ?? false);
}

/** ndp -d. */
export function ndDeleteNeighbor(ctx: OpContext, args: v1.NdDeleteNeighbor.$Properties): void {
  const address = ipv6FromBytes(args.address, 'address');
  const ifp = resolveIfRef(ctx.node, { ifindex: args.ifindex ?? 0 });
  if (!ifp.neighbors?.delete(address)) fail('ESRCH', `no neighbor ${address.toString()} on ${ifp.name}`);
}

export function ndGetIfinfo(ctx: OpContext, args: v1.NdGetIfinfo.$Properties): v1.NdIfinfo.$Properties {
  return ndIfinfoToProto(ctx.node, resolveIfRef(ctx.node, args.ifp));
}

function present(v: number | null | undefined): v is number {
  return v !== null && v !== undefined;
}

/** ndp -i ifname ...: the fields present replace the interface's (flags: not settable here). */
export function ndSetIfinfo(ctx: OpContext, args: v1.NdSetIfinfo.$Properties): void {
  const ifp = resolveIfRef(ctx.node, args.ifp);
  if (present(args.flags)) fail('EOPNOTSUPP', 'ND6_IFF_* flags cannot be changed on this kernel');
  const checkMs = (v: number, field: string) => {
    if (!Number.isInteger(v) || v <= 0 || v > 3_600_000) fail('EINVAL', `${field} ${v}`);
  };
  if (present(args.basereachableMs)) checkMs(args.basereachableMs, 'basereachable_ms');
  if (present(args.retransMs)) checkMs(args.retransMs, 'retrans_ms');
  if (present(args.chlim) && (args.chlim > 255 || args.chlim < 0)) fail('EINVAL', `chlim ${args.chlim}`);
  if (present(args.linkmtu) && args.linkmtu !== 0 && (args.linkmtu < 1280 || args.linkmtu > ifp.mtu)) {
    fail('EINVAL', `linkmtu ${args.linkmtu} not in 1280..${ifp.mtu}`);
  }
  if (present(args.linkmtu)) ifp.nd.linkmtu = args.linkmtu;
  if (present(args.chlim)) ifp.nd.chlim = args.chlim;
  if (present(args.basereachableMs)) {
    ifp.nd.basereachable = args.basereachableMs;
    ifp.neighbors?.setBaseReachableTime(args.basereachableMs);
  }
  if (present(args.retransMs)) {
    ifp.nd.retrans = args.retransMs;
    ifp.neighbors?.setRetransTimer(args.retransMs);
  }
}
