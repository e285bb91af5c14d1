export * from './constants';
export * from './host';
export * from './state';
export * from './rs';
export * from './ra-input';
export * from './dump';
export * from './rtsold';
