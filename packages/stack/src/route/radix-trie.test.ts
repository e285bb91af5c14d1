import fc from 'fast-check';
import { RadixTrie } from './radix-trie';
import { RouteError } from './route-error';

interface Pfx {
  words: number[];
  length: number;
}

/** Linear-scan oracle (test only): the longest stored prefix whose first `length` bits equal the key's. */
function covers(p: Pfx, key: readonly number[]): boolean {
  for (let k = 0; k < p.words.length; k++) {
    const keep = p.length - 32 * k;
    if (keep <= 0) return true;
    const mask = keep >= 32 ? 0xffffffff : (0xffffffff << (32 - keep)) >>> 0;
    if (((p.words[k]! ^ key[k]!) & mask) >>> 0 !== 0) return false;
  }
  return true;
}

function oracle(table: Map<string, { p: Pfx; v: number }>, key: number[]): number | undefined {
  let best: { p: Pfx; v: number } | undefined;
  for (const e of table.values()) {
    if (covers(e.p, key) && (best === undefined || e.p.length > best.p.length)) best = e;
  }
  return best?.v;
}

function norm(p: Pfx): Pfx {
  return {
    length: p.length,
    words: p.words.map((w, k) => {
      const keep = p.length - 32 * k;
      if (keep >= 32) return w >>> 0;
      if (keep <= 0) return 0;
      return (w & (0xffffffff << (32 - keep))) >>> 0;
    }),
  };
}

const id = (p: Pfx): string => `${p.words.join('.')}/${p.length}`;

/**
 * Keys drawn near a few bases, so prefixes nest and share long runs of bits
 * (the hard case for a path-compressed trie), plus fully random ones.
 */
function keyArb(words: number): fc.Arbitrary<number[]> {
  const base = [0x20010db8, 0x00000000, 0xfe800000, 0xffffffff].slice(0, 4);
  const word = fc.oneof(
    fc.constantFrom(...base),
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.constantFrom(...base).chain((b) => fc.integer({ min: 0, max: 255 }).map((x) => (b ^ x) >>> 0)),
    fc.constantFrom(...base).chain((b) => fc.integer({ min: 0, max: 31 }).map((s) => (b ^ (1 << s)) >>> 0)),
  );
  return fc.array(word, { minLength: words, maxLength: words });
}

function prefixArb(bits: 32 | 128): fc.Arbitrary<Pfx> {
  return fc
    .record({ words: keyArb(bits / 32), length: fc.integer({ min: 0, max: bits }) })
    .map((p) => norm(p));
}

type Op = { kind: 'insert' | 'delete'; p: Pfx };

describe.each([
  [128, 0],
  [128, Infinity],
  [128, 8],
  [32, 0],
  [32, Infinity],
] as const)('RadixTrie(%d bits, slot index from %d entries)', (bits, indexThreshold) => {
  it('BSD radix LPM: lookup equals a linear-scan oracle after random inserts and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom<'insert' | 'delete'>('insert', 'insert', 'delete'),
            p: prefixArb(bits),
          }),
          { maxLength: 80 },
        ),
        fc.array(keyArb(bits / 32), { minLength: 1, maxLength: 40 }),
        (ops: Op[], keys) => {
          const trie = new RadixTrie<number>(bits, { indexThreshold });
          const ref = new Map<string, { p: Pfx; v: number }>();
          ops.forEach((op, i) => {
            const k = id(op.p);
            if (op.kind === 'insert') {
              if (ref.has(k)) {
                expect(() => trie.insert(op.p.words, op.p.length, i)).toThrow(RouteError);
              } else {
                trie.insert(op.p.words, op.p.length, i);
                ref.set(k, { p: op.p, v: i });
              }
            } else {
              expect(trie.delete(op.p.words, op.p.length)).toBe(ref.delete(k));
            }
          });
          expect(trie.size).toBe(ref.size);
          // Every stored prefix is found exactly and matches its own network address.
          for (const { p, v } of ref.values()) {
            expect(trie.get(p.words, p.length)).toBe(v);
            expect(trie.lookup(p.words)).toBe(oracle(ref, p.words));
          }
          for (const key of keys) {
            const want = oracle(ref, key);
            expect(trie.lookup(key)).toBe(want);
            const bytes = new Uint8Array(bits / 8 + 3);
            key.forEach((w, k) => new DataView(bytes.buffer).setUint32(3 + 4 * k, w));
            expect(trie.lookupBytes(bytes, 3)).toBe(want);
          }
          // Iteration: every prefix once, by address then shorter first.
          const listed = [...trie.entries()].map((e) => id({ words: [...e.words], length: e.length }));
          const sorted = [...ref.values()]
            .map((e) => e.p)
            .sort((a, b) => {
              for (let k = 0; k < a.words.length; k++)
                if (a.words[k] !== b.words[k]) return a.words[k]! - b.words[k]!;
              return a.length - b.length;
            })
            .map(id);
          expect(listed).toEqual(sorted);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('deleting everything leaves an empty trie that frees its nodes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(prefixArb(bits), { selector: id, maxLength: 60 }), (ps) => {
        const trie = new RadixTrie<number>(bits, { indexThreshold });
        ps.forEach((p, i) => trie.insert(p.words, p.length, i));
        for (const p of ps) expect(trie.delete(p.words, p.length)).toBe(true);
        expect(trie.size).toBe(0);
        expect(trie.nodeCount).toBe(0);
        expect(trie.lookup([0, 0, 0, 0])).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});

describe('RadixTrie bounds and arguments', () => {
  it('route(4) ENOBUFS: an insert beyond maxEntries fails and changes nothing', () => {
    const trie = new RadixTrie<string>(32, { maxEntries: 2 });
    trie.insert([0x0a000000], 8, 'a');
    trie.insert([0x0a010000], 16, 'b');
    let err: unknown;
    try {
      trie.insert([0x0a010100], 24, 'c');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RouteError);
    expect((err as RouteError).errno).toBe('ENOBUFS');
    expect(trie.size).toBe(2);
    expect(trie.lookup([0x0a010101])).toBe('b');
    // A slot frees up after a delete.
    trie.delete([0x0a000000], 8);
    trie.insert([0x0a010100], 24, 'c');
    expect(trie.lookup([0x0a010101])).toBe('c');
  });

  it('route(4) EEXIST: a second insert of the same prefix fails, bits after the length ignored', () => {
    const trie = new RadixTrie<string>(128);
    trie.insert([0x20010db8, 0, 0, 0], 32, 'a');
    expect(() => trie.insert([0x20010db8, 0xffff, 0, 1], 32, 'b')).toThrow(/EEXIST/);
    expect(trie.get([0x20010db8, 0, 0, 0], 32)).toBe('a');
  });

  it('EINVAL for a prefix length outside the key width', () => {
    const trie = new RadixTrie<string>(32);
    expect(() => trie.insert([0], 33, 'x')).toThrow(/EINVAL/);
    expect(() => trie.insert([0], -1, 'x')).toThrow(/EINVAL/);
  });

  it('replace changes the value in place; false when absent', () => {
    const trie = new RadixTrie<string>(32);
    trie.insert([0x0a000000], 8, 'a');
    expect(trie.replace([0x0a000000], 8, 'b')).toBe(true);
    expect(trie.lookup([0x0a0a0a0a])).toBe('b');
    expect(trie.replace([0x0a000000], 9, 'c')).toBe(false);
  });

  it('the slot index is built past the threshold and still answers prefixes shorter than 16 bits', () => {
    const trie = new RadixTrie<string>(128, { indexThreshold: 3 });
    trie.insert([0, 0, 0, 0], 0, 'default');
    trie.insert([0x20000000, 0, 0, 0], 3, '2000::/3');
    trie.insert([0x20010db8, 0, 0, 0], 32, 'doc');
    expect(trie.lookup([0x20010db8, 0, 0, 1])).toBe('doc');
    expect(trie.lookup([0x20010db9, 0, 0, 1])).toBe('2000::/3');
    expect(trie.lookup([0x40000000, 0, 0, 1])).toBe('default');
    trie.delete([0x20000000, 0, 0, 0], 3);
    expect(trie.lookup([0x20010db9, 0, 0, 1])).toBe('default');
    trie.delete([0, 0, 0, 0], 0);
    expect(trie.lookup([0x20010db9, 0, 0, 1])).toBeUndefined();
    expect(trie.lookup([0x20010db8, 0xffffffff, 0, 1])).toBe('doc');
  });
});

describe('RadixTrie.compact', () => {
  it('renumbering nodes keeps every answer, the slot index and later updates correct', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(prefixArb(128), { selector: id, minLength: 1, maxLength: 60 }),
        fc.array(keyArb(4), { maxLength: 20 }),
        (ps, keys) => {
          const trie = new RadixTrie<number>(128, { indexThreshold: 4 });
          const ref = new Map<string, { p: Pfx; v: number }>();
          ps.forEach((p, i) => {
            trie.insert(p.words, p.length, i);
            ref.set(id(p), { p, v: i });
          });
          trie.delete(ps[0]!.words, ps[0]!.length);
          ref.delete(id(ps[0]!));
          const before = keys.map((k) => trie.lookup(k));
          trie.compact();
          expect(keys.map((k) => trie.lookup(k))).toEqual(before);
          expect(trie.nodeCount).toBeLessThanOrEqual(2 * trie.size);
          trie.insert(ps[0]!.words, ps[0]!.length, 99);
          ref.set(id(ps[0]!), { p: ps[0]!, v: 99 });
          for (const k of keys) expect(trie.lookup(k)).toBe(oracle(ref, k));
        },
      ),
      { numRuns: 100 },
    );
  });
});
