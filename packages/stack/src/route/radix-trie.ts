import { DIR_BITS, MAX_INDEX_ID, MultibitIndex, PrefixList } from './multibit-index';
import { RouteError } from './route-error';

/** No node. */
const NONE = -1;
/** int32 per node; a power of two (ids shift by 3 to index `values`). */
const STRIDE = 8;
const META = 0;
const C0 = 1;
const PARENT = 3;
const KEY = 4;
const HAS_VALUE = 0x100;
/** Bits of the key that index the multibit index's direct table: its unit of rebuild. */
const SLOT_BITS = DIR_BITS;
const SLOTS = 1 << SLOT_BITS;
/** More dirty slots than this and the next flush rebuilds the whole index instead. */
const MAX_DIRTY = 2048;

export interface RadixTrieOptions {
  /** Most values the trie will hold; an insert beyond it fails with ENOBUFS. Default: unbounded. */
  maxEntries?: number;
  /**
   * The multibit lookup index (see MultibitIndex: a 2^16-slot direct table,
   * 256 KiB, plus ~20 bytes per prefix) is built once the trie holds this many
   * values: small tables (a host's handful of routes) do not pay for it and
   * are answered by walking the trie. Default 256; 0 builds it at once,
   * Infinity never.
   */
  indexThreshold?: number;
}

/** One stored prefix, as `entries()` yields it. `words` is a fresh copy. */
export interface RadixEntry<V> {
  words: Uint32Array;
  length: number;
  value: V;
}

/**
 * A path-compressed binary trie (patricia / radix tree, the structure BSD's
 * routing table is built on) over keys of 32 or 128 bits held as big-endian
 * uint32 words, answering longest-prefix match.
 *
 * Layout: nodes live in parallel typed arrays indexed by node id (prefix
 * length, two children, parent, key words, has-value flag); values sit in one
 * plain array beside them. A node either carries a value (a stored prefix) or
 * is a branch ("glue") node with two children; a node's key is a prefix of
 * every key below it, and child b differs from it first at bit `length`.
 *
 * Lookup walks down by the query's bits without comparing keys (path
 * compression skips bits), remembering value nodes on a preallocated stack;
 * then one common-prefix computation against the last node visited tells
 * which of the remembered nodes really match: since every node on the path is
 * a prefix of the last one, node r matches iff r.length <= cpl(query, last).
 * So a lookup allocates nothing and compares keys once.
 *
 * Once the trie is large, lookups go to a read-optimised multibit index
 * derived from it (MultibitIndex: 16-bit direct table, 256-way popcount-packed
 * nodes, single-prefix subtrees collapsed to one leaf; a hit on a /48 reads
 * about four cache lines instead of a dozen trie nodes). The trie stays the
 * authority (exact get, iteration, updates); the index holds value ids (node
 * slot + 1) and is kept in step lazily: an insert or delete marks the /16
 * slots its prefix covers dirty, and the next lookup rebuilds those slots'
 * subtrees (cost O(prefixes under that /16); a prefix shorter than /16
 * dirties 2^(16 - length) slots, and past MAX_DIRTY slots, a node
 * renumbering (`compact`) or too much dead index memory the whole index is
 * rebuilt, O(n)). A burst of updates thus costs one rebuild per touched slot,
 * paid by the first lookup after it.
 */
export class RadixTrie<V> {
  /** 32 (IPv4) or 128 (IPv6). */
  readonly keyBits: 32 | 128;
  readonly maxEntries: number;
  private readonly words: number;
  /** -1 for 128-bit keys, 0 for 32-bit ones: masks words 1..3 of a query. */
  private readonly wideMask: number;
  private readonly indexThreshold: number;

  private cap = 0;
  /**
   * All node fields interleaved, STRIDE int32 per node, so one node is one
   * 32-byte block (half a cache line): [META] prefix length | has-value << 8,
   * [C0] [C1] children, [PARENT], [KEY..KEY+3] key words (masked).
   */
  private node = new Int32Array(0);
  private values: (V | undefined)[] = [];
  /** Node slots ever used (a node's id is its offset, slot * STRIDE). */
  private highWater = 0;
  private readonly freeList: number[] = [];
  private root = NONE;
  private count = 0;

  /** The lookup index once built (see `indexThreshold`); value ids are node slot + 1. */
  private index: MultibitIndex | undefined;
  /** The index is behind the trie: some slots (or all) need a rebuild before the next lookup. */
  private pending = false;
  private fullRebuild = false;
  private readonly dirty = new Uint8Array(SLOTS);
  private readonly dirtyList: number[] = [];
  private readonly slotList = new PrefixList();
  private readonly dfs: number[] = [];
  /** Inserts and deletes since the last `compact`. */
  private churn = 0;

  /** Value nodes seen on the way down; depth <= keyBits + 1. */
  private readonly path: Int32Array;
  /** Scratch key for updates. */
  private readonly q = new Uint32Array(4);

  constructor(keyBits: 32 | 128, options: RadixTrieOptions = {}) {
    if (keyBits !== 32 && keyBits !== 128) throw new RangeError(`keyBits must be 32 or 128, got ${keyBits}`);
    const max = options.maxEntries ?? Infinity;
    if (!(max >= 0)) throw new RangeError(`maxEntries must be >= 0, got ${max}`);
    this.keyBits = keyBits;
    this.words = keyBits >>> 5;
    this.wideMask = keyBits === 128 ? -1 : 0;
    this.maxEntries = max;
    this.indexThreshold = options.indexThreshold ?? 256;
    this.path = new Int32Array(keyBits + 2);
    this.grow(16);
  }

  /** Number of stored prefixes. */
  get size(): number {
    return this.count;
  }

  /** Nodes in use, value and branch nodes together (for memory estimates). */
  get nodeCount(): number {
    return this.highWater - this.freeList.length;
  }

  /**
   * Stores `value` under words/length. Bits after `length` are ignored.
   * Throws RouteError EEXIST if the prefix is present, ENOBUFS if full.
   */
  insert(words: ArrayLike<number>, length: number, value: V): void {
    const q = this.loadKey(words, length);
    let n = this.root;
    if (n === NONE) {
      this.checkRoom();
      this.root = this.newNode(q, length, true, value);
      this.stored(q, length);
      return;
    }
    const node = () => this.node;
    for (;;) {
      const nl = this.plen(n);
      const c = this.commonLength(q, n, length < nl ? length : nl);
      if (c < nl) {
        // The new key leaves the path above n: it becomes n's parent, or a
        // branch node at bit c gets both as children.
        this.checkRoom();
        const p = node()[n + PARENT]!;
        if (c === length) {
          const m = this.newNode(q, length, true, value);
          this.replaceChild(p, n, m);
          this.link(m, this.nodeBit(n, length), n);
        } else {
          const g = this.newNode(q, c, false, undefined);
          const m = this.newNode(q, length, true, value);
          this.replaceChild(p, n, g);
          this.link(g, this.nodeBit(n, c), n);
          this.link(g, keyBit(q, c), m);
        }
        this.stored(q, length);
        return;
      }
      if (nl === length) {
        if (this.hasValue(n)) throw new RouteError('EEXIST', `prefix /${length} already present`);
        this.checkRoom();
        node()[n + META] = length | HAS_VALUE;
        this.values[n >> 3] = value;
        this.stored(q, length);
        return;
      }
      const b = keyBit(q, nl);
      const next = node()[n + C0 + b]!;
      if (next === NONE) {
        this.checkRoom();
        this.link(n, b, this.newNode(q, length, true, value));
        this.stored(q, length);
        return;
      }
      n = next;
    }
  }

  /** Replaces the value of a stored prefix; false if it is absent. */
  replace(words: ArrayLike<number>, length: number, value: V): boolean {
    const n = this.findExact(this.loadKey(words, length), length);
    if (n === NONE) return false;
    this.values[n >> 3] = value;
    return true;
  }

  /** Removes a stored prefix; false if it is absent. */
  delete(words: ArrayLike<number>, length: number): boolean {
    const q = this.loadKey(words, length);
    let n = this.findExact(q, length);
    if (n === NONE) return false;
    const node = this.node;
    node[n + META] = length;
    this.values[n >> 3] = undefined;
    this.count--;
    // Drop nodes that no longer carry a value or branch: a leaf goes, a node
    // with one child is spliced out, and a branch node left with one child
    // after its leaf went is spliced out in turn.
    while (n !== NONE && !this.hasValue(n)) {
      const c0 = node[n + C0]!;
      const c1 = node[n + C0 + 1]!;
      if (c0 !== NONE && c1 !== NONE) break;
      const p = node[n + PARENT]!;
      const only = c0 !== NONE ? c0 : c1;
      if (only !== NONE) {
        this.replaceChild(p, n, only);
        this.free(n);
        break;
      }
      if (p === NONE) this.root = NONE;
      else node[p + C0 + (node[p + C0] === n ? 0 : 1)] = NONE;
      this.free(n);
      n = p;
    }
    this.markDirty(q, length);
    this.noteChurn();
    return true;
  }

  /**
   * Renumbers nodes in pre-order so each subtree sits in one contiguous run
   * of memory: a lookup then touches a page or two instead of one per level
   * (random inserts scatter a path over the whole array, and on a large
   * table TLB and cache misses, not instructions, bound lookup speed).
   * Runs by itself once churn since the last run exceeds the table size
   * (amortised O(1) per update); callers may run it after a bulk load.
   * Also rebuilds the lookup index from scratch, so that cost lands here
   * rather than on the first lookup after a bulk load.
   */
  compact(): void {
    this.renumber();
    if (this.index !== undefined) this.flush();
  }

  /** Bytes held by the lookup index (0 while there is none). */
  get indexBytes(): number {
    return this.index?.bytes ?? 0;
  }

  private renumber(): void {
    this.churn = 0;
    const old = this.node;
    const used = this.highWater;
    const node = new Int32Array(this.cap * STRIDE);
    const values = new Array<V | undefined>();
    const map = new Int32Array(used).fill(NONE);
    // Value nodes take slots 0..count-1, branch nodes the ones after, each
    // group in pre-order: `values` is then dense, and the lookup index's
    // final read (values[id]) ranges over count entries rather than all nodes.
    let nextValue = 0;
    let nextBranch = this.count * STRIDE;
    if (this.root !== NONE) {
      const stack: number[] = [this.root];
      while (stack.length > 0) {
        const n = stack.pop()!;
        const to = (old[n + META]! & HAS_VALUE) !== 0 ? nextValue : nextBranch;
        if (to === nextValue) nextValue += STRIDE;
        else nextBranch += STRIDE;
        map[n >> 3] = to;
        node.set(old.subarray(n, n + STRIDE), to);
        const c1 = old[n + C0 + 1]!;
        const c0 = old[n + C0]!;
        if (c1 !== NONE) stack.push(c1);
        if (c0 !== NONE) stack.push(c0);
      }
    }
    const next = nextBranch;
    const remap = (n: number): number => (n === NONE ? NONE : map[n >> 3]!);
    for (let n = 0; n < next; n += STRIDE) {
      node[n + C0] = remap(node[n + C0]!);
      node[n + C0 + 1] = remap(node[n + C0 + 1]!);
      node[n + PARENT] = remap(node[n + PARENT]!);
    }
    for (let i = 0; i < this.cap; i++) values.push(undefined);
    for (let n = 0; n < used; n++) {
      const to = map[n]!;
      if (to !== NONE) values[to >> 3] = this.values[n];
    }
    this.node = node;
    this.values = values;
    this.root = remap(this.root);
    this.highWater = next / STRIDE;
    this.freeList.length = 0;
    if (this.index !== undefined) {
      // Every value id moved.
      this.fullRebuild = true;
      this.pending = true;
    }
  }

  private noteChurn(): void {
    if (++this.churn >= 4096 && 2 * this.churn >= this.count) this.renumber();
  }

  /** The value stored for exactly this prefix. */
  get(words: ArrayLike<number>, length: number): V | undefined {
    const n = this.findExact(this.loadKey(words, length), length);
    return n === NONE ? undefined : this.values[n >> 3];
  }

  has(words: ArrayLike<number>, length: number): boolean {
    return this.findExact(this.loadKey(words, length), length) !== NONE;
  }

  /** Longest-prefix match for a key given as words (missing words read as 0). */
  lookup(words: ArrayLike<number>): V | undefined {
    return this.lookupWords(words[0]! | 0, (words[1] ?? 0) | 0, (words[2] ?? 0) | 0, (words[3] ?? 0) | 0);
  }

  /** Longest-prefix match for the key at bytes[offset..offset+keyBits/8), no allocation. */
  lookupBytes(bytes: Uint8Array, offset: number): V | undefined {
    const b = bytes;
    const o = offset;
    const w0 = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    if (this.words !== 1) {
      w1 = (b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!;
      w2 = (b[o + 8]! << 24) | (b[o + 9]! << 16) | (b[o + 10]! << 8) | b[o + 11]!;
      w3 = (b[o + 12]! << 24) | (b[o + 13]! << 16) | (b[o + 14]! << 8) | b[o + 15]!;
    }
    if (this.pending) this.flush();
    const index = this.index;
    if (index === undefined) return this.walkTrie(w0, w1, w2, w3);
    const id1 = index.match(w0, w1, w2, w3);
    return id1 === 0 ? undefined : this.values[id1 - 1];
  }

  /** Longest-prefix match for a key given as four words (w1..w3 ignored for 32-bit keys). */
  lookupWords(w0: number, w1: number, w2: number, w3: number): V | undefined {
    // One call site per callee and no branches on the way to the index keep
    // this small enough for V8 to inline into the caller's loop.
    if (this.pending) this.flush();
    const index = this.index;
    if (index === undefined) return this.walkTrie(w0, w1, w2, w3);
    const m = this.wideMask;
    const id1 = index.match(w0 | 0, w1 & m, w2 & m, w3 & m);
    return id1 === 0 ? undefined : this.values[id1 - 1];
  }

  private walkTrie(w0: number, w1: number, w2: number, w3: number): V | undefined {
    const n = this.match(w0 | 0, w1 | 0, w2 | 0, w3 | 0);
    return n === NONE ? undefined : this.values[n >> 3];
  }

  /** Stored prefixes in order: by network address, then shorter first (`netstat -rn` order). */
  *entries(): Generator<RadixEntry<V>> {
    // Pre-order, child 0 before child 1: a node's key is a prefix of its
    // subtree (so equal-or-lower address, shorter), and 0-side keys sort first.
    if (this.root === NONE) return;
    const stack: number[] = [this.root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      const node = this.node;
      const c0 = node[n + C0]!;
      const c1 = node[n + C0 + 1]!;
      if (c1 !== NONE) stack.push(c1);
      if (c0 !== NONE) stack.push(c0);
      if (this.hasValue(n)) {
        yield {
          words: new Uint32Array(node.subarray(n + KEY, n + KEY + this.words)),
          length: this.plen(n),
          value: this.values[n >> 3] as V,
        };
      }
    }
  }

  clear(): void {
    this.root = NONE;
    this.count = 0;
    this.highWater = 0;
    this.churn = 0;
    this.freeList.length = 0;
    this.values.fill(undefined);
    this.index = undefined;
    this.pending = false;
    this.fullRebuild = false;
    this.dirty.fill(0);
    this.dirtyList.length = 0;
  }

  // --- lookup core ---------------------------------------------------------

  /** Node id of the longest match, or NONE. Words are int32 (sign is irrelevant to bit tests). */
  private match(w0: number, w1: number, w2: number, w3: number): number {
    let n = this.root;
    const fallback = NONE;
    if (n === NONE) return fallback;
    const node = this.node;
    const path = this.path;
    let depth = 0;
    let last: number;
    do {
      last = n;
      const meta = node[n]!;
      if (meta > 0xff) path[depth++] = n;
      const pos = meta & 0xff;
      const w = pos < 32 ? w0 : pos < 64 ? w1 : pos < 96 ? w2 : w3;
      // At pos 32 (v4) or 128 (v6) the node is a host entry: both children are NONE.
      n = node[n + C0 + ((w >>> (31 - (pos & 31))) & 1)]!;
    } while (n !== NONE);
    if (depth === 0) return fallback;
    // Common prefix length of the query and the last node's key.
    const k = last + KEY;
    let c: number;
    let x = w0 ^ node[k]!;
    if (x !== 0 || this.words === 1) c = Math.clz32(x);
    else if ((x = w1 ^ node[k + 1]!) !== 0) c = 32 + Math.clz32(x);
    else if ((x = w2 ^ node[k + 2]!) !== 0) c = 64 + Math.clz32(x);
    else c = 96 + Math.clz32(w3 ^ node[k + 3]!);
    for (let i = depth - 1; i >= 0; i--) {
      const r = path[i]!;
      if ((node[r]! & 0xff) <= c) return r;
    }
    return fallback;
  }

  // --- helpers -------------------------------------------------------------

  private plen(n: number): number {
    return this.node[n + META]! & 0xff;
  }

  private hasValue(n: number): boolean {
    return (this.node[n + META]! & HAS_VALUE) !== 0;
  }

  private loadKey(words: ArrayLike<number>, length: number): Uint32Array {
    if (!Number.isInteger(length) || length < 0 || length > this.keyBits) {
      throw new RouteError('EINVAL', `prefix length ${length} outside 0..${this.keyBits}`);
    }
    const q = this.q;
    for (let k = 0; k < 4; k++) q[k] = k < this.words ? maskWord(words[k] ?? 0, length, k) : 0;
    return q;
  }

  private findExact(q: Uint32Array, length: number): number {
    let n = this.root;
    while (n !== NONE && this.plen(n) < length) n = this.node[n + C0 + keyBit(q, this.plen(n))]!;
    if (n === NONE || this.plen(n) !== length || !this.hasValue(n)) return NONE;
    return this.commonLength(q, n, length) === length ? n : NONE;
  }

  /** Common leading bits of q and node n's key, at most `limit`. */
  private commonLength(q: Uint32Array, n: number, limit: number): number {
    for (let k = 0; k < this.words && 32 * k < limit; k++) {
      const x = q[k]! ^ this.node[n + KEY + k]!;
      if (x !== 0) {
        const c = 32 * k + Math.clz32(x);
        return c < limit ? c : limit;
      }
    }
    return limit;
  }

  private nodeBit(n: number, pos: number): number {
    return (this.node[n + KEY + (pos >>> 5)]! >>> (31 - (pos & 31))) & 1;
  }

  private checkRoom(): void {
    if (this.count >= this.maxEntries) {
      throw new RouteError('ENOBUFS', `table full (${this.maxEntries} entries)`);
    }
  }

  private newNode(q: Uint32Array, length: number, withValue: boolean, value: V | undefined): number {
    let n = this.freeList.pop();
    if (n === undefined) {
      if (this.highWater === this.cap) this.grow(this.cap * 2);
      n = STRIDE * this.highWater++;
    }
    const node = this.node;
    node[n + META] = withValue ? length | HAS_VALUE : length;
    node[n + C0] = NONE;
    node[n + C0 + 1] = NONE;
    node[n + PARENT] = NONE;
    for (let k = 0; k < 4; k++) node[n + KEY + k] = k < this.words ? maskWord(q[k]!, length, k) : 0;
    this.values[n >> 3] = value;
    return n;
  }

  private free(n: number): void {
    this.values[n >> 3] = undefined;
    this.node[n + META] = 0;
    this.freeList.push(n);
  }

  private link(p: number, b: number, c: number): void {
    this.node[p + C0 + b] = c;
    this.node[c + PARENT] = p;
  }

  private replaceChild(p: number, old: number, c: number): void {
    if (p === NONE) this.root = c;
    else this.node[p + C0 + (this.node[p + C0] === old ? 0 : 1)] = c;
    this.node[c + PARENT] = p;
  }

  private stored(q: Uint32Array, length: number): void {
    this.count++;
    this.noteChurn();
    if (this.index === undefined) {
      if (this.count >= this.indexThreshold && this.highWater < MAX_INDEX_ID) {
        this.index = new MultibitIndex(this.keyBits);
        this.fullRebuild = true;
        this.pending = true;
      }
    } else {
      this.markDirty(q, length);
    }
  }

  private grow(cap: number): void {
    const node = new Int32Array(cap * STRIDE);
    node.set(this.node);
    this.node = node;
    // Push rather than set `length`: a long hole would turn the array into a dictionary.
    for (let i = this.cap; i < cap; i++) this.values.push(undefined);
    this.cap = cap;
  }

  // --- lookup index maintenance --------------------------------------------

  /** Marks the /16 slots prefix q/length covers as needing an index rebuild. */
  private markDirty(q: Uint32Array, length: number): void {
    if (this.index === undefined) return;
    this.pending = true;
    if (this.fullRebuild) return;
    const first = q[0]! >>> (32 - SLOT_BITS);
    const n = length >= SLOT_BITS ? 1 : 1 << (SLOT_BITS - length);
    if (this.dirtyList.length + n > MAX_DIRTY) {
      this.fullRebuild = true;
      return;
    }
    for (let s = first; s < first + n; s++) {
      if (this.dirty[s] === 0) {
        this.dirty[s] = 1;
        this.dirtyList.push(s);
      }
    }
  }

  /** Brings the index up to date with the trie. */
  private flush(): void {
    const index = this.index!;
    this.pending = false;
    if (this.highWater >= MAX_INDEX_ID) {
      // Value ids would not fit the index's 24-bit fields: walk the trie instead.
      this.index = undefined;
      this.fullRebuild = false;
    } else if (this.fullRebuild || index.wasteful) {
      index.reset(Math.ceil(index.liveWords * 1.25));
      for (let s = 0; s < SLOTS; s++) this.indexSlot(index, s);
      index.trim();
      this.fullRebuild = false;
    } else {
      for (const s of this.dirtyList) this.indexSlot(index, s);
    }
    for (const s of this.dirtyList) this.dirty[s] = 0;
    this.dirtyList.length = 0;
  }

  /** Rebuilds slot s of the index from the trie. */
  private indexSlot(index: MultibitIndex, s: number): void {
    const node = this.node;
    let n = this.root;
    let best = NONE;
    // Down the slot's path to the first node at depth >= 16, noting the
    // longest value node above it (it covers the whole slot).
    while (n !== NONE) {
      const l = this.plen(n);
      const top = node[n + KEY]! >>> (32 - SLOT_BITS);
      if (l >= SLOT_BITS) {
        if (top !== s) n = NONE;
        break;
      }
      if (l > 0 && (top ^ s) >>> (SLOT_BITS - l) !== 0) {
        n = NONE;
        break;
      }
      if (this.hasValue(n)) best = n;
      n = node[n + C0 + ((s >>> (SLOT_BITS - 1 - l)) & 1)]!;
    }
    const list = this.slotList;
    list.n = 0;
    if (n !== NONE) {
      // Pre-order: by address, shorter first.
      const stack = this.dfs;
      stack.length = 0;
      stack.push(n);
      while (stack.length > 0) {
        const m = stack.pop()!;
        const meta = node[m + META]!;
        if (meta > 0xff) {
          if ((meta & 0xff) === SLOT_BITS) best = m;
          else
            list.push(
              node[m + KEY]!,
              node[m + KEY + 1]!,
              node[m + KEY + 2]!,
              node[m + KEY + 3]!,
              meta & 0xff,
              (m >> 3) + 1,
            );
        }
        const c1 = node[m + C0 + 1]!;
        const c0 = node[m + C0]!;
        if (c1 !== NONE) stack.push(c1);
        if (c0 !== NONE) stack.push(c0);
      }
    }
    index.setSlot(s, best === NONE ? 0 : (best >> 3) + 1, list);
  }
}

/** Word k of a key with every bit at or after `length` cleared. */
function maskWord(w: number, length: number, k: number): number {
  const keep = length - 32 * k;
  if (keep >= 32) return w >>> 0;
  if (keep <= 0) return 0;
  return (w & (-1 << (32 - keep))) >>> 0;
}

function keyBit(q: Uint32Array, pos: number): number {
  return (q[pos >>> 5]! >>> (31 - (pos & 31))) & 1;
}
