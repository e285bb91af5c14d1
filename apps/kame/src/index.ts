export * from './engine';
export * from './ping6';
export * from './cli';
