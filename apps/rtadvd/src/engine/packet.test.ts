import { Ipv6Address } from '@kame/addr';
import { FakeHost, ifConfig, prefixConfig } from '../../test/support/fake-host';
import { RtadvdEngine } from './rtadvd-engine';

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function firstRa(host: FakeHost, engine: RtadvdEngine) {
  engine.start();
  host.clock.advance(16_000);
  engine.stop();
  expect(host.sent).toHaveLength(1);
  return host.sent[0]!;
}

describe('RA layout (KAME make_packet, reference 1.4)', () => {
  it('RFC 4861 4.2: golden bytes of a minimal RA (header, SLLA, one PIO)', () => {
    const host = new FakeHost().addIf('ne0', { lladdr: '00:00:5e:00:53:01' });
    const engine = new RtadvdEngine(host, [ifConfig('ne0', { prefixes: [prefixConfig('2001:db8:1::/64')] })]);
    const { bytes } = firstRa(host, engine);
    // Written out by hand from RFC 4861 4.2 / 4.6.1 / 4.6.2, not from the encoder.
    const want =
      '8600' +
      '0000' +
      '40' +
      '00' +
      '0708' +
      '00000000' +
      '00000000' + // type 134, hlim 64, lifetime 1800
      '0101' +
      '00005e005301' + // SLLA
      '0304' +
      '40' +
      'c0' +
      '00278d00' +
      '00093a80' +
      '00000000' +
      '20010db8000100000000000000000000'; // PIO
    expect(hex(bytes)).toBe(want);
  });

  it('reference 1.4: option order SLLA, MTU, PIO (reverse of config order), RIO (type 24), RDNSS, DNSSL', () => {
    const host = new FakeHost().addIf('ne0', { mtu: 1500 });
    const cfg = ifConfig('ne0', {
      linkMtu: 1480,
      managed: true,
      other: true,
      preference: 1,
      prefixes: [prefixConfig('2001:db8:1::/64'), prefixConfig('2001:db8:2::/64', { autonomous: false })],
      learnPrefixes: false,
      routes: [
        { prefix: Ipv6Address.parse('2001:db8:100::'), prefixLength: 48, preference: 3, lifetime: 900 },
        {
          prefix: Ipv6Address.parse('2001:db8:200::1'),
          prefixLength: 96,
          preference: 0,
          lifetime: 0xffffffff,
        },
      ],
      rdnss: [{ servers: [Ipv6Address.parse('2001:db8::53')], lifetime: 900 }],
      dnssl: [{ domains: ['example.com'], lifetime: 900 }],
    });
    const engine = new RtadvdEngine(host, [cfg]);
    const { ra, bytes } = firstRa(host, engine);
    expect(ra.managed && ra.other).toBe(true);
    expect(ra.preference).toBe('high');
    expect(ra.options.map((o) => o.kind)).toEqual([
      'sourceLinkAddr',
      'mtu',
      'prefixInfo',
      'prefixInfo',
      'routeInfo',
      'routeInfo',
      'rdnss',
      'dnssl',
    ]);
    const pios = ra.options.flatMap((o) => (o.kind === 'prefixInfo' ? [o] : []));
    expect(pios.map((p) => [p.prefix.toString(), p.autonomous])).toEqual([
      ['2001:db8:2::', false],
      ['2001:db8:1::', true],
    ]);
    const rios = ra.options.flatMap((o) => (o.kind === 'routeInfo' ? [o] : []));
    expect(rios.map((r) => [`${r.prefix}/${r.prefixLength}`, r.preference, r.routeLifetime])).toEqual([
      ['2001:db8:100::/48', 'low', 900],
      ['2001:db8:200::/96', 'medium', 0xffffffff],
    ]);
    // RFC 4191 2.3 on the wire: type 24 (KAME's 200 is not used), length 2 for a /48, 3 for a /96
    const rioAt = 16 + 8 + 8 + 32 + 32;
    expect([bytes[rioAt], bytes[rioAt + 1], bytes[rioAt + 16], bytes[rioAt + 17]]).toEqual([24, 2, 24, 3]);
    const mtu = ra.options.find((o) => o.kind === 'mtu');
    expect(mtu).toEqual({ kind: 'mtu', mtu: 1480 });
  });

  it('reference 1.2: mtu "auto" advertises the interface MTU; nolladdr omits SLLA', () => {
    const host = new FakeHost().addIf('ne0', { mtu: 9000 });
    const engine = new RtadvdEngine(host, [
      ifConfig('ne0', { linkMtu: 'auto', advertiseLinkAddress: false }),
    ]);
    const { ra } = firstRa(host, engine);
    expect(ra.options).toEqual([{ kind: 'mtu', mtu: 9000 }]);
  });

  it('KAME if.c: no SLLA on a non-Ethernet interface (gif) even without nolladdr', () => {
    const host = new FakeHost().addIf('gif0', { isEthernet: false, lladdr: null });
    const engine = new RtadvdEngine(host, [ifConfig('gif0')]);
    const { ra } = firstRa(host, engine);
    expect(ra.options).toEqual([]);
  });

  it('reference 1.2: a link MTU outside 1280..phymtu is refused at start-up', () => {
    const host = new FakeHost().addIf('ne0', { mtu: 1500 });
    expect(() => new RtadvdEngine(host, [ifConfig('ne0', { linkMtu: 1600 })])).toThrow(
      /advertised link mtu \(1600\)/,
    );
    expect(() => new RtadvdEngine(host, [ifConfig('ne0', { linkMtu: 1000 })])).toThrow(/least MTU \(1280\)/);
  });

  it('RFC 4861 6.2.3: a non-zero router lifetime is refused when forwarding is off; zero is allowed', () => {
    const host = new FakeHost().addIf('ne0');
    host.forwardingOn = false;
    expect(() => new RtadvdEngine(host, [ifConfig('ne0')])).toThrow(
      /non zero router lifetime is specified for ne0/,
    );
    expect(() => new RtadvdEngine(host, [ifConfig('ne0', { routerLifetime: 0 })])).not.toThrow();
  });

  it('reference 1.1: an interface the kernel does not have is refused', () => {
    const host = new FakeHost().addIf('ne0');
    expect(() => new RtadvdEngine(host, [ifConfig('ne9')])).toThrow(
      "<getconfig> can't get information of ne9",
    );
  });

  it('reference 1.2: with pltimedecr a preferred lifetime never exceeds the decremented valid lifetime', () => {
    const host = new FakeHost().addIf('ne0');
    const engine = new RtadvdEngine(host, [
      ifConfig('ne0', {
        prefixes: [
          prefixConfig('2001:db8:1::/64', {
            validLifetime: 100,
            preferredLifetime: 1000,
            validLifetimeDecrements: true,
          }),
        ],
      }),
    ]);
    host.clock.advance(40_000);
    const p = engine.packetInput('ne0').prefixes[0]!;
    expect([p.validLifetime, p.preferredLifetime]).toEqual([60, 60]);
    host.clock.advance(100_000);
    const q = engine.packetInput('ne0').prefixes[0]!;
    expect([q.validLifetime, q.preferredLifetime]).toEqual([0, 0]);
  });

  it('KAME ra_output: a send failure is logged and counted, the timer keeps running', async () => {
    const host = new FakeHost().addIf('ne0');
    host.sendError = new Error('ENETDOWN');
    const engine = new RtadvdEngine(host, [ifConfig('ne0')]);
    engine.start();
    host.clock.advance(32_000);
    await Promise.resolve();
    await Promise.resolve();
    expect(engine.counters.sendErrors).toBe(2);
    expect(host.logger.messages('err')).toEqual([
      '<ra_output> sendmsg on ne0: ENETDOWN',
      '<ra_output> sendmsg on ne0: ENETDOWN',
    ]);
    engine.stop();
  });
});
