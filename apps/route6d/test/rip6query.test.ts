import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { DaemonError } from '@kame/daemon';
import { ripng } from '@kame/wire';
import { formatResponse, parseRip6queryArgs, queryPacket, runRip6query } from '../src/rip6query';
import { P1, P3, buildLine, linkLocal, runFor, testIo, type Line } from './support/kernels';

describe('rip6query arguments (reference 3.6)', () => {
  it('defaults: whole-table request (RFC 2080 2.4.1), wait 5 s', () => {
    const a = parseRip6queryArgs(['2001:db8::1']);
    expect(a.wait).toBe(5);
    expect(a.sourcePort).toBe(0);
    const p = queryPacket(a);
    expect(Buffer.from(ripng.encode(p)).toString('hex')).toBe(
      '01010000' + '00'.repeat(16) + '0000' + '00' + '10',
    );
  });

  it('-p asks for one prefix; -r sends it as a response', () => {
    const a = parseRip6queryArgs(['-p', '2001:db8:1::/48', '-I', 'em0', 'fe80::1']);
    expect(queryPacket(a).rtes).toEqual([
      { prefix: Ipv6Address.parse('2001:db8:1::'), routeTag: 0, prefixLength: 48, metric: 0 },
    ]);
    const r = parseRip6queryArgs([
      '-r',
      '-p2001:db8:1::/48',
      '-I',
      'em0',
      '-P',
      '521',
      '-h',
      '255',
      'ff02::9',
    ]);
    expect(queryPacket(r).command).toBe('response');
    expect([r.sourcePort, r.hopLimit, r.ifname]).toEqual([521, 255, 'em0']);
  });

  it.each([
    [[], /no destination/],
    [['fe80::1'], /needs -I interface/],
    [['-r', '2001:db8::1'], /-r needs -p/],
    [['-P', '70000', '2001:db8::1'], /must be 0..65535/],
    [['-w', 'x', '2001:db8::1'], /not a number/],
    [['-x', '2001:db8::1'], /invalid option -- x/],
    [['-p', 'bogus', '2001:db8::1'], /expected prefix\/len/],
    [['a', 'b'], /too many arguments/],
  ])('usage error %j exits 1', (argv, re) => {
    let err: unknown;
    try {
      parseRip6queryArgs(argv);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DaemonError);
    expect((err as DaemonError).exitCode).toBe(1);
    expect((err as DaemonError).message).toMatch(re);
  });

  it('formats RTEs and next hops', () => {
    const p = ripng.parse(
      Uint8Array.from(
        Buffer.from(
          '02010000' +
            'fe800000000000000000000000000001' +
            '000000ff' +
            '20010db8000100000000000000000000' +
            '00103003',
          'hex',
        ),
      ),
    );
    expect(formatResponse('fe80::9%em0', p)).toBe(
      'Response from fe80::9%em0: 2 RTEs\n  nexthop fe80::1\n    2001:db8:1::/48 [3] tag(0x0010)\n',
    );
  });
});

describe('rip6query against route6d on emulated kernels', () => {
  let line: Line;

  beforeEach(async () => {
    line = await buildLine();
    for (const [i, r] of line.routers.entries()) await line.start(r, 60 + i);
    const [r1, , r3] = line.routers;
    // Converged both ways (r1 and r3 announce their stubs at their first update).
    expect(
      await runFor(
        line.clock,
        60_000,
        () => r1.node.routes.get(P3) !== undefined && r3.node.routes.get(P1) !== undefined,
      ),
    ).toBe(true);
  });

  afterEach(async () => {
    await line.dispose();
  });

  async function query(argv: string[]): Promise<{ code: number | undefined; out: string; err: string }> {
    const t = testIo(line.clock, {});
    let code: number | undefined;
    void runRip6query({
      argv,
      io: t.io,
      channelFactory: line.routers[0].channelFactory,
      clientClock: line.clock,
    }).then((c) => (code = c));
    await runFor(line.clock, 6_000, () => code !== undefined);
    return { code, out: t.out.join(''), err: t.err.join('') };
  }

  it('whole table from the neighbour over the link: split horizon applies to it (RFC 2080 2.4.1)', async () => {
    const r2ll = linkLocal(line.routers[1].node, 'em0');
    const q = await query(['-I', 'em1', r2ll.toString()]);
    expect(q.err).toBe('');
    expect(q.code).toBe(0);
    expect(q.out).toBe(`Response from ${r2ll.toString()}%em1: 1 RTE\n    2001:db8:3::/64 [2] tag(0x0000)\n`);
  });

  it('a specific prefix: answered without split horizon', async () => {
    const r2ll = linkLocal(line.routers[1].node, 'em0');
    const q = await query(['-I', 'em1', '-p', '2001:db8:1::/64', r2ll.toString()]);
    expect(q.code).toBe(0);
    expect(q.out).toBe(`Response from ${r2ll.toString()}%em1: 1 RTE\n    2001:db8:1::/64 [2] tag(0x0000)\n`);
  });

  it('to the far router global address, forwarded both ways over the routes route6d installed', async () => {
    const answered = line.routers[2].handle!.engine.stats.requestsAnswered;
    const q = await query(['2001:db8:3::1']);
    expect(q.err).toBe('');
    expect(q.code).toBe(0);
    // r3 answers from its global address. The request arrived on em0, where r3 learned r1's stub:
    // split horizon leaves that out of a whole-table answer (KAME riprequest); -p asks for it.
    expect(q.out).toBe('Response from 2001:db8:3::1: 1 RTE\n    2001:db8:3::/64 [1] tag(0x0000)\n');
    expect(line.routers[2].handle!.engine.stats.requestsAnswered).toBe(answered + 1);
    const q2 = await query(['-p', '2001:db8:1::/64', '2001:db8:3::1']);
    expect(q2.out).toBe('Response from 2001:db8:3::1: 1 RTE\n    2001:db8:1::/64 [3] tag(0x0000)\n');
  });

  it('no answer within -w: exit 1; no route: the errno', async () => {
    await line.routers[1].handle!.stop();
    line.routers[1].handle = undefined;
    const r2ll = linkLocal(line.routers[1].node, 'em0');
    const q = await query(['-w', '1', '-I', 'em1', r2ll.toString()]);
    expect(q.code).toBe(1);
    expect(q.err).toBe(`rip6query: no response from ${r2ll.toString()}\n`);
    const u = await query(['2001:db8:99::1']);
    expect(u.code).toBe(1);
    expect(u.err).toMatch(/^rip6query: .*ENETUNREACH/);
  });

  it('-r: a RESPONSE injected from port 521 is rejected by route6d only if it breaks RFC 2080 2.4.2', async () => {
    const e2 = line.routers[1].handle!.engine;
    // r1's route6d holds port 521 (no SO_REUSEPORT, as KAME): stop it first.
    const busy = await query(['-r', '-p', '2001:db8:77::/48', '-I', 'em1', '-P', '521', 'ff02::9']);
    expect(busy.code).toBe(1);
    expect(busy.err).toMatch(/EADDRINUSE/);
    await line.routers[0].handle!.stop();
    line.routers[0].handle = undefined;
    // From r1's link-local, port 521, hop limit 255, to ff02::9 on em1: a valid response.
    const q = await query(['-r', '-p', '2001:db8:77::/48', '-I', 'em1', '-P', '521', '-h', '255', 'ff02::9']);
    expect(q.code).toBe(0);
    await runFor(line.clock, 100);
    expect(e2.route(Ipv6Prefix.parse('2001:db8:77::/48'))?.metric).toBe(2);
    // The same with hop limit 64: dropped and counted.
    const before = e2.stats.rxBadHopLimit;
    await query(['-r', '-p', '2001:db8:78::/48', '-I', 'em1', '-P', '521', '-h', '64', 'ff02::9']);
    await runFor(line.clock, 100);
    expect(e2.route(Ipv6Prefix.parse('2001:db8:78::/48'))).toBeUndefined();
    expect(e2.stats.rxBadHopLimit).toBe(before + 1);
  });
});
