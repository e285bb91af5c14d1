// frag6: IPv6 fragmentation (RFC 8200 4.5) and reassembly (KAME frag6.c's role).
export * from './frag6-stats';
export * from './unfragmentable';
export * from './header-chain';
export * from './fragment';
export * from './reassembler';
