import { Ipv6Address } from '@kame/addr';
import type { MemoryLog } from '@kame/daemon';
import type { KernelClient } from '@kame/kernel-api';
import { waitUntil } from '@kame/testing';
import { dadDone, tsharkFields } from '@kame/testing/interop';
import * as suite from '@kame/testing/interop';
import { SeededRandom } from '@kame/time';
import { loadConfig } from '../../src/config';
import { startRtadvd, type Rtadvd } from '../../src/rtadvd';
import {
  clock,
  describeInteropWith,
  kameLink,
  linkLocal,
  linuxPeer,
  linuxState,
  memoryLogger,
  slaacAddress,
  type KameLink,
} from './support';

/*
 * Issue 6 (a): our rtadvd on a kame router -> a Linux host (ns L) autoconfigures.
 *
 *   kame r em0 (forwarding=1, rtadvd)  -- VXLAN --  ns L vx0 (accept_ra=2, autoconf=1, rt_info_max_plen=64)
 */

const K_MAC = '02:00:00:00:6a:01';
const L_MAC = '02:00:5e:00:6a:02';
const K_LL = linkLocal(K_MAC);
const PREFIX = '2001:db8:6a::/64';
const ROUTE = '2001:db8:99::/48';
const RDNSS = '2001:db8:6a::53';
const DNSSL = 'kame.example';
const RLTIME = 1200;

// rtadvd.conf(5) text, read by the real parser. maxinterval 4 (the KAME minimum) keeps RAs coming.
const CONF = [
  'em0:\\',
  '\t:maxinterval#4:mininterval#3:rltime#1200:\\',
  '\t:addr="2001:db8:6a::":prefixlen#64:vltime#86400:pltime#14400:\\',
  '\t:rtprefix="2001:db8:99::":rtplen#48:rtltime#1800:\\',
  `\t:rdnss="${RDNSS}":rdnssltime#8:dnssl="${DNSSL}":dnsslltime#8:`,
  '',
].join('\n');

describeInteropWith(
  ['rdisc6'],
  'interop (a): kame rtadvd -> Linux SLAAC, default route, route information, RDNSS/DNSSL',
  () => {
    let k: KameLink | undefined;
    let client: KernelClient;
    let rtadvd: Rtadvd | undefined;
    let log: MemoryLog | undefined;
    const slaac = slaacAddress(PREFIX, L_MAC);

    const state = async () => (k ? linuxState(k, 'L', () => (log?.lines ?? []).slice(-20).join('')) : '');

    beforeAll(async () => {
      k = await kameLink({ name: 'kame-r', sysctl: { 'net.inet6.ip6.forwarding': 1 }, mac: K_MAC });
      k.node.addAddress('em0', Ipv6Address.parse('2001:db8:6a::1'), 64);
      await linuxPeer(k, 'L', L_MAC, {
        'net.ipv6.conf.default.accept_ra': 2,
        'net.ipv6.conf.default.autoconf': 1,
        'net.ipv6.conf.default.accept_ra_rt_info_max_plen': 64,
        'net.ipv6.conf.default.router_solicitation_delay': 0,
      });
      const kk = k;
      await waitUntil(clock, 'DAD on kame em0', () => dadDone(kk.node, 'em0'), 5000);
      await waitUntil(
        clock,
        'DAD on L vx0',
        async () => !(await kk.host.addrs('L', 'vx0')).includes('tentative'),
        5000,
        { detail: state },
      );
      client = await k.connect('rtadvd');
    }, 30_000);

    afterAll(async () => {
      rtadvd?.close();
      await k?.close();
    }, 30_000);

    it('issue 6 (a), RFC 4862 5.5.3 / RFC 4861 6.3.4: L autoconfigures from our prefix and takes a default route via our link-local', async () => {
      const mem = memoryLogger('rtadvd');
      log = mem.log;
      rtadvd = await startRtadvd({
        client,
        loadConfigs: (ctx) => loadConfig(CONF, 'rtadvd.conf', ['em0'], ctx),
        clock,
        random: new SeededRandom(0x6a),
        logger: mem.logger,
        wallClock: () => Date.now(),
      });
      const kk = k!;
      await waitUntil(
        clock,
        `SLAAC ${slaac}, a default route via ${K_LL} and ${ROUTE} via ${K_LL} in L`,
        async () => {
          const a = await kk.host.addrs('L', 'vx0');
          const rt = await kk.host.ip('L', '-6', 'route', 'show');
          return (
            new RegExp(`inet6 ${slaac}/64 scope global dynamic`).test(a) &&
            rt.includes(`default via ${K_LL} dev vx0 proto ra`) &&
            rt.includes(`${ROUTE} via ${K_LL} dev vx0 proto ra`)
          );
        },
        15_000,
        { detail: state },
      );
      // The default route carries our router lifetime (rltime#1200): "expires <n>sec", n <= 1200.
      const def = await kk.host.ip('L', '-6', 'route', 'show', 'default');
      const expires = /expires (\d+)sec/.exec(def);
      expect(expires).not.toBeNull();
      expect(Number(expires![1])).toBeGreaterThan(RLTIME - 30);
      expect(Number(expires![1])).toBeLessThanOrEqual(RLTIME);
      // The address has our lifetimes (vltime 86400, pltime 14400), counting down.
      const addr = await kk.host.addrs('L', 'vx0');
      const lft = /valid_lft (\d+)sec preferred_lft (\d+)sec/.exec(addr.slice(addr.indexOf(slaac)));
      expect(lft).not.toBeNull();
      expect(Number(lft![1])).toBeGreaterThan(86400 - 30);
      expect(Number(lft![2])).toBeGreaterThan(14400 - 30);
      expect(Number(lft![2])).toBeLessThanOrEqual(14400);
      expect(rtadvd.engine.interface('em0')!.stats.raOutput).toBeGreaterThan(0);
    }, 25_000);

    it('issue 6 (a): rdisc6 solicits and shows our prefix, route, RDNSS, DNSSL and router lifetime', async () => {
      const rsBefore = rtadvd!.engine.interface('em0')!.stats.rsInput;
      const r = await k!.host.exec('L', 'rdisc6', ['-1', '-w', '4000', 'vx0'], 15_000);
      const out = r.stdout;
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(out).toMatch(/Router lifetime\s*:\s*1200 \(0x000004b0\) seconds/);
      expect(out).toMatch(
        /Prefix\s*:\s*2001:db8:6a::\/64\n\s*On-link\s*:\s*Yes\n\s*Autonomous address conf\.\s*:\s*Yes/,
      );
      expect(out).toMatch(/Valid time\s*:\s*86400 \(0x00015180\) seconds/);
      expect(out).toMatch(/Pref\. time\s*:\s*14400 \(0x00003840\) seconds/);
      expect(out).toMatch(
        /Route\s*:\s*2001:db8:99::\/48\n\s*Route preference\s*:\s*medium\n\s*Route lifetime\s*:\s*1800 \(0x00000708\) seconds/,
      );
      expect(out).toMatch(
        new RegExp(
          `Recursive DNS server\\s*:\\s*${RDNSS}\\n\\s*DNS server lifetime\\s*:\\s*8 \\(0x00000008\\) seconds`,
        ),
      );
      expect(out).toMatch(
        new RegExp(
          `DNS search list\\s*:\\s*${DNSSL.replace('.', '\\.')}\\s*\\n\\s*DNS search list lifetime\\s*:\\s*8 \\(0x00000008\\) seconds`,
        ),
      );
      expect(out).toContain(`from ${K_LL}`);
      // rdisc6's RS reached rtadvd (the answer may be the solicited multicast RA).
      expect(rtadvd!.engine.interface('em0')!.stats.rsInput).toBeGreaterThan(rsBefore);
    }, 20_000);

    it('issue 6 (a), RFC 4861 6.2.5: shutdown sends 3 final RAs (router lifetime 0); L drops its default route via us', async () => {
      const d = rtadvd!;
      const before = d.engine.interface('em0')!.stats.raOutput;
      let done = false;
      const finished = d.shutdown().then(() => {
        done = true;
      });
      const kk = k!;
      await waitUntil(
        clock,
        `L to drop the default route via ${K_LL}`,
        async () => !(await kk.host.ip('L', '-6', 'route', 'show', 'default')).includes(K_LL),
        5_000,
        { detail: state },
      );
      // The first final RA removed it, long before the third.
      expect(done).toBe(false);
      await finished;
      expect(d.engine.interface('em0')!.stats.raOutput - before).toBe(3);
      expect(log!.messages('info')).toContain('<die> cease to be an advertising router');
      rtadvd = undefined;
    }, 20_000);

    it('issue 6 (d): tshark finds every capture clean; L saw our RAs with RIO (type 24), RDNSS and DNSSL', async () => {
      k!.tap.close();
      await suite.expectCleanCaptures(k!.host);
      const inner = suite.captureFile(k!.host, 'L-vx0').file;
      const ras = await tsharkFields(inner, `icmpv6.type == 134 && ipv6.src == ${K_LL}`, [
        'icmpv6.nd.ra.router_lifetime',
        'icmpv6.opt.type',
        'icmpv6.opt.prefix',
        'icmpv6.opt.prefix.length',
        'icmpv6.opt.route_lifetime',
        'icmpv6.opt.rdnss',
        'icmpv6.opt.dnssl',
      ]);
      expect(ras.length).toBeGreaterThanOrEqual(4);
      // SLLA (1), PIO (3), RIO (24), RDNSS (25), DNSSL (31) in KAME's order (no mtu#: no MTU option);
      // tshark shows the PIO and RIO prefixes in one field.
      expect(ras[0]).toBe(
        `${RLTIME}\t1,3,24,25,31\t2001:db8:6a::,2001:db8:99::\t64,48\t1800\t${RDNSS}\t${DNSSL}`,
      );
      // The last three, and only they, are the final RAs.
      expect(ras.map((l) => l.split('\t')[0]).filter((lt) => lt === '0')).toHaveLength(3);
      expect(ras.slice(-3).map((l) => l.split('\t')[0])).toEqual(['0', '0', '0']);
    }, 30_000);
  },
);
