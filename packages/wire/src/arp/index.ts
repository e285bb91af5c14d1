export * from './arp';
