export * from './sysctl-error';
export * from './platform';
export * from './variables';
export * from './node-role';
export * from './sysctl';
