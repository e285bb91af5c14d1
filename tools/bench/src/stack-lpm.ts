/**
 * @kame/stack routing-table benchmark: longest-prefix match over an IPv6
 * table the size of today's global table, against a same-run baseline.
 *
 *   node --expose-gc dist/stack-lpm.js [--json] [--ms 1000] [--prefixes 240000] [--seed 1]
 *
 * Table: N distinct random prefixes inside 2000::/3 with lengths shaped like
 * the real IPv6 table (~50% /48, ~15% /32, ~10% /44, the rest over /29../64),
 * from SeededRandom (deterministic). Queries: 1M addresses in one Uint8Array
 * (16 bytes each), half inside a table prefix (random host bits), half random
 * over the whole space; looked up in place with `lookupBytes(buf, offset)`.
 *
 * Baseline: the same loop over the same array reading each address as four
 * big-endian words and folding them into a trivial hash (xor + Math.imul): the
 * cost of touching the address with no table at all. The ratio is lookups/s
 * divided by that; the machine-independent figure to watch.
 *
 * Insert time includes one compact() after the load, which also builds the
 * multibit lookup index (RadixTrie/MultibitIndex). Lookups here are
 * memory-bound: every query lands on a random part of the structure, so TLB
 * and cache misses (not instructions) set the rate; a forwarding path with a
 * hot working set of destinations runs several times faster.
 *
 * History (one 2-vCPU VM, node 20; it is noisy: the same build varies 2x run to run):
 *   radix walk + 16-bit slot index:   5.0 M lookups/s here (6.2 M reported before), 93.5 bytes/prefix
 *   + multibit lookup index (16-bit direct table, stride-6 popcount nodes,
 *     one-prefix subtrees as single leaves): 13-24 M lookups/s (3 runs:
 *     24.2, 20.2, 13.2), ~113 bytes/prefix (index 17.4), insert+compact 295-390 ms.
 *   The index alone answers 19-27 M/s on this mix; the final generic
 *   values[id] read (a second random miss) costs most of the rest.
 *   + stride-8 (256-way) nodes below the direct table, 64-byte node records
 *     with per-word rank bytes (one popcount per level), runs moved to a
 *     side record only multi-answer nodes have; match() cut to the common
 *     path (direct answer or a SHORT hit at depth 16) and lookupBytes calling
 *     it directly, so V8 inlines the whole lookup into the caller's loop (it
 *     did not before: that, not memory, was half the cost); index memory
 *     trimmed after a full build: 25-38 M lookups/s (3 runs: 37.6, 29.5,
 *     25.5; same-session before: 16.9, 14.5, 11.9), ~117 bytes/prefix
 *     (index 20.1), insert+compact 420-450 ms.
 *
 * Memory: process.memoryUsage() heapUsed + arrayBuffers (the trie's typed
 * arrays live outside the JS heap) before and after building the table, each
 * after global.gc() when run with --expose-gc; divided by the prefix count.
 * Without --expose-gc the figure is noisy and flagged as such. Prefix objects
 * are generated before the "before" sample, so only the table is counted.
 */
import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { Ipv6PrefixTable, RoutingTable, type Rtentry } from '@kame/stack';
import { SeededRandom, VirtualClock } from '@kame/time';

interface Result {
  node: string;
  prefixes: number;
  queries: number;
  gcExposed: boolean;
  trie: {
    indexBytes: number;
    insertMs: number;
    insertsPerSec: number;
    lookupsPerSec: number;
    hitRate: number;
    bytesPerPrefix: number;
    nodes: number;
  };
  baselineOpsPerSec: number;
  /** trie lookups/s divided by baseline ops/s. */
  ratio: number;
  routingTable: { addMs: number; bytesPerRoute: number; lookupsPerSec: number };
}

const gc = (globalThis as { gc?: () => void }).gc;

function memory(): number {
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Lengths shaped like the global IPv6 table. */
function pickLength(r: SeededRandom): number {
  const x = r.next();
  if (x < 0.5) return 48;
  if (x < 0.65) return 32;
  if (x < 0.75) return 44;
  const rest = [29, 30, 31, 33, 34, 35, 36, 40, 42, 45, 46, 47, 56, 64];
  return rest[r.int(0, rest.length - 1)]!;
}

function makePrefixes(n: number, r: SeededRandom): Ipv6Prefix[] {
  const seen = new Set<string>();
  const out: Ipv6Prefix[] = [];
  const b = new Uint8Array(16);
  while (out.length < n) {
    r.bytes(b);
    b[0] = 0x20 | (b[0]! & 0x1f); // 2000::/3
    const p = Ipv6Prefix.of(Ipv6Address.fromBytes(b), pickLength(r));
    const k = p.toString();
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
  }
  return out;
}

function makeQueries(n: number, prefixes: Ipv6Prefix[], r: SeededRandom): Uint8Array {
  const buf = new Uint8Array(16 * n);
  const rnd = new Uint8Array(16);
  for (let i = 0; i < n; i++) {
    r.bytes(rnd);
    if (i % 2 === 0) {
      // Inside a table prefix: its network bits, random host bits.
      const p = prefixes[r.int(0, prefixes.length - 1)]!;
      const net = p.address.bytes;
      for (let k = 0; k < 16; k++) {
        const keep = Math.max(0, Math.min(8, p.length - 8 * k));
        const mask = (0xff << (8 - keep)) & 0xff;
        rnd[k] = (net[k]! & mask) | (rnd[k]! & ~mask & 0xff);
      }
    }
    buf.set(rnd, 16 * i);
  }
  return buf;
}

let sink = 0;

/** Operations per second of `pass` (one pass = `perPass` operations) over `ms`, after a warm-up. */
function rate(pass: () => number, perPass: number, ms: number): number {
  const run = (budget: number): number => {
    let ops = 0;
    const t0 = performance.now();
    let now = t0;
    while (now - t0 < budget || ops === 0) {
      sink = (sink + pass()) | 0;
      ops += perPass;
      now = performance.now();
    }
    return (ops * 1000) / (now - t0);
  };
  run(ms / 4);
  return run(ms);
}

function main(argv: readonly string[]): void {
  const json = argv.includes('--json');
  const arg = (name: string, dflt: number): number => {
    const i = argv.indexOf(name);
    const v = i >= 0 ? Number(argv[i + 1]) : dflt;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} wants a positive number, got ${argv[i + 1]}`);
    return v;
  };
  const ms = arg('--ms', 1000);
  const nPrefixes = arg('--prefixes', 240_000);
  const nQueries = 1_000_000;
  const r = new SeededRandom(arg('--seed', 1));

  const prefixes = makePrefixes(nPrefixes, r);
  const queries = makeQueries(nQueries, prefixes, r);

  // --- the trie alone ---
  const before = memory();
  const t0 = performance.now();
  const table = new Ipv6PrefixTable<number>({ maxEntries: nPrefixes });
  for (let i = 0; i < prefixes.length; i++) table.insert(prefixes[i]!, i);
  table.compact(); // after a bulk load (a BGP full table), as a router would
  const insertMs = performance.now() - t0;
  const bytesPerPrefix = (memory() - before) / nPrefixes;

  let hits = 0;
  for (let i = 0; i < nQueries; i++) if (table.lookupBytes(queries, 16 * i) !== undefined) hits++;

  const lookupPass = (): number => {
    let h = 0;
    for (let o = 0; o < queries.length; o += 16) {
      const v = table.lookupBytes(queries, o);
      if (v !== undefined) h += v;
    }
    return h;
  };
  const baselinePass = (): number => {
    let h = 0;
    const b = queries;
    for (let o = 0; o < b.length; o += 16) {
      const w0 = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
      const w1 = (b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!;
      const w2 = (b[o + 8]! << 24) | (b[o + 9]! << 16) | (b[o + 10]! << 8) | b[o + 11]!;
      const w3 = (b[o + 12]! << 24) | (b[o + 13]! << 16) | (b[o + 14]! << 8) | b[o + 15]!;
      h = Math.imul(h ^ w0 ^ w1 ^ w2 ^ w3, 0x9e3779b1);
    }
    return h;
  };
  const baseline = rate(baselinePass, nQueries, ms);
  const lookups = rate(lookupPass, nQueries, ms);
  const nodes = table.nodeCount;
  const indexBytes = table.indexBytes;
  table.clear();

  // --- the full RoutingTable (rtentry objects, one shared gateway) ---
  const gateway = { kind: 'inet6' as const, address: Ipv6Address.parse('2001:db8::1') };
  const rtBefore = memory();
  const t1 = performance.now();
  const rt = new RoutingTable({ clock: new VirtualClock(), maxEntries: nPrefixes });
  for (const dst of prefixes) rt.add({ dst, gateway, owner: 'bgpd' });
  const addMs = performance.now() - t1;
  const bytesPerRoute = (memory() - rtBefore) / nPrefixes;
  const rtLookups = rate(
    () => {
      let h = 0;
      for (let o = 0; o < queries.length; o += 16) {
        const e: Rtentry | undefined = rt.lookup6(queries, o);
        if (e !== undefined) h += e.metric + 1;
      }
      return h;
    },
    nQueries,
    ms,
  );

  const result: Result = {
    node: process.version,
    prefixes: nPrefixes,
    queries: nQueries,
    gcExposed: gc !== undefined,
    trie: {
      indexBytes,
      insertMs,
      insertsPerSec: (nPrefixes * 1000) / insertMs,
      lookupsPerSec: lookups,
      hitRate: hits / nQueries,
      bytesPerPrefix,
      nodes,
    },
    baselineOpsPerSec: baseline,
    ratio: lookups / baseline,
    routingTable: { addMs, bytesPerRoute, lookupsPerSec: rtLookups },
  };

  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const n = (x: number): string => Math.round(x).toLocaleString('en-US');
    const lines = [
      `@kame/stack LPM bench (node ${process.version}, ${n(nPrefixes)} IPv6 prefixes, ${n(nQueries)} queries, ${ms} ms per case)`,
      `Ipv6PrefixTable insert:     ${insertMs.toFixed(0)} ms (${n(result.trie.insertsPerSec)} prefixes/s, ${n(nodes)} nodes)`,
      `Ipv6PrefixTable memory:     ${bytesPerPrefix.toFixed(1)} bytes/prefix${gc ? '' : ' (no --expose-gc: noisy)'}, of which lookup index ${(indexBytes / nPrefixes).toFixed(1)}`,
      `baseline (read + hash):     ${n(baseline)} addresses/s`,
      `Ipv6PrefixTable lookupBytes: ${n(lookups)} lookups/s  (ratio vs baseline ${result.ratio.toFixed(3)}, hit rate ${(100 * result.trie.hitRate).toFixed(1)}%)`,
      `RoutingTable add:           ${addMs.toFixed(0)} ms, ${bytesPerRoute.toFixed(1)} bytes/route (rtentry included)`,
      `RoutingTable lookup6:       ${n(rtLookups)} lookups/s`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (sink === 0.5) process.stdout.write('\n'); // keep `sink` observable
}

main(process.argv.slice(2));
