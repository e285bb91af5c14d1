/**
 * Host constants of RFC 4861 10 and rtsold's own timers (reference 2.2,
 * K:rtsold/rtsold.h). Milliseconds unless the name says otherwise.
 */

/** RFC 4861 10: random delay before the first RS. */
export const MAX_RTR_SOLICITATION_DELAY = 1000;
/** RFC 4861 10: between retransmitted RSs. */
export const RTR_SOLICITATION_INTERVAL = 4000;
/** RFC 4861 10: RSs sent before giving up. */
export const MAX_RTR_SOLICITATIONS = 3;
/** rtsold: DOWN/TENTATIVE checks every second this many times, then waits PROBE_INTERVAL. */
export const DADRETRY = 10;
/** rtsold: the long wait after DADRETRY checks, and the periodic probe without carrier detection (s). */
export const PROBE_INTERVAL_SEC = 60;
/** rtsold -m: the IDLE poll (K:rtsold/rtsold.c "XXX should be configurable"). */
export const MOBILITY_IDLE_POLL = 3000;
/** Bound on the interfaces one rtsold watches (-a on a node with very many interfaces). */
export const MAX_INTERFACES = 256;

/** The sysctls -F sets (reference 2.1). */
export const SYSCTL_ACCEPT_RTADV = 'net.inet6.ip6.accept_rtadv';
export const SYSCTL_FORWARDING = 'net.inet6.ip6.forwarding';
