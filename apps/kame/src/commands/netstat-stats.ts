import { scopeName, type Scope } from '@kame/addr';
import type { v1 } from '@kame/kernel-api';

/**
 * netstat -s text for the kernel's stat groups, with the KAME field names
 * and wording of packages/stack/src/stats (kept local: the CLI does not load
 * the stack). Every scalar counter is printed, zero or not (a single -s);
 * histogram entries only when non-zero.
 */

type Line = readonly [field: string, phrase: string];

const NEXT_HEADER: Record<number, string> = {
  0: 'hop by hop',
  4: 'IP',
  6: 'TCP',
  17: 'UDP',
  41: 'IP6',
  43: 'routing',
  44: 'fragment',
  50: 'ESP',
  51: 'AH',
  58: 'ICMP6',
  59: 'no next header',
  60: 'destination option',
  103: 'PIM',
  108: 'IPComp',
};

const ICMP6_TYPE: Record<number, string> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded',
  4: 'parameter problem',
  128: 'echo request',
  129: 'echo reply',
  130: 'multicast listener query',
  131: 'multicast listener report',
  132: 'multicast listener done',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
  137: 'redirect',
  138: 'router renumbering',
  139: 'node information request',
  140: 'node information reply',
  143: 'MLDv2 listener report',
};

const IP6_RECEIVE: readonly Line[] = [
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

const IP6_TRAILER: readonly Line[] = [
  ['ip6s_exthdrtoolong', 'packet%s whose headers are not continuous'],
  ['ip6s_nogif', "tunneling packet%s that can't find gif"],
  ['ip6s_toomanyhdr', 'packet%s discarded because of too many headers'],
];

const IP6_SOURCES: readonly Line[] = [
  ['ip6s_sources_sameif', 'source addresses on an outgoing I/F'],
  ['ip6s_sources_otherif', 'source addresses on a non-outgoing I/F'],
  ['ip6s_sources_samescope', 'source addresses of same scope'],
  ['ip6s_sources_otherscope', 'source addresses of a different scope'],
  ['ip6s_sources_deprecated', 'deprecated source addresses'],
];

const ICMP6_HEAD: readonly Line[] = [
  ['icp6s_error', 'call%s to icmp6_error'],
  ['icp6s_canterror', 'error%s not generated in response to an icmp6 message'],
  ['icp6s_toofreq', 'error%s not generated because of rate limitation'],
];

const ICMP6_INPUT_ERRORS: readonly Line[] = [
  ['icp6s_badcode', 'message%s with bad code fields'],
  ['icp6s_tooshort', 'message%s < minimum length'],
  ['icp6s_checksum', 'bad checksum%s'],
  ['icp6s_badlen', 'message%s with bad length'],
];

const ICMP6_ERROR_KINDS: readonly Line[] = [
  ['icp6s_odst_unreach_noroute', 'no route'],
  ['icp6s_odst_unreach_admin', 'administratively prohibited'],
  ['icp6s_odst_unreach_beyondscope', 'beyond scope'],
  ['icp6s_odst_unreach_addr', 'address unreachable'],
  ['icp6s_odst_unreach_noport', 'port unreachable'],
  ['icp6s_opacket_too_big', 'packet too big'],
  ['icp6s_otime_exceed_transit', 'time exceed transit'],
  ['icp6s_otime_exceed_reassembly', 'time exceed reassembly'],
  ['icp6s_oparamprob_header', 'erroneous header field'],
  ['icp6s_oparamprob_nextheader', 'unrecognized next header'],
  ['icp6s_oparamprob_option', 'unrecognized option'],
  ['icp6s_oredirect', 'redirect'],
  ['icp6s_ounknown', 'unknown'],
];

const ICMP6_TAIL: readonly Line[] = [
  ['icp6s_reflect', 'message response%s generated'],
  ['icp6s_nd_toomanyopt', 'message%s with too many ND options'],
  ['icp6s_nd_badopt', 'message%s with bad ND options'],
  ['icp6s_badns', 'bad neighbor solicitation message%s'],
  ['icp6s_badna', 'bad neighbor advertisement message%s'],
  ['icp6s_badrs', 'bad router solicitation message%s'],
  ['icp6s_badra', 'bad router advertisement message%s'],
  ['icp6s_badredirect', 'bad redirect message%s'],
  ['icp6s_pmtuchg', 'path MTU change%s'],
];

const UDP6_INPUT: readonly Line[] = [
  ['udp6s_ipackets', 'datagram%s received'],
  ['udp6s_hdrops', 'with incomplete header'],
  ['udp6s_badlen', 'with bad data length field'],
  ['udp6s_badsum', 'with bad checksum'],
  ['udp6s_nosum', 'with no checksum'],
  ['udp6s_noport', 'dropped due to no socket'],
  ['udp6s_noportmcast', 'multicast datagram%s dropped due to no socket'],
  ['udp6s_fullsock', 'dropped due to full socket buffers'],
];

const RIP6: readonly Line[] = [
  ['rip6s_ipackets', 'message%s received'],
  ['rip6s_isum', 'checksum calculation%s on inbound'],
  ['rip6s_badsum', 'message%s with bad checksum'],
  ['rip6s_nosock', 'message%s dropped due to no socket'],
  ['rip6s_nosockmcast', 'multicast message%s dropped due to no socket'],
  ['rip6s_fullsock', 'message%s dropped due to full socket buffers'],
];

/** The groups netstat -s knows, in its order; -p takes these names. */
export const STAT_GROUPS = ['ip6', 'icmp6', 'udp6', 'rip6'] as const;

class Writer {
  readonly lines: string[] = [];
  constructor(private readonly g: v1.StatGroup.$Properties) {}

  value(field: string): number {
    return this.g.counters?.[field] ?? 0;
  }

  counter(n: number, phrase: string, depth = 1): void {
    this.lines.push(`${'\t'.repeat(depth)}${n} ${phrase.replace('%s', n === 1 ? '' : 's')}`);
  }

  counters(table: readonly Line[], depth = 1): void {
    for (const [field, phrase] of table) this.counter(this.value(field), phrase, depth);
  }

  buckets(field: string): [number, number][] {
    const b = this.g.histograms?.[field]?.buckets ?? {};
    return Object.entries(b)
      .map(([k, v]) => [Number(k), v] as [number, number])
      .filter(([, v]) => v !== 0)
      .sort((x, y) => x[0] - y[0]);
  }

  histogram(title: string, field: string, name: (i: number) => string): void {
    const rows = this.buckets(field);
    if (rows.length === 0) return;
    this.lines.push(`\t${title}:`, ...rows.map(([i, n]) => `\t\t${name(i)}: ${n}`));
  }
}

/** One group's netstat -s section ("ip6:" and its lines). */
export function renderStatGroup(g: v1.StatGroup.$Properties): string {
  const w = new Writer(g);
  const name = g.name ?? '';
  w.lines.push(`${name}:`);
  switch (name) {
    case 'ip6':
      w.counters(IP6_RECEIVE);
      w.histogram('Input histogram', 'ip6s_nxhist', (i) => NEXT_HEADER[i] ?? `#${i}`);
      w.counters(IP6_TRAILER);
      for (const [field, title] of IP6_SOURCES) {
        const rows = w.buckets(field);
        if (rows.length === 0) continue;
        w.lines.push(`\t${title}`);
        for (const [scope, n] of rows) w.counter(n, `${scopeName((scope & 0x0f) as Scope)}%s`, 2);
      }
      w.counter(w.value('ip6s_sources_none'), 'failure%s of source address selection');
      break;
    case 'icmp6':
      w.counters(ICMP6_HEAD);
      w.histogram('Output histogram', 'icp6s_outhist', (i) => ICMP6_TYPE[i] ?? `#${i}`);
      w.counters(ICMP6_INPUT_ERRORS);
      w.histogram('Input histogram', 'icp6s_inhist', (i) => ICMP6_TYPE[i] ?? `#${i}`);
      w.lines.push('\tHistogram of error messages to be generated:');
      w.counters(ICMP6_ERROR_KINDS, 2);
      w.counters(ICMP6_TAIL);
      break;
    case 'udp6': {
      w.counters(UDP6_INPUT);
      const v = (f: string) => w.value(f);
      const delivered =
        v('udp6s_ipackets') -
        v('udp6s_hdrops') -
        v('udp6s_badlen') -
        v('udp6s_badsum') -
        v('udp6s_noport') -
        v('udp6s_noportmcast') -
        v('udp6s_fullsock');
      w.counter(delivered, 'delivered');
      w.counter(v('udp6s_opackets'), 'datagram%s output');
      break;
    }
    case 'rip6': {
      w.counters(RIP6);
      const v = (f: string) => w.value(f);
      const delivered =
        v('rip6s_ipackets') -
        v('rip6s_badsum') -
        v('rip6s_nosock') -
        v('rip6s_nosockmcast') -
        v('rip6s_fullsock');
      w.counter(delivered, 'delivered');
      w.counter(v('rip6s_opackets'), 'datagram%s output');
      break;
    }
    default:
      // A group this CLI has no wording for: its counters by field name.
      for (const [k, n] of Object.entries(g.counters ?? {}).sort()) w.lines.push(`\t${k}: ${n}`);
  }
  return w.lines.join('\n') + '\n';
}

/** JSON form: counters by field, histograms as { index: count }. */
export function statGroupJson(g: v1.StatGroup.$Properties): Record<string, unknown> {
  const histograms: Record<string, Record<string, number>> = {};
  for (const [k, h] of Object.entries(g.histograms ?? {})) histograms[k] = { ...(h.buckets ?? {}) };
  return { name: g.name ?? '', counters: { ...(g.counters ?? {}) }, histograms };
}
