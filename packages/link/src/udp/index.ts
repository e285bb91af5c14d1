export * from './counters';
export * from './fdb';
export * from './remote';
export * from './segment';
export * from './transport';
