import { newHistogram } from './histogram';
import { nextHeaderName, scopeCounterName } from './names';
import { NetstatWriter, type CounterLine, type NetstatOptions } from './netstat-format';

/**
 * IPv6 layer statistics, KAME ip6stat field names. Plain numbers: the stack
 * increments them directly (`s.ip6s_total++`); histograms via countHistogram.
 */
export interface Ip6Stat {
  /** total packets received */
  ip6s_total: number;
  /** packet shorter than the IPv6 header */
  ip6s_toosmall: number;
  /** data size < data length: frame shorter than the payload length (IMPLEMENTATION 1.7) */
  ip6s_tooshort: number;
  ip6s_badoptions: number;
  ip6s_badvers: number;
  ip6s_fragments: number;
  ip6s_fragdropped: number;
  ip6s_fragtimeout: number;
  ip6s_fragoverflow: number;
  ip6s_reassembled: number;
  ip6s_delivered: number;
  ip6s_forward: number;
  ip6s_cantforward: number;
  ip6s_redirectsent: number;
  ip6s_localout: number;
  ip6s_rawout: number;
  ip6s_odropped: number;
  ip6s_noroute: number;
  ip6s_fragmented: number;
  ip6s_ofragments: number;
  ip6s_cantfrag: number;
  ip6s_badscope: number;
  ip6s_notmember: number;
  /** input histogram by next header (256 buckets) */
  ip6s_nxhist: number[];
  ip6s_exthdrtoolong: number;
  ip6s_nogif: number;
  /** more extension headers than net.inet6.ip6.hdrnestlimit */
  ip6s_toomanyhdr: number;
  /** source address selection (IMPLEMENTATION 1.6) found nothing */
  ip6s_sources_none: number;
  /** per-scope (16 buckets) counts of chosen sources, by how they related to the output */
  ip6s_sources_sameif: number[];
  ip6s_sources_otherif: number[];
  ip6s_sources_samescope: number[];
  ip6s_sources_otherscope: number[];
  ip6s_sources_deprecated: number[];
}

/** A zero-initialised ip6stat. */
export function newIp6Stat(): Ip6Stat {
  return {
    ip6s_total: 0,
    ip6s_toosmall: 0,
    ip6s_tooshort: 0,
    ip6s_badoptions: 0,
    ip6s_badvers: 0,
    ip6s_fragments: 0,
    ip6s_fragdropped: 0,
    ip6s_fragtimeout: 0,
    ip6s_fragoverflow: 0,
    ip6s_reassembled: 0,
    ip6s_delivered: 0,
    ip6s_forward: 0,
    ip6s_cantforward: 0,
    ip6s_redirectsent: 0,
    ip6s_localout: 0,
    ip6s_rawout: 0,
    ip6s_odropped: 0,
    ip6s_noroute: 0,
    ip6s_fragmented: 0,
    ip6s_ofragments: 0,
    ip6s_cantfrag: 0,
    ip6s_badscope: 0,
    ip6s_notmember: 0,
    ip6s_nxhist: newHistogram(256),
    ip6s_exthdrtoolong: 0,
    ip6s_nogif: 0,
    ip6s_toomanyhdr: 0,
    ip6s_sources_none: 0,
    ip6s_sources_sameif: newHistogram(16),
    ip6s_sources_otherif: newHistogram(16),
    ip6s_sources_samescope: newHistogram(16),
    ip6s_sources_otherscope: newHistogram(16),
    ip6s_sources_deprecated: newHistogram(16),
  };
}

const RECEIVE: readonly CounterLine<Ip6Stat>[] = [
  ['ip6s_total', 'total packet%s received'],
  ['ip6s_toosmall', 'with size smaller than minimum'],
  ['ip6s_tooshort', 'with data size < data length'],
  ['ip6s_badoptions', 'with bad options'],
  ['ip6s_badvers', 'with incorrect version number'],
  ['ip6s_fragments', 'fragment%s received'],
  ['ip6s_fragdropped', 'fragment%s dropped (dup or out of space)'],
  ['ip6s_fragtimeout', 'fragment%s dropped after timeout'],
  ['ip6s_fragoverflow', 'fragment%s that exceeded limit'],
  ['ip6s_reassembled', 'packet%s reassembled ok'],
  ['ip6s_delivered', 'packet%s for this host'],
  ['ip6s_forward', 'packet%s forwarded'],
  ['ip6s_cantforward', 'packet%s not forwardable'],
  ['ip6s_redirectsent', 'redirect%s sent'],
  ['ip6s_localout', 'packet%s sent from this host'],
  ['ip6s_rawout', 'packet%s sent with fabricated ip header'],
  ['ip6s_odropped', 'output packet%s dropped due to no bufs, etc.'],
  ['ip6s_noroute', 'output packet%s discarded due to no route'],
  ['ip6s_fragmented', 'output datagram%s fragmented'],
  ['ip6s_ofragments', 'fragment%s created'],
  ['ip6s_cantfrag', "datagram%s that can't be fragmented"],
  ['ip6s_badscope', 'packet%s that violated scope rules'],
  ['ip6s_notmember', "multicast packet%s which we don't join"],
];

const TRAILER: readonly CounterLine<Ip6Stat>[] = [
  ['ip6s_exthdrtoolong', 'packet%s whose headers are not continuous'],
  ['ip6s_nogif', "tunneling packet%s that can't find gif"],
  ['ip6s_toomanyhdr', 'packet%s discarded because of too many headers'],
];

const SOURCES: readonly [keyof Ip6Stat & `ip6s_sources_${string}`, string][] = [
  ['ip6s_sources_sameif', 'source addresses on an outgoing I/F'],
  ['ip6s_sources_otherif', 'source addresses on a non-outgoing I/F'],
  ['ip6s_sources_samescope', 'source addresses of same scope'],
  ['ip6s_sources_otherscope', 'source addresses of a different scope'],
  ['ip6s_sources_deprecated', 'deprecated source addresses'],
];

/** `netstat -s -p ip6` text. See NetstatOptions for which zero lines appear. */
export function renderIp6Stat(s: Ip6Stat, options: NetstatOptions = {}): string {
  const w = new NetstatWriter(options);
  w.header('ip6:');
  w.counters(s, RECEIVE);
  w.histogram('Input histogram', s.ip6s_nxhist, nextHeaderName);
  w.counters(s, TRAILER);
  // Source-selection blocks: like BSD, only blocks with a non-zero scope appear.
  for (const [field, title] of SOURCES) {
    const hist = s[field] as number[];
    if (hist.every((n) => n === 0)) continue;
    w.header(`\t${title}`);
    hist.forEach((n, scope) => {
      if (n !== 0) w.counter(n, `${scopeCounterName(scope)}%s`, 2);
    });
  }
  w.counter(s.ip6s_sources_none, 'failure%s of source address selection');
  return w.text();
}
