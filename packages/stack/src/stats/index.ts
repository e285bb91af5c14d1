export type { NetstatOptions, CounterLine } from './netstat-format';
export * from './histogram';
export { nextHeaderName, icmp6TypeName } from './names';
export * from './ip6stat';
export * from './icmp6stat';
export * from './udp6stat';
export * from './nd6stat';
export * from './json';
export * from './render-json';
