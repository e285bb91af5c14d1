export * from './host';
export * from './options';
export * from './engine';
export * from './format';
