import { embedScope, Ipv4Prefix, Ipv6Address, Ipv6Prefix, needsScope } from '@kame/addr';
import { ipFromBytes, macFromBytes, prefixFromProto, v1 } from '@kame/kernel-api';
import type { Gateway, RequestContext, RouteChange, RouteFamily, Rtentry } from '@kame/stack';
import type { OpContext } from './context';
import { gatewayToProto, msLeft, routeToProto } from './convert';
import { fail } from './op-error';

/** Routing-socket operations: RTM_ADD / DELETE / CHANGE / GET, the table listing, flush by owner. */

export function gatewayFromProto(g: v1.Gateway.$Properties | null | undefined, field: string): Gateway {
  if (g?.link) {
    const mac = macFromBytes(g.link.mac, `${field}.mac`);
    return { kind: 'link', ifindex: g.link.ifindex ?? 0, ...(mac ? { mac } : {}) };
  }
  if (g?.address && g.address.length > 0) {
    const a = ipFromBytes(g.address, field);
    return a instanceof Ipv6Address ? { kind: 'inet6', address: a } : { kind: 'inet', address: a };
  }
  fail('EINVAL', `${field}: missing`);
}

function isGatewaySet(g: v1.Gateway.$Properties | null | undefined): boolean {
  return !!g && (!!g.link || (g.address !== null && g.address !== undefined && g.address.length > 0));
}

function sameGateway(a: Gateway, b: Gateway): boolean {
  if (a.kind === 'link' || b.kind === 'link') {
    return a.kind === 'link' && b.kind === 'link' && a.ifindex === b.ifindex;
  }
  return a.kind === b.kind && a.address.toString() === b.address.toString();
}

function requestContext(ctx: OpContext, owner: string): RequestContext {
  return { pid: ctx.pid, seq: ctx.requestId, owner };
}

function expireAt(ctx: OpContext, ms: number, field: string): number {
  if (!Number.isFinite(ms) || ms < 0) fail('EINVAL', `${field} ${ms}`);
  return ctx.node.clock.now() + ms;
}

export function routeAdd(ctx: OpContext, args: v1.RouteAdd.$Properties): void {
  const r = args.route;
  if (!r) fail('EINVAL', 'route: missing');
  const owner = r.owner || ctx.clientName;
  const expireMs = r.expireMs ?? 0;
  ctx.node.routes.add(
    {
      dst: prefixFromProto(r.dst, 'route.dst'),
      gateway: gatewayFromProto(r.gateway, 'route.gateway'),
      ...(r.ifindex ? { ifindex: r.ifindex } : {}),
      flags: r.flags ?? 0,
      owner,
      metric: r.metric ?? 0,
      ...(expireMs > 0 ? { expire: expireAt(ctx, expireMs, 'route.expire_ms') } : {}),
    },
    requestContext(ctx, owner),
  );
}

export function routeDelete(ctx: OpContext, args: v1.RouteDelete.$Properties): void {
  const dst = prefixFromProto(args.dst, 'dst');
  const cur = ctx.node.routes.get(dst);
  if (cur) {
    if (isGatewaySet(args.gateway) && !sameGateway(cur.gateway, gatewayFromProto(args.gateway, 'gateway'))) {
      fail('ESRCH', `no route to ${dst.toString()} through that gateway`);
    }
    if (args.owner && args.owner !== cur.owner) {
      fail('ESRCH', `no route to ${dst.toString()} owned by ${args.owner} (owner is ${cur.owner})`);
    }
  }
  // An absent route is the table's own ESRCH (announced with rtm_errno, as route(4) does).
  ctx.node.routes.delete(dst, requestContext(ctx, args.owner || ctx.clientName));
}

export function routeChange(ctx: OpContext, args: v1.RouteChange.$Properties): void {
  const dst = prefixFromProto(args.dst, 'dst');
  const changes: RouteChange = {};
  if (isGatewaySet(args.gateway)) changes.gateway = gatewayFromProto(args.gateway, 'gateway');
  if (args.ifindex !== null && args.ifindex !== undefined) changes.ifindex = args.ifindex;
  if (args.flags !== null && args.flags !== undefined) changes.flags = args.flags;
  if (args.metric !== null && args.metric !== undefined) changes.metric = args.metric;
  if (args.owner !== null && args.owner !== undefined) changes.owner = args.owner;
  if (args.expireMs !== null && args.expireMs !== undefined) {
    changes.expire = args.expireMs === 0 ? null : expireAt(ctx, args.expireMs, 'expire_ms');
  }
  ctx.node.routes.change(dst, changes, requestContext(ctx, changes.owner ?? ctx.clientName));
}

/** RTM_GET: exact entry when prefix_length is present, else the longest match. */
export function routeGet(ctx: OpContext, args: v1.RouteGet.$Properties): v1.RtMsg.$Properties {
  const d = args.dst;
  if (!d) fail('EINVAL', 'dst: missing');
  let addr = ipFromBytes(d.addr, 'dst');
  const zone = d.zone ?? 0;
  if (addr instanceof Ipv6Address && zone !== 0 && needsScope(addr)) addr = embedScope(addr, zone);
  let r: Rtentry | undefined;
  if (args.prefixLength !== null && args.prefixLength !== undefined) {
    const p =
      addr instanceof Ipv6Address
        ? Ipv6Prefix.of(addr, args.prefixLength)
        : Ipv4Prefix.of(addr, args.prefixLength);
    r = ctx.node.routes.get(p);
    if (!r) fail('ESRCH', `no route ${p.toString()}`);
  } else {
    r = ctx.node.routes.lookup(addr);
    if (!r) fail('ESRCH', `no route to ${addr.toString()}`);
  }
  const now = ctx.node.clock.now();
  const rt = routeToProto(r, now);
  return {
    type: v1.RtmType.RTM_GET,
    seq: ctx.requestId,
    pid: ctx.pid,
    owner: r.owner,
    flags: r.flags,
    ifindex: r.ifindex,
    dst: rt.dst ?? null,
    gateway: gatewayToProto(r.gateway),
    metric: r.metric,
    expireMs: msLeft(r.expire, now),
  };
}

const FAMILIES: Record<number, RouteFamily | undefined> = { 0: undefined, 4: 'inet', 6: 'inet6' };

export function routeList(ctx: OpContext, args: v1.RouteList.$Properties): v1.RouteListReply.$Properties {
  const family = args.family ?? 0;
  if (!(family in FAMILIES)) fail('EINVAL', `family ${family}: expected 0, 4 or 6`);
  const now = ctx.node.clock.now();
  const owner = args.owner ?? '';
  return {
    routes: ctx.node.routes
      .list(FAMILIES[family])
      .filter((r) => owner === '' || r.owner === owner)
      .map((r) => routeToProto(r, now)),
  };
}

/** Removes every route of one owner (empty = the client's own name). */
export function routeFlush(ctx: OpContext, args: v1.RouteFlush.$Properties): v1.CountReply.$Properties {
  return { count: ctx.node.routes.flush(args.owner || ctx.clientName) };
}
