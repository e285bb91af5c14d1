import { Ipv4Address, Ipv4Prefix } from '@kame/addr';
import { RadixTrie, type RadixTrieOptions } from './radix-trie';

/** Longest-prefix-match table keyed by IPv4 prefixes (RFC 4632 CIDR), over a 32-bit RadixTrie. */
export class Ipv4PrefixTable<V> {
  private readonly trie: RadixTrie<V>;
  private readonly key = [0];

  constructor(options: RadixTrieOptions = {}) {
    this.trie = new RadixTrie<V>(32, options);
  }

  get size(): number {
    return this.trie.size;
  }
  get maxEntries(): number {
    return this.trie.maxEntries;
  }
  get nodeCount(): number {
    return this.trie.nodeCount;
  }

  private words(prefix: Ipv4Prefix): number[] {
    this.key[0] = prefix.address.toNumber();
    return this.key;
  }

  /** RouteError EEXIST if present, ENOBUFS if full. */
  insert(prefix: Ipv4Prefix, value: V): void {
    this.trie.insert(this.words(prefix), prefix.length, value);
  }
  replace(prefix: Ipv4Prefix, value: V): boolean {
    return this.trie.replace(this.words(prefix), prefix.length, value);
  }
  delete(prefix: Ipv4Prefix): boolean {
    return this.trie.delete(this.words(prefix), prefix.length);
  }
  get(prefix: Ipv4Prefix): V | undefined {
    return this.trie.get(this.words(prefix), prefix.length);
  }
  has(prefix: Ipv4Prefix): boolean {
    return this.trie.has(this.words(prefix), prefix.length);
  }
  lookup(addr: Ipv4Address): V | undefined {
    return this.trie.lookupBytes(addr.bytes, 0);
  }
  /** Longest-prefix match on 4 bytes in place; no allocation. */
  lookupBytes(bytes: Uint8Array, offset: number): V | undefined {
    return this.trie.lookupBytes(bytes, offset);
  }
  /** Longest-prefix match on the address as a uint32. */
  lookupNumber(addr: number): V | undefined {
    return this.trie.lookupWords(addr, 0, 0, 0);
  }
  *entries(): Generator<[Ipv4Prefix, V]> {
    for (const e of this.trie.entries()) {
      yield [Ipv4Prefix.of(Ipv4Address.fromNumber(e.words[0]!), e.length), e.value];
    }
  }
  /** Lays nodes out subtree by subtree (see RadixTrie.compact); worth calling after a bulk load. */
  compact(): void {
    this.trie.compact();
  }
  clear(): void {
    this.trie.clear();
  }
}
