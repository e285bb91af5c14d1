export * from './clock';
export * from './emitter';
export * from './backoff';
export * from './mirror';
export * from './socket';
export * from './kernel-client';
