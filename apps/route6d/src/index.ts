export * from './engine/index';
export * from './kernel-host';
export * from './run';
export * from './cli';
export * from './rip6query';
export * from './in-process';
