export * from './pcapng';
export * from './pcap';
