import { readFileSync } from 'node:fs';
import { Ipv6Address } from '@kame/addr';
import { TermcapDb, type TermcapEntry, type TermcapField, type TermcapNumber } from './termcap';
import {
  ConfigError,
  type ConfigWarning,
  type DnsslConfig,
  type InterfaceConfig,
  type PrefixConfig,
  type RdnssConfig,
  type RouteInfoConfig,
  type RouterPreference,
} from './types';

/**
 * getconfig(): rtadvd.conf entries to InterfaceConfig, with KAME's defaults and ranges
 * (IMPLEMENTATION 1.2, K:rtadvd/config.c) plus the FreeBSD keys noifprefix, rdnss, dnssl.
 * Every invalid value is fatal (KAME exit(1)): a ConfigError naming the range and default.
 */

/** KAME's constants (K:rtadvd/rtadvd.h, config.h) and FreeBSD's RFC 6106 ones. */
export const RTADVD_LIMITS = {
  DEF_MAXRTRADVINTERVAL: 600,
  MIN_MAXINTERVAL: 4,
  MAX_MAXINTERVAL: 1800,
  MIN_MININTERVAL: 3,
  DEF_ADVCURHOPLIMIT: 64,
  MAXROUTERLIFETIME: 9000,
  MAXREACHABLETIME: 3600000,
  DEF_ADVVALIDLIFETIME: 2592000,
  DEF_ADVPREFERREDLIFETIME: 604800,
  DEF_PREFIXLEN: 64,
  /** pinfoflags default "la" */
  DEF_PINFOFLAGS: 0xc0,
  IPV6_MMTU: 1280,
  /** addr, addr0..addr99 (and every other numbered key) */
  MAXPREFIX: 100,
  MAXROUTE: 100,
  MAXRDNSSENT: 100,
  MAXDNSSLENT: 100,
  /** RDNSS option length is 8-bit in 8-octet units: 8 + 16 * n <= 2040 (RFC 8106 5.1). */
  MAX_RDNSS_SERVERS: 127,
  U32_MAX: 0xffffffff,
} as const;

const L = RTADVD_LIMITS;

// ND flag bits (RFC 4861 4.2, RFC 6275 7.1, RFC 4191 2.2; RFC 4861 4.6.2, RFC 6275 7.2)
const RA_MANAGED = 0x80;
const RA_OTHER = 0x40;
const RA_HA = 0x20;
const RTPREF_MASK = 0x18;
const RTPREF_HIGH = 0x08;
const RTPREF_RSV = 0x10;
const RTPREF_LOW = 0x18;
const PI_ONLINK = 0x80;
const PI_AUTO = 0x40;
const PI_ROUTER = 0x20;

export interface LoadConfigOptions {
  /** sysctl net.inet6.ip6.forwarding != 0: a non-zero rltime is fatal on a host. */
  readonly forwarding: boolean;
  /** rtadvd -m (Mobile IPv6): enables raflags 'a', pinfoflags 'r', hapref/hatime. */
  readonly mip6: boolean;
  /**
   * The physical MTU of an interface when the caller knows it: mtu#N must then be at most
   * that (KAME checks 1280..phymtu). Without it only the lower bound is checked here.
   */
  readonly phyMtu?: (ifname: string) => number | undefined;
}

export interface LoadConfigResult {
  /** One per distinct interface name, in the order given. */
  readonly configs: InterfaceConfig[];
  readonly warnings: ConfigWarning[];
}

/** The unsuffixed key and key0..key99, KAME makeentry() order. */
export function numberedKeys(base: string, max: number = L.MAXPREFIX): string[] {
  const out = [base];
  for (let i = 0; i < max; i++) out.push(`${base}${i}`);
  return out;
}

type KeyType = 'num' | 'str' | 'bool' | 'num|str';

/** Every capability this parser knows and the field kinds it reads, to explain ignored fields. */
const SIMPLE_KEYS: Readonly<Record<string, KeyType>> = {
  maxinterval: 'num',
  mininterval: 'num',
  chlim: 'num',
  raflags: 'num|str',
  rltime: 'num',
  rtime: 'num',
  retrans: 'num',
  clockskew: 'num',
  mtu: 'num|str',
  nolladdr: 'bool',
  noifprefix: 'bool',
  hapref: 'num',
  hatime: 'num',
};
const NUMBERED_KEYS: Readonly<Record<string, KeyType>> = {
  addr: 'str',
  prefixlen: 'num',
  pinfoflags: 'num|str',
  vltime: 'num',
  vltimedecr: 'bool',
  pltime: 'num',
  pltimedecr: 'bool',
  rtprefix: 'str',
  rtplen: 'num',
  rtflags: 'num|str',
  rtltime: 'num',
  rtrprefix: 'str',
  rtrplen: 'num',
  rtrflags: 'num|str',
  rtrltime: 'num',
  rdnss: 'str',
  rdnssltime: 'num',
  dnssl: 'str',
  dnsslltime: 'num',
};

/** The base name and index of a numbered key (`addr3` -> addr, 3), or undefined. */
function splitNumbered(name: string): { base: string; index: number } | undefined {
  const m = /^([a-z]+?)(\d{1,2})?$/.exec(name);
  if (!m) return undefined;
  const base = m[1]!;
  if (!(base in NUMBERED_KEYS)) return undefined;
  // key05 is not key5: makeentry() prints %d.
  if (m[2] !== undefined && m[2].length === 2 && m[2].startsWith('0')) return undefined;
  return { base, index: m[2] === undefined ? -1 : Number(m[2]) };
}

function keyType(name: string): KeyType | undefined {
  if (Object.prototype.hasOwnProperty.call(SIMPLE_KEYS, name)) return SIMPLE_KEYS[name];
  const n = splitNumbered(name);
  return n ? NUMBERED_KEYS[n.base] : undefined;
}

function suffix(i: number): string {
  return i < 0 ? '' : String(i);
}

/** A number for a message: the value, or the digits as written when beyond 2^53. */
function show(n: TermcapNumber | number): string {
  if (typeof n === 'number') return String(n);
  return Number.isSafeInteger(n.value) ? String(n.value) : n.field.value;
}

/** The RFC 4191 2.2 preference of the 0x18 bits; 2 (binary 10) is reserved. */
function preferenceOf(bits: number): RouterPreference | 'reserved' {
  switch (bits & RTPREF_MASK) {
    case RTPREF_HIGH:
      return 1;
    case RTPREF_LOW:
      return 3;
    case RTPREF_RSV:
      return 'reserved';
    default:
      return 0;
  }
}

/** One interface's getconfig(). */
class InterfaceParser {
  private readonly warnings: ConfigWarning[];

  constructor(
    private readonly file: string,
    private readonly ifname: string,
    private readonly entry: TermcapEntry | undefined,
    private readonly opts: LoadConfigOptions,
    warnings: ConfigWarning[],
  ) {
    this.warnings = warnings;
  }

  private lineOf(field?: TermcapField): number {
    return field?.line ?? this.entry?.line ?? 0;
  }

  private fail(key: string, field: TermcapField | undefined, reason: string): never {
    throw new ConfigError(this.file, this.lineOf(field), this.ifname, key, reason);
  }

  private warn(
    level: ConfigWarning['level'],
    key: string,
    field: TermcapField | undefined,
    text: string,
  ): void {
    const line = this.lineOf(field);
    const where = line > 0 ? `${this.file}:${line}` : this.file;
    this.warnings.push({ level, message: `${where}: ${this.ifname}: ${key}: ${text}` });
  }

  /** agetnum with the tgetnum oddities reported. */
  private num(key: string): TermcapNumber | undefined {
    const n = this.entry?.num(key);
    if (!n?.quirk) return n;
    const raw = `${key}#${n.field.value}`;
    switch (n.quirk) {
      case 'octal':
        this.warn('notice', key, n.field, `${raw}: a leading 0 means octal: read as ${show(n)}`);
        break;
      case 'octal-digit':
        this.warn(
          'warning',
          key,
          n.field,
          `${raw}: 8 or 9 in an octal number (leading 0): read as ${show(n)}`,
        );
        break;
      case 'hex':
        this.warn('warning', key, n.field, `${raw}: hexadecimal is not understood (KAME tgetnum): read as 0`);
        break;
      case 'trailing':
        this.warn(
          'warning',
          key,
          n.field,
          `${raw}: reading stopped at the first non-digit: read as ${show(n)}`,
        );
        break;
      case 'empty':
        this.warn('warning', key, n.field, `${raw}: no digits: read as 0`);
        break;
    }
    return n;
  }

  private str(key: string): { value: string; field: TermcapField } | undefined {
    return this.entry?.str(key);
  }

  private flag(key: string): TermcapField | undefined {
    return this.entry?.flag(key);
  }

  /** A numeric key with a default and an inclusive range. */
  private ranged(key: string, def: number, lo: number, hi: number, defText = String(def)): number {
    const n = this.num(key);
    if (!n) return def;
    if (n.value < lo || n.value > hi) {
      this.fail(key, n.field, `${show(n)} is out of range ${lo}..${hi} (default ${defText})`);
    }
    return n.value;
  }

  /**
   * A flags key given as letters (`raflags="mo"`) or as a number (`raflags#192`). Letters are
   * looked for anywhere in the string (KAME strchr); `h` and `l` together are fatal.
   */
  private flags(
    key: string,
    def: number,
    letters: Readonly<Record<string, number>>,
    mip6Letters: string,
    allowed: string,
    defText: string,
  ): { value: number; field?: TermcapField } | undefined {
    const s = this.str(key);
    if (s) {
      let value = 0;
      for (const c of s.value) {
        const bit = letters[c];
        if (bit === undefined || !Object.prototype.hasOwnProperty.call(letters, c)) {
          this.warn(
            'warning',
            key,
            s.field,
            `unknown flag letter '${c}' in "${s.value}" ignored (${allowed})`,
          );
          continue;
        }
        if (mip6Letters.includes(c) && !this.opts.mip6) {
          this.warn('warning', key, s.field, `flag '${c}' needs Mobile IPv6 (rtadvd -m): ignored`);
          continue;
        }
        value |= bit;
      }
      if (letters['h'] !== undefined && s.value.includes('h') && s.value.includes('l')) {
        this.fail(
          key,
          s.field,
          `'h' (high) and 'l' (low) preference are exclusive (${allowed}; default ${defText})`,
        );
      }
      return { value, field: s.field };
    }
    const n = this.num(key);
    if (n) return { value: n.value, field: n.field };
    return def < 0 ? undefined : { value: def };
  }

  /** A quoted IPv6 address value (addr, rtprefix, rdnss items). */
  private address(key: string, text: string, field: TermcapField, what: string): Ipv6Address {
    const a = Ipv6Address.tryParse(text.trim());
    if (a) return a;
    const hint = /^[0-9a-fA-F]{0,4}$/.test(text)
      ? ` (an unquoted address stops at its first ':': write ${key}="2001:db8::")`
      : '';
    return this.fail(key, field, `'${text}' is not an IPv6 ${what}${hint} (no default)`);
  }

  parse(): InterfaceConfig {
    const { ifname, opts } = this;
    const e = this.entry;

    // RFC 4861 6.2.1 MaxRtrAdvInterval / MinRtrAdvInterval
    const maxInterval = this.ranged(
      'maxinterval',
      L.DEF_MAXRTRADVINTERVAL,
      L.MIN_MAXINTERVAL,
      L.MAX_MAXINTERVAL,
    );
    const minDefault = Math.floor(maxInterval / 3);
    const minHi = Math.floor((maxInterval * 3) / 4);
    let minInterval = minDefault;
    const minN = this.num('mininterval');
    if (minN) minInterval = minN.value;
    if (minInterval < L.MIN_MININTERVAL || minInterval > minHi) {
      const given = minN ? '' : ' (the default; set mininterval explicitly)';
      this.fail(
        'mininterval',
        minN?.field,
        `${minN ? show(minN) : minInterval}${given} is out of range ${L.MIN_MININTERVAL}..${minHi} ` +
          `(3..maxinterval*3/4; default maxinterval/3 = ${minDefault})`,
      );
    }

    // chlim: KAME stores val & 0xff without a range check.
    let curHopLimit = L.DEF_ADVCURHOPLIMIT;
    const chlim = this.num('chlim');
    if (chlim) {
      curHopLimit = chlim.value % 256;
      if (chlim.value > 255) {
        this.warn(
          'warning',
          'chlim',
          chlim.field,
          `${show(chlim)} does not fit 8 bits: KAME sends ${curHopLimit}`,
        );
      }
    }

    // raflags: m o h l (a with -m), or a number (RFC 4861 4.2, RFC 4191 2.2, RFC 6275 7.1)
    const raAllowed = `letters m o h l${opts.mip6 ? ' a' : ''} or a number`;
    const ra = this.flags(
      'raflags',
      0,
      { m: RA_MANAGED, o: RA_OTHER, h: RTPREF_HIGH, l: RTPREF_LOW, a: RA_HA },
      'a',
      raAllowed,
      '0 = medium preference',
    )!;
    const raPref = preferenceOf(ra.value);
    if (raPref === 'reserved') {
      this.fail(
        'raflags',
        ra.field,
        `preference bits 0x10 are the reserved value 10 (RFC 4191 2.2): use 0x08 high, 0x18 low or 0 medium ` +
          `(${raAllowed}; default 0)`,
      );
    }
    if (ra.field?.kind === 'num') {
      if (ra.value & RA_HA && !opts.mip6) {
        this.warn('warning', 'raflags', ra.field, 'the H flag 0x20 needs Mobile IPv6 (rtadvd -m): ignored');
      }
      const other = ra.value & ~(RA_MANAGED | RA_OTHER | RA_HA | RTPREF_MASK);
      if (other) {
        this.warn('warning', 'raflags', ra.field, `bits 0x${other.toString(16)} are not RA flags: ignored`);
      }
    }

    // rltime: 0 or maxinterval..9000 (RFC 4861 6.2.1 AdvDefaultLifetime)
    const rlDefault = maxInterval * 3;
    const rl = this.num('rltime');
    const routerLifetime = rl ? rl.value : rlDefault;
    const rlRange = `0 or ${maxInterval}..${L.MAXROUTERLIFETIME}`;
    if (routerLifetime !== 0 && (routerLifetime < maxInterval || routerLifetime > L.MAXROUTERLIFETIME)) {
      this.fail(
        'rltime',
        rl?.field,
        `${rl ? show(rl) : routerLifetime} is out of range ${rlRange} (default maxinterval*3 = ${rlDefault})`,
      );
    }
    if (routerLifetime !== 0 && !opts.forwarding) {
      this.fail(
        'rltime',
        rl?.field,
        `non-zero router lifetime ${routerLifetime}${rl ? '' : ' (the default)'} on a host ` +
          `(net.inet6.ip6.forwarding=0): hosts MUST NOT send Router Advertisements (RFC 4861 6.2.3); ` +
          `set rltime#0 or enable forwarding (range ${rlRange}; default maxinterval*3 = ${rlDefault})`,
      );
    }

    const reachableTimeMs = this.ranged('rtime', 0, 0, L.MAXREACHABLETIME);
    const retransTimerMs = this.ranged('retrans', 0, 0, L.U32_MAX);

    // Mobile IPv6 home agent information (RFC 6275 7.4)
    let homeAgentPreference = 0;
    let homeAgentLifetime = routerLifetime;
    const hapref = this.num('hapref');
    const hatime = this.num('hatime');
    if (hapref || hatime) {
      const key = hapref ? 'hapref' : 'hatime';
      if (!opts.mip6) {
        this.fail(
          key,
          (hapref ?? hatime)!.field,
          `mobile-ip6 configuration not supported without rtadvd -m (hapref 0..32767, default 0; ` +
            `hatime 1..65535, default rltime)`,
        );
      }
      if (hapref) {
        if (hapref.value > 32767) {
          this.fail('hapref', hapref.field, `${show(hapref)} is out of range 0..32767 (default 0)`);
        }
        homeAgentPreference = hapref.value;
      }
      if (hatime) {
        if (hatime.value < 1 || hatime.value > 65535) {
          this.fail(
            'hatime',
            hatime.field,
            `${show(hatime)} is out of range 1..65535 (default rltime = ${routerLifetime})`,
          );
        }
        homeAgentLifetime = hatime.value;
      }
    }

    const clockskew = this.num('clockskew');
    const clockSkew = clockskew ? clockskew.value : 0;

    const advertiseLinkAddress = !this.flag('nolladdr');
    const noIfPrefix = this.flag('noifprefix') !== undefined;

    const prefixes = this.prefixes();

    // mtu: 0 (no option), "auto", or 1280..phymtu (RFC 4861 4.6.4)
    let linkMtu: number | 'auto' = 0;
    const mtuN = this.num('mtu');
    const phy = opts.phyMtu?.(ifname);
    const mtuHi = phy ?? L.U32_MAX;
    const mtuRange = `${L.IPV6_MMTU}..${phy ?? '4294967295'}${phy === undefined ? '' : ' (physical MTU)'}`;
    if (mtuN && mtuN.value !== 0) {
      if (mtuN.value < L.IPV6_MMTU || mtuN.value > mtuHi) {
        this.fail(
          'mtu',
          mtuN.field,
          `${show(mtuN)} is out of range ${mtuRange} or 0 or "auto" (default 0: no MTU option)`,
        );
      }
      linkMtu = mtuN.value;
    } else {
      const mtuS = this.str('mtu');
      if (mtuS && mtuS.value === 'auto') linkMtu = 'auto';
      else if (mtuS) {
        this.warn(
          'warning',
          'mtu',
          mtuS.field,
          `"${mtuS.value}": only "auto" is understood as a string (use mtu#N): no MTU option`,
        );
      }
    }

    const routes = this.routes(routerLifetime);
    const rdnss = this.rdnss(maxInterval);
    const dnssl = this.dnssl(maxInterval);

    if (e) this.reportUnused(e);

    return {
      ifname,
      maxInterval,
      minInterval,
      curHopLimit,
      managed: (ra.value & RA_MANAGED) !== 0,
      other: (ra.value & RA_OTHER) !== 0,
      homeAgent: opts.mip6 && (ra.value & RA_HA) !== 0,
      preference: raPref,
      routerLifetime,
      reachableTimeMs,
      retransTimerMs,
      clockSkew,
      linkMtu,
      advertiseLinkAddress,
      prefixes,
      learnPrefixes: prefixes.length === 0 && !noIfPrefix,
      routes,
      rdnss,
      dnssl,
      homeAgentPreference,
      homeAgentLifetime,
    };
  }

  /** addr, addr0..addr99 with their prefixlen/pinfoflags/vltime/pltime (RFC 4861 4.6.2). */
  private prefixes(): PrefixConfig[] {
    const out: PrefixConfig[] = [];
    for (let i = -1; i < L.MAXPREFIX; i++) {
      const sfx = suffix(i);
      const addrKey = `addr${sfx}`;
      const addr = this.str(addrKey);
      if (!addr) continue;
      const a = this.address(addrKey, addr.value, addr.field, 'prefix');
      if (a.isMulticast()) {
        this.fail(
          addrKey,
          addr.field,
          `multicast prefix ${addr.value} must not be advertised (a unicast prefix; no default)`,
        );
      }
      if (a.isLinkLocal()) {
        this.warn('notice', addrKey, addr.field, `link-local prefix ${addr.value} will be advertised`);
      }
      const plenKey = `prefixlen${sfx}`;
      const prefixLength = this.ranged(plenKey, L.DEF_PREFIXLEN, 0, 128);
      const prefix = a.mask(prefixLength);
      if (!prefix.equals(a)) {
        this.warn(
          'notice',
          addrKey,
          addr.field,
          `${addr.value} has bits past /${prefixLength}: advertised as ${prefix.toString()}`,
        );
      }
      const pinfoKey = `pinfoflags${sfx}`;
      const pAllowed = `letters l a${this.opts.mip6 ? ' r' : ''} or a number`;
      const pf = this.flags(
        pinfoKey,
        L.DEF_PINFOFLAGS,
        { l: PI_ONLINK, a: PI_AUTO, r: PI_ROUTER },
        'r',
        pAllowed,
        '"la"',
      )!;
      if (pf.field?.kind === 'num' && pf.value & PI_ROUTER && !this.opts.mip6) {
        this.warn('warning', pinfoKey, pf.field, 'the R flag 0x20 needs Mobile IPv6 (rtadvd -m): ignored');
      }
      const vlKey = `vltime${sfx}`;
      const validLifetime = this.ranged(vlKey, L.DEF_ADVVALIDLIFETIME, 0, L.U32_MAX);
      const validLifetimeDecrements = this.flag(`vltimedecr${sfx}`) !== undefined;
      const plKey = `pltime${sfx}`;
      const preferredLifetime = this.ranged(plKey, L.DEF_ADVPREFERREDLIFETIME, 0, L.U32_MAX);
      const preferredLifetimeDecrements = this.flag(`pltimedecr${sfx}`) !== undefined;
      if (preferredLifetime > validLifetime) {
        this.warn(
          'warning',
          plKey,
          addr.field,
          `preferred lifetime ${preferredLifetime} exceeds valid lifetime ${validLifetime}: hosts ignore the prefix (RFC 4862 5.5.3)`,
        );
      }
      if (out.some((p) => p.prefixLength === prefixLength && p.prefix.equals(prefix))) {
        this.warn('warning', addrKey, addr.field, `${prefix.toString()}/${prefixLength} is configured twice`);
      }
      out.push({
        prefix,
        prefixLength,
        onLink: (pf.value & PI_ONLINK) !== 0,
        autonomous: (pf.value & PI_AUTO) !== 0,
        routerAddress: this.opts.mip6 && (pf.value & PI_ROUTER) !== 0,
        validLifetime,
        preferredLifetime,
        validLifetimeDecrements,
        preferredLifetimeDecrements,
        origin: 'CONFIG',
      });
    }
    return out;
  }

  /** An obsolete alias: `<old> was obsoleted. Use <new>.` (KAME's stderr text). */
  private obsolete(oldKey: string, newKey: string, field: TermcapField): void {
    this.warn('warning', oldKey, field, `${oldKey} was obsoleted. Use ${newKey}.`);
  }

  /** rtprefix, rtprefix0..99 (and the rtr* aliases): RFC 4191 2.3 Route Information. */
  private routes(routerLifetime: number): RouteInfoConfig[] {
    const out: RouteInfoConfig[] = [];
    for (let i = -1; i < L.MAXROUTE; i++) {
      const sfx = suffix(i);
      let pfxKey = `rtprefix${sfx}`;
      let p = this.str(pfxKey);
      if (!p) {
        p = this.str(`rtrprefix${sfx}`);
        if (p) {
          this.obsolete(`rtrprefix${sfx}`, pfxKey, p.field);
          pfxKey = `rtrprefix${sfx}`;
        }
      }
      if (!p) continue;
      const a = this.address(pfxKey, p.value, p.field, 'prefix');

      // rtplen (KAME treats rtplen#256 as unset; here it is out of range like any other)
      let plenKey = `rtplen${sfx}`;
      let plen = this.num(plenKey);
      if (!plen) {
        plen = this.num(`rtrplen${sfx}`);
        if (plen) {
          this.obsolete(`rtrplen${sfx}`, plenKey, plen.field);
          plenKey = `rtrplen${sfx}`;
        }
      }
      const prefixLength = plen ? plen.value : L.DEF_PREFIXLEN;
      if (prefixLength > 128) {
        this.fail(
          plenKey,
          plen?.field,
          `${plen ? show(plen) : prefixLength} is out of range 0..128 (default 64)`,
        );
      }

      let flagsKey = `rtflags${sfx}`;
      const allowed = 'letters h l or a number';
      let fl = this.flags(flagsKey, -1, { h: RTPREF_HIGH, l: RTPREF_LOW }, '', allowed, '0 = medium');
      if (!fl) {
        fl = this.flags(`rtrflags${sfx}`, -1, { h: RTPREF_HIGH, l: RTPREF_LOW }, '', allowed, '0 = medium');
        if (fl?.field) {
          this.obsolete(`rtrflags${sfx}`, flagsKey, fl.field);
          flagsKey = `rtrflags${sfx}`;
        }
      }
      const preference = preferenceOf(fl?.value ?? 0);
      if (preference === 'reserved') {
        this.fail(
          flagsKey,
          fl?.field,
          `preference bits 0x10 are the reserved value 10 (RFC 4191 2.3): use 0x08 high, 0x18 low or 0 medium (${allowed}; default 0)`,
        );
      }

      // rtltime: no default in the spec; KAME falls back to the router lifetime with a warning.
      let ltKey = `rtltime${sfx}`;
      let lt = this.num(ltKey);
      if (!lt) {
        lt = this.num(`rtrltime${sfx}`);
        if (lt) {
          this.obsolete(`rtrltime${sfx}`, ltKey, lt.field);
          ltKey = `rtrltime${sfx}`;
        }
      }
      if (!lt) {
        this.warn(
          'warning',
          ltKey,
          p.field,
          `${ltKey} should be specified for interface ${this.ifname}. Using the router lifetime ${routerLifetime}.`,
        );
      }
      const lifetime = lt ? lt.value : routerLifetime;
      if (lifetime > L.U32_MAX) {
        this.fail(
          ltKey,
          lt?.field,
          `${lt ? show(lt) : lifetime} is out of range 0..4294967295 (default rltime = ${routerLifetime})`,
        );
      }
      out.push({ prefix: a.mask(prefixLength), prefixLength, preference, lifetime });
    }
    return out;
  }

  /** rdnssltime / dnsslltime: maxinterval..2*maxinterval, default maxinterval*3/2 (RFC 6106 5.1). */
  private dnsLifetime(key: string, maxInterval: number): number {
    const def = Math.floor((maxInterval * 3) / 2);
    return this.ranged(key, def, maxInterval, maxInterval * 2, `maxinterval*3/2 = ${def}`);
  }

  /** rdnss, rdnss0..99: comma-separated server addresses (RFC 8106 5.1). */
  private rdnss(maxInterval: number): RdnssConfig[] {
    const out: RdnssConfig[] = [];
    for (let i = -1; i < L.MAXRDNSSENT; i++) {
      const sfx = suffix(i);
      const key = `rdnss${sfx}`;
      const s = this.str(key);
      if (!s) continue;
      const items = s.value
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
      if (items.length === 0)
        this.fail(
          key,
          s.field,
          `no address in "${s.value}" (a comma-separated list of IPv6 addresses; no default)`,
        );
      if (items.length > L.MAX_RDNSS_SERVERS) {
        this.fail(
          key,
          s.field,
          `${items.length} addresses do not fit one RDNSS option (1..${L.MAX_RDNSS_SERVERS}; no default)`,
        );
      }
      const servers = items.map((x) => {
        const a = this.address(key, x, s.field, 'address');
        if (a.isMulticast() || a.isUnspecified()) {
          this.warn('warning', key, s.field, `${x} is not a unicast address`);
        }
        return a;
      });
      const lifetime = this.dnsLifetime(`rdnssltime${sfx}`, maxInterval);
      out.push({ servers, lifetime });
    }
    return out;
  }

  /** dnssl, dnssl0..99: comma-separated domain names (RFC 8106 5.2, RFC 1035 2.3.4). */
  private dnssl(maxInterval: number): DnsslConfig[] {
    const out: DnsslConfig[] = [];
    for (let i = -1; i < L.MAXDNSSLENT; i++) {
      const sfx = suffix(i);
      const key = `dnssl${sfx}`;
      const s = this.str(key);
      if (!s) continue;
      const domains = s.value
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
      if (domains.length === 0)
        this.fail(
          key,
          s.field,
          `no domain in "${s.value}" (a comma-separated list of domain names; no default)`,
        );
      for (const d of domains) {
        const problem = domainNameProblem(d);
        if (problem)
          this.fail(
            key,
            s.field,
            `'${d}': ${problem} (labels 1..63 octets, names up to 255 octets; no default)`,
          );
      }
      const lifetime = this.dnsLifetime(`dnsslltime${sfx}`, maxInterval);
      out.push({ domains, lifetime });
    }
    return out;
  }

  /** Fields no lookup consumed: unknown names anywhere, ignored known keys in the entry itself. */
  private reportUnused(e: TermcapEntry): void {
    for (const f of e.unused()) {
      if (f.name.trim() === '') continue; // indentation between continuation lines
      const t = keyType(f.name);
      const at = f.depth > 0 ? ` (from tc=${f.record})` : '';
      if (t === undefined) {
        const hint = f.name !== f.name.trimStart() ? ': a field must start right after the colon' : '';
        this.warn('warning', f.name, f, `unknown capability '${f.text}'${at} ignored${hint}`);
        continue;
      }
      if (f.depth > 0) continue; // overridden by the entry itself: the point of tc=
      if (f.kind === 'cancel') {
        this.warn(
          'warning',
          f.name,
          f,
          `'${f.text}' has no effect: it must come before the value it cancels`,
        );
        continue;
      }
      const kinds = t.split('|');
      if (!kinds.includes(f.kind)) {
        const form = t === 'bool' ? f.name : t === 'str' ? `${f.name}="..."` : `${f.name}#N`;
        this.warn('warning', f.name, f, `'${f.text}' ignored: write ${form}`);
        continue;
      }
      const n = splitNumbered(f.name);
      if (n) {
        const owners = ownerKeys(n.base);
        const sfx = suffix(n.index);
        const orphan =
          !owners.includes(n.base) &&
          !owners.some((o) => e.fields.some((g) => g.name === `${o}${sfx}` && g.kind === 'str'));
        if (orphan) {
          this.warn('warning', f.name, f, `'${f.text}' ignored: no ${owners[0]}${sfx} in this entry`);
          continue;
        }
      }
      this.warn(
        'warning',
        f.name,
        f,
        `'${f.text}' ignored: an earlier ${f.name} (or its alias) takes precedence`,
      );
    }
  }
}

/** The keys that open a numbered group (prefixlen3 belongs to addr3). */
function ownerKeys(base: string): string[] {
  if (base.startsWith('rt')) return ['rtprefix', 'rtrprefix'];
  if (base.startsWith('rdnss')) return ['rdnss'];
  if (base.startsWith('dnssl')) return ['dnssl'];
  return ['addr'];
}

/** Why a DNSSL domain cannot be encoded (RFC 1035 2.3.4), or undefined. */
export function domainNameProblem(name: string): string | undefined {
  if (/[^\x21-\x7e]/.test(name)) return 'only printable ASCII without spaces is allowed';
  const body = name.endsWith('.') ? name.slice(0, -1) : name;
  if (body === '') return 'the root name cannot be carried in a DNSSL option';
  const labels = body.split('.');
  let wire = 1; // the root label
  for (const l of labels) {
    if (l.length === 0) return 'empty label';
    if (l.length > 63) return `label '${l.slice(0, 16)}...' is ${l.length} octets (at most 63)`;
    wire += l.length + 1;
  }
  if (wire > 255) return `name is ${wire} octets encoded (at most 255)`;
  return undefined;
}

function build(
  db: TermcapDb | undefined,
  file: string,
  ifnames: readonly string[],
  opts: LoadConfigOptions,
  warnings: ConfigWarning[],
): LoadConfigResult {
  const configs: InterfaceConfig[] = [];
  const seen = new Set<string>();
  for (const ifname of ifnames) {
    if (seen.has(ifname)) {
      warnings.push({ level: 'warning', message: `${ifname}: given twice: configured once` });
      continue;
    }
    seen.add(ifname);
    const entry = db?.entry(ifname);
    if (!entry) {
      warnings.push({
        level: 'info',
        message:
          `${file}: ${ifname} isn't defined in the configuration file or the configuration file ` +
          `doesn't exist. Treat it as default`,
      });
    }
    configs.push(new InterfaceParser(file, ifname, entry, opts, warnings).parse());
  }
  return { configs, warnings };
}

/**
 * getconfig() for every interface named on the command line, from rtadvd.conf text.
 * Throws ConfigError on the first invalid value (KAME: syslog LOG_ERR + exit 1).
 */
export function loadConfig(
  text: string,
  file: string,
  ifnames: readonly string[],
  opts: LoadConfigOptions,
): LoadConfigResult {
  return build(TermcapDb.parse(text, file), file, ifnames, opts, []);
}

/**
 * loadConfig() over a file. A missing file means every interface takes the defaults
 * (KAME: "Treat it as default"); any other read error is a ConfigError.
 */
export function readConfigFile(
  path: string,
  ifnames: readonly string[],
  opts: LoadConfigOptions,
): LoadConfigResult {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ENOENT') {
      const warnings: ConfigWarning[] = [
        { level: 'info', message: `${path}: no such file: every interface takes the defaults` },
      ];
      return build(undefined, path, ifnames, opts, warnings);
    }
    throw new ConfigError(path, 0, '-', '-', `cannot read the configuration file (${code})`);
  }
  return loadConfig(text, path, ifnames, opts);
}
