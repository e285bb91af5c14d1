import { ETHERNET_HEADER_LEN, ETHERTYPE_VLAN } from '@kame/wire';

/** Ethernet's classic payload MTU (RFC 894 / RFC 2464). */
export const DEFAULT_MTU = 1500;
/** An IEEE 802.1Q tag may ride on top of the MTU (a 1518-byte tagged frame is legal). */
export const VLAN_TAG_ALLOWANCE = 4;

export type FrameLengthVerdict = 'ok' | 'runt' | 'giant';

/** True when the frame carries an 802.1Q tag (TPID 0x8100 where the EtherType would be). */
export function isVlanTagged(frame: Uint8Array): boolean {
  return frame.length >= ETHERNET_HEADER_LEN && ((frame[12]! << 8) | frame[13]!) === ETHERTYPE_VLAN;
}

/** Largest acceptable frame (header included, no FCS) for a payload MTU: mtu + 14, + 4 when tagged. */
export function maxFrameLength(mtu: number, frame?: Uint8Array): number {
  return mtu + ETHERNET_HEADER_LEN + (frame !== undefined && isVlanTagged(frame) ? VLAN_TAG_ALLOWANCE : 0);
}

/** 'runt' below a whole Ethernet header, 'giant' above maxFrameLength(mtu, frame), else 'ok'. */
export function checkFrameLength(frame: Uint8Array, mtu: number): FrameLengthVerdict {
  if (frame.length < ETHERNET_HEADER_LEN) return 'runt';
  if (frame.length > maxFrameLength(mtu, frame)) return 'giant';
  return 'ok';
}

/** Throws RangeError unless `mtu` is a usable payload MTU (integer, 0..65535). */
export function validateMtu(mtu: number, what = 'mtu'): number {
  if (!Number.isInteger(mtu) || mtu < 0 || mtu > 65535) {
    throw new RangeError(
      `${what}: ${mtu} must be an integer number of payload bytes, 0..65535 (Ethernet: 1500)`,
    );
  }
  return mtu;
}
