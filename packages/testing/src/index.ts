export * from './attach';
export * from './wait';
export * from './ping';
export * from './ra';
export * from './lab';
export * from './runner';
export * from './process';
