/**
 * A read-optimised multibit index (a FIB) derived from the RadixTrie (the RIB),
 * in the spirit of poptrie (Asai & Ohara, SIGCOMM 2015) and tree bitmap
 * (Eatherton et al.): a direct-indexed first level on the top 16 key bits,
 * then 256-way nodes (stride 8, byte aligned) whose children are packed and
 * found by the popcount of a bitmap, and path compression at the bottom: a
 * subtree that holds a single prefix is one two-word leaf entry that carries
 * the prefix's value id and its remaining bits. For a table of random
 * /32../48 prefixes a hit is a direct-table read (the used part is cache
 * resident), one 64-byte node record, one entry (usually the next cache line
 * or two) and the caller's values[id] read; with 256 positions per /16 few
 * prefixes share a position, so few lookups take a second node hop.
 *
 * The index stores value ids (RadixTrie node slots, + 1; 0 is "no route"),
 * never values: the trie owns values and every update path. The index is
 * rebuilt per first-level slot (see RadixTrie for the dirty tracking), so an
 * update costs O(prefixes under its /16), and a prefix shorter than /16
 * rebuilds each /16 it covers.
 *
 * Layout: the direct table `dir` (Int32Array, 2^16) and everything else in
 * one Int32Array `mem`, offsets in words:
 *
 *   dir[s]  (s = top 16 bits)   id1 << 1       the answer for the whole /16
 *                               o << 1 | 1     a node at depth 16
 *
 *   node o at depth d (a 16-word record on a 16-word boundary; it covers key
 *   bits d..d+7, chunk c = that byte, MSB first; w = c >> 5, b = c & 31)
 *     mem[o+w], w = 0..7   V: bit b of word w (MSB first) set iff position
 *                          c has a child entry
 *     mem[o+8], mem[o+9]   byte w%4 of word 8 + (w >> 2): set V bits in
 *                          words before w (so a rank is one popcount)
 *     mem[o+10]            E: offset of the entries, 2 words each, in
 *                          position order, right after the record
 *     mem[o+11]            the answer ("pushed" from above or painted by a
 *                          prefix of length <= d+8) if every position has
 *                          the same one (id1 >= 0), else ~R
 *     mem[E+2k], +1        entry k = rank of c in V:
 *                          A = id1 << 8 | rem << 2 | T_SHORT, B = the
 *                              prefix's next 32 bits from d+8 (rem of them
 *                              significant; rem = length - d - 8, 1..32)
 *                          A = off << 2 | T_LONG   (leaf record at off:
 *                              [id1, length, key words...])
 *                          A = off << 2 | T_NODE   (node at depth d+8)
 *   runs record R (only for nodes whose positions differ in their answer):
 *     mem[R+w], w = 0..7   bit c set iff a run of equal answers starts at c
 *     mem[R+8+w]           run starts in words before w
 *     mem[R+16+r]          run r's answer (id1, or 0 for none)
 *
 * A prefix of length <= d+8 is painted into the answers of the node at depth
 * d (leaf pushing), a deeper one goes to its chunk's child. A child subtree
 * that holds one prefix is a SHORT/LONG leaf: on a mismatch the answer is the
 * position's. So a lookup reads at most one record and entry per level.
 */

const T_NODE = 1;
const T_SHORT = 2;
const T_LONG = 3;

/** Bits resolved by the direct table. */
export const DIR_BITS = 16;
const DIR_SIZE = 1 << DIR_BITS;
/** Bits per node below the direct table (byte aligned: DIR_BITS is a multiple of 8). */
const STRIDE = 8;
const FANOUT = 1 << STRIDE;
/** Words in a node record. */
const REC = 16;
const CUM = 8;
const ENT = 10;
const RUN = 11;

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
  private top = REC;
  /** Per slot, the words its subtree occupies: [start, end). */
  private readonly slotStart = new Int32Array(DIR_SIZE);
  private readonly slotEnd = new Int32Array(DIR_SIZE);
  /** Words of `mem` held by replaced subtrees. */
  private garbage = 0;
  /** Scratch for the builder: answers per position, one array per level. */
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
    this.top = REC;
    this.garbage = 0;
  }

  /** After a full build: gives back the spare capacity of `mem` beyond a little headroom. */
  trim(): void {
    const keep = this.top + (this.top >>> 3) + 1024;
    if (this.mem.length > keep + (keep >>> 2)) this.mem = this.mem.slice(0, keep);
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
      this.dir[s] = pushed << 1;
      this.slotStart[s] = this.slotEnd[s] = 0;
      return;
    }
    const start = this.top;
    const idx: number[] = [];
    for (let i = 0; i < list.n; i++) idx.push(i);
    const o = this.buildNode(list, idx, DIR_BITS, pushed, 0);
    this.dir[s] = (o << 1) | 1;
    this.slotStart[s] = start;
    this.slotEnd[s] = this.top;
  }

  /**
   * id1 of the longest match (0: none). Words are int32. Only the common
   * cases live here (an answer in the direct table, a SHORT leaf hit in the
   * node at depth 16), so that V8 inlines this into the caller's loop; the
   * rest is `matchBelow`.
   */
  match(w0: number, w1: number, w2: number, w3: number): number {
    const r = this.dir[w0 >>> (32 - DIR_BITS)]!;
    if ((r & 1) === 0) return r >>> 1;
    // The node at depth 16: its chunk is bits 16..23 of w0, a SHORT leaf's
    // bits start at bit 24.
    const mem = this.mem;
    const o = r >>> 1;
    const c = (w0 >>> 8) & 255;
    const v = mem[o + (c >>> 5)]!;
    if (v << c < 0) {
      const e = entryOf(mem, o, c, v);
      const a = mem[e]!;
      if (
        (a & 3) === T_SHORT &&
        (((w0 << 24) | (w1 >>> 8)) ^ mem[e + 1]!) >>> (32 - ((a >>> 2) & 63)) === 0
      ) {
        return a >>> 8;
      }
    }
    return this.matchBelow(o, c, w0, w1, w2, w3);
  }

  /** The rest of `match` at the node o at depth 16, chunk c. */
  private matchBelow(o: number, c: number, w0: number, w1: number, w2: number, w3: number): number {
    const mem = this.mem;
    const v = mem[o + (c >>> 5)]!;
    if (v << c < 0) {
      const a = mem[entryOf(mem, o, c, v)]!;
      const tag = a & 3;
      if (tag === T_NODE) return this.walk(a >>> 2, DIR_BITS + STRIDE, w0, w1, w2, w3);
      if (tag === T_LONG && this.longMatches(a >>> 2, w0, w1, w2, w3)) return mem[a >>> 2]!;
    }
    const run = mem[o + RUN]!;
    return run >= 0 ? run : this.runAnswer(~run, c);
  }

  /** The generic loop for nodes below depth 16. */
  private walk(o: number, d: number, w0: number, w1: number, w2: number, w3: number): number {
    const mem = this.mem;
    for (;;) {
      const k = d >>> 5;
      const sh = d & 31;
      const wk = k === 0 ? w0 : k === 1 ? w1 : k === 2 ? w2 : w3;
      const c = (wk >>> (24 - sh)) & 255;
      const v = mem[o + (c >>> 5)]!;
      if (v << c < 0) {
        const e = entryOf(mem, o, c, v);
        const a = mem[e]!;
        const tag = a & 3;
        if (tag === T_NODE) {
          o = a >>> 2;
          d += STRIDE;
          continue;
        }
        if (tag === T_SHORT) {
          // The 32 bits from d + 8.
          const k2 = (d + STRIDE) >>> 5;
          const s2 = (d + STRIDE) & 31;
          const hi = k2 === 0 ? w0 : k2 === 1 ? w1 : k2 === 2 ? w2 : k2 === 3 ? w3 : 0;
          let x = hi;
          if (s2 !== 0) {
            const lo = k2 === 0 ? w1 : k2 === 1 ? w2 : k2 === 2 ? w3 : 0;
            x = (hi << s2) | (lo >>> (32 - s2));
          }
          if ((x ^ mem[e + 1]!) >>> (32 - ((a >>> 2) & 63)) === 0) return a >>> 8;
        } else if (this.longMatches(a >>> 2, w0, w1, w2, w3)) {
          return mem[a >>> 2]!;
        }
      }
      const run = mem[o + RUN]!;
      return run >= 0 ? run : this.runAnswer(~run, c);
    }
  }

  /** Whether the query lies inside the LONG leaf at f: [id1, length, key words...]. */
  private longMatches(f: number, w0: number, w1: number, w2: number, w3: number): boolean {
    const mem = this.mem;
    const len = mem[f + 1]!;
    for (let j = 0; 32 * j < len; j++) {
      const keep = len - 32 * j;
      const x = (j === 0 ? w0 : j === 1 ? w1 : j === 2 ? w2 : w3) ^ mem[f + 2 + j]!;
      if ((keep >= 32 ? x : x >>> (32 - keep)) !== 0) return false;
    }
    return true;
  }

  /** The answer of position c in the runs record at f. */
  private runAnswer(f: number, c: number): number {
    const mem = this.mem;
    const w = c >>> 5;
    const runs = mem[f + 8 + w]! + popcount(mem[f + w]! & ~(0x7fffffff >>> (c & 31)));
    return mem[f + 16 + runs - 1]!;
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
    if (pv === undefined) this.pvStack[level] = pv = new Int32Array(FANOUT);
    pv.fill(pushed);
    const keys = list.keys;
    const groups: (number[] | undefined)[] = [];
    for (const i of idx) {
      const len = list.lens[i]!;
      const c = window(keys, 4 * i, d) >>> (32 - STRIDE);
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
    const children: number[] = [];
    for (let c = 0; c < FANOUT; c++) if (groups[c] !== undefined) children.push(c);
    const runs: number[] = [];
    for (let c = 0; c < FANOUT; c++) if (c === 0 || pv[c] !== pv[c - 1]) runs.push(c);
    // The record (on a 16-word boundary), its entries right after it, then
    // the runs record if any; children after that.
    const o = (this.top + REC - 1) & ~(REC - 1);
    const ent = o + REC;
    const rr = ent + 2 * children.length;
    const end = runs.length > 1 ? rr + REC + runs.length : rr;
    this.alloc(end - this.top);
    this.top = end;
    let mem = this.mem;
    for (let j = 0; j < REC; j++) mem[o + j] = 0;
    for (const c of children) mem[o + (c >>> 5)] = mem[o + (c >>> 5)]! | (1 << (31 - (c & 31)));
    let before = 0;
    for (let w = 0; w < 8; w++) {
      mem[o + CUM + (w >>> 2)] = mem[o + CUM + (w >>> 2)]! | (before << ((w & 3) << 3));
      before += popcount(mem[o + w]!);
    }
    mem[o + ENT] = ent;
    if (runs.length > 1) {
      mem[o + RUN] = ~rr;
      for (let j = 0; j < REC; j++) mem[rr + j] = 0;
      for (let r = 0; r < runs.length; r++) {
        const c = runs[r]!;
        mem[rr + (c >>> 5)] = mem[rr + (c >>> 5)]! | (1 << (31 - (c & 31)));
        mem[rr + REC + r] = pv[c]!;
      }
      let starts = 0;
      for (let w = 0; w < 8; w++) {
        mem[rr + 8 + w] = starts;
        starts += popcount(mem[rr + w]!);
      }
    } else {
      mem[o + RUN] = pv[0]!;
    }
    for (let k = 0; k < children.length; k++) {
      const c = children[k]!;
      const g = groups[c]!;
      let a: number;
      let bits = 0;
      if (g.length === 1) {
        const i = g[0]!;
        const len = list.lens[i]!;
        const rem = len - d - STRIDE;
        if (rem <= 32) {
          const b = window(keys, 4 * i, d + STRIDE);
          a = (list.ids[i]! << 8) | (rem << 2) | T_SHORT;
          bits = rem === 32 ? b : b & ~(-1 >>> rem);
        } else {
          const words = this.keyBits >>> 5;
          this.alloc(2 + words);
          const f = this.top;
          this.top += 2 + words;
          mem = this.mem;
          mem[f] = list.ids[i]!;
          mem[f + 1] = len;
          for (let j = 0; j < words; j++) mem[f + 2 + j] = keys[4 * i + j]!;
          a = (f << 2) | T_LONG;
        }
      } else {
        // pv is reused by the next level only, so read it before recursing.
        a = (this.buildNode(list, g, d + STRIDE, pv[c]!, level + 1) << 2) | T_NODE;
        mem = this.mem;
      }
      mem[ent + 2 * k] = a;
      mem[ent + 2 * k + 1] = bits;
    }
    return o;
  }
}

/** Offset of the entry of position c (whose V word is v) in the node at o. */
function entryOf(mem: Int32Array, o: number, c: number, v: number): number {
  const w = c >>> 5;
  const before = (mem[o + CUM + (w >>> 2)]! >>> ((w & 3) << 3)) & 255;
  return mem[o + ENT]! + 2 * (before + popcount(v & ~(-1 >>> c)));
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
