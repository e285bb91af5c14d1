export * from './proto';
export * from './abi';
export * from './errno';
export * from './frame';
export * from './messages';
export * from './address';
export * from './transport';
export * from './unix';
