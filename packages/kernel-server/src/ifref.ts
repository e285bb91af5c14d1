import type { v1 } from '@kame/kernel-api';
import type { Ifnet, KernelNode } from '@kame/stack';
import { fail } from './op-error';

/** True when an IfRef names nothing ("every interface"). */
export function isEmptyIfRef(ref: v1.IfRef.$Properties | null | undefined): boolean {
  return !ref || ((ref.ifindex ?? 0) === 0 && (ref.ifname ?? '') === '');
}

/** The interface an IfRef names: by index when non-zero, else by name. ENXIO when absent. */
export function resolveIfRef(node: KernelNode, ref: v1.IfRef.$Properties | null | undefined): Ifnet {
  if (isEmptyIfRef(ref)) fail('EINVAL', 'interface not given');
  const index = ref?.ifindex ?? 0;
  const ifp = index !== 0 ? node.ifnet(index) : node.ifnet(ref?.ifname ?? '');
  if (!ifp) fail('ENXIO', `no such interface: ${index !== 0 ? `index ${index}` : (ref?.ifname ?? '')}`);
  return ifp;
}

/** The interfaces an optional IfRef selects: all of them when empty. */
export function selectIfnets(
  node: KernelNode,
  ref: v1.IfRef.$Properties | null | undefined,
): readonly Ifnet[] {
  return isEmptyIfRef(ref) ? node.interfaces() : [resolveIfRef(node, ref)];
}
