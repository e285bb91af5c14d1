export * from './ipv4';
