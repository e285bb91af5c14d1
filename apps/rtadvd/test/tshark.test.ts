import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ipv6Address } from '@kame/addr';
import { attachKernel, createLogger, MemoryLog } from '@kame/daemon';
import { SeededRandom, VirtualClock } from '@kame/time';
import { pcapngFile } from '@kame/wire';
import { startRtadvd } from '../src/rtadvd';
import { EPOCH_2026_11_26, ifConfig, prefixConfig } from './support/fake-host';
import { Hub, newNode, serve, until } from './support/lan';

// An independent judge of the RA on the wire (CONVENTIONS: golden vectors never
// from our own encoder alone): frames captured on the lab hub, decoded by tshark.
function which(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const hasTshark = which('tshark');
if (!hasTshark) console.log('rtadvd tshark judge: tshark not installed; skipping (CI has it)');

describe('the RA on the wire, judged by tshark', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rtadvd-tshark-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  (hasTshark || process.env['CI'] ? it : it.skip)(
    'RFC 4861 4.2 / RFC 4191 2.3 / RFC 8106 5: hop limit 255 to ff02::1, good checksum, options SLLA MTU PIO PIO RIO(24) RDNSS DNSSL',
    async () => {
      const clock = new VirtualClock(EPOCH_2026_11_26);
      const hub = new Hub(clock);
      const r = newNode(clock, 'r', 1, { 'net.inet6.ip6.forwarding': 1 });
      hub.attach(r, 'em0', '02:00:00:00:00:01');
      r.ifUp('em0');
      clock.advance(5_000);
      const client = await attachKernel({
        name: 'rtadvd',
        channelFactory: serve(r).channelFactory,
        clock,
        reconnect: false,
      });
      const cfg = ifConfig('em0', {
        linkMtu: 1500,
        managed: true,
        preference: 3,
        learnPrefixes: false,
        prefixes: [prefixConfig('2001:db8:1::/64'), prefixConfig('2001:db8:2::/64', { autonomous: false })],
        routes: [
          { prefix: Ipv6Address.parse('2001:db8:100::'), prefixLength: 48, preference: 1, lifetime: 900 },
        ],
        rdnss: [
          { servers: [Ipv6Address.parse('2001:db8::53'), Ipv6Address.parse('2001:db8::54')], lifetime: 900 },
        ],
        dnssl: [{ domains: ['example.com', 'lab.example.org'], lifetime: 900 }],
      });
      const log = new MemoryLog();
      const d = await startRtadvd({
        client,
        loadConfigs: () => ({ configs: [cfg] }),
        clock,
        random: new SeededRandom(3),
        logger: createLogger({ ident: 'rtadvd', clock, sink: log.sink }),
      });
      hub.frames.length = 0;
      // Ethernet (14) + IPv6 (40): the ICMPv6 type byte of an RA frame
      const raFrames = () =>
        hub.frames.filter((f) => f.frame[12] === 0x86 && f.frame[13] === 0xdd && f.frame[54] === 134);
      await until(() => raFrames().length >= 1, clock, { stepMs: 100 });
      d.close();
      client.close();
      const frames = raFrames().map((f) => ({ data: f.frame, timestamp: BigInt(f.time) * 1_000_000n }));
      const file = join(dir, 'ra.pcapng');
      writeFileSync(file, pcapngFile(frames));
      const out = execFileSync(
        'tshark',
        [
          '-n',
          '-r',
          file,
          '-Y',
          'icmpv6.type == 134',
          '-T',
          'fields',
          '-E',
          'separator=|',
          '-e',
          'ipv6.hlim',
          '-e',
          'ipv6.dst',
          '-e',
          'ipv6.src',
          '-e',
          'icmpv6.checksum.status',
          '-e',
          'icmpv6.nd.ra.flag',
          '-e',
          'icmpv6.nd.ra.router_lifetime',
          '-e',
          'icmpv6.opt.type',
          '-e',
          'icmpv6.opt.prefix',
          '-e',
          'icmpv6.opt.route_info.flag.route_preference',
          '-e',
          'icmpv6.opt.rdnss',
          '-e',
          'icmpv6.opt.dnssl',
          '-e',
          '_ws.malformed',
          '-e',
          '_ws.expert.severity',
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const lines = out.trim().split('\n');
      expect(lines).toHaveLength(1);
      const [
        hlim,
        dst,
        src,
        ck,
        flags,
        lifetime,
        types,
        prefixes,
        rtpref,
        rdnss,
        dnssl,
        malformed,
        severity,
      ] = lines[0]!.split('|');
      expect(hlim).toBe('255');
      expect(dst).toBe('ff02::1');
      expect(src).toBe('fe80::ff:fe00:1');
      expect(ck).toBe('1'); // PROTO_CHECKSUM_E_GOOD (0 bad, 2 unverified)
      expect(Number(flags) & 0x80).toBe(0x80); // M
      expect((Number(flags) >> 3) & 3).toBe(3); // low preference
      expect(lifetime).toBe('1800');
      expect(types).toBe('1,5,3,3,24,25,31');
      expect(prefixes).toBe('2001:db8:2::,2001:db8:1::,2001:db8:100::');
      expect(rtpref).toBe('1');
      expect(rdnss).toBe('2001:db8::53,2001:db8::54');
      expect(dnssl).toBe('example.com,lab.example.org');
      expect(malformed).toBe('');
      expect(severity ?? '').not.toMatch(/error/i);
    },
    30_000,
  );
});
