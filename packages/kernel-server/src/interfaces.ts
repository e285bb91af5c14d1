import { macFromBytes, v1 } from '@kame/kernel-api';
import { IFF_UP } from '@kame/stack';
import type { OpContext } from './context';
import { interfaceToProto } from './convert';
import { resolveIfRef } from './ifref';
import { fail } from './op-error';

/** Interface operations: ifconfig -a, SIOCSIFFLAGS / SIOCSIFMTU / SIOCSIFLLADDR, ifconfig create. */

export function ifList(ctx: OpContext): v1.IfListReply.$Properties {
  return { interfaces: ctx.node.interfaces().map((ifp) => interfaceToProto(ctx.node, ifp)) };
}

export function ifGet(ctx: OpContext, args: v1.IfGet.$Properties): v1.Interface.$Properties {
  return interfaceToProto(ctx.node, resolveIfRef(ctx.node, args.ifp));
}

/** flags = (flags | set) & ~clear; IFF_UP is the one the kernel acts on (ifconfig up / down). */
export function ifSetFlags(ctx: OpContext, args: v1.IfSetFlags.$Properties): void {
  const ifp = resolveIfRef(ctx.node, args.ifp);
  const set = args.set ?? 0;
  const clear = args.clear ?? 0;
  if ((set | clear) & ~IFF_UP)
    fail(
      'EINVAL',
      `only IFF_UP can be set or cleared, got set 0x${set.toString(16)} clear 0x${clear.toString(16)}`,
    );
  const want = ((ifp.flags | set) & ~clear & IFF_UP) !== 0;
  if (want) ctx.node.ifUp(ifp.name);
  else ctx.node.ifDown(ifp.name);
}

export function ifSetMtu(ctx: OpContext, args: v1.IfSetMtu.$Properties): void {
  const ifp = resolveIfRef(ctx.node, args.ifp);
  ctx.node.setMtu(ifp.name, args.mtu ?? 0);
}

export function ifSetLladdr(ctx: OpContext, args: v1.IfSetLladdr.$Properties): void {
  const ifp = resolveIfRef(ctx.node, args.ifp);
  const mac = macFromBytes(args.lladdr, 'lladdr');
  if (!mac) fail('EINVAL', 'lladdr: empty');
  ctx.node.setLladdr(ifp.name, mac);
}

/** ifconfig gifN create / faithN create. */
export function ifCreate(ctx: OpContext, args: v1.IfCreate.$Properties): void {
  const name = args.name ?? '';
  let type: 'gif' | 'faith';
  if (args.type === v1.LinkType.LINK_GIF) type = 'gif';
  else if (args.type === v1.LinkType.LINK_FAITH) type = 'faith';
  else fail('EINVAL', `cannot create an interface of link type ${args.type ?? 0}`);
  const mtu = args.mtu ?? 0;
  // Subscribers hear of it through RTM_IFANNOUNCE (an IFACE DELTA_ADD).
  ctx.node.attachPseudo(name, type, mtu === 0 ? undefined : mtu);
}

/** ifconfig NAME destroy: cloned interfaces only (EINVAL otherwise); DELTA_DELETE follows. */
export function ifDestroy(ctx: OpContext, args: v1.IfDestroy.$Properties): void {
  ctx.node.destroyInterface(resolveIfRef(ctx.node, args.ifp).name);
}
