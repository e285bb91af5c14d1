// @kame/stack: the emulated KAME kernel, sans-I/O. Areas are named after the
// KAME/BSD sources they stand for (route, nd6, frag6, in6_src, sysctl).
export * from './route/index';
export * from './nd6/index';
export * from './frag6/index';
export * from './sysctl/index';
export * from './stats/index';
export * from './in6-src/index';
export * from './kernel/index';
export * from './icmp6/index';
export * from './mld6/index';
export * from './nd6-dad/index';
export * from './nd6-rtr/index';
export * from './socket/index';
