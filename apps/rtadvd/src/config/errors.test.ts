import { loadConfig, type LoadConfigOptions } from './getconfig';
import { ConfigError } from './types';

/**
 * One test per fatal path of getconfig() (KAME: syslog LOG_ERR + exit(1)), each checking
 * file, line, entry, key and the reason with its range and default.
 */

const ROUTER: LoadConfigOptions = { forwarding: true, mip6: false };
const HOST: LoadConfigOptions = { forwarding: false, mip6: false };
const MIP6: LoadConfigOptions = { forwarding: true, mip6: true };

interface Case {
  readonly name: string;
  readonly text: string;
  readonly opts?: LoadConfigOptions;
  readonly line: number;
  readonly entry?: string;
  readonly key: string;
  readonly reason: string;
}

/** An entry `em0` whose interesting field stands on line 3 (after a comment and the name line). */
const at3 = (field: string, before = ''): string => `# test\nem0:${before}\\\n\t:${field}:\n`;

const CASES: Case[] = [
  // IMPLEMENTATION 1.3: the termcap layer
  {
    name: '1.3: a record longer than BUFSIZ',
    text: `# x\nem0:${'k'.repeat(1100)}:\n`,
    line: 2,
    key: '(record)',
    reason: 'entry too long: 1105 characters (at most 1024, KAME BUFSIZ)',
  },
  {
    name: '1.3: an unterminated quote',
    text: at3('addr="2001:db8::'),
    line: 3,
    key: 'addr',
    reason: 'unterminated quoted string',
  },
  {
    name: '1.3: a tc= loop',
    text: 'a:tc=em0:\nem0:\\\n\t:tc=a:\n',
    line: 1, // the field that closes the loop
    key: 'tc',
    reason: 'tc= loop: em0 -> a -> em0 (at most 32 hops, no cycles)',
  },
  {
    name: '1.3: tc= to a missing entry',
    text: at3('tc=nosuch'),
    line: 3,
    key: 'tc',
    reason: "tc=nosuch: no entry named 'nosuch'",
  },
  {
    name: '1.3: more than MAXHOP tc= hops',
    text: Array.from({ length: 34 }, (_, i) => `e${i}:tc=e${i + 1}:`).join('\n') + '\ne34:\nem0:tc=e0:\n',
    line: 32, // em0 -> e0 ... e31 is 32 hops; e31's tc=e32 is the 33rd
    key: 'tc',
    reason: 'tc=e32: more than 32 tc= hops (KAME MAXHOP)',
  },
  {
    name: '1.3: an entry longer than BUFSIZ after tc= expansion',
    text: `big:${'k'.repeat(1018)}:\nem0:x#1:tc=big:\n`,
    line: 2,
    key: 'tc',
    reason: 'entry too long after tc= expansion: 1027 characters (at most 1024, KAME BUFSIZ)',
  },

  // IMPLEMENTATION 1.2 / RFC 4861 6.2.1 router variables
  {
    name: 'RFC 4861 6.2.1: maxinterval below 4',
    text: at3('maxinterval#2'),
    line: 3,
    key: 'maxinterval',
    reason: '2 is out of range 4..1800 (default 600)',
  },
  {
    name: 'RFC 4861 6.2.1: maxinterval above 1800',
    text: at3('maxinterval#1801'),
    line: 3,
    key: 'maxinterval',
    reason: '1801 is out of range 4..1800 (default 600)',
  },
  {
    name: 'RFC 4861 6.2.1: mininterval above maxinterval*3/4',
    text: at3('mininterval#451'),
    line: 3,
    key: 'mininterval',
    reason: '451 is out of range 3..450 (3..maxinterval*3/4; default maxinterval/3 = 200)',
  },
  {
    name: 'RFC 4861 6.2.1: the default mininterval (maxinterval/3) below 3 is fatal too (KAME)',
    text: at3('maxinterval#8'),
    line: 2,
    key: 'mininterval',
    reason:
      '2 (the default; set mininterval explicitly) is out of range 3..6 (3..maxinterval*3/4; default maxinterval/3 = 2)',
  },
  {
    name: "RFC 4191 2.2: raflags 'h' and 'l' together",
    text: at3('raflags="hl"'),
    line: 3,
    key: 'raflags',
    reason:
      "'h' (high) and 'l' (low) preference are exclusive (letters m o h l or a number; default 0 = medium preference)",
  },
  {
    name: 'RFC 4191 2.2: raflags with the reserved preference 10',
    text: at3('raflags#16'),
    line: 3,
    key: 'raflags',
    reason:
      'preference bits 0x10 are the reserved value 10 (RFC 4191 2.2): use 0x08 high, 0x18 low or 0 medium ' +
      '(letters m o h l or a number; default 0)',
  },
  {
    name: 'RFC 4861 6.2.1: rltime between 0 and maxinterval',
    text: at3('rltime#599'),
    line: 3,
    key: 'rltime',
    reason: '599 is out of range 0 or 600..9000 (default maxinterval*3 = 1800)',
  },
  {
    name: 'RFC 4861 6.2.1: rltime above 9000',
    text: at3('rltime#9001', 'maxinterval#10:mininterval#5:'),
    line: 3,
    key: 'rltime',
    reason: '9001 is out of range 0 or 10..9000 (default maxinterval*3 = 30)',
  },
  {
    name: 'RFC 4861 6.2.3: a non-zero rltime on a host (forwarding off)',
    text: at3('rltime#1000'),
    opts: HOST,
    line: 3,
    key: 'rltime',
    reason:
      'non-zero router lifetime 1000 on a host (net.inet6.ip6.forwarding=0): hosts MUST NOT send Router ' +
      'Advertisements (RFC 4861 6.2.3); set rltime#0 or enable forwarding (range 0 or 600..9000; default maxinterval*3 = 1800)',
  },
  {
    name: 'RFC 4861 6.2.3: the default rltime on a host without an entry (line 0)',
    text: '',
    opts: HOST,
    line: 0,
    key: 'rltime',
    reason:
      'non-zero router lifetime 1800 (the default) on a host (net.inet6.ip6.forwarding=0): hosts MUST NOT send Router ' +
      'Advertisements (RFC 4861 6.2.3); set rltime#0 or enable forwarding (range 0 or 600..9000; default maxinterval*3 = 1800)',
  },
  {
    name: 'RFC 4861 6.2.1: rtime above MAXREACHABLETIME',
    text: at3('rtime#3600001'),
    line: 3,
    key: 'rtime',
    reason: '3600001 is out of range 0..3600000 (default 0)',
  },
  {
    name: 'RFC 4861 4.2: retrans above 32 bits',
    text: at3('retrans#4294967296'),
    line: 3,
    key: 'retrans',
    reason: '4294967296 is out of range 0..4294967295 (default 0)',
  },
  {
    name: 'RFC 6275 7.4: hapref without -m',
    text: at3('hapref#5'),
    line: 3,
    key: 'hapref',
    reason:
      'mobile-ip6 configuration not supported without rtadvd -m (hapref 0..32767, default 0; hatime 1..65535, default rltime)',
  },
  {
    name: 'RFC 6275 7.4: hatime without -m',
    text: at3('hatime#5'),
    line: 3,
    key: 'hatime',
    reason:
      'mobile-ip6 configuration not supported without rtadvd -m (hapref 0..32767, default 0; hatime 1..65535, default rltime)',
  },
  {
    name: 'RFC 6275 7.4: hapref above 32767 with -m',
    text: at3('hapref#32768'),
    opts: MIP6,
    line: 3,
    key: 'hapref',
    reason: '32768 is out of range 0..32767 (default 0)',
  },
  {
    name: 'RFC 6275 7.4: hatime 0 with -m',
    text: at3('hatime#0'),
    opts: MIP6,
    line: 3,
    key: 'hatime',
    reason: '0 is out of range 1..65535 (default rltime = 1800)',
  },

  // RFC 4861 4.6.2 prefixes
  {
    name: '1.2: an unquoted addr stops at its first colon',
    text: at3('addr=2001:db8::'),
    line: 3,
    key: 'addr',
    reason: `'2001' is not an IPv6 prefix (an unquoted address stops at its first ':': write addr="2001:db8::") (no default)`,
  },
  {
    name: '1.2: addr3 that is not an address',
    text: at3('addr3="2001:db8::g"'),
    line: 3,
    key: 'addr3',
    reason: "'2001:db8::g' is not an IPv6 prefix (no default)",
  },
  {
    name: '1.2: a multicast addr',
    text: at3('addr="ff02::"'),
    line: 3,
    key: 'addr',
    reason: 'multicast prefix ff02:: must not be advertised (a unicast prefix; no default)',
  },
  {
    name: 'RFC 4861 4.6.2: prefixlen7 above 128',
    text: at3('prefixlen7#129', 'addr7="2001:db8::":'),
    line: 3,
    key: 'prefixlen7',
    reason: '129 is out of range 0..128 (default 64)',
  },
  {
    name: 'RFC 4861 4.6.2: vltime above 32 bits',
    text: at3('vltime#4294967296', 'addr="2001:db8::":'),
    line: 3,
    key: 'vltime',
    reason: '4294967296 is out of range 0..4294967295 (default 2592000)',
  },
  {
    name: 'RFC 4861 4.6.2: pltime0 above 32 bits',
    text: at3('pltime0#99999999999', 'addr0="2001:db8::":'),
    line: 3,
    key: 'pltime0',
    reason: '99999999999 is out of range 0..4294967295 (default 604800)',
  },
  {
    name: 'RFC 4861 4.6.4: mtu below the IPv6 minimum 1280',
    text: at3('mtu#1000'),
    line: 3,
    key: 'mtu',
    reason: '1000 is out of range 1280..4294967295 or 0 or "auto" (default 0: no MTU option)',
  },

  // RFC 4191 2.3 route information
  {
    name: 'RFC 4191 2.3: rtprefix that is not an address',
    text: at3('rtprefix="nope"'),
    line: 3,
    key: 'rtprefix',
    reason: "'nope' is not an IPv6 prefix (no default)",
  },
  {
    name: 'RFC 4191 2.3: rtplen above 128 (KAME treated 256 as unset)',
    text: at3('rtplen#256', 'rtprefix="2001:db8::":rtltime#5:'),
    line: 3,
    key: 'rtplen',
    reason: '256 is out of range 0..128 (default 64)',
  },
  {
    name: 'RFC 4191 2.3: rtrplen1 (obsolete alias) above 128 names the alias',
    text: at3('rtrplen1#200', 'rtprefix1="2001:db8::":rtltime1#5:'),
    line: 3,
    key: 'rtrplen1',
    reason: '200 is out of range 0..128 (default 64)',
  },
  {
    name: "RFC 4191 2.3: rtflags 'h' and 'l' together",
    text: at3('rtflags="lh"', 'rtprefix="2001:db8::":rtltime#5:'),
    line: 3,
    key: 'rtflags',
    reason: "'h' (high) and 'l' (low) preference are exclusive (letters h l or a number; default 0 = medium)",
  },
  {
    name: 'RFC 4191 2.3: rtflags2 with the reserved preference 10',
    text: at3('rtflags2#16', 'rtprefix2="2001:db8::":rtltime2#5:'),
    line: 3,
    key: 'rtflags2',
    reason:
      'preference bits 0x10 are the reserved value 10 (RFC 4191 2.3): use 0x08 high, 0x18 low or 0 medium ' +
      '(letters h l or a number; default 0)',
  },
  {
    name: 'RFC 4191 2.3: rtltime above 32 bits',
    text: at3('rtltime#4294967296', 'rtprefix="2001:db8::":'),
    line: 3,
    key: 'rtltime',
    reason: '4294967296 is out of range 0..4294967295 (default rltime = 1800)',
  },

  // RFC 8106 DNS options (FreeBSD keys)
  {
    name: 'RFC 8106 5.1: rdnss with a bad address',
    text: at3('rdnss="2001:db8::1,dns.example"'),
    line: 3,
    key: 'rdnss',
    reason: "'dns.example' is not an IPv6 address (no default)",
  },
  {
    name: 'RFC 8106 5.1: rdnss with no address',
    text: at3('rdnss=","'),
    line: 3,
    key: 'rdnss',
    reason: 'no address in "," (a comma-separated list of IPv6 addresses; no default)',
  },
  {
    name: 'RFC 8106 5.1: rdnss with more servers than one option holds',
    text: at3(`rdnss="${Array.from({ length: 128 }, () => '::1').join(',')}"`),
    line: 3,
    key: 'rdnss',
    reason: '128 addresses do not fit one RDNSS option (1..127; no default)',
  },
  {
    name: 'RFC 8106 5.1: rdnssltime below maxinterval',
    text: at3('rdnssltime#599', 'rdnss="2001:db8::53":'),
    line: 3,
    key: 'rdnssltime',
    reason: '599 is out of range 600..1200 (default maxinterval*3/2 = 900)',
  },
  {
    name: 'RFC 8106 5.2: dnssl with a label over 63 octets',
    text: at3(`dnssl="${'x'.repeat(64)}.example"`),
    line: 3,
    key: 'dnssl',
    reason:
      "'" +
      'x'.repeat(64) +
      ".example': label 'xxxxxxxxxxxxxxxx...' is 64 octets (at most 63) (labels 1..63 octets, names up to 255 octets; no default)",
  },
  {
    name: 'RFC 8106 5.2: dnssl with no domain',
    text: at3('dnssl=""'),
    line: 3,
    key: 'dnssl',
    reason: 'no domain in "" (a comma-separated list of domain names; no default)',
  },
  {
    name: 'RFC 8106 5.2: dnsslltime4 above 2*maxinterval',
    text: at3('dnsslltime4#1201', 'dnssl4="example.com":'),
    line: 3,
    key: 'dnsslltime4',
    reason: '1201 is out of range 600..1200 (default maxinterval*3/2 = 900)',
  },
];

describe('IMPLEMENTATION 1.2 fatal errors (KAME exit 1)', () => {
  it.each(CASES)('$name', (c) => {
    let err: unknown;
    try {
      loadConfig(c.text, 'rtadvd.conf', ['em0'], c.opts ?? ROUTER);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const ce = err as ConfigError;
    expect({ file: ce.file, line: ce.line, entry: ce.entry, key: ce.key, reason: ce.reason }).toEqual({
      file: 'rtadvd.conf',
      line: c.line,
      entry: c.entry ?? 'em0',
      key: c.key,
      reason: c.reason,
    });
    expect(ce.message).toBe(`rtadvd.conf:${c.line}: ${c.entry ?? 'em0'}: ${c.key}: ${c.reason}`);
  });

  it('the brief example renders as `rtadvd.conf:3: em0: maxinterval: 2 is out of range 4..1800 (default 600)`', () => {
    expect(() => loadConfig(at3('maxinterval#2'), 'rtadvd.conf', ['em0'], ROUTER)).toThrow(
      'rtadvd.conf:3: em0: maxinterval: 2 is out of range 4..1800 (default 600)',
    );
  });

  it('a configuration text over 1 MiB is refused before parsing (bounded record table)', () => {
    const text = '#'.repeat((1 << 20) + 1);
    expect(() => loadConfig(text, 'rtadvd.conf', ['em0'], ROUTER)).toThrow(
      'rtadvd.conf:0: -: (file): 1048577 characters is too big (at most 1048576)',
    );
    expect(() => loadConfig('#'.repeat(1 << 20), 'rtadvd.conf', ['em0'], ROUTER)).not.toThrow();
  });

  it('the first bad interface stops the load (KAME exits on the first error)', () => {
    const text = 'em0:maxinterval#2:\nem1:maxinterval#3:\n';
    expect(() => loadConfig(text, 'rtadvd.conf', ['em1', 'em0'], ROUTER)).toThrow(
      'em1: maxinterval: 3 is out',
    );
  });
});
