import { Ipv6Address } from '@kame/addr';
import { icmp6FilterPassing, icmp6FilterTypes, ipv6FromBytes, sockaddrFromProto, v1 } from '@kame/kernel-api';
import {
  Icmp6Filter,
  type GettableSocketOption,
  type NetstatRow,
  type ReceivedDatagram,
  type SendMessage,
  type SockaddrIn6,
  type SockaddrIn6Input,
  type SocketOptionName,
  type SocketOptionValues,
} from '@kame/stack';
import type { OpContext } from './context';
import { fail } from './op-error';

/** Datagram socket operations (UDP and raw), over the connection's SocketTable. */

export function sockaddrInput(
  s: v1.SockaddrIn6.$Properties | null | undefined,
  field: string,
): SockaddrIn6Input {
  const a = sockaddrFromProto(s, field);
  const zone = a.zoneName ?? (a.zone !== 0 ? a.zone : undefined);
  return { address: a.address, port: a.port, ...(zone !== undefined ? { zone } : {}) };
}

export function sockaddrToProto(s: SockaddrIn6): v1.SockaddrIn6.$Properties {
  return { addr: s.address.bytes.slice(), port: s.port, scopeId: s.zone ?? 0 };
}

export function sockOpen(ctx: OpContext, args: v1.SockOpen.$Properties): v1.SockOpenReply.$Properties {
  if (ctx.sockets.size >= ctx.sockets.limit)
    fail('EMFILE', `${ctx.sockets.limit} sockets open on this connection`);
  let type: 'udp' | 'raw';
  switch (args.type) {
    case v1.SocketType.SOCK_DGRAM:
      type = 'udp';
      break;
    case v1.SocketType.SOCK_RAW:
      type = 'raw';
      break;
    case v1.SocketType.SOCK_STREAM:
      fail('EPROTONOSUPPORT', 'SOCK_STREAM (TCP) is not served by this kernel yet');
    // falls through (fail never returns)
    default:
      fail('EPROTOTYPE', `socket type ${args.type ?? 0}`);
  }
  const fd = ctx.node.sockets.socket(type, { protocol: args.protocol ?? 0, privileged: ctx.privileged });
  return { fd: ctx.sockets.add(fd) };
}

export function sockBind(ctx: OpContext, args: v1.SockBind.$Properties): void {
  ctx.node.sockets.bind(ctx.sockets.fd(args.fd ?? 0), sockaddrInput(args.addr, 'addr'));
}

/** connect(2); no address = disconnect. */
export function sockConnect(ctx: OpContext, args: v1.SockConnect.$Properties): void {
  const fd = ctx.sockets.fd(args.fd ?? 0);
  if (!args.addr) ctx.node.sockets.disconnect(fd);
  else ctx.node.sockets.connect(fd, sockaddrInput(args.addr, 'addr'));
}

const OPT_NAMES: Record<NonNullable<v1.SockOpt['value']>, SocketOptionName> = {
  soReuseaddr: 'SO_REUSEADDR',
  soReuseport: 'SO_REUSEPORT',
  soRcvbuf: 'SO_RCVBUF',
  soSndbuf: 'SO_SNDBUF',
  ipv6V6only: 'IPV6_V6ONLY',
  ipv6UnicastHops: 'IPV6_UNICAST_HOPS',
  ipv6MulticastIf: 'IPV6_MULTICAST_IF',
  ipv6MulticastHops: 'IPV6_MULTICAST_HOPS',
  ipv6MulticastLoop: 'IPV6_MULTICAST_LOOP',
  ipv6JoinGroup: 'IPV6_JOIN_GROUP',
  ipv6LeaveGroup: 'IPV6_LEAVE_GROUP',
  ipv6Recvpktinfo: 'IPV6_RECVPKTINFO',
  ipv6Recvhoplimit: 'IPV6_RECVHOPLIMIT',
  ipv6Tclass: 'IPV6_TCLASS',
  ipv6Checksum: 'IPV6_CHECKSUM',
  icmp6Filter: 'ICMP6_FILTER',
};

type OptMember = NonNullable<v1.SockOpt['value']>;
const MEMBER_OF = Object.fromEntries(Object.entries(OPT_NAMES).map(([m, n]) => [n, m])) as Record<
  SocketOptionName,
  OptMember
>;

/** The oneof member a SockOpt sets (plain objects carry no `value` virtual). */
function optMember(opt: v1.SockOpt.$Properties): OptMember | undefined {
  const named = (opt as { value?: unknown }).value;
  if (typeof named === 'string' && named in OPT_NAMES) return named as OptMember;
  return (Object.keys(OPT_NAMES) as OptMember[]).find((m) => opt[m] !== null && opt[m] !== undefined);
}

export function sockSetOpt(ctx: OpContext, args: v1.SockSetOpt.$Properties): void {
  const fd = ctx.sockets.fd(args.fd ?? 0);
  const opt = args.opt;
  const member = opt ? optMember(opt) : undefined;
  if (!opt || !member) fail('ENOPROTOOPT', 'no option given');
  const name = OPT_NAMES[member];
  const raw = opt[member];
  let value: SocketOptionValues[SocketOptionName];
  if (member === 'ipv6JoinGroup' || member === 'ipv6LeaveGroup') {
    const m = raw as v1.Ipv6Mreq.$Properties;
    value = { group: ipv6FromBytes(m.group, `${name}.group`), ifindex: m.ifindex ?? 0 };
  } else if (member === 'icmp6Filter') {
    value = Icmp6Filter.passOnly(icmp6FilterTypes(raw as v1.Icmp6Filter.$Properties));
  } else {
    value = raw as number | boolean;
  }
  ctx.node.sockets.setsockopt(fd, name, value);
}

const GET_NAMES: Partial<Record<v1.SockOptName, GettableSocketOption>> = {
  [v1.SockOptName.SO_REUSEADDR]: 'SO_REUSEADDR',
  [v1.SockOptName.SO_REUSEPORT]: 'SO_REUSEPORT',
  [v1.SockOptName.SO_RCVBUF]: 'SO_RCVBUF',
  [v1.SockOptName.SO_SNDBUF]: 'SO_SNDBUF',
  [v1.SockOptName.IPV6_V6ONLY]: 'IPV6_V6ONLY',
  [v1.SockOptName.IPV6_UNICAST_HOPS]: 'IPV6_UNICAST_HOPS',
  [v1.SockOptName.IPV6_MULTICAST_IF]: 'IPV6_MULTICAST_IF',
  [v1.SockOptName.IPV6_MULTICAST_HOPS]: 'IPV6_MULTICAST_HOPS',
  [v1.SockOptName.IPV6_MULTICAST_LOOP]: 'IPV6_MULTICAST_LOOP',
  [v1.SockOptName.IPV6_RECVPKTINFO]: 'IPV6_RECVPKTINFO',
  [v1.SockOptName.IPV6_RECVHOPLIMIT]: 'IPV6_RECVHOPLIMIT',
  [v1.SockOptName.IPV6_TCLASS]: 'IPV6_TCLASS',
  [v1.SockOptName.IPV6_CHECKSUM]: 'IPV6_CHECKSUM',
  [v1.SockOptName.ICMP6_FILTER]: 'ICMP6_FILTER',
};

export function sockGetOpt(ctx: OpContext, args: v1.SockGetOpt.$Properties): v1.SockOpt.$Properties {
  const fd = ctx.sockets.fd(args.fd ?? 0);
  const name = GET_NAMES[args.name ?? v1.SockOptName.SOCKOPT_UNSPECIFIED];
  if (!name) fail('ENOPROTOOPT', `option ${args.name ?? 0} cannot be read`);
  const value = ctx.node.sockets.getsockopt(fd, name);
  const member = MEMBER_OF[name];
  if (value instanceof Icmp6Filter) return { icmp6Filter: icmp6FilterPassing(value.passed()) };
  return { [member]: value } as v1.SockOpt.$Properties;
}

export function sockSendmsg(
  ctx: OpContext,
  args: v1.SockSendmsg.$Properties,
): v1.SockSendmsgReply.$Properties {
  const fd = ctx.sockets.fd(args.fd ?? 0);
  const msg: {
    -readonly [K in keyof SendMessage]: SendMessage[K];
  } = { data: args.data ?? new Uint8Array(0) };
  if (args.to) msg.to = sockaddrInput(args.to, 'to');
  if (args.pktinfo) {
    const a = args.pktinfo.addr;
    msg.pktinfo = {
      ...(a && a.length > 0 ? { address: ipv6FromBytes(a, 'pktinfo.addr') } : {}),
      ...(args.pktinfo.ifindex ? { ifindex: args.pktinfo.ifindex } : {}),
    };
  }
  if (args.hoplimit !== null && args.hoplimit !== undefined) msg.hoplimit = args.hoplimit;
  if (args.tclass !== null && args.tclass !== undefined) msg.tclass = args.tclass;
  return { bytes: ctx.node.sockets.sendmsg(fd, msg) };
}

export function sockClose(ctx: OpContext, args: v1.SockClose.$Properties): void {
  ctx.sockets.close(args.fd ?? 0);
}

export function sockGetName(ctx: OpContext, args: v1.SockGetName.$Properties): v1.SockaddrIn6.$Properties {
  const fd = ctx.sockets.fd(args.fd ?? 0);
  return sockaddrToProto(args.peer ? ctx.node.sockets.getpeername(fd) : ctx.node.sockets.getsockname(fd));
}

/** netstat -a: the sockets of every connection of this server, each under its owner's handle and pid. */
export function sockList(ctx: OpContext): v1.SockListReply.$Properties {
  const layer = ctx.node.sockets;
  const rows = new Map<number, NetstatRow>(layer.list().map((r) => [r.fd, r]));
  const sockets: v1.SockInfo.$Properties[] = [];
  for (const table of ctx.allSockets()) {
    for (const [handle, fd] of table.entries()) {
      const row = rows.get(fd);
      if (!row) continue;
      let remote: v1.SockaddrIn6.$Properties = { addr: Ipv6Address.UNSPECIFIED.bytes.slice(), port: 0 };
      try {
        remote = sockaddrToProto(layer.getpeername(fd));
      } catch {
        // Not connected: the wildcard peer.
      }
      sockets.push({
        fd: handle,
        type: row.proto === 'udp6' ? v1.SocketType.SOCK_DGRAM : v1.SocketType.SOCK_RAW,
        protocol: row.protocol,
        local: sockaddrToProto(layer.getsockname(fd)),
        remote,
        recvQ: row.recvQ,
        sendQ: row.sendQ,
        pid: table.pid,
      });
    }
  }
  return { sockets };
}

/** A received datagram as Event.datagram for the client's handle. */
export function datagramToProto(handle: number, d: ReceivedDatagram): v1.SockDatagram.$Properties {
  const out: v1.SockDatagram.$Properties = { fd: handle, data: d.data, from: sockaddrToProto(d.from) };
  if (d.pktinfo) out.pktinfo = { addr: d.pktinfo.address.bytes.slice(), ifindex: d.pktinfo.ifindex };
  if (d.hoplimit !== undefined) out.hoplimit = d.hoplimit;
  return out;
}
