export * from './icmpv4';
