import { newHistogram } from './histogram';
import { icmp6TypeName } from './names';
import { NetstatWriter, type CounterLine, type NetstatOptions } from './netstat-format';

/** ICMPv6 statistics, KAME icmp6stat field names (histograms have 256 buckets, by type). */
export interface Icmp6Stat {
  /** calls to icmp6_error */
  icp6s_error: number;
  /** no error generated because the offending packet was itself an ICMPv6 error */
  icp6s_canterror: number;
  /** no error generated because of net.inet6.icmp6.errppslimit */
  icp6s_toofreq: number;
  icp6s_outhist: number[];
  icp6s_badcode: number;
  icp6s_tooshort: number;
  icp6s_checksum: number;
  icp6s_badlen: number;
  icp6s_inhist: number[];
  /** errors to be generated, by kind (RFC 4443 types and codes) */
  icp6s_odst_unreach_noroute: number;
  icp6s_odst_unreach_admin: number;
  icp6s_odst_unreach_beyondscope: number;
  icp6s_odst_unreach_addr: number;
  icp6s_odst_unreach_noport: number;
  icp6s_opacket_too_big: number;
  icp6s_otime_exceed_transit: number;
  icp6s_otime_exceed_reassembly: number;
  icp6s_oparamprob_header: number;
  icp6s_oparamprob_nextheader: number;
  icp6s_oparamprob_option: number;
  icp6s_oredirect: number;
  icp6s_ounknown: number;
  /** responses generated (echo replies, node information replies, ...) */
  icp6s_reflect: number;
  /** ND packets with more than nd6_maxndopt options (IMPLEMENTATION 1.2 option overflow) */
  icp6s_nd_toomanyopt: number;
  icp6s_nd_badopt: number;
  icp6s_badns: number;
  icp6s_badna: number;
  icp6s_badrs: number;
  icp6s_badra: number;
  icp6s_badredirect: number;
  icp6s_pmtuchg: number;
}

/** A zero-initialised icmp6stat. */
export function newIcmp6Stat(): Icmp6Stat {
  return {
    icp6s_error: 0,
    icp6s_canterror: 0,
    icp6s_toofreq: 0,
    icp6s_outhist: newHistogram(256),
    icp6s_badcode: 0,
    icp6s_tooshort: 0,
    icp6s_checksum: 0,
    icp6s_badlen: 0,
    icp6s_inhist: newHistogram(256),
    icp6s_odst_unreach_noroute: 0,
    icp6s_odst_unreach_admin: 0,
    icp6s_odst_unreach_beyondscope: 0,
    icp6s_odst_unreach_addr: 0,
    icp6s_odst_unreach_noport: 0,
    icp6s_opacket_too_big: 0,
    icp6s_otime_exceed_transit: 0,
    icp6s_otime_exceed_reassembly: 0,
    icp6s_oparamprob_header: 0,
    icp6s_oparamprob_nextheader: 0,
    icp6s_oparamprob_option: 0,
    icp6s_oredirect: 0,
    icp6s_ounknown: 0,
    icp6s_reflect: 0,
    icp6s_nd_toomanyopt: 0,
    icp6s_nd_badopt: 0,
    icp6s_badns: 0,
    icp6s_badna: 0,
    icp6s_badrs: 0,
    icp6s_badra: 0,
    icp6s_badredirect: 0,
    icp6s_pmtuchg: 0,
  };
}

const HEAD: readonly CounterLine<Icmp6Stat>[] = [
  ['icp6s_error', 'call%s to icmp6_error'],
  ['icp6s_canterror', 'error%s not generated in response to an icmp6 message'],
  ['icp6s_toofreq', 'error%s not generated because of rate limitation'],
];

const INPUT_ERRORS: readonly CounterLine<Icmp6Stat>[] = [
  ['icp6s_badcode', 'message%s with bad code fields'],
  ['icp6s_tooshort', 'message%s < minimum length'],
  ['icp6s_checksum', 'bad checksum%s'],
  ['icp6s_badlen', 'message%s with bad length'],
];

const ERROR_KINDS: readonly CounterLine<Icmp6Stat>[] = [
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

const TAIL: readonly CounterLine<Icmp6Stat>[] = [
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

/** `netstat -s -p icmp6` text. See NetstatOptions for which zero lines appear. */
export function renderIcmp6Stat(s: Icmp6Stat, options: NetstatOptions = {}): string {
  const w = new NetstatWriter(options);
  w.header('icmp6:');
  w.counters(s, HEAD);
  w.histogram('Output histogram', s.icp6s_outhist, icmp6TypeName);
  w.counters(s, INPUT_ERRORS);
  w.histogram('Input histogram', s.icp6s_inhist, icmp6TypeName);
  w.header('\tHistogram of error messages to be generated:');
  w.counters(s, ERROR_KINDS, 2);
  w.counters(s, TAIL);
  return w.text();
}
