/**
 * Router constants, RFC 4861 10 (KAME rtadvd.h uses the same values;
 * reference kame-daemons.md 1.8).
 */
export const MAX_INITIAL_RTR_ADVERT_INTERVAL = 16; // s
export const MAX_INITIAL_RTR_ADVERTISEMENTS = 3;
export const MAX_FINAL_RTR_ADVERTISEMENTS = 3;
export const MIN_DELAY_BETWEEN_RAS = 3; // s
export const MAX_RA_DELAY_TIME_MS = 500; // KAME: 500000 us
/** KAME config.c prefix_timo: a deleted prefix is advertised with zero lifetimes this long (2 h). */
export const PREFIX_INVALIDATION_TIMEOUT = 7200; // s
/** KAME config.h MAXPREFIX: bound of one interface's prefix list (configured + learned). */
export const MAXPREFIX = 100;
/** RFC 4861 4.6.2 */
export const ND6_INFINITE_LIFETIME = 0xffffffff;
/** RFC 4861 6.1.2: a valid RA is at least 16 octets; RS 8 octets (6.1.1). */
export const ND_RA_MINLEN = 16;
export const ND_RS_MINLEN = 8;
export const ALLNODES_HOPLIMIT = 255;
/** RFC 4861 6.2.1 AdvValidLifetime / AdvPreferredLifetime defaults (learned prefixes). */
export const DEF_ADVVALIDLIFETIME = 2592000; // 30 days
export const DEF_ADVPREFERREDLIFETIME = 604800; // 7 days
