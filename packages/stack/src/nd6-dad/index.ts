// nd6-dad: Duplicate Address Detection (RFC 4862 5.4, RFC 7527 nonces).
export * from './dad-state';
export * from './dad-engine';
