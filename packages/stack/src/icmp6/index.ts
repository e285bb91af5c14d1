// icmp6: ICMPv6 error generation (RFC 4443 2.4), its rate limit, input
// validation (RFC 4443, RFC 4861 receiver rules) and the Path MTU cache (RFC 8201).
export * from './constants';
export * from './invoking-packet';
export * from './error-decision';
export * from './error-build';
export * from './rate-limiter';
export * from './path-mtu-cache';
export * from './input-validation';
