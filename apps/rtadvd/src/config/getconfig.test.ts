import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ipv6Address } from '@kame/addr';
import {
  loadConfig,
  readConfigFile,
  domainNameProblem,
  numberedKeys,
  type LoadConfigOptions,
} from './getconfig';
import type { ConfigWarning, InterfaceConfig } from './types';

const FIXTURES = join(__dirname, '../../test/fixtures/conf');
const ROUTER: LoadConfigOptions = { forwarding: true, mip6: false };
const HOST: LoadConfigOptions = { forwarding: false, mip6: false };

function one(text: string, opts: LoadConfigOptions = ROUTER, ifname = 'em0'): InterfaceConfig {
  const { configs } = loadConfig(text, 'rtadvd.conf', [ifname], opts);
  expect(configs).toHaveLength(1);
  return configs[0]!;
}

function warningsOf(text: string, opts: LoadConfigOptions = ROUTER): ConfigWarning[] {
  return loadConfig(text, 'rtadvd.conf', ['em0'], opts).warnings;
}

const a = (s: string): Ipv6Address => Ipv6Address.parse(s);

/** The KAME defaults of IMPLEMENTATION 1.2, for an interface without an entry. */
const DEFAULTS: Omit<InterfaceConfig, 'ifname'> = {
  maxInterval: 600,
  minInterval: 200,
  curHopLimit: 64,
  managed: false,
  other: false,
  homeAgent: false,
  preference: 0,
  routerLifetime: 1800,
  reachableTimeMs: 0,
  retransTimerMs: 0,
  clockSkew: 0,
  linkMtu: 0,
  advertiseLinkAddress: true,
  prefixes: [],
  learnPrefixes: true,
  routes: [],
  rdnss: [],
  dnssl: [],
  homeAgentPreference: 0,
  homeAgentLifetime: 1800,
};

describe('IMPLEMENTATION 1.2 defaults', () => {
  it('1.2: an empty file gives every interface the KAME defaults, with "Treat it as default"', () => {
    const { configs, warnings } = loadConfig('', 'rtadvd.conf', ['em0', 'em1'], ROUTER);
    expect(configs).toEqual([
      { ifname: 'em0', ...DEFAULTS },
      { ifname: 'em1', ...DEFAULTS },
    ]);
    expect(warnings.map((w) => w.level)).toEqual(['info', 'info']);
    expect(warnings[0]!.message).toContain("em0 isn't defined in the configuration file");
    expect(warnings[1]!.message).toContain('em1');
    expect(warnings[1]!.message).toContain('Treat it as default');
  });

  it('1.2: a missing file gives the defaults, with an info warning for the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtadvd-conf-'));
    try {
      const { configs, warnings } = readConfigFile(join(dir, 'nosuch.conf'), ['em0'], ROUTER);
      expect(configs).toEqual([{ ifname: 'em0', ...DEFAULTS }]);
      expect(warnings).toHaveLength(2);
      expect(warnings.every((w) => w.level === 'info')).toBe(true);
      expect(warnings[0]!.message).toContain('nosuch.conf: no such file');
      expect(warnings[1]!.message).toContain('Treat it as default');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('1.2: an entry for another interface leaves this one at the defaults', () => {
    expect(one('em1:maxinterval#30:mininterval#10:')).toEqual({ ifname: 'em0', ...DEFAULTS });
  });

  it('1.2: an empty entry gives the defaults without "Treat it as default"', () => {
    const { configs, warnings } = loadConfig('em0:\n', 'rtadvd.conf', ['em0'], ROUTER);
    expect(configs[0]).toEqual({ ifname: 'em0', ...DEFAULTS });
    expect(warnings).toEqual([]);
  });

  it('1.2: mininterval defaults to maxinterval/3 and rltime to maxinterval*3 (integer)', () => {
    const c = one('em0:maxinterval#100:');
    expect(c.minInterval).toBe(33);
    expect(c.routerLifetime).toBe(300);
    expect(c.homeAgentLifetime).toBe(300);
  });

  it('1.2: rdnssltime and dnsslltime default to maxinterval*3/2', () => {
    const c = one('em0:maxinterval#101:rdnss="2001:db8::53":dnssl="example.com":');
    expect(c.rdnss[0]!.lifetime).toBe(151);
    expect(c.dnssl[0]!.lifetime).toBe(151);
  });

  it('1.2: a prefix takes prefixlen 64, pinfoflags "la", vltime 2592000, pltime 604800', () => {
    const c = one('em0:addr="2001:db8:1::":');
    expect(c.learnPrefixes).toBe(false);
    expect(c.prefixes).toEqual([
      {
        prefix: a('2001:db8:1::'),
        prefixLength: 64,
        onLink: true,
        autonomous: true,
        routerAddress: false,
        validLifetime: 2592000,
        preferredLifetime: 604800,
        validLifetimeDecrements: false,
        preferredLifetimeDecrements: false,
        origin: 'CONFIG',
      },
    ]);
  });
});

describe('IMPLEMENTATION 13 sample files', () => {
  it('1.2 man page EXAMPLES: default: + ef0:...:tc=default: reads as the defaults with one prefix', () => {
    const { configs, warnings } = readConfigFile(join(FIXTURES, 'man-example.conf'), ['ef0'], ROUTER);
    expect(warnings).toEqual([]);
    const c = configs[0]!;
    expect(c).toEqual({
      ifname: 'ef0',
      ...DEFAULTS,
      learnPrefixes: false,
      prefixes: [
        {
          prefix: a('3ffe:501:ffff:1000::'),
          prefixLength: 64,
          onLink: true,
          autonomous: true,
          routerAddress: false,
          validLifetime: 2592000,
          preferredLifetime: 604800,
          validLifetimeDecrements: false,
          preferredLifetimeDecrements: false,
          origin: 'CONFIG',
        },
      ],
    });
  });

  it('1.2 FreeBSD EXAMPLES: rdnss with two servers and dnssl', () => {
    const { configs, warnings } = readConfigFile(join(FIXTURES, 'freebsd-dns.conf'), ['wlan0'], ROUTER);
    expect(warnings).toEqual([]);
    const c = configs[0]!;
    expect(c.prefixes.map((p) => `${p.prefix.toString()}/${p.prefixLength}`)).toEqual([
      '2001:db8:ffff:1000::/64',
    ]);
    expect(c.rdnss).toEqual([{ servers: [a('2001:db8:ffff::10'), a('2001:db8:ffff::2:43')], lifetime: 900 }]);
    expect(c.dnssl).toEqual([{ domains: ['example.com'], lifetime: 900 }]);
  });

  it('1.2 rtadvd.conf(5) ne0 example: rltime#0 lets a host (forwarding off) advertise', () => {
    const { configs } = readConfigFile(join(FIXTURES, 'host.conf'), ['ne0'], HOST);
    expect(configs[0]!.routerLifetime).toBe(0);
    expect(configs[0]!.learnPrefixes).toBe(true);
  });

  it('1.2: numbered variants: bare name first, then 0..99; rtr* aliases warn "was obsoleted"', () => {
    const { configs, warnings } = readConfigFile(join(FIXTURES, 'numbered.conf'), ['lan'], ROUTER);
    const c = configs[0]!;
    expect(c.ifname).toBe('lan');
    expect([c.maxInterval, c.minInterval, c.routerLifetime, c.managed, c.other]).toEqual([
      30,
      10,
      90,
      true,
      true,
    ]);
    // parse order: addr, addr0, addr2 (the engine advertises them reversed, KAME insque)
    expect(c.prefixes.map((p) => `${p.prefix.toString()}/${p.prefixLength}`)).toEqual([
      '2001:db8:0:1::/64',
      '2001:db8::/56',
      '2001:db8:2::/48',
    ]);
    expect(c.prefixes.map((p) => [p.onLink, p.autonomous])).toEqual([
      [true, true],
      [true, true],
      [true, false],
    ]);
    expect(c.prefixes.map((p) => [p.validLifetime, p.preferredLifetime])).toEqual([
      [3600, 1800],
      [2592000, 604800],
      [2592000, 604800],
    ]);
    expect(c.prefixes.map((p) => [p.validLifetimeDecrements, p.preferredLifetimeDecrements])).toEqual([
      [true, false],
      [false, true],
      [false, false],
    ]);
    expect(c.routes).toEqual([
      { prefix: a('2001:db8:100::'), prefixLength: 40, preference: 1, lifetime: 600 },
      { prefix: a('2001:db8:200::'), prefixLength: 48, preference: 3, lifetime: 1200 },
      { prefix: a('::'), prefixLength: 0, preference: 0, lifetime: 90 },
    ]);
    const msgs = warnings.map((w) => w.message);
    for (const [old, now] of [
      ['rtrprefix1', 'rtprefix1'],
      ['rtrplen1', 'rtplen1'],
      ['rtrflags1', 'rtflags1'],
      ['rtrltime1', 'rtltime1'],
    ]) {
      expect(msgs).toContainEqual(expect.stringContaining(`${old} was obsoleted. Use ${now}.`));
    }
    expect(msgs).toContainEqual(
      expect.stringMatching(
        /numbered\.conf:10: lan: rtltime7: rtltime7 should be specified for interface lan/,
      ),
    );
    expect(msgs).toContainEqual(expect.stringContaining('has bits past /56: advertised as 2001:db8::'));
  });
});

describe('IMPLEMENTATION 1.2 keys', () => {
  it('1.2: every simple key is read', () => {
    const c = one(
      'em0:maxinterval#60:mininterval#20:chlim#32:raflags="o":rltime#0:rtime#30000:retrans#1000:' +
        'clockskew#5:mtu#1400:nolladdr:',
    );
    expect(c).toMatchObject({
      maxInterval: 60,
      minInterval: 20,
      curHopLimit: 32,
      managed: false,
      other: true,
      routerLifetime: 0,
      reachableTimeMs: 30000,
      retransTimerMs: 1000,
      clockSkew: 5,
      linkMtu: 1400,
      advertiseLinkAddress: false,
    });
  });

  it('1.2: range edges are accepted (maxinterval 4 and 1800, rtime 3600000, retrans 0xffffffff)', () => {
    expect(one('em0:maxinterval#4:mininterval#3:').maxInterval).toBe(4);
    const c = one('em0:maxinterval#1800:mininterval#1350:rltime#9000:rtime#3600000:retrans#4294967295:');
    expect([c.maxInterval, c.minInterval, c.routerLifetime, c.reachableTimeMs, c.retransTimerMs]).toEqual([
      1800, 1350, 9000, 3600000, 0xffffffff,
    ]);
    expect(one('em0:maxinterval#600:rltime#600:').routerLifetime).toBe(600);
    expect(one('em0:addr="2001:db8::":vltime#4294967295:pltime#0:prefixlen#128:').prefixes[0]).toMatchObject({
      validLifetime: 0xffffffff,
      preferredLifetime: 0,
      prefixLength: 128,
    });
  });

  it('1.2: raflags letters m o h l and numbers', () => {
    expect(one('em0:raflags="mo":')).toMatchObject({ managed: true, other: true, preference: 0 });
    expect(one('em0:raflags="h":').preference).toBe(1);
    expect(one('em0:raflags="l":').preference).toBe(3);
    expect(one('em0:raflags#192:')).toMatchObject({ managed: true, other: true, preference: 0 });
    expect(one('em0:raflags#8:').preference).toBe(1);
    expect(one('em0:raflags#24:').preference).toBe(3);
    expect(one('em0:raflags#0300:')).toMatchObject({ managed: true, other: true }); // octal 0300 = 0xc0
  });

  it('1.2: raflags as a string wins over raflags as a number, wherever they stand', () => {
    expect(one('em0:raflags#128:raflags="o":')).toMatchObject({ managed: false, other: true });
  });

  it('1.2: the octal quirk: raflags#0x80 reads as 0 with a warning', () => {
    const { configs, warnings } = loadConfig('em0:raflags#0x80:', 'rtadvd.conf', ['em0'], ROUTER);
    expect(configs[0]!.managed).toBe(false);
    expect(warnings).toEqual([
      {
        level: 'warning',
        message:
          'rtadvd.conf:1: em0: raflags: raflags#0x80: hexadecimal is not understood (KAME tgetnum): read as 0',
      },
    ]);
  });

  it('1.2: the octal quirk: rltime#01000 is 512, with a notice', () => {
    const { configs, warnings } = loadConfig(
      'em0:maxinterval#100:rltime#01000:',
      'rtadvd.conf',
      ['em0'],
      ROUTER,
    );
    expect(configs[0]!.routerLifetime).toBe(512);
    expect(warnings[0]).toEqual({
      level: 'notice',
      message: 'rtadvd.conf:1: em0: rltime: rltime#01000: a leading 0 means octal: read as 512',
    });
  });

  it('1.2: raflags a and pinfoflags r need -m (MIP6); hapref/hatime are read with -m', () => {
    const mip6: LoadConfigOptions = { forwarding: true, mip6: true };
    const without = loadConfig('em0:raflags="ma":', 'rtadvd.conf', ['em0'], ROUTER);
    expect(without.configs[0]).toMatchObject({ managed: true, homeAgent: false });
    expect(without.warnings[0]!.message).toContain("flag 'a' needs Mobile IPv6");
    const c = one('em0:raflags="ma":addr="2001:db8::":pinfoflags="lar":hapref#10:hatime#100:', mip6);
    expect(c).toMatchObject({
      managed: true,
      homeAgent: true,
      homeAgentPreference: 10,
      homeAgentLifetime: 100,
    });
    expect(c.prefixes[0]!.routerAddress).toBe(true);
    expect(one('em0:raflags#32:', mip6).homeAgent).toBe(true);
    expect(one('em0:raflags#32:').homeAgent).toBe(false);
  });

  it('1.2: pinfoflags letters and numbers', () => {
    const c = one(
      'em0:addr="2001:db8:1::":pinfoflags="a":addr0="2001:db8:2::":pinfoflags0#128:addr1="2001:db8:3::":pinfoflags1="":',
    );
    expect(c.prefixes.map((p) => [p.onLink, p.autonomous])).toEqual([
      [false, true],
      [true, false],
      [false, false],
    ]);
  });

  it('1.2: mtu "auto" and mtu#0', () => {
    expect(one('em0:mtu="auto":').linkMtu).toBe('auto');
    expect(one('em0:mtu#0:').linkMtu).toBe(0);
    expect(one('em0:mtu#0:mtu="auto":').linkMtu).toBe('auto');
    expect(one('em0:mtu#1280:').linkMtu).toBe(1280);
    const w = warningsOf('em0:mtu="1500":');
    expect(w[0]!.message).toContain('only "auto" is understood');
  });

  it('1.2: mtu is checked against the physical MTU when the caller knows it', () => {
    const opts: LoadConfigOptions = { ...ROUTER, phyMtu: (i) => (i === 'em0' ? 1500 : undefined) };
    expect(one('em0:mtu#1500:', opts).linkMtu).toBe(1500);
    expect(() => one('em0:mtu#1501:', opts)).toThrow('1501 is out of range 1280..1500 (physical MTU)');
    expect(one('em0:mtu#9000:').linkMtu).toBe(9000);
  });

  it('1.2: chlim is stored & 0xff (KAME), with a warning', () => {
    const { configs, warnings } = loadConfig('em0:chlim#300:', 'rtadvd.conf', ['em0'], ROUTER);
    expect(configs[0]!.curHopLimit).toBe(44);
    expect(warnings[0]!.message).toContain('300 does not fit 8 bits: KAME sends 44');
  });

  it('1.2: link-local addr is advertised with a notice', () => {
    const { configs, warnings } = loadConfig('em0:addr="fe80::":', 'rtadvd.conf', ['em0'], ROUTER);
    expect(configs[0]!.prefixes[0]!.prefix.toString()).toBe('fe80::');
    expect(warnings).toEqual([
      { level: 'notice', message: 'rtadvd.conf:1: em0: addr: link-local prefix fe80:: will be advertised' },
    ]);
  });

  it('1.2 FreeBSD: noifprefix stops learning interface prefixes', () => {
    expect(one('em0:noifprefix:').learnPrefixes).toBe(false);
    expect(one('em0:noifprefix@:').learnPrefixes).toBe(true);
    expect(one('em0:addr="2001:db8::":').learnPrefixes).toBe(false);
  });

  it('1.2: vltimedecr/pltimedecr and nolladdr are booleans; name@ turns them off', () => {
    const c = one('em0:nolladdr@:nolladdr:addr="2001:db8::":vltimedecr@:vltimedecr:pltimedecr:');
    expect(c.advertiseLinkAddress).toBe(true);
    expect(c.prefixes[0]).toMatchObject({
      validLifetimeDecrements: false,
      preferredLifetimeDecrements: true,
    });
  });

  it('1.2: @ cancels a value from tc= and brings the KAME default back', () => {
    const text = 'common:maxinterval#30:mininterval#10:rltime#100:\nem0:rltime@:tc=common:\n';
    expect(one(text)).toMatchObject({ maxInterval: 30, minInterval: 10, routerLifetime: 90 });
  });

  it('1.2: numbered keys are the bare name and name0..name99 (not name05 nor name100)', () => {
    expect(numberedKeys('addr')).toHaveLength(101);
    expect(numberedKeys('addr')[0]).toBe('addr');
    expect(numberedKeys('addr')[100]).toBe('addr99');
    const { configs, warnings } = loadConfig(
      'em0:addr99="2001:db8:99::":addr100="2001:db8:100::":addr05="2001:db8:5::":',
      'rtadvd.conf',
      ['em0'],
      ROUTER,
    );
    expect(configs[0]!.prefixes.map((p) => p.prefix.toString())).toEqual(['2001:db8:99::']);
    expect(warnings.map((w) => w.message)).toEqual([
      'rtadvd.conf:1: em0: addr100: unknown capability \'addr100="2001:db8:100::"\' ignored',
      'rtadvd.conf:1: em0: addr05: unknown capability \'addr05="2001:db8:5::"\' ignored',
    ]);
  });

  it('1.2: the RFC 4191 names win over the obsolete rtr* aliases', () => {
    const { configs, warnings } = loadConfig(
      'em0:rtprefix="2001:db8:1::":rtrprefix="2001:db8:2::":rtplen#48:rtrplen#32:rtltime#10:',
      'rtadvd.conf',
      ['em0'],
      ROUTER,
    );
    expect(configs[0]!.routes).toEqual([
      { prefix: a('2001:db8:1::'), prefixLength: 48, preference: 0, lifetime: 10 },
    ]);
    expect(warnings.some((w) => w.message.includes('obsoleted'))).toBe(false);
    expect(warnings.map((w) => w.message)).toEqual([
      `rtadvd.conf:1: em0: rtrprefix: 'rtrprefix="2001:db8:2::"' ignored: an earlier rtrprefix (or its alias) takes precedence`,
      `rtadvd.conf:1: em0: rtrplen: 'rtrplen#32' ignored: an earlier rtrplen (or its alias) takes precedence`,
    ]);
  });

  it('RFC 4191 2.3: route prefixes are masked; rtltime defaults to the router lifetime with a warning', () => {
    const { configs, warnings } = loadConfig(
      'em0:rtprefix="2001:db8:1:2::1":rtplen#32:',
      'rtadvd.conf',
      ['em0'],
      ROUTER,
    );
    expect(configs[0]!.routes).toEqual([
      { prefix: a('2001:db8::'), prefixLength: 32, preference: 0, lifetime: 1800 },
    ]);
    expect(warnings).toEqual([
      {
        level: 'warning',
        message:
          'rtadvd.conf:1: em0: rtltime: rtltime should be specified for interface em0. Using the router lifetime 1800.',
      },
    ]);
  });

  it('RFC 8106: rdnss/dnssl numbered entries each have their own lifetime', () => {
    const c = one(
      'em0:rdnss="2001:db8::1, 2001:db8::2":rdnssltime#1200:rdnss3="2001:db8::3":rdnssltime3#600:' +
        'dnssl="a.example,b.example.":dnssl1="c.example":dnsslltime1#1000:',
    );
    expect(c.rdnss).toEqual([
      { servers: [a('2001:db8::1'), a('2001:db8::2')], lifetime: 1200 },
      { servers: [a('2001:db8::3')], lifetime: 600 },
    ]);
    expect(c.dnssl).toEqual([
      { domains: ['a.example', 'b.example.'], lifetime: 900 },
      { domains: ['c.example'], lifetime: 1000 },
    ]);
  });

  it('RFC 1035 2.3.4: DNSSL names: labels 1..63 octets, names up to 255 octets', () => {
    expect(domainNameProblem('example.com')).toBeUndefined();
    expect(domainNameProblem('example.com.')).toBeUndefined();
    expect(domainNameProblem(`${'a'.repeat(63)}.com`)).toBeUndefined();
    expect(domainNameProblem(`${'a'.repeat(64)}.com`)).toContain('64 octets (at most 63)');
    expect(domainNameProblem('a..com')).toBe('empty label');
    expect(domainNameProblem('.')).toContain('root');
    expect(domainNameProblem('a b.com')).toContain('printable ASCII');
    // 4 labels of 63 = 4*64 + 1 = 257 octets; 3 of 63 + one of 61 = 255
    const l63 = 'a'.repeat(63);
    expect(domainNameProblem([l63, l63, l63, l63].join('.'))).toContain('257 octets encoded (at most 255)');
    expect(domainNameProblem([l63, l63, l63, 'a'.repeat(61)].join('.'))).toBeUndefined();
  });

  it('1.2: interfaces come back in the order given; a name given twice is configured once', () => {
    const { configs, warnings } = loadConfig(
      'em1:maxinterval#30:mininterval#10:\n',
      'rtadvd.conf',
      ['em1', 'em0', 'em1'],
      ROUTER,
    );
    expect(configs.map((c) => [c.ifname, c.maxInterval])).toEqual([
      ['em1', 30],
      ['em0', 600],
    ]);
    expect(warnings.map((w) => w.message)).toContainEqual('em1: given twice: configured once');
  });
});

describe('IMPLEMENTATION 1.2 warnings for fields KAME silently ignores', () => {
  it('an unknown capability and a continuation line without a leading colon', () => {
    const w = warningsOf('em0:\\\n\t:maxintreval#30:\\\n  chlim#10:\n');
    expect(w.map((x) => x.message)).toEqual([
      "rtadvd.conf:2: em0: maxintreval: unknown capability 'maxintreval#30' ignored",
      "rtadvd.conf:3: em0:   chlim: unknown capability '  chlim#10' ignored: a field must start right after the colon",
    ]);
  });

  it('a value of the wrong type (maxinterval=30, nolladdr#1) is ignored with a hint', () => {
    const { configs, warnings } = loadConfig(
      'em0:maxinterval=30:nolladdr#1:',
      'rtadvd.conf',
      ['em0'],
      ROUTER,
    );
    expect(configs[0]!.maxInterval).toBe(600);
    expect(configs[0]!.advertiseLinkAddress).toBe(true);
    expect(warnings.map((x) => x.message)).toEqual([
      "rtadvd.conf:1: em0: maxinterval: 'maxinterval=30' ignored: write maxinterval#N",
      "rtadvd.conf:1: em0: nolladdr: 'nolladdr#1' ignored: write nolladdr",
    ]);
  });

  it('a duplicate key, a late cancel and an orphan numbered key', () => {
    const w = warningsOf('em0:chlim#10:chlim#20:rtime#5:rtime@:prefixlen3#48:\n');
    expect(w.map((x) => x.message)).toEqual([
      "rtadvd.conf:1: em0: chlim: 'chlim#20' ignored: an earlier chlim (or its alias) takes precedence",
      "rtadvd.conf:1: em0: rtime: 'rtime@' has no effect: it must come before the value it cancels",
      "rtadvd.conf:1: em0: prefixlen3: 'prefixlen3#48' ignored: no addr3 in this entry",
    ]);
  });

  it('overridden fields from tc= are not reported; unknown ones are', () => {
    const w = warningsOf('d:chlim#64:bogus:\nem0:chlim#10:tc=d:\n');
    expect(w.map((x) => x.message)).toEqual([
      "rtadvd.conf:1: em0: bogus: unknown capability 'bogus' (from tc=d) ignored",
    ]);
  });

  it('unknown flag letters are ignored with a warning (KAME strchr)', () => {
    const { configs, warnings } = loadConfig('em0:raflags="mx":', 'rtadvd.conf', ['em0'], ROUTER);
    expect(configs[0]!.managed).toBe(true);
    expect(warnings[0]!.message).toContain(`unknown flag letter 'x' in "mx" ignored`);
  });

  it('pltime above vltime, a duplicated prefix', () => {
    const w = warningsOf('em0:addr="2001:db8::":vltime#10:pltime#20:addr1="2001:db8::":');
    expect(w.map((x) => x.message)).toEqual([
      'rtadvd.conf:1: em0: pltime: preferred lifetime 20 exceeds valid lifetime 10: hosts ignore the prefix (RFC 4862 5.5.3)',
      'rtadvd.conf:1: em0: addr1: 2001:db8::/64 is configured twice',
    ]);
  });
});

describe('readConfigFile', () => {
  it('reads a file and names it in warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtadvd-conf-'));
    try {
      const path = join(dir, 'r.conf');
      writeFileSync(path, '# x\nem0:\\\n\t:raflags#0x80:\n');
      const { configs, warnings } = readConfigFile(path, ['em0'], ROUTER);
      expect(configs[0]!.managed).toBe(false);
      expect(warnings[0]!.message.startsWith(`${path}:3: em0: raflags:`)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file that exists but cannot be read is a ConfigError, not the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtadvd-conf-'));
    try {
      expect(() => readConfigFile(dir, ['em0'], ROUTER)).toThrow(
        /cannot read the configuration file \(EISDIR\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
