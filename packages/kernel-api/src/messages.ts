import { ABI_VERSION } from './abi';
import { errnoName, errnoNumber, KernelApiError, type ErrnoName } from './errno';
import { v1 } from './proto';

/** Names of the Request operations ("ifList", "addrAdd", "sockSendmsg", ...). */
export type RequestOp = NonNullable<v1.Request['op']>;
/** The argument message of one operation. */
export type OpArgs<K extends RequestOp> = NonNullable<v1.Request.$Properties[K]>;

/** Names of the Response result members ("ok", "ifList", "sockOpen", ...). */
export type ResultKind = NonNullable<v1.Response['result']>;
/** The result message of one result member. */
export type ResultValue<K extends ResultKind> = NonNullable<v1.Response.$Properties[K]>;

/** Names of the Event bodies ("rtm", "iface", "addr", "datagram", ...). */
export type EventKind = NonNullable<v1.Event['body']>;
export type EventBody<K extends EventKind> = NonNullable<v1.Event.$Properties[K]>;

/**
 * What each operation answers with on success: the Response member with the
 * op's own field number, or `ok` for those that return nothing.
 */
export const RESULT_OF = {
  ifList: 'ifList',
  ifGet: 'ifGet',
  ifSetFlags: 'ok',
  ifSetMtu: 'ok',
  ifSetLladdr: 'ok',
  ifCreate: 'ok',
  ifDestroy: 'ok',
  ifSetTunnel: 'ok',
  addrAdd: 'ok',
  addrDelete: 'ok',
  addrList: 'addrList',
  routeAdd: 'ok',
  routeDelete: 'ok',
  routeChange: 'ok',
  routeGet: 'routeGet',
  routeList: 'routeList',
  routeFlush: 'routeFlush',
  subscribe: 'subscribe',
  unsubscribe: 'ok',
  sockOpen: 'sockOpen',
  sockBind: 'ok',
  sockConnect: 'ok',
  sockSetOpt: 'ok',
  sockGetOpt: 'sockGetOpt',
  sockSendmsg: 'sockSendmsg',
  sockClose: 'ok',
  sockGetName: 'sockGetName',
  sockList: 'sockList',
  ndNeighbors: 'ndNeighbors',
  ndRouters: 'ndRouters',
  ndPrefixes: 'ndPrefixes',
  ndGetDefaultIf: 'ndGetDefaultIf',
  ndSetDefaultIf: 'ok',
  ndFlush: 'ndFlush',
  ndDeleteNeighbor: 'ok',
  ndSetNeighbor: 'ok',
  ndGetIfinfo: 'ndGetIfinfo',
  ndSetIfinfo: 'ok',
  sysctlGet: 'sysctlGet',
  sysctlSet: 'sysctlSet',
  sysctlList: 'sysctlList',
  statsGet: 'statsGet',
} as const satisfies Record<RequestOp, ResultKind>;

/** The result kind of an operation. */
export type ResultKindOf<K extends RequestOp> = (typeof RESULT_OF)[K];
/** The result message a successful `K` request yields. */
export type ResultOf<K extends RequestOp> = ResultValue<ResultKindOf<K>>;

// ---- frames ---------------------------------------------------------------

export interface HelloInit {
  readonly name: string;
  readonly pid: number;
  readonly uid?: number;
  /** Default ABI_VERSION; tests set others. */
  readonly abiVersion?: number;
}

export function helloFrame(init: HelloInit): v1.Frame.$Properties {
  return {
    hello: { abiVersion: init.abiVersion ?? ABI_VERSION, name: init.name, pid: init.pid, uid: init.uid ?? 0 },
  };
}

export interface WelcomeInit {
  readonly node: string;
  readonly capabilities: readonly string[];
  readonly privileged?: boolean;
  readonly abiVersion?: number;
}

export function welcomeFrame(init: WelcomeInit): v1.Frame.$Properties {
  return {
    welcome: {
      abiVersion: init.abiVersion ?? ABI_VERSION,
      node: init.node,
      capabilities: [...init.capabilities],
      privileged: init.privileged ?? false,
    },
  };
}

/** A connection-level error; the sender closes the connection after it. */
export function errorFrame(errno: ErrnoName, message: string, requestId = 0): v1.Frame.$Properties {
  return { error: { errno: errnoNumber(errno), message, requestId } };
}

/** A Request for operation `op`. */
export function request<K extends RequestOp>(id: number, op: K, args: OpArgs<K>): v1.Request.$Properties {
  return { id, [op]: args } as v1.Request.$Properties;
}

export function requestFrame<K extends RequestOp>(id: number, op: K, args: OpArgs<K>): v1.Frame.$Properties {
  return { request: request(id, op, args) };
}

/** A successful Response carrying result member `kind`. */
export function resultResponse<K extends ResultKind>(
  id: number,
  kind: K,
  value: ResultValue<K>,
): v1.Response.$Properties {
  return { id, [kind]: value } as v1.Response.$Properties;
}

/** The successful answer to an operation, with the member RESULT_OF names. */
export function replyFrame<K extends RequestOp>(id: number, op: K, value: ResultOf<K>): v1.Frame.$Properties {
  return { response: resultResponse(id, RESULT_OF[op], value as ResultValue<ResultKindOf<K>>) };
}

/** A failed Response: errno name and message, no result. */
export function errnoResponse(id: number, errno: ErrnoName, message: string): v1.Response.$Properties {
  return { id, errno: errnoNumber(errno), message };
}

export function errnoFrame(id: number, errno: ErrnoName, message: string): v1.Frame.$Properties {
  return { response: errnoResponse(id, errno, message) };
}

export function eventFrame<K extends EventKind>(kind: K, body: EventBody<K>): v1.Frame.$Properties {
  return { event: { [kind]: body } as v1.Event.$Properties };
}

// ---- reading --------------------------------------------------------------

/** The operation of a decoded request, with its arguments. */
export function requestOp(
  req: v1.Request.$Properties,
): { op: RequestOp; args: OpArgs<RequestOp> } | undefined {
  const op = req.op;
  if (op === undefined) return undefined;
  const args = req[op] as OpArgs<RequestOp> | null | undefined;
  if (args === undefined || args === null) return undefined;
  return { op, args };
}

/**
 * The result of a decoded Response for a `K` request: the result message, or
 * a thrown KernelApiError with the errno name. An unknown errno number (a
 * newer kernel) and a result of the wrong kind are reported as EPROTO.
 */
export function unwrapResponse<K extends RequestOp>(op: K, res: v1.Response.$Properties): ResultOf<K> {
  const errno = res.errno ?? 0;
  if (errno !== 0) {
    const name = errnoName(errno);
    const message = res.message ?? '';
    throw new KernelApiError(name ?? 'EPROTO', name ? message : `unknown errno ${errno}: ${message}`);
  }
  const kind = RESULT_OF[op];
  const value = res[kind];
  if (res.result !== kind || value === undefined || value === null) {
    throw new KernelApiError('EPROTO', `${op}: expected a "${kind}" result, got ${res.result ?? 'none'}`);
  }
  return value as ResultOf<K>;
}
