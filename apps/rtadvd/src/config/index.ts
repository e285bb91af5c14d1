export * from './types';
export * from './termcap';
export * from './getconfig';
