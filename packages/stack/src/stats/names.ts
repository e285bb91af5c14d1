import { scopeName, type Scope } from '@kame/addr';

const NEXT_HEADER: Record<number, string> = {
  0: 'hop by hop',
  4: 'IP',
  6: 'TCP',
  17: 'UDP',
  41: 'IP6',
  43: 'routing',
  44: 'fragment',
  50: 'ESP',
  51: 'AH',
  58: 'ICMP6',
  59: 'no next header',
  60: 'destination option',
  103: 'PIM',
  108: 'IPComp',
};

/** Name of an IPv6 next-header value in the ip6 input histogram, else "#N". */
export function nextHeaderName(nh: number): string {
  return NEXT_HEADER[nh] ?? `#${nh}`;
}

const ICMP6_TYPE: Record<number, string> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded',
  4: 'parameter problem',
  128: 'echo request',
  129: 'echo reply',
  130: 'multicast listener query',
  131: 'multicast listener report',
  132: 'multicast listener done',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
  137: 'redirect',
  138: 'router renumbering',
  139: 'node information request',
  140: 'node information reply',
  143: 'MLDv2 listener report',
};

/** Name of an ICMPv6 type in the icmp6 histograms (RFC 4443, RFC 2461), else "#N". */
export function icmp6TypeName(type: number): string {
  return ICMP6_TYPE[type] ?? `#${type}`;
}

/** "link-local" etc. for the per-scope source-selection counters. */
export function scopeCounterName(scope: number): string {
  return scopeName((scope & 0x0f) as Scope);
}
