export * from './engine';
export * from './config';
export { KernelHost, ALL_NODES, ALL_ROUTERS, FORWARDING_SYSCTL, IFF_UP } from './kernel-host';
export * from './rtadvd';
export { run, parseFlags, DEFAULT_CONFFILE, USAGE, type RtadvdFlags, type RunOverrides } from './cli';
export * from './rtadvctl';
export * from './in-process';
