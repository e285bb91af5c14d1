export * from './udp';
export * from './tcp';
