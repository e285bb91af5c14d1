export * from './candidate';
export * from './kame-policy';
export * from './rfc6724-policy';
export * from './source-stats';
