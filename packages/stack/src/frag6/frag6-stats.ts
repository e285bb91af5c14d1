/**
 * Fragmentation counters, a plain object the stats area can merge into
 * ip6stat. The `ip6s_*` names are KAME's (netinet6/ip6_var.h, as printed by
 * `netstat -s -p ip6`); the `frag6_*` names break ip6s_fragdropped down by
 * reason.
 *
 * Every fragment handed to Reassembler.input counts once in ip6s_fragments.
 * Every fragment that is discarded counts once in exactly one of
 * ip6s_fragdropped, ip6s_fragtimeout or ip6s_fragoverflow; a fragment counted
 * in ip6s_fragdropped also counts in exactly one `frag6_*` reason.
 */
export interface Frag6Stats {
  /** Fragments received (atomic ones included). */
  ip6s_fragments: number;
  /** Fragments discarded for any reason but timeout and resource limits. */
  ip6s_fragdropped: number;
  /** Fragments discarded because their datagram was not complete within the timeout. */
  ip6s_fragtimeout: number;
  /** Fragments discarded by a resource limit (queues, fragments per datagram, bytes). */
  ip6s_fragoverflow: number;
  /** Datagrams reassembled from two or more fragments. */
  ip6s_reassembled: number;
  /** Atomic fragments (offset 0, M 0) delivered on their own (RFC 6946). */
  ip6s_atomicfrags: number;

  /** Not a multiple of 8 octets with M set: Parameter Problem code 0 (RFC 8200 4.5). */
  frag6_badlength: number;
  /** Reassembled Payload Length would exceed 65,535 (RFC 8200 4.5). */
  frag6_toobig: number;
  /** First fragment without the whole header chain: Parameter Problem code 3 (RFC 7112). */
  frag6_incompletechain: number;
  /** A Fragment header in a jumbogram: Parameter Problem code 0 (RFC 2675 3). */
  frag6_jumbo: number;
  /** Truncated packet or a Fragment header offset that does not fit the packet. */
  frag6_malformed: number;
  /** Exact duplicates of a queued fragment, dropped alone (RFC 8200 4.5). */
  frag6_duplicate: number;
  /** Fragments discarded because an overlap abandoned their datagram (RFC 5722). */
  frag6_overlap: number;
  /** Fragments that contradict the datagram's known end (data past it, or a second end). */
  frag6_inconsistent: number;
  /** Fragments of an abandoned datagram, dropped silently until its timeout. */
  frag6_abandoned: number;
}

export function newFrag6Stats(): Frag6Stats {
  return {
    ip6s_fragments: 0,
    ip6s_fragdropped: 0,
    ip6s_fragtimeout: 0,
    ip6s_fragoverflow: 0,
    ip6s_reassembled: 0,
    ip6s_atomicfrags: 0,
    frag6_badlength: 0,
    frag6_toobig: 0,
    frag6_incompletechain: 0,
    frag6_jumbo: 0,
    frag6_malformed: 0,
    frag6_duplicate: 0,
    frag6_overlap: 0,
    frag6_inconsistent: 0,
    frag6_abandoned: 0,
  };
}
