import { Ipv6Address } from '@kame/addr';
import type { NdOption } from '@kame/wire';
import { FakeHost, ifConfig, prefixConfig } from '../../test/support/fake-host';
import { raBytes, rsBytes, sllaOption } from '../../test/support/nd';
import type { InterfaceConfig } from '../config/types';
import { RtadvdEngine } from './rtadvd-engine';

const PEER = Ipv6Address.parse('fe80::99');
const P1 = '2001:db8:1::/64';

function setup(cfg: Partial<InterfaceConfig> = {}) {
  const host = new FakeHost(7).addIf('ne0').addIf('ne1', { lladdr: '00:00:5e:00:53:02' });
  const engine = new RtadvdEngine(host, [ifConfig('ne0', { prefixes: [prefixConfig(P1)], ...cfg })]);
  engine.start();
  host.clock.advance(1_000);
  return { host, engine, ri: engine.interface('ne0')! };
}

function pio(prefix: string, validLifetime: number, preferredLifetime: number): NdOption {
  const [a, l] = prefix.split('/');
  return {
    kind: 'prefixInfo',
    prefixLength: Number(l),
    onLink: true,
    autonomous: true,
    routerAddr: false,
    validLifetime,
    preferredLifetime,
    prefix: Ipv6Address.parse(a!),
  };
}

describe('RS validation (RFC 4861 6.1.1, KAME rtadvd_input / rs_input)', () => {
  const cases: [
    string,
    () => { hoplimit: number | undefined; data: Uint8Array; src?: Ipv6Address },
    string,
  ][] = [
    ['hop limit != 255', () => ({ hoplimit: 64, data: rsBytes() }), 'rsBadHopLimit'],
    ['no hop limit ancillary data', () => ({ hoplimit: undefined, data: rsBytes() }), 'rsBadHopLimit'],
    ['ICMP code != 0', () => ({ hoplimit: 255, data: rsBytes([], 1) }), 'rsBadCode'],
    ['shorter than 8 octets', () => ({ hoplimit: 255, data: rsBytes().subarray(0, 6) }), 'rsTooShort'],
    [
      'an option of length 0',
      () => ({ hoplimit: 255, data: Uint8Array.from([...rsBytes(), 1, 0, 0, 0, 0, 0, 0, 0]) }),
      'rsBadOptions',
    ],
    [
      'an option running past the end',
      () => ({ hoplimit: 255, data: Uint8Array.from([...rsBytes(), 1, 2, 0, 0, 0, 0, 0, 0]) }),
      'rsBadOptions',
    ],
    [
      'a Prefix Information option that is not 32 octets',
      () => ({ hoplimit: 255, data: Uint8Array.from([...rsBytes(), 3, 1, 64, 0xc0, 0, 0, 0, 0]) }),
      'rsBadOptions',
    ],
    [
      'source :: with a Source Link-Layer Address option',
      () => ({ hoplimit: 255, data: rsBytes([sllaOption()]), src: Ipv6Address.UNSPECIFIED }),
      'rsUnspecifiedWithSlla',
    ],
  ];
  for (const [name, make, counter] of cases) {
    it(`RFC 4861 6.1.1: an RS with ${name} is dropped and counted (${counter})`, () => {
      const { host, engine, ri } = setup();
      const m = make();
      engine.input({ ifname: 'ne0', src: m.src ?? PEER, hoplimit: m.hoplimit, data: m.data });
      host.clock.advance(1_000);
      expect(host.sent).toHaveLength(0);
      expect(ri.stats.rsInput).toBe(0);
      expect(ri.waiting).toBe(0);
      expect(engine.counters[counter as keyof typeof engine.counters]).toBe(1);
      engine.stop();
    });
  }

  it('RFC 4861 6.1.1: unknown options are ignored, the RS is answered', () => {
    const { host, engine, ri } = setup();
    const data = Uint8Array.from([...rsBytes([sllaOption()]), 200, 1, 0, 0, 0, 0, 0, 0]);
    engine.input({ ifname: 'ne0', src: PEER, hoplimit: 255, data });
    host.clock.advance(1_000);
    expect(ri.stats.rsInput).toBe(1);
    expect(host.sent).toHaveLength(1);
    engine.stop();
  });

  it('KAME rs_input: an RS on a non-advertising interface is logged and counted, no RA', () => {
    const { host, engine } = setup();
    engine.input({ ifname: 'ne1', src: PEER, hoplimit: 255, data: rsBytes() });
    host.clock.advance(1_000);
    expect(host.sent).toHaveLength(0);
    expect(engine.counters.rsNotAdvertising).toBe(1);
    expect(host.logger.messages('info')).toContain(
      '<rs_input> RS received on non advertising interface(ne1)',
    );
    engine.stop();
  });

  it('hostile input: random bytes of every length never throw and never trigger an RA', () => {
    const { host, engine } = setup();
    const r = host.random;
    for (let i = 0; i < 2000; i++) {
      const data = r.bytes(new Uint8Array(r.int(0, 80)));
      if (data.length > 0) data[0] = r.next() < 0.5 ? 133 : 134;
      if (data.length > 1) data[1] = 0;
      expect(() => engine.input({ ifname: 'ne0', src: PEER, hoplimit: 255, data })).not.toThrow();
    }
    expect(host.logger.messages('err')).toEqual([]);
    engine.stop();
  });
});

describe('RA validation (RFC 4861 6.1.2)', () => {
  it('RFC 4861 6.1.2: RAs with a bad hop limit, code, length or option chain are dropped and counted', () => {
    const { engine, ri } = setup();
    engine.input({ ifname: 'ne0', src: PEER, hoplimit: 254, data: raBytes({ curHopLimit: 1 }) });
    engine.input({ ifname: 'ne0', src: PEER, hoplimit: 255, data: raBytes({ code: 3, curHopLimit: 1 }) });
    engine.input({ ifname: 'ne0', src: PEER, hoplimit: 255, data: raBytes().subarray(0, 12) });
    engine.input({
      ifname: 'ne0',
      src: PEER,
      hoplimit: 255,
      data: Uint8Array.from([
        ...raBytes({ curHopLimit: 1 }),
        5,
        2,
        0,
        0,
        0,
        0,
        5,
        0xdc,
        ...new Array(8).fill(0),
      ]),
    });
    expect(engine.counters.raBadHopLimit).toBe(1);
    expect(engine.counters.raBadCode).toBe(1);
    expect(engine.counters.raTooShort).toBe(1);
    expect(engine.counters.raBadOptions).toBe(1);
    expect(ri.stats.raInput).toBe(0);
    expect(ri.stats.raInconsistent).toBe(0);
    engine.stop();
  });
});

describe('RA consistency checks (RFC 4861 6.2.7, KAME ra_input / prefix_check, reference 1.6)', () => {
  function receive(engine: RtadvdEngine, data: Uint8Array): void {
    engine.input({ ifname: 'ne0', src: PEER, hoplimit: 255, data });
  }

  it('RFC 4861 6.2.7: a consistent RA is counted as input, not as inconsistent, and logs nothing', () => {
    const { host, engine, ri } = setup();
    receive(engine, raBytes({ options: [pio(P1, 2592000, 604800)] }));
    expect(ri.stats.raInput).toBe(1);
    expect(ri.stats.raInconsistent).toBe(0);
    expect(host.logger.messages('info')).toEqual([]);
    engine.stop();
  });

  const fields: [string, Partial<InterfaceConfig>, Parameters<typeof raBytes>[0], string][] = [
    [
      'CurHopLimit',
      {},
      { curHopLimit: 32 },
      '<ra_input> CurHopLimit inconsistent on ne0: 32 from fe80::99, 64 from us',
    ],
    ['M flag', {}, { managed: true }, '<ra_input> M flag inconsistent on ne0: ON from fe80::99, OFF from us'],
    ['O flag', { other: true }, {}, '<ra_input> O flag inconsistent on ne0: OFF from fe80::99, ON from us'],
    [
      'ReachableTime',
      { reachableTimeMs: 30000 },
      { reachableTime: 20000 },
      '<ra_input> ReachableTime inconsistent on ne0: 20000 from fe80::99, 30000 from us',
    ],
    [
      'RetransTimer',
      { retransTimerMs: 1000 },
      { retransTimer: 2000 },
      '<ra_input> RetranceTimer inconsistent on ne0: 2000 from fe80::99, 1000 from us',
    ],
    [
      'MTU option',
      { linkMtu: 1500 },
      { options: [{ kind: 'mtu', mtu: 1400 }] },
      '<ra_input> MTU option value inconsistent on ne0: 1400 from fe80::99, 1500 from us',
    ],
    [
      'static preferred lifetime',
      {},
      { options: [pio(P1, 2592000, 3600)] },
      '<prefix_check> preferred lifetime for 2001:db8:1::/64 inconsistent on ne0: 3600 from fe80::99, 604800 from us',
    ],
    [
      'static valid lifetime',
      {},
      { options: [pio(P1, 86400, 604800)] },
      '<prefix_check> valid lifetime for 2001:db8:1::/64 inconsistent on ne0: 86400 from fe80::99, 2592000 from us',
    ],
  ];
  for (const [field, cfg, ra, line] of fields) {
    it(`RFC 4861 6.2.7: ${field} inconsistent: KAME's log line and one inconsistent count`, () => {
      const { host, engine, ri } = setup(cfg);
      receive(engine, raBytes(ra));
      expect(host.logger.messages('info')).toEqual([line]);
      expect(ri.stats.raInput).toBe(1);
      expect(ri.stats.raInconsistent).toBe(1);
      engine.stop();
    });
  }

  it('RFC 4861 6.2.7: zero ("unspecified") CurHopLimit, ReachableTime, RetransTimer and MTU are not compared', () => {
    const { host, engine, ri } = setup({ reachableTimeMs: 30000, retransTimerMs: 1000, linkMtu: 1500 });
    receive(engine, raBytes({ curHopLimit: 0, options: [{ kind: 'mtu', mtu: 0 }] }));
    expect(host.logger.messages('info')).toEqual([]);
    expect(ri.stats.raInconsistent).toBe(0);
    engine.stop();
  });

  it('KAME ra_input: several inconsistent fields log several lines but count the RA once', () => {
    const { host, engine, ri } = setup();
    receive(engine, raBytes({ curHopLimit: 1, managed: true, other: true }));
    expect(host.logger.messages('info')).toHaveLength(3);
    expect(ri.stats.raInconsistent).toBe(1);
    engine.stop();
  });

  it('KAME prefix_check: a link-local or unknown prefix is logged only', () => {
    const { host, engine, ri } = setup();
    receive(engine, raBytes({ options: [pio('fe80::/64', 1, 1), pio('2001:db8:9::/64', 1, 1)] }));
    expect(host.logger.messages('info')).toEqual([
      '<prefix_check> link-local prefix fe80::/64 is advertised from fe80::99 on ne0',
      '<prefix_check> prefix 2001:db8:9::/64 from fe80::99 on ne0 is not in our list',
    ]);
    expect(ri.stats.raInconsistent).toBe(0);
    engine.stop();
  });

  describe('decrementing lifetimes (vltimedecr / pltimedecr with clockskew)', () => {
    const decr = (clockSkew: number) =>
      setup({
        clockSkew,
        prefixes: [
          prefixConfig(P1, {
            validLifetimeDecrements: true,
            preferredLifetimeDecrements: true,
            validLifetime: 7200,
            preferredLifetime: 3600,
          }),
        ],
      });

    it('RFC 4861 6.2.7: our advertised lifetimes count down in real time', () => {
      const { host, engine } = decr(10);
      host.clock.advance(99_000); // 100 s after the config was loaded
      const pi = engine.packetInput('ne0').prefixes[0]!;
      expect([pi.validLifetime, pi.preferredLifetime]).toEqual([7100, 3500]);
      host.clock.advance(3600_000);
      const later = engine.packetInput('ne0').prefixes[0]!;
      expect([later.validLifetime, later.preferredLifetime]).toEqual([3500, 0]);
      engine.stop();
    });

    it('RFC 4861 6.2.7: a peer within clockskew of our expiry time is consistent', () => {
      const { host, engine, ri } = decr(10);
      host.clock.advance(99_000);
      receive(engine, raBytes({ options: [pio(P1, 7100 + 10, 3500 - 10)] }));
      expect(host.logger.messages('info')).toEqual([]);
      expect(ri.stats.raInconsistent).toBe(0);
      engine.stop();
    });

    it('RFC 4861 6.2.7: preferred lifetime (decr.) beyond clockskew is logged and counted', () => {
      const { host, engine, ri } = decr(10);
      host.clock.advance(99_000);
      receive(engine, raBytes({ options: [pio(P1, 7100, 3500 + 11)] }));
      expect(host.logger.messages('info')).toEqual([
        '<prefix_check> preferred lifetime for 2001:db8:1::/64 (decr.) inconsistent on ne0: 3511 from fe80::99, 3500 from us',
      ]);
      expect(ri.stats.raInconsistent).toBe(1);
      engine.stop();
    });

    it('RFC 4861 6.2.7: valid lifetime (decr.) beyond clockskew is logged and counted', () => {
      const { host, engine, ri } = decr(10);
      host.clock.advance(99_000);
      receive(engine, raBytes({ options: [pio(P1, 7100 - 11, 3500)] }));
      expect(host.logger.messages('info')).toEqual([
        '<prefix_check> valid lifetime for 2001:db8:1::/64 (decr.) inconsistent on ne0: 7089 from fe80::99, 7100 from us',
      ]);
      expect(ri.stats.raInconsistent).toBe(1);
      engine.stop();
    });

    it('reference 1.2: clockskew 0 skips the decrementing-lifetime check', () => {
      const { host, engine, ri } = decr(0);
      receive(engine, raBytes({ options: [pio(P1, 1, 1)] }));
      expect(host.logger.messages('info')).toEqual([]);
      expect(ri.stats.raInconsistent).toBe(0);
      engine.stop();
    });
  });

  it('KAME prefix_check: lifetimes of a prefix being invalidated are not compared', () => {
    const { host, engine, ri } = setup();
    engine.onRouteDelete('ne0', Ipv6Address.parse('2001:db8:1::'), 64);
    host.logger.lines.length = 0;
    receive(engine, raBytes({ options: [pio(P1, 5, 5)] }));
    expect(host.logger.messages('info')).toEqual([]);
    expect(ri.stats.raInconsistent).toBe(0);
    engine.stop();
  });

  it('KAME ra_input: an RA on a non-advertising interface is logged and ignored', () => {
    const { host, engine, ri } = setup();
    engine.input({ ifname: 'ne1', src: PEER, hoplimit: 255, data: raBytes({ curHopLimit: 1 }) });
    expect(engine.counters.raNotAdvertising).toBe(1);
    expect(ri.stats.raInput).toBe(0);
    expect(host.logger.messages('info')).toEqual([
      '<ra_input> received RA from fe80::99 on non-advertising interface(ne1)',
    ]);
    engine.stop();
  });
});
