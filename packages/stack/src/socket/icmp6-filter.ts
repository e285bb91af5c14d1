/**
 * struct icmp6_filter (RFC 3542 3.2): one pass/block bit per ICMPv6 type,
 * applied to what a raw ICMPv6 socket receives. A new raw ICMPv6 socket
 * passes every type (RFC 3542 3.2: "the default ... is to pass all").
 */
export class Icmp6Filter {
  /** Bit set = blocked (as ICMP6_FILTER_WILLBLOCK reads it). */
  private readonly blocked = new Uint32Array(8);

  /** ICMP6_FILTER_SETPASSALL. */
  static passAll(): Icmp6Filter {
    return new Icmp6Filter();
  }

  /** ICMP6_FILTER_SETBLOCKALL. */
  static blockAll(): Icmp6Filter {
    return new Icmp6Filter().setBlockAll();
  }

  /** A filter passing exactly the listed types (the usual daemon idiom). */
  static passOnly(types: Iterable<number>): Icmp6Filter {
    const f = Icmp6Filter.blockAll();
    for (const t of types) f.setPass(t);
    return f;
  }

  setPassAll(): this {
    this.blocked.fill(0);
    return this;
  }

  setBlockAll(): this {
    this.blocked.fill(0xffffffff);
    return this;
  }

  setPass(type: number): this {
    checkType(type);
    this.blocked[type >>> 5] = this.word(type) & ~bit(type);
    return this;
  }

  setBlock(type: number): this {
    checkType(type);
    this.blocked[type >>> 5] = this.word(type) | bit(type);
    return this;
  }

  willPass(type: number): boolean {
    checkType(type);
    return (this.word(type) & bit(type)) === 0;
  }

  willBlock(type: number): boolean {
    return !this.willPass(type);
  }

  /** Types that pass, ascending. */
  passed(): number[] {
    const out: number[] = [];
    for (let t = 0; t < 256; t++) if (this.willPass(t)) out.push(t);
    return out;
  }

  clone(): Icmp6Filter {
    const f = new Icmp6Filter();
    f.blocked.set(this.blocked);
    return f;
  }

  equals(other: Icmp6Filter): boolean {
    return this.blocked.every((w, i) => w === other.blocked[i]);
  }

  private word(type: number): number {
    return this.blocked[type >>> 5]!;
  }
}

function bit(type: number): number {
  return (1 << (type & 31)) >>> 0;
}

function checkType(type: number): void {
  if (!Number.isInteger(type) || type < 0 || type > 255) throw new RangeError(`ICMPv6 type ${type}`);
}
