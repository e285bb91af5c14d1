// nd6: Neighbor Discovery neighbor cache and NUD (RFC 4861 7.2, 7.3).
export * from './params';
export * from './reachable-time';
export * from './neighbor-state';
export * from './neighbor-cache';
