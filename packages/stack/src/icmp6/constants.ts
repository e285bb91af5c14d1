/**
 * Sizes and defaults shared by ICMPv6 error generation (RFC 4443), the
 * error rate limiter (RFC 4443 2.4 (f)) and the Path MTU cache (RFC 8201).
 */

import { ICMPV6_ERROR_HEADER_LEN, IPV6_HEADER_LEN } from '@kame/wire';

/** RFC 8200 5: the IPv6 minimum link MTU (KAME's IPV6_MMTU). */
export const IPV6_MMTU = 1280;

/**
 * RFC 4443 2.4 (c) and IMPLEMENTATION 1.11: an error message, IPv6 header
 * included, must not exceed the minimum IPv6 MTU, so at most this many octets
 * of the invoking packet are quoted (1280 - 40 - 8 = 1232).
 */
export const ICMP6_ERROR_MAX_QUOTE = IPV6_MMTU - IPV6_HEADER_LEN - ICMPV6_ERROR_HEADER_LEN;

/** net.inet6.icmp6.errppslimit default: 100 errors per second. */
export const ICMP6_ERRPPSLIMIT_DEFAULT = 100;

/** RFC 4861 6.1.1, 6.1.2, 7.1.1, 7.1.2, 8.1: ND messages arrive with hop limit 255. */
export const ICMP6_ND_HOP_LIMIT = 255;

/** RFC 8201 5.3: PMTU estimates age out after (at least 5, recommended) 10 minutes. */
export const PMTU_EXPIRE_MS = 10 * 60 * 1000;

/** Default bound on Path MTU cache entries (LRU eviction beyond it). */
export const PMTU_CACHE_MAX_ENTRIES = 1024;
