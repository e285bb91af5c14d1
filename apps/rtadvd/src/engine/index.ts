export * from './constants';
export * from './host';
export * from './packet';
export * from './dump';
export * from './rtadvd-engine';
