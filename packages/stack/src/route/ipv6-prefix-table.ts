import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { RadixTrie, type RadixTrieOptions } from './radix-trie';

/** The 16 bytes at `offset` as four big-endian uint32 words. */
export function ipv6Words(bytes: Uint8Array, offset = 0): Uint32Array {
  const w = new Uint32Array(4);
  for (let k = 0; k < 4; k++) {
    const o = offset + 4 * k;
    w[k] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
  }
  return w;
}

function wordsToIpv6(words: Uint32Array): Ipv6Address {
  const b = new Uint8Array(16);
  for (let k = 0; k < 4; k++) {
    const w = words[k]!;
    b[4 * k] = w >>> 24;
    b[4 * k + 1] = (w >>> 16) & 0xff;
    b[4 * k + 2] = (w >>> 8) & 0xff;
    b[4 * k + 3] = w & 0xff;
  }
  return Ipv6Address.fromBytes(b);
}

/**
 * Longest-prefix-match table keyed by IPv6 prefixes (RFC 4291 2.3), over a
 * 128-bit RadixTrie. Keys are taken as given: a link-local prefix with an
 * embedded zone (IMPLEMENTATION 1.3.1, fe80:1::/64) is a different key from
 * fe80:2::/64, which is how KAME keeps per-link routes apart.
 */
export class Ipv6PrefixTable<V> {
  private readonly trie: RadixTrie<V>;
  private readonly key = new Uint32Array(4);

  constructor(options: RadixTrieOptions = {}) {
    this.trie = new RadixTrie<V>(128, options);
  }

  get size(): number {
    return this.trie.size;
  }
  get maxEntries(): number {
    return this.trie.maxEntries;
  }

  private words(prefix: Ipv6Prefix): Uint32Array {
    const b = prefix.address.bytes;
    const w = this.key;
    for (let k = 0; k < 4; k++) {
      w[k] = (b[4 * k]! << 24) | (b[4 * k + 1]! << 16) | (b[4 * k + 2]! << 8) | b[4 * k + 3]!;
    }
    return w;
  }

  /** Trie nodes in use (value and branch nodes). */
  get nodeCount(): number {
    return this.trie.nodeCount;
  }

  /** Bytes held by the multibit lookup index (0 below RadixTrieOptions.indexThreshold). */
  get indexBytes(): number {
    return this.trie.indexBytes;
  }

  /** RouteError EEXIST if present, ENOBUFS if full. */
  insert(prefix: Ipv6Prefix, value: V): void {
    this.trie.insert(this.words(prefix), prefix.length, value);
  }
  /** Replaces the value of a present prefix; false if absent. */
  replace(prefix: Ipv6Prefix, value: V): boolean {
    return this.trie.replace(this.words(prefix), prefix.length, value);
  }
  /** False if absent. */
  delete(prefix: Ipv6Prefix): boolean {
    return this.trie.delete(this.words(prefix), prefix.length);
  }
  /** Exact match. */
  get(prefix: Ipv6Prefix): V | undefined {
    return this.trie.get(this.words(prefix), prefix.length);
  }
  has(prefix: Ipv6Prefix): boolean {
    return this.trie.has(this.words(prefix), prefix.length);
  }
  /** Longest-prefix match. */
  lookup(addr: Ipv6Address): V | undefined {
    return this.trie.lookupBytes(addr.bytes, 0);
  }
  /** Longest-prefix match on 16 bytes in place (e.g. a packet's destination field); no allocation. */
  lookupBytes(bytes: Uint8Array, offset: number): V | undefined {
    return this.trie.lookupBytes(bytes, offset);
  }
  /** Longest-prefix match on four big-endian words. */
  lookupWords(w0: number, w1: number, w2: number, w3: number): V | undefined {
    return this.trie.lookupWords(w0, w1, w2, w3);
  }
  /** In prefix order: by address, shorter first. */
  *entries(): Generator<[Ipv6Prefix, V]> {
    for (const e of this.trie.entries()) yield [Ipv6Prefix.of(wordsToIpv6(e.words), e.length), e.value];
  }
  /** Lays nodes out subtree by subtree (see RadixTrie.compact); worth calling after a bulk load. */
  compact(): void {
    this.trie.compact();
  }
  clear(): void {
    this.trie.clear();
  }
}
