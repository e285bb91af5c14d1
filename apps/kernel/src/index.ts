// kame-kernel as a library (for the lab runner): the engine, its kernel API
// sockets, its config model and the node-file parser.
export * from './config/config';
export * from './config/config-error';
export * from './config/derive-mac';
export * from './config/node-file';
export * from './engine/engine';
export * from './engine/logger';
export * from './engine/ping6';
export * from './ipc/serve-ipc';
export * from './cli/flags';
