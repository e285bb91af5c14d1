import { Ipv4Address, MacAddress } from '@kame/addr';
import { type Codec, encodeWith, ensure, ensureRoom, put16, u16 } from '../codec';
import { DecodeError } from '../decode-error';

/**
 * ARP for Ethernet / IPv4, RFC 826:
 *   hrd(16)=1 pro(16)=0x0800 hln(8)=6 pln(8)=4 op(16)
 *   sha(6) spa(4) tha(6) tpa(4)
 */
export const ARP_LEN = 28;
export const ARP_HRD_ETHERNET = 1;
export const ARP_PRO_IPV4 = 0x0800;
export const ARP_OP_REQUEST = 1;
export const ARP_OP_REPLY = 2;

export interface ArpRepr {
  /** ARP_OP_REQUEST (1) or ARP_OP_REPLY (2). */
  operation: number;
  senderHardware: MacAddress;
  senderProtocol: Ipv4Address;
  targetHardware: MacAddress;
  targetProtocol: Ipv4Address;
}

/** Checked view over an ARP packet (length only). */
export class ArpPacket {
  private constructor(readonly bytes: Uint8Array) {}

  static of(bytes: Uint8Array): ArpPacket {
    ensure(bytes, 0, 8, 'ARP', 'header');
    return new ArpPacket(bytes);
  }
  get hardwareType(): number {
    return u16(this.bytes, 0);
  }
  get protocolType(): number {
    return u16(this.bytes, 2);
  }
  get hardwareLength(): number {
    return this.bytes[4]!;
  }
  get protocolLength(): number {
    return this.bytes[5]!;
  }
  get operation(): number {
    return u16(this.bytes, 6);
  }
}

/** Parses; trailing bytes (Ethernet minimum-frame padding) are ignored. */
function parse(bytes: Uint8Array): ArpRepr {
  const p = ArpPacket.of(bytes);
  if (p.hardwareType !== ARP_HRD_ETHERNET) {
    throw new DecodeError('ARP', 'hardware type', 0, `${p.hardwareType} (want 1, Ethernet)`);
  }
  if (p.protocolType !== ARP_PRO_IPV4) {
    throw new DecodeError('ARP', 'protocol type', 2, `0x${p.protocolType.toString(16)} (want 0x800, IPv4)`);
  }
  if (p.hardwareLength !== 6)
    throw new DecodeError('ARP', 'hardware length', 4, `${p.hardwareLength} (want 6)`);
  if (p.protocolLength !== 4)
    throw new DecodeError('ARP', 'protocol length', 5, `${p.protocolLength} (want 4)`);
  const operation = p.operation;
  if (operation !== ARP_OP_REQUEST && operation !== ARP_OP_REPLY) {
    throw new DecodeError('ARP', 'operation', 6, `${operation} (want 1 request or 2 reply)`);
  }
  ensure(bytes, 8, ARP_LEN - 8, 'ARP', 'addresses');
  return {
    operation,
    senderHardware: MacAddress.fromBytes(bytes, 8),
    senderProtocol: Ipv4Address.fromBytes(bytes, 14),
    targetHardware: MacAddress.fromBytes(bytes, 18),
    targetProtocol: Ipv4Address.fromBytes(bytes, 24),
  };
}

function bufferLen(): number {
  return ARP_LEN;
}

function emit(r: ArpRepr, buf: Uint8Array, offset: number): number {
  ensureRoom(buf, offset, ARP_LEN, 'ARP');
  put16(buf, offset, ARP_HRD_ETHERNET);
  put16(buf, offset + 2, ARP_PRO_IPV4);
  buf[offset + 4] = 6;
  buf[offset + 5] = 4;
  put16(buf, offset + 6, r.operation & 0xffff);
  buf.set(r.senderHardware.bytes, offset + 8);
  buf.set(r.senderProtocol.bytes, offset + 14);
  buf.set(r.targetHardware.bytes, offset + 18);
  buf.set(r.targetProtocol.bytes, offset + 24);
  return ARP_LEN;
}

export const arp: Codec<ArpRepr> = {
  protocol: 'ARP',
  parse,
  bufferLen,
  emit,
  encode: encodeWith(bufferLen, emit),
};
