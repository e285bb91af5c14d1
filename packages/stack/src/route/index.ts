// Routing table (BSD net/route, net/radix): longest-prefix match, rtentry,
// routing-socket messages.
export * from './route-error';
export * from './radix-trie';
export * from './ipv6-prefix-table';
export * from './ipv4-prefix-table';
export * from './rtflags';
export * from './rtentry';
export * from './rt-msg';
export * from './rt-msg-bus';
export * from './routing-table';
