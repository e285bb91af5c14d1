export * from './parse-error';
export * from './ipv4';
export * from './ipv6';
export * from './mac';
