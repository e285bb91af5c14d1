import { Ipv6Address } from '@kame/addr';

/**
 * MLD host constants and per-interface variables (RFC 2710 7, RFC 3810 9).
 * Times are in milliseconds.
 */

/** RFC 2710 7.1 / RFC 3810 9.1: Robustness Variable. */
export const MLD_ROBUSTNESS_VARIABLE = 2;
/** RFC 2710 7.2 / RFC 3810 9.2: Query Interval, 125 s. */
export const MLD_QUERY_INTERVAL = 125_000;
/** RFC 2710 7.3 / RFC 3810 9.3: Query Response Interval, 10 s. */
export const MLD_QUERY_RESPONSE_INTERVAL = 10_000;
/** RFC 2710 7.10: Unsolicited Report Interval of an MLDv1 host, 10 s. */
export const MLDV1_UNSOLICITED_REPORT_INTERVAL = 10_000;
/** RFC 3810 9.11: Unsolicited Report Interval of an MLDv2 host, 1 s. */
export const MLDV2_UNSOLICITED_REPORT_INTERVAL = 1_000;

/** RFC 4291 2.7.1: link-local all-nodes, never reported (RFC 2710 5). */
export const MLD_ALL_NODES = Ipv6Address.parse('ff02::1');
/** RFC 2710 3.7 / 4: MLDv1 Done goes to link-local all-routers. */
export const MLD_ALL_ROUTERS = Ipv6Address.parse('ff02::2');
/** RFC 3810 5.2.14: MLDv2 Reports go to all MLDv2-capable routers. */
export const MLDV2_ALL_ROUTERS = Ipv6Address.parse('ff02::16');

export type MldVersion = 1 | 2;

export interface Mld6Params {
  /**
   * The version the interface starts in and returns to (RFC 3810 8.2.1).
   * KAME's mld6 spoke MLDv1 only: 1 never switches; 2 falls back to MLDv1
   * while an MLDv1 querier is present.
   */
  readonly version: MldVersion;
  /** Robustness Variable; updated from an MLDv2 query's QRV when non-zero (RFC 3810 5.1.8). */
  readonly robustness: number;
  /** Query Interval; updated from an MLDv2 query's QQIC when non-zero (RFC 3810 5.1.9). */
  readonly queryInterval: number;
  readonly queryResponseInterval: number;
  /** RFC 2710 7.10: spread of the repeated unsolicited MLDv1 Report. */
  readonly v1UnsolicitedReportInterval: number;
  /** RFC 3810 9.11: spread of State Change Report retransmissions. */
  readonly v2UnsolicitedReportInterval: number;
  /**
   * Records per MLDv2 Report: (1280 - 40 IPv6 - 8 hop-by-hop - 8 report
   * header) / 20 bytes per source-less record = 61 fits the minimum MTU.
   */
  readonly maxRecordsPerReport: number;
}

export const DEFAULT_MLD6_PARAMS: Mld6Params = {
  version: 2,
  robustness: MLD_ROBUSTNESS_VARIABLE,
  queryInterval: MLD_QUERY_INTERVAL,
  queryResponseInterval: MLD_QUERY_RESPONSE_INTERVAL,
  v1UnsolicitedReportInterval: MLDV1_UNSOLICITED_REPORT_INTERVAL,
  v2UnsolicitedReportInterval: MLDV2_UNSOLICITED_REPORT_INTERVAL,
  maxRecordsPerReport: 61,
};

export function resolveMld6Params(p: Partial<Mld6Params> = {}): Mld6Params {
  const r = { ...DEFAULT_MLD6_PARAMS, ...p };
  if (r.version !== 1 && r.version !== 2) throw new RangeError(`mld6: bad version ${String(r.version)}`);
  const positive: Array<keyof Mld6Params> = [
    'robustness',
    'queryInterval',
    'queryResponseInterval',
    'v1UnsolicitedReportInterval',
    'v2UnsolicitedReportInterval',
    'maxRecordsPerReport',
  ];
  for (const k of positive) {
    const v = r[k];
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`mld6: ${k}: bad value ${v}`);
  }
  if (!Number.isInteger(r.robustness)) throw new RangeError(`mld6: robustness: bad value ${r.robustness}`);
  return r;
}

/**
 * RFC 3810 9.12: Older Version Querier Present Timeout =
 * [Robustness Variable] * [Query Interval] + [Query Response Interval].
 */
export function olderVersionQuerierPresentTimeout(p: Mld6Params): number {
  return p.robustness * p.queryInterval + p.queryResponseInterval;
}
