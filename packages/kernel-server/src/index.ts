export * from './kernel-server';
export * from './connection';
export * from './byte-channel';
export * from './unix-listener';
export * from './op-error';
export * from './privilege';
export * from './socket-table';
export type { OpContext } from './context';
