import { Ipv6Address } from '@kame/addr';
import type { MemoryLog } from '@kame/daemon';
import { waitUntil } from '@kame/testing';
import { dadDone } from '@kame/testing/interop';
import * as suite from '@kame/testing/interop';
import { SeededRandom } from '@kame/time';
import { loadConfig } from '../../src/config';
import { startRtadvd, type Rtadvd } from '../../src/rtadvd';
import {
  clock,
  describeInteropWith,
  icmp6Type,
  ipv6Src,
  kameLink,
  linkLocal,
  linuxPeer,
  linuxState,
  memoryLogger,
  startRadvd,
  type KameLink,
} from './support';

/*
 * Issue 6 (c): our rtadvd and radvd on one link; RFC 4861 6.2.7 consistency
 * checks in KAME's log words, exactly when the two configurations differ.
 *
 *   kame r em0 (forwarding=1, rtadvd)  -- VXLAN --  ns R vx0 (radvd)
 */

const K_MAC = '02:00:00:00:6c:01';
const R_MAC = '02:00:5e:00:6c:02';
const K_LL = linkLocal(K_MAC);
const R_LL = linkLocal(R_MAC);
const PREFIX = '2001:db8:6c::/64';

// Every compared field set explicitly on both sides: hop limit 64, M/O off,
// reachable 30000 ms, retrans 1000 ms, MTU 1500, lifetimes 86400/14400.
const RTADVD_CONF = [
  'em0:\\',
  '\t:maxinterval#4:mininterval#3:rltime#1200:chlim#64:raflags#0:rtime#30000:retrans#1000:mtu#1500:\\',
  '\t:addr="2001:db8:6c::":prefixlen#64:vltime#86400:pltime#14400:',
  '',
].join('\n');

interface RadvdParams {
  hopLimit: number;
  managed: boolean;
  mtu: number;
  validLifetime: number;
}

const radvdConf = (p: RadvdParams): string => `interface vx0 {
    AdvSendAdvert on;
    MinRtrAdvInterval 3;
    MaxRtrAdvInterval 4;
    AdvDefaultLifetime 1200;
    AdvCurHopLimit ${p.hopLimit};
    AdvManagedFlag ${p.managed ? 'on' : 'off'};
    AdvOtherConfigFlag off;
    AdvReachableTime 30000;
    AdvRetransTimer 1000;
    AdvLinkMTU ${p.mtu};
    prefix ${PREFIX} {
        AdvOnLink on;
        AdvAutonomous on;
        AdvValidLifetime ${p.validLifetime};
        AdvPreferredLifetime 14400;
    };
};
`;

const SAME: RadvdParams = { hopLimit: 64, managed: false, mtu: 1500, validLifetime: 86400 };
const DIFFERENT: RadvdParams = { hopLimit: 32, managed: true, mtu: 1400, validLifetime: 43200 };

const isInconsistencyLine = (m: string): boolean => m.includes('inconsistent');

/** radvd's own consistency complaints about other routers' RAs, without the time and pid. */
const radvdDisagrees = (r: { proc: { output(): string } }): string[] =>
  r.proc
    .output()
    .split('\n')
    .filter((l) => l.includes("doesn't agree"))
    .map((l) => l.replace(/^\[[^\]]*\] radvd \(\d+\): /, ''));

describeInteropWith(
  ['radvd'],
  'interop (c): our rtadvd and radvd on one link, RFC 4861 6.2.7 consistency checks',
  () => {
    let k: KameLink | undefined;
    let rtadvd: Rtadvd | undefined;
    let log: MemoryLog | undefined;
    /** RAs from R that reached the kame endpoint. */
    let fromR = 0;
    let radvd: Awaited<ReturnType<typeof startRadvd>> | undefined;

    const state = async () =>
      k
        ? linuxState(
            k,
            'R',
            () =>
              `fromR ${fromR}, rtadvd stats ${JSON.stringify(rtadvd?.engine.interface('em0')?.stats)}, ` +
              `counters ${JSON.stringify(rtadvd?.engine.counters)}\nrtadvd:\n${(log?.lines ?? []).slice(-20).join('')}\nradvd:\n${radvd?.proc.output() ?? ''}`,
          )
        : '';
    const stats = () => rtadvd!.engine.interface('em0')!.stats;
    /**
     * Every RA on the link has reached rtadvd: radvd's, and our own multicast RAs, which the
     * kame kernel loops back to our socket as BSD does (IPV6_MULTICAST_LOOP defaults to 1).
     */
    const allHeard = () => stats().raInput === fromR + stats().raOutput;

    beforeAll(async () => {
      k = await kameLink({ name: 'kame-r', sysctl: { 'net.inet6.ip6.forwarding': 1 }, mac: K_MAC });
      k.node.addAddress('em0', Ipv6Address.parse('2001:db8:6c::1'), 64);
      k.endpoint.onReceive((f) => {
        if (icmp6Type(f) === 134 && ipv6Src(f) === R_LL) fromR++;
      });
      await linuxPeer(k, 'R', R_MAC, { 'net.ipv6.conf.all.forwarding': 1 });
      await k.host.ip('R', '-6', 'addr', 'add', '2001:db8:6c::2/64', 'dev', 'vx0');
      const kk = k;
      await waitUntil(clock, 'DAD on kame em0', () => dadDone(kk.node, 'em0'), 5000);
      await waitUntil(
        clock,
        'DAD on R vx0',
        async () => !(await kk.host.addrs('R', 'vx0')).includes('tentative'),
        5000,
        { detail: state },
      );
      const client = await k.connect('rtadvd');
      const mem = memoryLogger('rtadvd');
      log = mem.log;
      rtadvd = await startRtadvd({
        client,
        loadConfigs: (ctx) => loadConfig(RTADVD_CONF, 'rtadvd.conf', ['em0'], ctx),
        clock,
        random: new SeededRandom(0x6c),
        logger: mem.logger,
        wallClock: () => Date.now(),
      });
    }, 30_000);

    afterAll(async () => {
      rtadvd?.close();
      await k?.close();
    }, 30_000);

    it("issue 6 (c), RFC 4861 6.2.7: with consistent configurations radvd's RAs are counted and nothing is logged", async () => {
      radvd = await startRadvd(k!, 'R', 'radvd-same', radvdConf(SAME));
      const out0 = stats().raOutput;
      // radvd's start-up RA and at least one periodic one (MaxRtrAdvInterval 4 s), and one of ours.
      await waitUntil(
        clock,
        'two RAs from radvd at rtadvd, one of ours on the link',
        () => fromR >= 2 && stats().raOutput > out0 && allHeard(),
        12_000,
        { detail: state },
      );
      // radvd's two and at least one of our own (looped back, as BSD loops multicast to local sockets).
      expect(stats().raInput).toBeGreaterThanOrEqual(3);
      expect(stats().raInconsistent).toBe(0);
      expect(log!.messages().filter(isInconsistencyLine)).toEqual([]);
      // Nor does radvd find anything to complain about in ours.
      expect(radvdDisagrees(radvd)).toEqual([]);
    }, 20_000);

    it('issue 6 (c), RFC 4861 6.2.7: radvd restarted with hop limit 32, M on, MTU 1400, valid lifetime 43200: exactly those are logged, each RA counted', async () => {
      // SIGTERM: radvd sends its final RA (router lifetime 0, still the consistent one) and exits.
      const old = radvd!;
      const exited = new Promise<void>((r) => old.proc.proc.once('exit', () => r()));
      const beforeKill = fromR;
      old.proc.proc.kill('SIGTERM');
      await exited;
      expect(radvdDisagrees(old)).toEqual([]);
      await waitUntil(clock, "radvd's final RA at rtadvd", () => fromR > beforeKill && allHeard(), 3000, {
        detail: state,
      });
      expect(stats().raInconsistent).toBe(0);
      expect(log!.messages().filter(isInconsistencyLine)).toEqual([]);
      const mark = log!.records.length;
      const fromRBefore = fromR;
      const inconsistentBefore = stats().raInconsistent;

      radvd = await startRadvd(k!, 'R', 'radvd-different', radvdConf(DIFFERENT));
      // Taken in one synchronous step once every RA on the link was processed: RAs from the
      // new radvd, rtadvd's inconsistency lines since the mark, and its counter.
      let seen: { ras: number; lines: string[]; counted: number } | undefined;
      await waitUntil(
        clock,
        'two inconsistent RAs from the new radvd',
        () => {
          if (stats().raInconsistent - inconsistentBefore < 2 || !allHeard()) return false;
          seen = {
            ras: fromR - fromRBefore,
            lines: log!.records
              .slice(mark)
              .map((r) => r.message)
              .filter(isInconsistencyLine),
            counted: stats().raInconsistent - inconsistentBefore,
          };
          return true;
        },
        12_000,
        { detail: state },
      );
      const expected = [
        `<ra_input> CurHopLimit inconsistent on em0: 32 from ${R_LL}, 64 from us`,
        `<ra_input> M flag inconsistent on em0: ON from ${R_LL}, OFF from us`,
        // Options are checked in the RA's order: radvd puts the Prefix Information before the MTU.
        `<prefix_check> valid lifetime for 2001:db8:6c::/64 inconsistent on em0: 43200 from ${R_LL}, 86400 from us`,
        `<ra_input> MTU option value inconsistent on em0: 1400 from ${R_LL}, 1500 from us`,
      ];
      // Each RA from the new radvd: these four lines, and nothing for the O flag, reachable time,
      // retrans timer or preferred lifetime (which match).
      expect(seen!.lines).toEqual(Array.from({ length: seen!.ras }, () => expected).flat());
      expect(seen!.counted).toBe(seen!.ras);
      // radvd checks our RAs too (it has no M flag check): it finds exactly the same differences.
      await waitUntil(clock, 'radvd to check one of our RAs', () => radvdDisagrees(radvd!).length > 0, 6000, {
        detail: state,
      });
      expect(new Set(radvdDisagrees(radvd))).toEqual(
        new Set([
          `our AdvCurHopLimit on vx0 doesn't agree with ${K_LL}`,
          `our AdvLinkMTU on vx0 doesn't agree with ${K_LL}`,
          `our AdvValidLifetime on vx0 for 2001:db8:6c:: doesn't agree with ${K_LL}`,
        ]),
      );
    }, 25_000);

    it('issue 6 (d): tshark finds every capture clean', async () => {
      rtadvd?.close();
      rtadvd = undefined;
      k!.tap.close();
      await suite.expectCleanCaptures(k!.host);
    }, 30_000);
  },
);
