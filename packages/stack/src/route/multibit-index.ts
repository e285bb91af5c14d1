/**
 * A read-optimised multibit index (a FIB) derived from the RadixTrie (the RIB),
 * in the spirit of poptrie (Asai & Ohara, SIGCOMM 2015) and tree bitmap
 * (Eatherton et al.): a direct-indexed first level on the top 16 key bits,
 * then 64-way nodes (stride 6) whose children are packed and found by the
 * popcount of a bitmap, and path compression at the bottom: a subtree that
 * holds a single prefix is one two-word leaf that carries the prefix's
 * remaining bits. For a table of random /32../48 prefixes a lookup is then a
 * direct-table read (256 KiB, cache resident), one node header, one leaf
 * entry, one value read; the whole structure is a few MB.
 *
 * The index stores value ids (RadixTrie node slots, + 1; 0 is "no route"),
 * never values: the trie owns values and every update path. The index is
 * rebuilt per first-level slot (see RadixTrie for the dirty tracking), so an
 * update costs O(prefixes under its /16), and a prefix shorter than /16
 * rebuilds each /16 it covers.
 *
 * Layout, all in one Int32Array `mem`, offsets in words:
 *
 *   dir[s]  (s = top 16 bits)   id1 << 2 | T_VALUE   the answer for the whole /16
 *                               o << 2   | T_NODE    a node at depth 16
 *
 *   node o at depth d (covers key bits d..d+5, chunk c = those 6 bits, MSB first)
 *     mem[o], mem[o+1]     V: bit c (MSB-first over the 64 bits) set iff
 *                          position c has a child entry
 *     mem[o+2], mem[o+3]   R: bit c set iff a run of equal "pushed" answers
 *                          starts at position c (bit 0 always set)
 *     mem[o+4+2k], +1      child entry k = rank of c in V:
 *                          A = id1 << 8 | rem << 2 | T_SHORT, B = the
 *                              prefix's next 32 bits from d+6 (rem of them
 *                              significant; rem = length - d - 6, 1..32)
 *                          A = off << 2 | T_LONG   (leaf record at off:
 *                              [id1, length, key words...])
 *                          A = off << 2 | T_NODE   (node at depth d+6)
 *     mem[o-1-r]           run r's answer (id1, or 0 for none): the longest
 *                          prefix covering position c, pushed down from above
 *
 * A prefix of length <= d+6 is painted into the runs of the node at depth d
 * (leaf pushing), a deeper one goes to its chunk's child. A child subtree
 * that holds one prefix is a SHORT/LONG leaf: on a mismatch the answer is the
 * position's run. So a lookup reads at most one header and entry per level.
 */

const T_VALUE = 0;
const T_NODE = 1;
const T_SHORT = 2;
const T_LONG = 3;

/** Bits resolved by the direct table. */
export const DIR_BITS = 16;
const DIR_SIZE = 1 << DIR_BITS;
const STRIDE = 6;

/** Largest id1 a SHORT entry can carry (24 bits). */
export const MAX_INDEX_ID = (1 << 24) - 2;

/** Prefixes handed to the builder: keys as 4 words each, lengths, id1 values. */
export class PrefixList {
  keys = new Int32Array(64);
  lens = new Int32Array(16);
  ids = new Int32Array(16);
  n = 0;

  push(k0: number, k1: number, k2: number, k3: number, length: number, id1: number): void {
    if (this.n === this.lens.length) {
      const cap = this.n * 2;
      const keys = new Int32Array(4 * cap);
      keys.set(this.keys);
      this.keys = keys;
      const lens = new Int32Array(cap);
      lens.set(this.lens);
      this.lens = lens;
      const ids = new Int32Array(cap);
      ids.set(this.ids);
      this.ids = ids;
    }
    const i = this.n++;
    this.keys[4 * i] = k0;
    this.keys[4 * i + 1] = k1;
    this.keys[4 * i + 2] = k2;
    this.keys[4 * i + 3] = k3;
    this.lens[i] = length;
    this.ids[i] = id1;
  }
}

export class MultibitIndex {
  readonly keyBits: 32 | 128;
  private readonly dir = new Int32Array(DIR_SIZE);
  private mem = new Int32Array(1024);
  /** Next free word of `mem`. */
  private top = 4;
  /** Per slot, the words its subtree occupies: [start, end). */
  private readonly slotStart = new Int32Array(DIR_SIZE);
  private readonly slotEnd = new Int32Array(DIR_SIZE);
  /** Words of `mem` held by replaced subtrees. */
  private garbage = 0;
  /** Query words, zero-padded so windows past the key read zeros. */
  private readonly qk = new Int32Array(6);
  /** Scratch for the builder: pushed answers per position. */
  private readonly pvStack: Int32Array[] = [];

  constructor(keyBits: 32 | 128) {
    this.keyBits = keyBits;
  }

  /** Bytes held by the index (direct table plus node memory in use). */
  get bytes(): number {
    return 4 * (DIR_SIZE + this.top - this.garbage);
  }

  /** True when replaced subtrees hold more memory than live ones: time for `reset` and a full build. */
  get wasteful(): boolean {
    return this.garbage > 65536 && 2 * this.garbage > this.top;
  }

  /** Drops everything (every slot answers "no route") ahead of a full build of `expectedWords`. */
  reset(expectedWords = 1024): void {
    this.dir.fill(0);
    this.slotStart.fill(0);
    this.slotEnd.fill(0);
    this.mem = new Int32Array(Math.max(1024, expectedWords));
    this.top = 4;
    this.garbage = 0;
  }

  /** Live words, to size the next `reset`. */
  get liveWords(): number {
    return this.top - this.garbage;
  }

  /**
   * Rebuilds slot s: `pushed` is the id1 of the longest prefix of length <= 16
   * covering the slot (0 if none); `list` the prefixes longer than 16 inside
   * it, in pre-order (by address, shorter first).
   */
  setSlot(s: number, pushed: number, list: PrefixList): void {
    this.garbage += this.slotEnd[s]! - this.slotStart[s]!;
    if (list.n === 0) {
      this.dir[s] = (pushed << 2) | T_VALUE;
      this.slotStart[s] = this.slotEnd[s] = 0;
      return;
    }
    const start = this.top;
    const idx: number[] = [];
    for (let i = 0; i < list.n; i++) idx.push(i);
    const o = this.buildNode(list, idx, DIR_BITS, pushed, 0);
    this.dir[s] = (o << 2) | T_NODE;
    this.slotStart[s] = start;
    this.slotEnd[s] = this.top;
  }

  /** id1 of the longest match (0: none). Words are int32. */
  match(w0: number, w1: number, w2: number, w3: number): number {
    const r = this.dir[w0 >>> (32 - DIR_BITS)]!;
    if ((r & 3) === T_VALUE) return r >>> 2;
    const mem = this.mem;
    const qk = this.qk;
    qk[0] = w0;
    qk[1] = w1;
    qk[2] = w2;
    qk[3] = w3;
    let o = r >>> 2;
    let d = DIR_BITS;
    for (;;) {
      let k = d >>> 5;
      let s = d & 31;
      const c = (s === 0 ? qk[k]! : (qk[k]! << s) | (qk[k + 1]! >>> (32 - s))) >>> 26;
      const lo = mem[o]!;
      let rank: number;
      let has: boolean;
      if (c < 32) {
        has = lo << c < 0;
        rank = popcount(lo & ~(-1 >>> c));
      } else {
        const hi = mem[o + 1]!;
        has = hi << (c - 32) < 0;
        rank = popcount(lo) + popcount(hi & ~(-1 >>> (c - 32)));
      }
      if (has) {
        const e = o + 4 + 2 * rank;
        const a = mem[e]!;
        const tag = a & 3;
        if (tag === T_NODE) {
          o = a >>> 2;
          d += STRIDE;
          continue;
        }
        if (tag === T_SHORT) {
          const rem = (a >>> 2) & 63;
          const b = d + STRIDE;
          k = b >>> 5;
          s = b & 31;
          const x = s === 0 ? qk[k]! : (qk[k]! << s) | (qk[k + 1]! >>> (32 - s));
          if ((x ^ mem[e + 1]!) >>> (32 - rem) === 0) return a >>> 8;
        } else {
          const f = a >>> 2;
          const len = mem[f + 1]!;
          let ok = true;
          for (let j = 0; 32 * j < len; j++) {
            const keep = len - 32 * j;
            const x = qk[j]! ^ mem[f + 2 + j]!;
            if ((keep >= 32 ? x : x >>> (32 - keep)) !== 0) {
              ok = false;
              break;
            }
          }
          if (ok) return mem[f]!;
        }
      }
      // The position's run: rank of c among run starts, inclusive.
      let runs: number;
      if (c < 32) {
        runs = popcount(mem[o + 2]! & ~(0x7fffffff >>> c));
      } else {
        runs = popcount(mem[o + 2]!) + popcount(mem[o + 3]! & ~(0x7fffffff >>> (c - 32)));
      }
      return mem[o - runs]!;
    }
  }

  // --- builder -------------------------------------------------------------

  private alloc(words: number): void {
    const need = this.top + words;
    if (need <= this.mem.length) return;
    let cap = this.mem.length * 2;
    while (cap < need) cap *= 2;
    const mem = new Int32Array(cap);
    mem.set(this.mem.subarray(0, this.top));
    this.mem = mem;
  }

  /** Builds the node at depth d over list[idx]; returns its offset. */
  private buildNode(list: PrefixList, idx: number[], d: number, pushed: number, level: number): number {
    let pv = this.pvStack[level];
    if (pv === undefined) this.pvStack[level] = pv = new Int32Array(64);
    pv.fill(pushed);
    const keys = list.keys;
    const groups: (number[] | undefined)[] = [];
    for (const i of idx) {
      const len = list.lens[i]!;
      const c = window(keys, 4 * i, d) >>> 26;
      if (len <= d + STRIDE) {
        // Pre-order puts a covering prefix before the ones it covers, so
        // painting in list order leaves each position its longest match.
        const span = 1 << (d + STRIDE - len);
        const first = c & ~(span - 1);
        pv.fill(list.ids[i]!, first, first + span);
      } else {
        (groups[c] ??= []).push(i);
      }
    }
    // Children first (they allocate), then this node.
    const entries: number[] = [];
    let vlo = 0;
    let vhi = 0;
    for (let c = 0; c < 64; c++) {
      const g = groups[c];
      if (g === undefined) continue;
      if (c < 32) vlo |= 1 << (31 - c);
      else vhi |= 1 << (63 - c);
      if (g.length === 1) {
        const i = g[0]!;
        const len = list.lens[i]!;
        const rem = len - d - STRIDE;
        if (rem <= 32) {
          const b = window(keys, 4 * i, d + STRIDE);
          entries.push((list.ids[i]! << 8) | (rem << 2) | T_SHORT, rem === 32 ? b : b & ~(-1 >>> rem));
        } else {
          const words = this.keyBits >>> 5;
          this.alloc(2 + words);
          const f = this.top;
          this.top += 2 + words;
          const mem = this.mem;
          mem[f] = list.ids[i]!;
          mem[f + 1] = len;
          for (let j = 0; j < words; j++) mem[f + 2 + j] = keys[4 * i + j]!;
          entries.push((f << 2) | T_LONG, 0);
        }
      } else {
        const child = this.buildNode(list, g, d + STRIDE, pv[c]!, level + 1);
        entries.push((child << 2) | T_NODE, 0);
      }
    }
    let rlo = 0;
    let rhi = 0;
    const runs: number[] = [];
    for (let c = 0; c < 64; c++) {
      if (c === 0 || pv[c] !== pv[c - 1]) {
        runs.push(pv[c]!);
        if (c < 32) rlo |= 1 << (31 - c);
        else rhi |= 1 << (63 - c);
      }
    }
    // Header on a 4-word (16-byte) boundary, runs just below it.
    const o = (this.top + runs.length + 3) & ~3;
    this.alloc(o + 4 + entries.length - this.top);
    const mem = this.mem;
    for (let r = 0; r < runs.length; r++) mem[o - 1 - r] = runs[r]!;
    mem[o] = vlo;
    mem[o + 1] = vhi;
    mem[o + 2] = rlo;
    mem[o + 3] = rhi;
    mem.set(entries, o + 4);
    this.top = o + 4 + entries.length;
    return o;
  }
}

/** The 32 key bits starting at bit `bit` of the key at keys[at..at+4), zero past the end. */
function window(keys: Int32Array, at: number, bit: number): number {
  const k = bit >>> 5;
  const s = bit & 31;
  const a = k < 4 ? keys[at + k]! : 0;
  if (s === 0) return a;
  const b = k + 1 < 4 ? keys[at + k + 1]! : 0;
  return (a << s) | (b >>> (32 - s));
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
