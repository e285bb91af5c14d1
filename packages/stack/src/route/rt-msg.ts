import type { Ipv4Address, Ipv6Address } from '@kame/addr';
import type { RouteErrno } from './route-error';
import type { Gateway, RouteDestination } from './rtentry';

/** Message type codes (rtm_type) as route(4) lists them. */
export const RTM_ADD = 0x1;
export const RTM_DELETE = 0x2;
export const RTM_CHANGE = 0x3;
export const RTM_GET = 0x4;
export const RTM_LOSING = 0x5;
export const RTM_REDIRECT = 0x6;
export const RTM_MISS = 0x7;
export const RTM_NEWADDR = 0xc;
export const RTM_DELADDR = 0xd;
export const RTM_IFINFO = 0xe;
export const RTM_IFANNOUNCE = 0x11;

export type RtmRouteType =
  'RTM_ADD' | 'RTM_DELETE' | 'RTM_CHANGE' | 'RTM_GET' | 'RTM_LOSING' | 'RTM_REDIRECT' | 'RTM_MISS';
export type RtmType = RtmRouteType | 'RTM_NEWADDR' | 'RTM_DELADDR' | 'RTM_IFINFO' | 'RTM_IFANNOUNCE';

export const RTM_CODE: Readonly<Record<RtmType, number>> = {
  RTM_ADD,
  RTM_DELETE,
  RTM_CHANGE,
  RTM_GET,
  RTM_LOSING,
  RTM_REDIRECT,
  RTM_MISS,
  RTM_NEWADDR,
  RTM_DELADDR,
  RTM_IFINFO,
  RTM_IFANNOUNCE,
};

/** Fields every routing-socket message carries (struct rt_msghdr's header part). */
export interface RtMsgHeader {
  /** rtm_seq: the requester's sequence number on a reply, the kernel's own otherwise. */
  seq: number;
  /** rtm_pid: the requesting process, 0 for the kernel. */
  pid: number;
  /** Owner tag of the route or of the requester ('kernel', 'route6d', ...). */
  owner: string;
}

/** A route message (struct rt_msghdr plus its sockaddrs). */
export interface RtRouteMsg extends RtMsgHeader {
  type: RtmRouteType;
  /** rtm_errno: set when the request failed (the reply still goes to every listener). */
  errno?: RouteErrno;
  /** rtm_flags: the route's RTF_* bits, plus RTF_DONE on a successful request. */
  flags: number;
  /** RTA_DST (+ RTA_NETMASK); a host prefix for RTM_MISS. */
  dst: RouteDestination;
  /** RTA_GATEWAY, kernel form (embedded scope). Absent on RTM_MISS. */
  gateway?: Gateway;
  /** rtm_index */
  ifindex: number;
  metric?: number;
  expire?: number;
  /** RTA_AUTHOR: who sent a redirect. */
  author?: Ipv6Address | Ipv4Address;
}

/** RTM_IFINFO (struct if_msghdr): interface flags or link state changed. */
export interface RtIfInfoMsg extends RtMsgHeader {
  type: 'RTM_IFINFO';
  ifindex: number;
  /** IFF_* bits. */
  flags: number;
  linkState?: 'up' | 'down' | 'unknown';
  mtu?: number;
}

/** RTM_IFANNOUNCE (struct if_announcemsghdr): an interface arrived or departed. */
export interface RtIfAnnounceMsg extends RtMsgHeader {
  type: 'RTM_IFANNOUNCE';
  ifindex: number;
  ifname: string;
  what: 'arrival' | 'departure';
  /** Always 0 (an announcement has no flags); kept so every message has the field. */
  flags: number;
}

/** RTM_NEWADDR / RTM_DELADDR (struct ifa_msghdr): an address came or went. */
export interface RtIfaMsg extends RtMsgHeader {
  type: 'RTM_NEWADDR' | 'RTM_DELADDR';
  ifindex: number;
  /** Kernel form (embedded scope for link-local). */
  address: Ipv6Address | Ipv4Address;
  prefixLength: number;
  /** IN6_IFF_* bits for IPv6. */
  flags: number;
  metric: number;
}

export type RtMessage = RtRouteMsg | RtIfInfoMsg | RtIfaMsg | RtIfAnnounceMsg;

/** Distributive Omit, so each member of RtMessage keeps its own fields. */
export type RtMessageInput = RtMessage extends infer M
  ? M extends RtMessage
    ? Omit<M, 'seq'> & { seq?: number }
    : never
  : never;
