export * from './protocols';
export * from './ipv6';
export * from './options';
export * from './routing';
export * from './fragment';
export * from './extension-headers';
