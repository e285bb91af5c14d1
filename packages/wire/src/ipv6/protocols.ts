/**
 * IP protocol / IPv6 Next Header values (IANA "Assigned Internet Protocol
 * Numbers"; RFC 8200 4 for the extension headers).
 */
export const IPPROTO_HOPOPTS = 0;
export const IPPROTO_IPV4 = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_ROUTING = 43;
export const IPPROTO_FRAGMENT = 44;
export const IPPROTO_ESP = 50;
export const IPPROTO_AH = 51;
export const IPPROTO_ICMPV6 = 58;
/** RFC 8200 4.7: nothing follows; any remaining bytes are ignored. */
export const IPPROTO_NONE = 59;
export const IPPROTO_DSTOPTS = 60;
