export * from './clock';
export * from './virtual-clock';
export * from './real-clock';
export * from './random';
export * from './timer-scope';
