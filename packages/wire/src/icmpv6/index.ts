export * from './constants';
export * from './icmpv6';
export * from './nd-options';
export * from './nd';
export * from './mld';
export * from './router-renumbering';
export * from './node-info';
