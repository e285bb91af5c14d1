import type { Clock, Timer } from '@kame/time';
import {
  IPPROTO_AH,
  IPPROTO_DSTOPTS,
  IPPROTO_FRAGMENT,
  IPPROTO_HOPOPTS,
  IPPROTO_ROUTING,
  IPV6_FRAGMENT_HEADER_LEN,
  IPV6_HEADER_LEN,
  IPV6_MAX_PAYLOAD,
  parseFragmentHeaderAt,
  put16,
  u16,
} from '@kame/wire';
import { type Frag6Stats, newFrag6Stats } from './frag6-stats';
import { hasWholeHeaderChain } from './header-chain';

/** RFC 8200 4.5: reassembly is abandoned 60 s after the first-arriving fragment. */
export const IPV6_REASSEMBLY_TIMEOUT_MS = 60_000;

/** ICMPv6 Parameter Problem codes used here (RFC 4443 3.4, RFC 7112). */
export const ICMP6_PARAMPROB_HEADER = 0;
export const ICMP6_PARAMPROB_FIRSTFRAGMENT = 3;

/** Offset of the IPv6 Payload Length field. */
const PAYLOAD_LENGTH_FIELD = 4;

export interface Frag6Limits {
  /** Datagrams being reassembled at once (KAME sysctl net.inet6.ip6.maxfragpackets). */
  maxFragPackets: number;
  /** Fragments held for one datagram; one more abandons it. */
  maxFragsPerPacket: number;
  /** Octets held across all datagrams (fragment data, plus the whole first fragment). */
  maxBytes: number;
  /** Reassembly timeout, from the first-arriving fragment (RFC 8200 4.5). */
  timeoutMs: number;
}

export const DEFAULT_FRAG6_LIMITS: Readonly<Frag6Limits> = {
  maxFragPackets: 200,
  maxFragsPerPacket: 64,
  maxBytes: 2 * 1024 * 1024,
  timeoutMs: IPV6_REASSEMBLY_TIMEOUT_MS,
};

export interface ReassemblerOptions {
  clock: Clock;
  limits?: Partial<Frag6Limits>;
  /**
   * Reassembly timed out after the first fragment (offset 0) had arrived: the
   * stack sends ICMPv6 Time Exceeded code 1 to its source (RFC 8200 4.5).
   * `firstFragment` is a copy of that fragment packet as received.
   */
  timeExceeded?(firstFragment: Uint8Array): void;
  /**
   * A fragment was discarded with an ICMPv6 Parameter Problem due: `pointer`
   * is an offset in `packet` (the caller's buffer, valid during the call).
   */
  parameterProblem?(packet: Uint8Array, pointer: number, code: number): void;
}

/** A datagram ready for the next round of ip6_input. */
export interface Frag6Reassembled {
  /**
   * The whole IPv6 packet: the Unfragmentable Part of the first fragment with
   * the Fragment header removed, the Next Header that named it replaced by
   * the first fragment's Fragment header Next Header, the Payload Length
   * updated, then the Fragmentable Part.
   */
  packet: Uint8Array;
  /**
   * Where ip6_input resumes: the offset in `packet` of the first Fragmentable
   * header (the headers before it were processed as each fragment arrived,
   * RFC 8200 4.5).
   */
  offset: number;
  /** The protocol at `offset`. */
  nextHeader: number;
}

interface Piece {
  start: number;
  end: number;
  more: boolean;
  data: Uint8Array;
}

interface FirstFragment {
  /** Copy of the whole fragment packet (for Time Exceeded); data is a view into it. */
  packet: Uint8Array;
  /** Length of the Unfragmentable Part, IPv6 header included (= Fragment header offset). */
  unfragLength: number;
  /** Offset of the Next Header field that named the Fragment header. */
  nextHeaderField: number;
  /** The Fragment header's Next Header. */
  nextHeader: number;
}

interface Queue {
  readonly key: string;
  readonly deadline: number;
  /** Sorted by start; never overlapping. */
  pieces: Piece[];
  first: FirstFragment | undefined;
  /** Length of the Fragmentable Part once the last fragment (M 0) arrived. */
  total: number | undefined;
  /** Octets of data held. */
  received: number;
  /** Octets charged against maxBytes. */
  charge: number;
  /** RFC 5722: abandoned; later fragments are dropped silently until the deadline. */
  dead: boolean;
}

/**
 * IPv6 reassembly, the role of KAME's frag6.c (RFC 8200 4.5, RFC 5722,
 * RFC 6946, RFC 7112). Datagrams are keyed by (source, destination,
 * identification).
 *
 * Bounds: at most maxFragPackets queues (abandoned ones included), at most
 * maxFragsPerPacket fragments in one, at most maxBytes held in all. When the
 * table or the byte budget is full, the NEW fragment is refused
 * (ip6s_fragoverflow) and the queues already in progress are kept, as KAME
 * does: a flood of fresh identifications can then delay new datagrams by at
 * most one timeout, but cannot flush datagrams that are nearly complete. A
 * datagram that needs more than maxFragsPerPacket fragments is abandoned.
 *
 * All queues share one timeout, so the Map's insertion order is deadline
 * order and a single Clock timer, armed for the oldest queue, expires them.
 */
export class Reassembler {
  readonly stats: Frag6Stats = newFrag6Stats();
  readonly limits: Readonly<Frag6Limits>;
  private readonly clock: Clock;
  private readonly onTimeExceeded: ((firstFragment: Uint8Array) => void) | undefined;
  private readonly onParameterProblem:
    ((packet: Uint8Array, pointer: number, code: number) => void) | undefined;
  private readonly queues = new Map<string, Queue>();
  private held = 0;
  private timer: Timer | undefined;

  constructor(options: ReassemblerOptions) {
    this.clock = options.clock;
    this.limits = { ...DEFAULT_FRAG6_LIMITS, ...options.limits };
    this.onTimeExceeded = options.timeExceeded;
    this.onParameterProblem = options.parameterProblem;
  }

  /** Datagrams in the table (abandoned ones included). */
  get queueCount(): number {
    return this.queues.size;
  }

  /** Octets held against maxBytes. */
  get bytesHeld(): number {
    return this.held;
  }

  /** Fragments held across all datagrams. */
  get fragmentCount(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.pieces.length;
    return n;
  }

  /**
   * Feeds one fragment. `packet` is the whole IPv6 packet (link padding after
   * the Payload Length is ignored) and `fragmentHeaderOffset` the offset of
   * its Fragment header from the start of the IPv6 header (ip6_input's walk
   * offset: IPV6_HEADER_LEN + the walkExtensionHeaders offset). The headers
   * before it must already have been processed. Returns the reassembled
   * datagram, or undefined when the fragment was queued or dropped (see
   * `stats`). The packet is copied; the caller may reuse its buffer.
   */
  input(packet: Uint8Array, fragmentHeaderOffset: number): Frag6Reassembled | undefined {
    const s = this.stats;
    s.ip6s_fragments++;
    const fhOff = fragmentHeaderOffset;
    if (packet.length < IPV6_HEADER_LEN || !Number.isInteger(fhOff) || fhOff < IPV6_HEADER_LEN) {
      return this.drop('frag6_malformed');
    }
    const plen = u16(packet, PAYLOAD_LENGTH_FIELD);
    if (plen === 0) {
      // RFC 2675 3: a jumbogram must not carry a Fragment header (seed 1.7).
      this.onParameterProblem?.(packet, fhOff, ICMP6_PARAMPROB_HEADER);
      return this.drop('frag6_jumbo');
    }
    const end = IPV6_HEADER_LEN + plen;
    if (end > packet.length || fhOff + IPV6_FRAGMENT_HEADER_LEN > end) return this.drop('frag6_malformed');

    const fh = parseFragmentHeaderAt(packet, fhOff);
    const dataOff = fhOff + IPV6_FRAGMENT_HEADER_LEN;
    const length = end - dataOff;
    const start = fh.fragmentOffset * 8;
    if (fh.more && length % 8 !== 0) {
      this.onParameterProblem?.(packet, PAYLOAD_LENGTH_FIELD, ICMP6_PARAMPROB_HEADER);
      return this.drop('frag6_badlength');
    }
    if (fhOff - IPV6_HEADER_LEN + start + length > IPV6_MAX_PAYLOAD) {
      // Pointer to the Fragment Offset field (octet 2 of the Fragment header).
      this.onParameterProblem?.(packet, fhOff + 2, ICMP6_PARAMPROB_HEADER);
      return this.drop('frag6_toobig');
    }

    let nextHeaderField = -1;
    if (start === 0) {
      nextHeaderField = fieldNamingHeaderAt(packet, fhOff);
      if (nextHeaderField < 0) return this.drop('frag6_malformed');
      if (!hasWholeHeaderChain(fh.nextHeader, packet.subarray(dataOff, end))) {
        // RFC 7112 5: code 3, and the Pointer is zero.
        this.onParameterProblem?.(packet, 0, ICMP6_PARAMPROB_FIRSTFRAGMENT);
        return this.drop('frag6_incompletechain');
      }
      if (!fh.more) {
        // RFC 6946 4: an atomic fragment is "reassembled" alone, whatever is queued.
        s.ip6s_atomicfrags++;
        return build(
          packet.subarray(0, end),
          fhOff,
          nextHeaderField,
          fh.nextHeader,
          packet.subarray(dataOff, end),
        );
      }
    }

    const key = flowKey(packet, fh.identification);
    let q = this.queues.get(key);
    const charge = start === 0 ? end : length;
    if (q === undefined) {
      if (
        this.queues.size >= this.limits.maxFragPackets ||
        this.limits.maxFragsPerPacket < 1 ||
        this.held + charge > this.limits.maxBytes
      ) {
        return this.overflow(1);
      }
      q = {
        key,
        deadline: this.clock.now() + this.limits.timeoutMs,
        pieces: [],
        first: undefined,
        total: undefined,
        received: 0,
        charge: 0,
        dead: false,
      };
      this.queues.set(key, q);
      this.arm();
    }
    if (q.dead) return this.drop('frag6_abandoned');

    const fragEnd = start + length;
    // The datagram's end is fixed by its last fragment: nothing may lie past it.
    if (!fh.more) {
      if (q.total !== undefined && q.total !== fragEnd) return this.abandon(q, 'frag6_inconsistent');
      const last = q.pieces[q.pieces.length - 1];
      if (last !== undefined && last.end > fragEnd) return this.abandon(q, 'frag6_inconsistent');
    } else if (q.total !== undefined && fragEnd > q.total) {
      return this.abandon(q, 'frag6_inconsistent');
    }

    // RFC 5722 / RFC 8200 4.5: any overlap abandons the datagram; exact duplicates may be dropped alone.
    let at = 0;
    for (const p of q.pieces) {
      if (p.start === start && p.end === fragEnd) {
        if (p.more === fh.more && equalBytes(p.data, packet.subarray(dataOff, end))) {
          return this.drop('frag6_duplicate');
        }
        return this.abandon(q, 'frag6_overlap');
      }
      if (start < p.end && p.start < fragEnd) return this.abandon(q, 'frag6_overlap');
      // An empty fragment at the start of another is ambiguous (which comes first?): an overlap.
      if (p.start === start) return this.abandon(q, 'frag6_overlap');
      if (p.start < start) at++;
    }

    if (q.pieces.length >= this.limits.maxFragsPerPacket) {
      const n = q.pieces.length + 1;
      this.kill(q);
      return this.overflow(n);
    }
    if (this.held + charge > this.limits.maxBytes) return this.overflow(1);

    let data: Uint8Array;
    if (start === 0) {
      const copy = packet.slice(0, end);
      data = copy.subarray(dataOff);
      q.first = { packet: copy, unfragLength: fhOff, nextHeaderField, nextHeader: fh.nextHeader };
    } else {
      data = packet.slice(dataOff, end);
    }
    q.pieces.splice(at, 0, { start, end: fragEnd, more: fh.more, data });
    q.received += length;
    q.charge += charge;
    this.held += charge;
    if (!fh.more) q.total = fragEnd;

    if (q.first === undefined || q.total === undefined || q.received !== q.total) return undefined;
    // No overlaps and nothing past the end, so `received === total` means no holes.
    const first = q.first;
    const total = q.total;
    const pieces = q.pieces;
    this.remove(q);
    if (first.unfragLength - IPV6_HEADER_LEN + total > IPV6_MAX_PAYLOAD) {
      s.ip6s_fragdropped += pieces.length;
      s.frag6_toobig += pieces.length;
      return undefined;
    }
    s.ip6s_reassembled++;
    const out = new Uint8Array(first.unfragLength + total);
    out.set(first.packet.subarray(0, first.unfragLength), 0);
    for (const p of pieces) out.set(p.data, first.unfragLength + p.start);
    out[first.nextHeaderField] = first.nextHeader;
    put16(out, PAYLOAD_LENGTH_FIELD, first.unfragLength - IPV6_HEADER_LEN + total);
    return { packet: out, offset: first.unfragLength, nextHeader: first.nextHeader };
  }

  /** Cancels the expiry timer and forgets every queue (counted as timed out, no ICMPv6). */
  dispose(): void {
    this.timer?.cancel();
    this.timer = undefined;
    for (const q of this.queues.values()) this.stats.ip6s_fragtimeout += q.pieces.length;
    this.queues.clear();
    this.held = 0;
  }

  private drop(reason: Exclude<keyof Frag6Stats, `ip6s_${string}`>, n = 1): undefined {
    this.stats.ip6s_fragdropped += n;
    this.stats[reason] += n;
    return undefined;
  }

  private overflow(n: number): undefined {
    this.stats.ip6s_fragoverflow += n;
    return undefined;
  }

  /** Discards the held fragments and the arriving one; the queue stays as a tombstone until its deadline. */
  private abandon(q: Queue, reason: 'frag6_overlap' | 'frag6_inconsistent'): undefined {
    const n = q.pieces.length + 1;
    this.kill(q);
    return this.drop(reason, n);
  }

  private kill(q: Queue): void {
    this.held -= q.charge;
    q.charge = 0;
    q.pieces = [];
    q.first = undefined;
    q.total = undefined;
    q.received = 0;
    q.dead = true;
  }

  private remove(q: Queue): void {
    this.held -= q.charge;
    this.queues.delete(q.key);
  }

  private arm(): void {
    if (this.timer?.pending) return;
    const oldest = this.queues.values().next();
    if (oldest.done) return;
    this.timer = this.clock.setTimer(Math.max(0, oldest.value.deadline - this.clock.now()), () =>
      this.expire(),
    );
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.clock.now();
    for (const q of this.queues.values()) {
      if (q.deadline > now) break;
      this.remove(q);
      if (q.dead) continue; // RFC 5722: no ICMPv6 for an abandoned datagram.
      this.stats.ip6s_fragtimeout += q.pieces.length;
      if (q.first !== undefined) this.onTimeExceeded?.(q.first.packet);
    }
    this.arm();
  }
}

/** (source, destination, identification), RFC 8200 4.5. */
function flowKey(packet: Uint8Array, identification: number): string {
  return String.fromCharCode(...packet.subarray(8, 40)) + identification.toString(36);
}

/**
 * Offset of the Next Header field that names the header at `target`, walking
 * the extension headers between the IPv6 header and it; -1 when the chain does
 * not lead to a Fragment header at `target`.
 */
function fieldNamingHeaderAt(packet: Uint8Array, target: number): number {
  let field = 6;
  let off = IPV6_HEADER_LEN;
  while (off < target) {
    if (off + 2 > packet.length) return -1;
    const nh = packet[field]!;
    let len: number;
    if (nh === IPPROTO_HOPOPTS || nh === IPPROTO_ROUTING || nh === IPPROTO_DSTOPTS) {
      len = (packet[off + 1]! + 1) * 8;
    } else if (nh === IPPROTO_AH) {
      len = (packet[off + 1]! + 2) * 4;
    } else if (nh === IPPROTO_FRAGMENT) {
      len = IPV6_FRAGMENT_HEADER_LEN;
    } else {
      return -1;
    }
    field = off;
    off += len;
  }
  return off === target && packet[field] === IPPROTO_FRAGMENT ? field : -1;
}

function build(
  packet: Uint8Array,
  fhOff: number,
  nextHeaderField: number,
  nextHeader: number,
  data: Uint8Array,
): Frag6Reassembled {
  const out = new Uint8Array(fhOff + data.length);
  out.set(packet.subarray(0, fhOff), 0);
  out.set(data, fhOff);
  out[nextHeaderField] = nextHeader;
  put16(out, PAYLOAD_LENGTH_FIELD, fhOff - IPV6_HEADER_LEN + data.length);
  return { packet: out, offset: fhOff, nextHeader };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
