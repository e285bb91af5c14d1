import { extractScope, Ipv6Address } from '@kame/addr';
import type { MemoryLog } from '@kame/daemon';
import { v1, type KernelClient } from '@kame/kernel-api';
import { startRtsold, type RtsoldHandle } from '@kame/rtsold';
import { waitUntil } from '@kame/testing';
import { dadDone, tsharkFields } from '@kame/testing/interop';
import * as suite from '@kame/testing/interop';
import { SeededRandom } from '@kame/time';
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
  slaacAddress,
  startRadvd,
  type KameLink,
} from './support';

/*
 * Issue 6 (b): radvd in a Linux namespace -> our rtsold + the kame kernel's SLAAC.
 *
 *   ns R vx0 (radvd, MaxRtrAdvInterval 1800)  -- VXLAN --  kame h em0 (accept_rtadv=1, rtsold)
 *
 * radvd sends its first RA at start, then (initial RAs) every 16 s. The kame
 * interface comes up only after that first RA went by, so what the host
 * hears next within 16 s can only be the answer to rtsold's RS.
 */

const K_MAC = '02:00:00:00:6b:01';
const R_MAC = '02:00:5e:00:6b:02';
const K_LL = linkLocal(K_MAC);
const R_LL = linkLocal(R_MAC);
const PREFIX = '2001:db8:6b::/64';
const R_GLOBAL = '2001:db8:6b::1/64';
/** radvd's MAX_INITIAL_RTR_ADVERT_INTERVAL: the next unsolicited RA after the first. */
const INITIAL_INTERVAL_MS = 16_000;
/** radvd's option order: PIO (3), RIO (24), RDNSS (25), DNSSL (31), SLLA (1). */
const RA_OPTIONS = '3,24,25,31,1';
const OTHERCONF = '/etc/kame-interop/other-config.sh';

const RADVD_CONF = `interface vx0 {
    AdvSendAdvert on;
    MinRtrAdvInterval 600;
    MaxRtrAdvInterval 1800;
    AdvDefaultLifetime 1800;
    AdvOtherConfigFlag on;
    AdvDefaultPreference high;
    prefix ${PREFIX} {
        AdvOnLink on;
        AdvAutonomous on;
        AdvValidLifetime 86400;
        AdvPreferredLifetime 14400;
    };
    route 2001:db8:99::/48 { };
    RDNSS 2001:db8:6b::53 { };
    DNSSL kame.example { };
};
`;

describeInteropWith(
  ['radvd'],
  'interop (b): radvd in Linux -> kame rtsold solicits, the kame kernel autoconfigures',
  () => {
    let k: KameLink | undefined;
    let client: KernelClient;
    let rtsold: RtsoldHandle | undefined;
    let log: MemoryLog | undefined;
    /** When R's RAs reached the kame endpoint (clock.now()), whether the interface was up or not. */
    const raArrivals: number[] = [];
    let radvdFirstRa = 0;
    const scriptRuns: string[] = [];

    const state = async () => (k ? linuxState(k, 'R', () => (log?.lines ?? []).slice(-20).join('')) : '');

    beforeAll(async () => {
      k = await kameLink({
        name: 'kame-h',
        sysctl: { 'net.inet6.ip6.accept_rtadv': 1 },
        mac: K_MAC,
        up: false,
      });
      k.endpoint.onReceive((f) => {
        if (icmp6Type(f) === 134 && ipv6Src(f) === R_LL) raArrivals.push(clock.now());
      });
      await linuxPeer(k, 'R', R_MAC, { 'net.ipv6.conf.all.forwarding': 1 });
      await k.host.ip('R', '-6', 'addr', 'add', R_GLOBAL, 'dev', 'vx0');
      const kk = k;
      await waitUntil(
        clock,
        'DAD on R vx0',
        async () => !(await kk.host.addrs('R', 'vx0')).includes('tentative'),
        5000,
        { detail: state },
      );
      const radvd = await startRadvd(k, 'R', 'radvd', RADVD_CONF);
      await waitUntil(clock, "radvd's first (unsolicited) RA", () => raArrivals.length > 0, 5000, {
        detail: async () => `${await state()}\nradvd:\n${radvd.proc.output()}`,
      });
      radvdFirstRa = raArrivals[0]!;
      // Only now does the kame host join the link.
      k.iface.up();
      await waitUntil(clock, 'DAD on kame em0', () => dadDone(kk.node, 'em0'), 5000);
      client = await k.connect('rtsold');
    }, 30_000);

    afterAll(async () => {
      rtsold?.stop();
      await k?.close();
    }, 30_000);

    it("issue 6 (b), RFC 4861 6.3.7: rtsold solicits; the solicited RA arrives within 2 s, long before radvd's next one", async () => {
      expect(raArrivals).toHaveLength(1);
      const mem = memoryLogger('rtsold');
      log = mem.log;
      const t0 = clock.now();
      // Well inside radvd's 16 s initial interval, with room for the answer.
      expect(t0 - radvdFirstRa).toBeLessThan(INITIAL_INTERVAL_MS - 6000);
      rtsold = await startRtsold({
        client,
        clock,
        random: new SeededRandom(0x6b),
        logger: mem.logger,
        interfaces: ['em0'],
        // -O: the RA has the O flag; the script runner is replaced to record the run.
        otherconfScript: OTHERCONF,
        runScript: async (script, ifname) => {
          scriptRuns.push(`${script} ${ifname}`);
        },
      });
      const r = rtsold;
      await waitUntil(clock, 'rtsold to take a valid RA', () => r.engine.stats.raValid > 0, 5000, {
        detail: state,
      });
      const heard = clock.now() - t0;
      expect(heard).toBeLessThan(2000);
      expect(r.engine.stats.rsSent).toBeGreaterThanOrEqual(1);
      expect(raArrivals).toHaveLength(2);
      expect(raArrivals[1]! - t0).toBeLessThan(2000);
      expect(raArrivals[1]! - radvdFirstRa).toBeLessThan(INITIAL_INTERVAL_MS - 2000);
      // rtsold is satisfied: IDLE, no more probes.
      await waitUntil(clock, 'rtsold IDLE on em0', () => r.engine.vars('em0')?.state === 'IDLE', 2000);
      expect(r.engine.vars('em0')).toMatchObject({ state: 'IDLE', probes: 0, racnt: 1 });
      expect(log.messages('warning')).toEqual([]);
      // RFC 4861 4.2 O flag: rtsold ran the other-configuration script once for em0.
      expect(scriptRuns).toEqual([`${OTHERCONF} em0`]);
    }, 20_000);

    it("issue 6 (b), RFC 4862 5.5.3: the kame kernel configures the EUI-64 address from radvd's prefix and a default route via R", async () => {
      const kk = k!;
      const slaac = slaacAddress(PREFIX, K_MAC);
      const globals = (): string[] =>
        client
          .addresses('em0')
          .filter((a) => a.address instanceof Ipv6Address && !a.address.isLinkLocal())
          .map((a) => `${a.address.toString()}/${a.prefixLength}`);
      const defaults = async (): Promise<string[]> =>
        (await client.routeList({ family: 6 }))
          .filter((r) => (r.dst?.length ?? -1) === 0)
          .map((r) =>
            r.gateway?.address
              ? extractScope(Ipv6Address.fromBytes(r.gateway.address)).address.toString()
              : 'link',
          );
      await waitUntil(
        clock,
        `${slaac} and a default route via ${R_LL} on kame`,
        async () => globals().includes(`${slaac}/64`) && (await defaults()).includes(R_LL),
        5000,
        {
          detail: async () =>
            `${await state()}\naddrs: ${globals().join(' ')}\ndefaults: ${(await defaults()).join(' ')}`,
        },
      );
      expect(globals()).toEqual([`${slaac}/64`]);
      expect(await defaults()).toEqual([R_LL]);
      // ndp -r: R with the O flag, preference high and radvd's router lifetime (1800 s).
      const routers = (await client.routers()).map((r) => ({
        address: extractScope(Ipv6Address.fromBytes(r.address!)).address.toString(),
        ifname: r.ifname,
        raFlags: r.raFlags,
        preference: r.preference ?? v1.RouterPreference.PREF_MEDIUM,
        installed: r.installed,
        expiresIn1800s: (r.expireMs ?? 0) > 1_700_000 && (r.expireMs ?? 0) <= 1_800_000,
      }));
      expect(routers).toEqual([
        {
          address: R_LL,
          ifname: 'em0',
          raFlags: 0x48, // the RA flag byte: O (0x40) and Prf high (0x08, RFC 4191 2.2)
          preference: v1.RouterPreference.PREF_HIGH,
          installed: true,
          expiresIn1800s: true,
        },
      ]);
      // Linux R reaches the new address (DAD over, the kame host answers).
      await waitUntil(clock, 'DAD of the SLAAC address', () => dadDone(kk.node, 'em0'), 5000);
      const ping = await kk.host.exec('R', 'ping', ['-6', '-c', '2', '-i', '0.2', '-W', '2', slaac], 10_000);
      expect(`${ping.stdout}${ping.stderr}`).toContain('2 received');
    }, 20_000);

    it('issue 6 (d): tshark finds every capture clean; R saw our RS and answered it', async () => {
      rtsold?.stop();
      rtsold = undefined;
      k!.tap.close();
      await suite.expectCleanCaptures(k!.host);
      const inner = suite.captureFile(k!.host, 'R-vx0').file;
      const rs = await tsharkFields(inner, `icmpv6.type == 133`, [
        'ipv6.src',
        'ipv6.dst',
        'ipv6.hlim',
        'icmpv6.opt.linkaddr',
      ]);
      // One RS (hop limit 255, with our SLLA): answered, rtsold stopped soliciting (RFC 4861 6.3.7).
      expect(rs).toEqual([`${K_LL}\tff02::2\t255\t${K_MAC}`]);
      const ras = await tsharkFields(inner, `icmpv6.type == 134`, [
        'ipv6.src',
        'ipv6.dst',
        'icmpv6.opt.type',
      ]);
      // radvd's start-up RA to all-nodes, then its answer to rtsold, unicast (radvd's
      // AdvRASolicitedUnicast), both with every option.
      expect(ras).toEqual([`${R_LL}\tff02::1\t${RA_OPTIONS}`, `${R_LL}\t${K_LL}\t${RA_OPTIONS}`]);
    }, 30_000);
  },
);
