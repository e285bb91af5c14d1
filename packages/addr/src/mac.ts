import { AddrParseError } from './parse-error';

/** A 48-bit IEEE 802 MAC address, immutable. */
export class MacAddress {
  static readonly LENGTH = 6;
  static readonly BROADCAST = new MacAddress(new Uint8Array([255, 255, 255, 255, 255, 255]));
  static readonly ZERO = new MacAddress(new Uint8Array(6));

  readonly bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  static fromBytes(src: Uint8Array, offset = 0): MacAddress {
    if (offset < 0 || offset + 6 > src.length) {
      throw new RangeError(`MacAddress.fromBytes: need 6 bytes at offset ${offset}, have ${src.length}`);
    }
    return new MacAddress(src.slice(offset, offset + 6));
  }

  /** `aa:bb:cc:dd:ee:ff` or `aa-bb-cc-dd-ee-ff`, one or two hex digits per part. */
  static parse(text: string): MacAddress {
    const sep = text.includes('-') ? '-' : ':';
    const parts = text.split(sep);
    if (parts.length !== 6) {
      throw new AddrParseError('MAC address', text, text.length, `${parts.length} parts, need 6`);
    }
    const b = new Uint8Array(6);
    let pos = 0;
    for (let i = 0; i < 6; i++) {
      const p = parts[i]!;
      if (!/^[0-9a-fA-F]{1,2}$/.test(p)) {
        throw new AddrParseError('MAC address', text, pos, `part '${p}' is not 1-2 hex digits`);
      }
      b[i] = parseInt(p, 16);
      pos += p.length + 1;
    }
    return new MacAddress(b);
  }

  isBroadcast(): boolean {
    return this.bytes.every((x) => x === 0xff);
  }
  /** I/G bit: group (multicast or broadcast) address. */
  isMulticast(): boolean {
    return (this.bytes[0]! & 1) === 1;
  }
  /** U/L bit: locally administered. */
  isLocal(): boolean {
    return (this.bytes[0]! & 2) === 2;
  }

  equals(other: MacAddress): boolean {
    for (let i = 0; i < 6; i++) if (this.bytes[i] !== other.bytes[i]) return false;
    return true;
  }

  toString(): string {
    let s = '';
    for (let i = 0; i < 6; i++) {
      if (i) s += ':';
      s += this.bytes[i]!.toString(16).padStart(2, '0');
    }
    return s;
  }
}
