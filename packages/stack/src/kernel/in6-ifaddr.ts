import type { Ipv6Address } from '@kame/addr';

// in6_ifaddr flags (netinet6/in6_var.h names).
export const IN6_IFF_ANYCAST = 0x01;
export const IN6_IFF_TENTATIVE = 0x02;
export const IN6_IFF_DUPLICATED = 0x04;
export const IN6_IFF_DETACHED = 0x08;
export const IN6_IFF_DEPRECATED = 0x10;
export const IN6_IFF_AUTOCONF = 0x40;

/** Infinite lifetime (ND6_INFINITE_LIFETIME). */
export const INFINITE_LIFETIME = 0xffffffff;

/**
 * An IPv6 address assigned to an interface (struct in6_ifaddr). `address`
 * is the plain form; the interface index is `ifindex` (the kernel embeds it
 * only in routing-table keys of scoped addresses, IMPLEMENTATION 1.3.1).
 */
export interface In6Ifaddr {
  readonly address: Ipv6Address;
  readonly prefixLength: number;
  readonly ifindex: number;
  flags: number;
  /** Absolute Clock times; undefined = infinite. */
  validUntil: number | undefined;
  preferredUntil: number | undefined;
}

/** ifconfig(8)-style flag words. */
export function in6IfaddrFlagNames(flags: number): string[] {
  const names: string[] = [];
  if (flags & IN6_IFF_ANYCAST) names.push('anycast');
  if (flags & IN6_IFF_TENTATIVE) names.push('tentative');
  if (flags & IN6_IFF_DUPLICATED) names.push('duplicated');
  if (flags & IN6_IFF_DETACHED) names.push('detached');
  if (flags & IN6_IFF_DEPRECATED) names.push('deprecated');
  if (flags & IN6_IFF_AUTOCONF) names.push('autoconf');
  return names;
}
