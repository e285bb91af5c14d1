import fc from 'fast-check';
import { MultibitIndex, PrefixList } from './multibit-index';
import { RadixTrie } from './radix-trie';

interface Pfx {
  words: number[];
  length: number;
}

function norm(words: readonly number[], length: number): Pfx {
  return {
    length,
    words: words.map((w, k) => {
      const keep = length - 32 * k;
      if (keep >= 32) return w >>> 0;
      if (keep <= 0) return 0;
      return (w & (0xffffffff << (32 - keep))) >>> 0;
    }),
  };
}

function covers(p: Pfx, key: readonly number[]): boolean {
  const n = norm(key, p.length);
  return n.words.every((w, k) => w === p.words[k]);
}

/** Brute-force oracle: the value of the longest stored prefix covering key. */
function oracle(table: Map<string, { p: Pfx; v: number }>, key: number[]): number | undefined {
  let best: { p: Pfx; v: number } | undefined;
  for (const e of table.values()) {
    if (covers(e.p, key) && (best === undefined || e.p.length > best.p.length)) best = e;
  }
  return best?.v;
}

const id = (p: Pfx): string => `${p.words.join('.')}/${p.length}`;

/**
 * Prefixes that stress the index: all under a few /16 slots (so slots hold
 * many prefixes and nest), lengths at the stride edges (16, 17, 23, 24, 25,
 * 31, 32, 33, 56, 57: a SHORT leaf carries up to 32 more bits) and the extremes 0 and
 * 128 (LONG leaves), plus anything.
 */
function prefixArb(bits: 32 | 128): fc.Arbitrary<Pfx> {
  const word = fc.oneof(
    fc.constantFrom(0x20010db8, 0x2001ffff, 0x00000000, 0xffffffff),
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.integer({ min: 0, max: 0x3f }).map((x) => (0x20010000 | (x << 10)) >>> 0),
  );
  const len = fc.oneof(
    fc.constantFrom(...[0, 1, 15, 16, 17, 23, 24, 25, 28, 31, 32].filter((l) => l <= bits)),
    ...(bits === 128 ? [fc.constantFrom(33, 40, 48, 56, 57, 64, 88, 89, 127, 128)] : []),
    fc.integer({ min: 0, max: bits }),
  );
  return fc
    .record({ words: fc.array(word, { minLength: bits / 32, maxLength: bits / 32 }), length: len })
    .map((p) => norm(p.words, p.length));
}

/** Keys inside stored prefixes (random host bits) or near them. */
function probes(ps: Pfx[], extra: number[][], bits: number): number[][] {
  const out = [...extra];
  for (const p of ps) {
    out.push(p.words);
    out.push(p.words.map((w, k) => (k === bits / 32 - 1 ? (w ^ 1) >>> 0 : w)));
    out.push(
      p.words.map((w, k) =>
        32 * (k + 1) > p.length ? (w | (0xffffffff >>> Math.max(0, p.length - 32 * k))) >>> 0 : w,
      ),
    );
  }
  return out;
}

describe.each([128, 32] as const)('MultibitIndex via RadixTrie (%d bits)', (bits) => {
  it('poptrie-style LPM equals a brute-force oracle with a lookup after every insert and delete', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ del: fc.boolean(), p: prefixArb(bits) }), { maxLength: 60 }),
        fc.array(
          fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: bits / 32, maxLength: bits / 32 }),
          {
            maxLength: 10,
          },
        ),
        (ops, extra) => {
          const trie = new RadixTrie<number>(bits, { indexThreshold: 0 });
          const ref = new Map<string, { p: Pfx; v: number }>();
          const ps: Pfx[] = [];
          ops.forEach(({ del, p }, i) => {
            const k = id(p);
            if (del) {
              expect(trie.delete(p.words, p.length)).toBe(ref.delete(k));
            } else if (!ref.has(k)) {
              trie.insert(p.words, p.length, i);
              ref.set(k, { p, v: i });
              ps.push(p);
            }
            // Lookups between updates: the index is rebuilt slot by slot.
            for (const key of probes(ps.slice(-3), extra.slice(0, 2), bits))
              expect(trie.lookup(key)).toBe(oracle(ref, key));
          });
          for (const key of probes(ps, extra, bits)) expect(trie.lookup(key)).toBe(oracle(ref, key));
          trie.compact();
          for (const key of probes(ps, extra, bits)) expect(trie.lookup(key)).toBe(oracle(ref, key));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('MultibitIndex', () => {
  it('SHORT leaves carry exactly 32 more bits; one more goes to a LONG leaf', () => {
    const idx = new MultibitIndex(128);
    const list = new PrefixList();
    // Slot 0x2001: /56 (16 + 8 + 32) and /57 in different 8-bit chunks.
    list.push(0x20010000, 0xffffff00 | 0, 0, 0, 56, 7);
    list.push(0x20010400, 0x00000080, 0, 0, 57, 8);
    idx.setSlot(0x2001, 3, list);
    expect(idx.match(0x20010000, 0xffffff00 | 0, 0, 0)).toBe(7);
    expect(idx.match(0x20010000, 0xffffffff | 0, 5, 5)).toBe(7);
    expect(idx.match(0x20010000, 0xfffffe00 | 0, 0, 0)).toBe(3);
    expect(idx.match(0x20010400, 0x000000ff, 1, 1)).toBe(8);
    expect(idx.match(0x20010400, 0x00000000, 0, 0)).toBe(3);
    expect(idx.match(0x20020000, 0, 0, 0)).toBe(0);
  });

  it('positions with different pushed answers get a runs record; deeper nodes use it too', () => {
    const idx = new MultibitIndex(128);
    const list = new PrefixList();
    // Slot 0x2001 (pushed 3): a /20 paints 16 positions, a /23 inside it
    // paints 2, a /48 under the /23 shares chunk 0x02 with a /40, so chunk
    // 0x02 is a node at depth 24 whose answers come from the /23.
    list.push(0x20010000, 0, 0, 0, 20, 5);
    list.push(0x20010200, 0, 0, 0, 23, 6);
    list.push(0x20010200, 0x00000000, 0, 0, 40, 9);
    list.push(0x20010201, 0x00010000, 0, 0, 48, 10);
    idx.setSlot(0x2001, 3, list);
    expect(idx.match(0x20010000, 0, 0, 0)).toBe(5);
    expect(idx.match(0x20010f00, 0, 0, 0)).toBe(5);
    expect(idx.match(0x20011000, 0, 0, 0)).toBe(3);
    expect(idx.match(0x200103ff, 0, 0, 0)).toBe(6);
    expect(idx.match(0x20010200, 0x00ffffff, 0, 0)).toBe(9);
    expect(idx.match(0x20010201, 0x0001ffff, 0, 0)).toBe(10);
    expect(idx.match(0x20010201, 0x0002ffff, 0, 0)).toBe(6);
    expect(idx.match(0x20010202, 0, 0, 0)).toBe(6);
  });

  it('a large table survives churn past the dead-memory limit and full rebuilds', () => {
    const trie = new RadixTrie<number>(128, { indexThreshold: 0 });
    const ref = new Map<string, { p: Pfx; v: number }>();
    let x = 12345;
    const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const live: Pfx[] = [];
    for (let i = 0; i < 6000; i++) {
      if (live.length > 2000 && rnd() % 3 === 0) {
        const p = live.splice(rnd() % live.length, 1)[0]!;
        expect(trie.delete(p.words, p.length)).toBe(true);
        ref.delete(id(p));
      } else {
        const p = norm([0x20010000 | (rnd() & 0x3fff), rnd(), rnd(), rnd()], 17 + (rnd() % 60));
        if (ref.has(id(p))) continue;
        trie.insert(p.words, p.length, i);
        ref.set(id(p), { p, v: i });
        live.push(p);
      }
      if (i % 97 === 0) {
        const p = live[rnd() % live.length]!;
        expect(trie.lookup(p.words)).toBe(oracle(ref, p.words));
      }
    }
    for (const p of live.slice(0, 300)) expect(trie.lookup(p.words)).toBe(oracle(ref, p.words));
    expect(trie.indexBytes).toBeGreaterThan(0);
  });
});
