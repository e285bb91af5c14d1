import { ipv6FromBytes, ND6_INFINITE_LIFETIME, type v1 } from '@kame/kernel-api';
import type { AddAddressOptions } from '@kame/stack';
import type { OpContext } from './context';
import { interfaceAddressToProto } from './convert';
import { resolveIfRef, selectIfnets } from './ifref';
import { fail } from './op-error';

/** Address operations: SIOCAIFADDR_IN6, SIOCDIFADDR_IN6, and the address list. */

function lifetime(v: number | null | undefined, field: string): number | undefined {
  if (v === null || v === undefined || v === ND6_INFINITE_LIFETIME) return undefined;
  if (!Number.isInteger(v) || v < 0) fail('EINVAL', `${field} ${v}`);
  return v;
}

export function addrAdd(ctx: OpContext, args: v1.AddrAdd.$Properties): void {
  const ifp = resolveIfRef(ctx.node, args.ifp);
  const address = ipv6FromBytes(args.address, 'address');
  const vltime = lifetime(args.vltime, 'vltime');
  const pltime = lifetime(args.pltime, 'pltime');
  if (vltime !== undefined && pltime !== undefined && pltime > vltime) {
    fail('EINVAL', `pltime ${pltime} exceeds vltime ${vltime}`);
  }
  const opts: AddAddressOptions = { flags: args.flags ?? 0 };
  if (vltime !== undefined) opts.validLifetime = vltime;
  if (pltime !== undefined) opts.preferredLifetime = pltime;
  ctx.node.addAddress(ifp.name, address, args.prefixLength ?? 0, opts);
}

export function addrDelete(ctx: OpContext, args: v1.AddrDelete.$Properties): void {
  const ifp = resolveIfRef(ctx.node, args.ifp);
  ctx.node.deleteAddress(ifp.name, ipv6FromBytes(args.address, 'address'));
}

export function addrList(ctx: OpContext, args: v1.AddrList.$Properties): v1.AddrListReply.$Properties {
  const now = ctx.node.clock.now();
  return {
    addresses: selectIfnets(ctx.node, args.ifp).flatMap((ifp) =>
      ifp.addresses.map((a) => interfaceAddressToProto(a, now)),
    ),
  };
}
