export * from './counters';
export * from './remote';
export * from './segment';
export * from './transport';
