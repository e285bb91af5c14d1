import { Fabric, type FabricNode, convergenceErrors, stubPrefix } from './support/fabric';

/** Builds nodes n1..nN each with a stub network 2001:db8:<id>::/64. */
function nodes(f: Fabric, count: number): FabricNode[] {
  const out: FabricNode[] = [];
  for (let i = 0; i < count; i++) {
    const n = f.addNode(`n${i + 1}`);
    f.stub(n, stubPrefix(n.id));
    out.push(n);
  }
  return out;
}

function line(count: number, seed = 1): { f: Fabric; ns: FabricNode[] } {
  const f = new Fabric(seed);
  const ns = nodes(f, count);
  for (let i = 0; i + 1 < count; i++) f.link(`l${i}`, [ns[i]!, 'eth1'], [ns[i + 1]!, 'eth0']);
  return { f, ns };
}

function ring(count: number, seed = 1): { f: Fabric; ns: FabricNode[] } {
  const f = new Fabric(seed);
  const ns = nodes(f, count);
  for (let i = 0; i < count; i++) f.link(`l${i}`, [ns[i]!, 'eth1'], [ns[(i + 1) % count]!, 'eth0']);
  return { f, ns };
}

function grid(side: number, seed = 1): { f: Fabric; ns: FabricNode[] } {
  const f = new Fabric(seed);
  const ns = nodes(f, side * side);
  const at = (r: number, c: number): FabricNode => ns[r * side + c]!;
  for (let r = 0; r < side; r++)
    for (let c = 0; c < side; c++) {
      if (c + 1 < side) f.link(`h${r}.${c}`, [at(r, c), 'east'], [at(r, c + 1), 'west']);
      if (r + 1 < side) f.link(`v${r}.${c}`, [at(r, c), 'south'], [at(r + 1, c), 'north']);
    }
  return { f, ns };
}

/** Runs until converged; returns the virtual ms it took (or Infinity). */
function converge(f: Fabric, limitMs: number): number {
  const t0 = f.clock.now();
  const ok = f.clock.runUntilTrue(() => convergenceErrors(f).length === 0, limitMs);
  return ok ? f.clock.now() - t0 : Infinity;
}

describe('convergence (RFC 2080 2.4, 2.5)', () => {
  it('line of 5: every stub reachable with metric = hops + 1, FIB via the right neighbour', () => {
    const { f, ns } = line(5);
    f.start();
    expect(convergenceErrors(f).length).toBeGreaterThan(0);
    // Requests at start plus triggered updates converge well before the first periodic update.
    expect(converge(f, 60_000)).toBeLessThan(30_000);
    const [n1, n2] = [ns[0]!, ns[1]!];
    expect(n1.metric(stubPrefix(5))).toBe(5);
    const r = n1.fib.get(stubPrefix(5))!;
    expect(r.ifname).toBe('eth1');
    expect(r.gateway.equals(n2.iface('eth0').linkLocal!)).toBe(true);
    expect(r.owner).toBe('route6d');
    // Stays converged through periodic updates.
    f.run(600_000);
    expect(convergenceErrors(f)).toEqual([]);
  });

  it('ring of 6: metrics follow the shorter way round', () => {
    const { f, ns } = ring(6);
    f.start();
    expect(converge(f, 60_000)).toBeLessThan(30_000);
    expect(ns[0]!.metric(stubPrefix(4))).toBe(4);
    expect(ns[0]!.metric(stubPrefix(6))).toBe(2);
    f.run(300_000);
    expect(convergenceErrors(f)).toEqual([]);
  });

  it('5x5 grid: 25 routers learn all 25 stubs with Manhattan-distance metrics', () => {
    const { f, ns } = grid(5, 7);
    f.start();
    expect(converge(f, 120_000)).toBeLessThan(60_000);
    expect(ns[0]!.metric(stubPrefix(25))).toBe(9);
    expect(ns[12]!.metric(stubPrefix(1))).toBe(5);
    for (const n of ns) expect(n.fib.size).toBe(24);
    f.run(300_000);
    expect(convergenceErrors(f)).toEqual([]);
  });
});

describe('failures and re-convergence (RFC 2080 2.3, 2.4.2)', () => {
  it('ring of 6, carrier loss on one link: withdrawal and re-convergence the other way round', () => {
    const { f, ns } = ring(6, 3);
    f.start();
    expect(converge(f, 60_000)).toBeLessThan(30_000);
    f.run(100_000);
    const [n1, n2] = [ns[0]!, ns[1]!];
    expect(n1.metric(stubPrefix(2))).toBe(2);
    // The n1-n2 link fails; both ends see their interface go down.
    f.links[0]!.up = false;
    n1.setIface('eth1', { up: false });
    n2.setIface('eth0', { up: false });
    expect(n1.metric(stubPrefix(2))).toBe(16);
    expect(n1.fib.has(stubPrefix(2))).toBe(false);
    // The long way round is learned within one timeout at most (RFC 2080 2.3).
    const took = converge(f, 180_000);
    expect(took).toBeLessThan(180_000);
    expect(n1.metric(stubPrefix(2))).toBe(6);
    expect(n1.fib.get(stubPrefix(2))!.ifname).toBe('eth0');
  });

  it('line of 3, silent crash of the far router: timeout after 180 s, garbage collection after 120 s more', () => {
    const { f, ns } = line(3, 5);
    const [n1, n2, n3] = [ns[0]!, ns[1]!, ns[2]!];
    f.start();
    expect(converge(f, 60_000)).toBeLessThan(30_000);
    f.run(60_000);
    const lastHeard = Math.max(...n3.responses(0, 'eth0').map((s) => s.time));
    n3.alive = false;
    const p = stubPrefix(3);
    // Not before the timeout (180 s after the last update from n3).
    f.clock.runUntil(lastHeard + 179_000);
    expect(n2.metric(p)).toBe(2);
    expect(n1.metric(p)).toBe(3);
    // Timed out at n2's next periodic update (at most 45 s later), then triggered to n1.
    f.clock.runUntil(lastHeard + 180_000 + 45_000 + 10);
    expect(n2.metric(p)).toBe(16);
    expect(n1.metric(p)).toBe(16);
    expect(n2.fib.has(p)).toBe(false);
    expect(n1.fib.has(p)).toBe(false);
    expect(n2.engine.stats.routesTimedOut).toBeGreaterThanOrEqual(1);
    // Still advertised with metric 16 during garbage collection, then gone.
    expect(n2.engine.route(p)).toBeDefined();
    f.clock.runUntil(lastHeard + 180_000 + 120_000 + 2 * 45_000);
    expect(n2.engine.route(p)).toBeUndefined();
    expect(n1.engine.route(p)).toBeUndefined();
    expect(convergenceErrors(f)).toEqual([]);
  });

  it('ring of 6, silent link failure: re-convergence within timeout + one update interval', () => {
    const { f } = ring(6, 11);
    f.start();
    expect(converge(f, 60_000)).toBeLessThan(30_000);
    f.run(50_000);
    f.links[2]!.up = false; // n3-n4, nobody sees carrier loss
    expect(convergenceErrors(f).length).toBeGreaterThan(0);
    const took = converge(f, 400_000);
    expect(took).toBeLessThanOrEqual(180_000 + 45_000 + 45_000);
    f.run(600_000);
    expect(convergenceErrors(f)).toEqual([]);
  });

  it('5x5 grid, crash of the centre router: everyone routes around it and forgets its stub', () => {
    const { f, ns } = grid(5, 13);
    f.start();
    expect(converge(f, 120_000)).toBeLessThan(60_000);
    f.run(40_000);
    ns[12]!.alive = false;
    const crash = f.clock.now();
    const took = converge(f, 1_000_000);
    expect(took).toBeLessThanOrEqual(180_000 + 2 * 45_000);
    // Garbage collection: gone 300 s after the last update, checked at periodic updates.
    f.clock.runUntil(crash + 180_000 + 120_000 + 3 * 45_000);
    for (const n of ns) if (n !== ns[12]) expect(n.engine.route(stubPrefix(13))).toBeUndefined();
  });
});

describe('every split-horizon and triggered-update variant converges and recovers', () => {
  it.each([
    ['plain, rfc', { splitHorizon: 'plain', triggered: 'rfc' }],
    ['plain, kame', { splitHorizon: 'plain', triggered: 'kame' }],
    ['poisoned, rfc', { splitHorizon: 'poisoned', triggered: 'rfc' }],
    ['off (-h), kame', { splitHorizon: 'off', triggered: 'kame' }],
  ] as const)('4x4 grid, %s: converge, crash a router, re-converge', (_n, opts) => {
    const { f, ns } = grid(4, 17);
    f.start(() => opts);
    expect(converge(f, 120_000)).toBeLessThan(60_000);
    f.run(30_000);
    ns[5]!.alive = false;
    expect(converge(f, 600_000)).toBeLessThanOrEqual(180_000 + 16 * 45_000);
    f.run(600_000);
    expect(convergenceErrors(f)).toEqual([]);
    for (const n of ns) if (n !== ns[5]) expect(n.engine.route(stubPrefix(6))).toBeUndefined();
  });
});
