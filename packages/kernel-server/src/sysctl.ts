import type { v1 } from '@kame/kernel-api';
import type { OpContext } from './context';
import { fail } from './op-error';

/** sysctl(8): get, set (number or text, as `sysctl -w name=text`), list by prefix. */

function entry(ctx: OpContext, name: string): v1.SysctlEntry.$Properties {
  const d = ctx.node.sysctl.describe(name);
  return {
    name: d.name,
    value: ctx.node.sysctl.get(d.name),
    min: d.min,
    max: d.max,
    writable: d.writable,
    description: d.description,
  };
}

export function sysctlGet(ctx: OpContext, args: v1.SysctlGet.$Properties): v1.SysctlEntry.$Properties {
  return entry(ctx, args.name ?? '');
}

export function sysctlSet(ctx: OpContext, args: v1.SysctlSet.$Properties): v1.SysctlSetReply.$Properties {
  const name = args.name ?? '';
  let value: number | string;
  if (args.stringValue !== null && args.stringValue !== undefined) value = args.stringValue;
  else if (args.numberValue !== null && args.numberValue !== undefined) value = args.numberValue;
  else fail('EINVAL', `${name}: no value given`);
  const canonical = ctx.node.sysctl.describe(name).name;
  const oldValue = ctx.node.sysctl.set(canonical, value);
  return { name: canonical, oldValue, newValue: ctx.node.sysctl.get(canonical) };
}

export function sysctlList(ctx: OpContext, args: v1.SysctlList.$Properties): v1.SysctlListReply.$Properties {
  return { entries: ctx.node.sysctl.entries(args.prefix ?? '').map(([name]) => entry(ctx, name)) };
}
