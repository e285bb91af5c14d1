export * from './decode-error';
export * from './codec';
export * from './checksum';
export * from './vxlan';
