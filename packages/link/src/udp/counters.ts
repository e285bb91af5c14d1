/** Transport-wide counters (one UDP socket, all VNIs). Malformed datagrams are dropped and counted here. */
export interface VxlanTransportCounters {
  /** Datagrams received on the socket, valid or not. */
  datagramsIn: number;
  /** Datagrams handed to the socket (each head-end replica counts). */
  datagramsOut: number;
  /** Dropped: shorter than the 8-byte VXLAN header. */
  tooShort: number;
  /** Dropped: flags byte other than 0x08 (I set, reserved bits clear; RFC 7348 5). */
  badFlags: number;
  /** Dropped: no open segment for the VNI. */
  unknownVni: number;
  /** Dropped: datagram longer than maxDatagram. */
  oversized: number;
  /** Dropped: inner Ethernet frame shorter than 14 bytes. */
  runt: number;
  /** Sends the socket rejected (the datagram was not sent). */
  sendErrors: number;
  /** 'error' events on the socket. */
  socketErrors: number;
  /** Exceptions thrown by frame listeners (caught so the receive path never throws). */
  listenerErrors: number;
}

export function newVxlanTransportCounters(): VxlanTransportCounters {
  return {
    datagramsIn: 0,
    datagramsOut: 0,
    tooShort: 0,
    badFlags: 0,
    unknownVni: 0,
    oversized: 0,
    runt: 0,
    sendErrors: 0,
    socketErrors: 0,
    listenerErrors: 0,
  };
}

/** Per-segment (per-VNI) forwarding counters, beside the endpoint's EndpointStats. */
export interface VxlanSegmentCounters {
  /** Frames sent to one learned remote. */
  unicast: number;
  /** Frames head-end replicated to every remote (broadcast, multicast, unknown unicast). */
  flooded: number;
  /** Source MACs learned or moved to another remote. */
  learned: number;
  /** Received frames whose outer source matched no configured remote (delivered, not learned). */
  unknownSource: number;
  /** Frames dropped on send because the segment had no remote. */
  noRemote: number;
  /** Frames dropped on send because 8 + frame length exceeds maxDatagram. */
  tooBig: number;
}

export function newVxlanSegmentCounters(): VxlanSegmentCounters {
  return { unicast: 0, flooded: 0, learned: 0, unknownSource: 0, noRemote: 0, tooBig: 0 };
}
