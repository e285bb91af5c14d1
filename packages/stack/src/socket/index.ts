// socket: the in-kernel socket layer for UDP over IPv6 and raw IPv6 / ICMPv6
// sockets (RFC 3493, RFC 3542), sans-I/O behind SocketLayerPort.
export * from './socket-errno';
export * from './sockaddr-in6';
export * from './socket-port';
export * from './socket-options';
export * from './ephemeral-port';
export * from './receive-queue';
export * from './icmp6-filter';
export * from './raw-checksum';
export * from './rip6stat';
export * from './mapped-address-policy';
export * from './multicast-membership';
export * from './pcb';
export * from './netstat-rows';
export * from './socket-layer';
