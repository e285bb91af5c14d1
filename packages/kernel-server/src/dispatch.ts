import { RESULT_OF, v1, type OpArgs, type RequestOp, type ResultOf } from '@kame/kernel-api';
import { addrAdd, addrDelete, addrList } from './addresses';
import type { OpContext } from './context';
import { interfaceToProto } from './convert';
import { ifCreate, ifDestroy, ifGet, ifList, ifSetFlags, ifSetLladdr, ifSetMtu } from './interfaces';
import {
  ndDeleteNeighbor,
  ndSetNeighbor,
  ndFlush,
  ndGetDefaultIf,
  ndGetIfinfo,
  ndNeighbors,
  ndPrefixes,
  ndRouters,
  ndSetDefaultIf,
  ndSetIfinfo,
} from './nd';
import { fail } from './op-error';
import { routeAdd, routeChange, routeDelete, routeFlush, routeGet, routeList } from './routes';
import {
  sockBind,
  sockClose,
  sockConnect,
  sockGetName,
  sockGetOpt,
  sockList,
  sockOpen,
  sockSendmsg,
  sockSetOpt,
} from './sockets';
import { statsGet } from './stats';
import { sysctlGet, sysctlList, sysctlSet } from './sysctl';

/** One operation's handler: its result message, or nothing for operations answered with `ok`. */
type Handler<K extends RequestOp> = (ctx: OpContext, args: OpArgs<K>) => ResultOf<K> | void;
type HandlerTable = { [K in RequestOp]: Handler<K> };

const KNOWN_TOPICS = new Set<number>([
  v1.Topic.TOPIC_ROUTE,
  v1.Topic.TOPIC_ROUTE_INTERFACE,
  v1.Topic.TOPIC_IFACE,
  v1.Topic.TOPIC_SYSCTL,
]);

function topicsOf(topics: readonly v1.Topic[] | null | undefined): v1.Topic[] {
  const list = topics ?? [];
  for (const t of list) if (!KNOWN_TOPICS.has(t)) fail('EINVAL', `unknown topic ${t}`);
  return [...list];
}

function subscribe(ctx: OpContext, args: v1.Subscribe.$Properties): v1.SubscribeReply.$Properties {
  const topics = topicsOf(args.topics);
  if (topics.length === 0) fail('EINVAL', 'no topic given');
  ctx.subscribe(topics);
  // hello -> full dump -> deltas: the dump is this reply, sent before any later delta.
  return topics.includes(v1.Topic.TOPIC_IFACE)
    ? { interfaces: ctx.node.interfaces().map((ifp) => interfaceToProto(ctx.node, ifp)) }
    : {};
}

function unsubscribe(ctx: OpContext, args: v1.Unsubscribe.$Properties): void {
  ctx.unsubscribe(topicsOf(args.topics));
}

function unsupported(what: string): () => never {
  return () => fail('EOPNOTSUPP', `${what} is not supported by this kernel`);
}

const HANDLERS: HandlerTable = {
  ifList,
  ifGet,
  ifSetFlags,
  ifSetMtu,
  ifSetLladdr,
  ifCreate,
  ifDestroy,
  ifSetTunnel: unsupported('gif tunnel configuration'),
  addrAdd,
  addrDelete,
  addrList,
  routeAdd,
  routeDelete,
  routeChange,
  routeGet,
  routeList,
  routeFlush,
  subscribe,
  unsubscribe,
  sockOpen,
  sockBind,
  sockConnect,
  sockSetOpt,
  sockGetOpt,
  sockSendmsg,
  sockClose,
  sockGetName,
  sockList,
  ndNeighbors,
  ndRouters,
  ndPrefixes,
  ndGetDefaultIf,
  ndSetDefaultIf,
  ndFlush,
  ndDeleteNeighbor,
  ndSetNeighbor,
  ndGetIfinfo,
  ndSetIfinfo,
  sysctlGet,
  sysctlSet,
  sysctlList,
  statsGet,
};

/** Operations answered with EOPNOTSUPP whatever their arguments. */
export const UNSUPPORTED_OPS: readonly RequestOp[] = ['ifSetTunnel'];

/** Runs one operation; throws (OpError or a stack error) on failure. */
export function runOp<K extends RequestOp>(ctx: OpContext, op: K, args: OpArgs<K>): ResultOf<K> {
  const handler = HANDLERS[op] as Handler<K> | undefined;
  if (!handler) fail('EOPNOTSUPP', `operation ${op} is not supported by this kernel`);
  const result = handler(ctx, args);
  if (RESULT_OF[op] === 'ok') return {} as ResultOf<K>;
  if (result === undefined) fail('EIO', `${op} produced no result`);
  return result;
}
