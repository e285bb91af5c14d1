import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ipv6Prefix } from '@kame/addr';
import { KernelClient } from '@kame/kernel-api';
import { loadLab, parseLab, resolveLab, type Lab } from '@kame/lab';
import { IN6_IFF_AUTOCONF } from '@kame/stack';
import { startInProcessLab, type InProcessLab } from '../src/lab/inprocess';

const QUICKSTART = join(__dirname, '../../../labs/quickstart.yaml');

let rundir: string;
const labs: InProcessLab[] = [];

beforeEach(() => {
  rundir = mkdtempSync(join(tmpdir(), 'kame-lab-inprocess-'));
});

afterEach(async () => {
  for (const l of labs.splice(0)) await l.down();
  rmSync(rundir, { recursive: true, force: true });
});

async function up(lab: Lab, seed = 1, progress: string[] = []): Promise<InProcessLab> {
  const l = await startInProcessLab(lab, {
    mode: 'virtual',
    seed,
    rundir,
    progress: (s) => progress.push(s),
  });
  labs.push(l);
  return l;
}

function quickstart(): Lab {
  return resolveLab(loadLab(QUICKSTART));
}

/** A small lab with debug logging everywhere, so the event log is rich in seed-dependent timings. */
const CHATTY = `
name: chatty
nodes:
  h1: { role: host, daemons: ['rtsold -d em0'] }
  r1:
    role: router
    interfaces:
      em0: { addresses: [2001:db8:12::1/64] }
      em1: { addresses: [2001:db8:1::1/64] }
    daemons:
      - route6d -D
      - argv: rtadvd -D -c rtadvd.conf em1
        files:
          rtadvd.conf: |
            em1:\\
            \t:addr="2001:db8:1::":prefixlen#64:maxinterval#30:
  r2:
    role: router
    interfaces:
      em0: { addresses: [2001:db8:12::2/64] }
      em1: { addresses: [2001:db8:2::1/64] }
    daemons: ['route6d -D']
links:
  - segment: lan1
    endpoints: [r1:em1, h1:em0]
  - [r1:em0, r2:em0]
checks:
  - { from: h1, ping: 2001:db8:2::1, within: 60s }
`;

function chatty(): Lab {
  return resolveLab(parseLab(CHATTY, 'chatty.yaml'));
}

/** pcapng block types in order (SHB 0x0a0d0d0a, IDB 1, EPB 6) and the EPBs' frames. */
function pcapBlocks(bytes: Uint8Array): { types: number[]; frames: Uint8Array[] } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const types: number[] = [];
  const frames: Uint8Array[] = [];
  for (let off = 0; off + 12 <= bytes.length;) {
    const type = dv.getUint32(off, true);
    const len = dv.getUint32(off + 4, true);
    types.push(type);
    if (type === 6) {
      const caplen = dv.getUint32(off + 20, true);
      frames.push(bytes.subarray(off + 28, off + 28 + caplen));
    }
    if (len < 12) break;
    off += len;
  }
  return { types, frames };
}

/** ICMPv6 type of an untagged Ethernet frame carrying IPv6 with ICMPv6 right after the header. */
function icmp6Type(frame: Uint8Array): number | undefined {
  if (frame[12] !== 0x86 || frame[13] !== 0xdd || frame[14 + 6] !== 58) return undefined;
  return frame[14 + 40];
}

describe('kame lab in virtual mode (issue 8)', () => {
  it('issue 8: the quick start comes up and every check passes within 120 s simulated, in little wall time', async () => {
    const lab = quickstart();
    // h2 has no configured address: the check's target is found at run time (its SLAAC address).
    expect(lab.checks.map((c) => c.target.kind)).toEqual(['deferred', 'deferred']);
    const progress: string[] = [];
    const wall0 = performance.now();
    const l = await up(lab, 1, progress);
    const results = await l.runUntilChecks(120_000);
    const wallMs = performance.now() - wall0;
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ['h1-reaches-h2', true],
      ['h2-reaches-h1', true],
    ]);
    for (const r of results) expect(r.atMs).toBeLessThanOrEqual(120_000);
    expect(wallMs).toBeLessThan(20_000);
    expect(progress).toContain('daemon r1/route6d: ready');
    expect(progress).toContain('daemon r3/rtadvd: ready');
    expect(progress.some((p) => p.startsWith('link r1:em0-r2:em0: up'))).toBe(true);

    // RFC 4862 5.5.3: h1 formed an address from r1's advertised prefix.
    const h1 = l.kernel('h1').ifnet('em0')!;
    const lan1 = Ipv6Prefix.parse('2001:db8:1::/64');
    expect(h1.addresses.some((a) => (a.flags & IN6_IFF_AUTOCONF) !== 0 && lan1.contains(a.address))).toBe(
      true,
    );
    // RFC 2080: r1 learned lan3 through r2 from route6d.
    const rt = l.kernel('r1').routes.lookup(Ipv6Prefix.parse('2001:db8:3::/64').address);
    expect(rt?.owner).toBe('route6d');

    const st = await l.status();
    expect(st.mode).toBe('virtual');
    expect(st.uptimeMs).toBe(l.now());
    const h1s = st.nodes.find((n) => n.name === 'h1')!;
    expect(
      h1s.interfaces
        .find((i) => i.name === 'em0')!
        .addresses.some((a) => /^2001:db8:1::.* autoconf$/.test(a)),
    ).toBe(true);
    expect(h1s.interfaces.find((i) => i.name === 'em0')!.addresses).toContain('fe80::ff:fe10:101%em0/64');
    const r1s = st.nodes.find((n) => n.name === 'r1')!;
    expect(r1s.daemons.map((d) => [d.name, d.state])).toEqual([
      ['route6d', 'ready'],
      ['rtadvd', 'ready'],
    ]);
    expect(r1s.daemons[0]!.detail).toMatch(/^\d+ routes$/);
    expect(r1s.routes).toBeGreaterThan(4);
    expect(h1s.daemons[0]!.detail).toBe('em0 IDLE');
  });

  it('issue 8: the same seed gives the same event log and capture; another seed gives other timings', async () => {
    const run = async (seed: number): Promise<{ events: string[]; pcap: number[] }> => {
      const l = await up(chatty(), seed);
      const bytes: number[] = [];
      const stop = await l.capture('r1', 'em1', (b) => bytes.push(...b));
      const results = await l.runUntilChecks(60_000);
      expect(results.every((r) => r.ok)).toBe(true);
      await l.runFor(30_000);
      stop();
      await l.down();
      return { events: [...l.events], pcap: bytes };
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(a.events.length).toBeGreaterThan(30);
    expect(a.pcap.length).toBeGreaterThan(1000);
    expect(b.events).toEqual(a.events);
    expect(b.pcap).toEqual(a.pcap);
    expect(c.events).not.toEqual(a.events);
  });

  it('down(): daemons stop with SIGTERM semantics and nothing is left on the virtual clock', async () => {
    const l = await up(quickstart());
    await l.runFor(20_000);
    expect(l.pendingTimers).toBeGreaterThan(0);
    await l.down();
    expect(l.pendingTimers).toBe(0);
    // RFC 4861 6.2.5: rtadvd's final advertisements take their time before it exits.
    const exited = l.events.find((e) => e.includes('daemon r1/rtadvd: exited (exit 0)'))!;
    const stopAt = Number(
      l.events
        .find((e) => e.includes('r2/route6d: notice: **** Terminated ****'))!
        .trim()
        .split(' ')[0],
    );
    expect(Number(exited.trim().split(' ')[0])).toBeGreaterThan(stopAt + 3);
    expect(l.events.some((e) => e.includes('r1/route6d: notice: **** Terminated ****'))).toBe(true);
    expect(l.events[l.events.length - 1]).toMatch(/lab down$/);
    // No socket or directory was left behind.
    expect(readdirSync(rundir)).toEqual([]);
    const st = await l.status();
    expect(st.nodes.flatMap((n) => n.daemons.map((d) => d.state)).every((s) => s === 'exited')).toBe(true);
  });

  it('refuses a lab with a linux node in the in-process modes, naming the node', async () => {
    const lab = resolveLab(
      parseLab(
        `name: mixed
nodes:
  r1: { role: router, daemons: [route6d] }
  lx: { kind: linux, role: host }
links:
  - [r1:em0, lx:eth0]
`,
        'mixed.yaml',
      ),
    );
    for (const mode of ['virtual', 'in-process'] as const) {
      await expect(
        startInProcessLab(lab, { mode, seed: 1, rundir, progress: () => undefined }),
      ).rejects.toThrow(/node lx is a linux node: linux nodes need live mode/);
    }
    expect(readdirSync(rundir)).toEqual([]);
  });

  it('refuses a daemon without an in-process implementation', async () => {
    const lab = resolveLab(
      parseLab(`name: other\nnodes:\n  r1: { role: router, daemons: ['mrouted -d'] }\n`, 'other.yaml'),
    );
    await expect(
      startInProcessLab(lab, { mode: 'virtual', seed: 1, rundir, progress: () => undefined }),
    ).rejects.toThrow(/daemon mrouted: mrouted has no in-process implementation/);
  });

  it('a usage error of a daemon fails lab up with its exit status and takes down what was started', async () => {
    const lab = resolveLab(
      parseLab(
        `name: bad\nnodes:\n  r1: { role: router, daemons: [route6d, 'rtadvd -Z em0'] }\n`,
        'bad.yaml',
      ),
    );
    const progress: string[] = [];
    await expect(
      startInProcessLab(lab, { mode: 'virtual', seed: 1, rundir, progress: (s) => progress.push(s) }),
    ).rejects.toThrow(/daemon r1\/rtadvd: .*unknown option.*\(exit status 1\)/s);
    expect(progress).toContain('daemon r1/route6d: exited (exit 0)');
    expect(progress[progress.length - 1]).toBe('lab down');
  });

  it('readiness: a daemon is ready when its log matches `ready.log`, and up fails when it never does', async () => {
    const good = resolveLab(
      parseLab(
        `name: ready
nodes:
  r1:
    role: router
    interfaces: { em0: { addresses: [2001:db8:1::1/64] } }
    daemons:
      - { argv: route6d -d, ready: { log: 'route6d: .*', within: 5s } }
      - { argv: rtadvd em0, after: [route6d] }
`,
        'ready.yaml',
      ),
    );
    const progress: string[] = [];
    const l = await up(good, 1, progress);
    expect(progress.indexOf('daemon r1/route6d: ready')).toBeLessThan(
      progress.indexOf('daemon r1/rtadvd: starting (rtadvd em0)'),
    );
    expect(progress).toContain('daemon r1/rtadvd: ready');
    await l.down();

    const never = resolveLab(
      parseLab(
        `name: never
nodes:
  r1: { role: router, daemons: [{ argv: route6d, ready: { log: 'no such line', within: 3s } }] }
`,
        'never.yaml',
      ),
    );
    await expect(
      startInProcessLab(never, { mode: 'virtual', seed: 1, rundir, progress: () => undefined }),
    ).rejects.toThrow(/daemon r1\/route6d: not ready: no log line matched \/no such line\/ within 3 s/);
  });

  it('a check that cannot pass fails at its deadline with the reason', async () => {
    const lab = resolveLab(
      parseLab(
        `name: unreach
nodes:
  r1: { role: router, interfaces: { em0: { addresses: [2001:db8:1::1/64] } } }
  r2: { role: router, interfaces: { em0: { addresses: [2001:db8:1::2/64] } } }
links: [[r1:em0, r2:em0]]
checks:
  - { from: r1, ping: r2, within: 5s }
  - { name: nowhere, from: r1, ping: '2001:db8:99::1', within: 5s }
`,
        'unreach.yaml',
      ),
    );
    const l = await up(lab);
    const [ok, bad] = await l.runChecks();
    expect(ok!.ok).toBe(true);
    expect(bad!.ok).toBe(false);
    expect(bad!.detail).toMatch(/did not reach 2001:db8:99::1 .*within 5 s/);
    expect(l.now()).toBeLessThan(8_000);
  });

  it('connect(): a kernel API client of a node sees the routes route6d installed', async () => {
    const l = await up(quickstart());
    await l.runFor(30_000);
    const ch = l.connect('r1');
    let client: KernelClient | undefined;
    const p = KernelClient.connect({
      channelFactory: () => ch,
      name: 'test',
      clock: { now: () => 0, setTimer: () => ({ cancel: () => undefined }) },
      reconnect: false,
    }).then((c) => (client = c));
    await l.runUntil(() => client !== undefined, l.now() + 1_000);
    await p;
    let routes: { owner?: string | null }[] | undefined;
    void client!.routeList({ owner: 'route6d' }).then((r) => (routes = r));
    await l.runUntil(() => routes !== undefined, l.now() + 1_000);
    expect(routes!.length).toBeGreaterThanOrEqual(2);
    client!.close();
  });

  it('capture(): a pcapng stream with SHB and IDBs first, then EPBs of the RAs on the LAN', async () => {
    const l = await up(quickstart());
    const chunks: Uint8Array[] = [];
    const stop = await l.capture('r1', 'em1', (b) => chunks.push(b.slice()));
    await l.runFor(40_000);
    stop();
    const bytes = Buffer.concat(chunks);
    const { types, frames } = pcapBlocks(bytes);
    expect(types[0]).toBe(0x0a0d0d0a);
    expect(types.slice(1, 3)).toEqual([1, 1]);
    expect(types.slice(3).every((t) => t === 6)).toBe(true);
    // RFC 4861 6.2.4: the router's unsolicited RAs (type 134) on its advertising interface.
    expect(frames.filter((f) => icmp6Type(f) === 134).length).toBeGreaterThanOrEqual(2);
    const n = chunks.length;
    await l.runFor(10_000);
    expect(chunks.length).toBe(n);
  });

  it('signals: SIGUSR1 makes route6d append its dump to <rundir>/lab-<name>/<node>.route6d.dump', async () => {
    const l = await up(quickstart());
    await l.runFor(20_000);
    l.daemon('r1', 'route6d')!.signal('SIGUSR1');
    l.daemon('r1', 'route6d')!.signal('SIGUSR1');
    const file = join(rundir, 'lab-quickstart', 'r1.route6d.dump');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('2001:db8:3::/64');
    expect(text.length).toBeGreaterThan(0);
    await l.down();
    // The dump stays (user output), so the lab directory does too.
    expect(existsSync(file)).toBe(true);
  });
});
